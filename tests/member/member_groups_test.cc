// Party groups hold members (党小组 rosters), over real gRPC between the org
// and member services: a member's group is set and moved within their
// branch, a group lists its roster, the tree shows each unit's count, a
// merge of groups takes the members along, and a transfer to another branch
// leaves the old branch's group behind.
#include <map>

#include "tests/member/member_test_base.h"

namespace lianxin::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

int Seq() {
  static std::atomic<int> n{900};
  return n++;
}

class MemberGroupsTest : public MemberServiceTest {
 protected:
  void SetUp() override {
    MemberServiceTest::SetUp();
    in_person_ = Unit(branch_, ov1::ORG_UNIT_TYPE_PARTY_GROUP);
    at_home_ = Unit(branch_, ov1::ORG_UNIT_TYPE_PARTY_GROUP);
  }

  mv1::Member Filed(const std::string& branch, const std::string& group = "") {
    mv1::Member m = NewMember(branch, Seq());
    m.set_group(group);
    mv1::Member out;
    EXPECT_THAT(Create(secretary_, m, &out), IsOk());
    return out;
  }

  grpc::Status SetGroup(const std::string& member, const std::string& group, mv1::Member* out,
                        const std::string& token = "") {
    mv1::UpdateMemberRequest req;
    req.mutable_member()->set_name(member);
    req.mutable_member()->set_group(group);
    req.mutable_update_mask()->add_paths("group");
    return Call(token.empty() ? secretary_ : token,
                [&](grpc::ClientContext* c) { return stub_->UpdateMember(c, req, out); });
  }

  std::vector<std::string> Roster(const std::string& group) {
    mv1::ListMembersRequest req;
    req.set_parent(group);
    mv1::ListMembersResponse out;
    EXPECT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->ListMembers(c, req, &out); }), IsOk());
    std::vector<std::string> names;
    for (const auto& m : out.members()) names.push_back(m.name());
    return names;
  }

  // name → member_count of the units under `parent`, as the tree shows them.
  std::map<std::string, int> Counts(const std::string& parent) {
    ov1::ListChildOrgUnitsRequest req;
    req.set_parent(parent);
    req.set_member_counts(true);
    ov1::ListOrgUnitsResponse out;
    EXPECT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return org_stub_->ListChildOrgUnits(c, req, &out); }),
                IsOk());
    std::map<std::string, int> counts;
    for (const auto& u : out.org_units()) counts[u.name()] = u.member_count();
    return counts;
  }

  std::string in_person_, at_home_;
};

TEST_F(MemberGroupsTest, AGroupIsSetMovedListedAndCounted) {
  mv1::Member a = Filed(branch_, in_person_);
  EXPECT_EQ(a.group(), in_person_);
  mv1::Member b = Filed(branch_), c = Filed(branch_);
  EXPECT_FALSE(b.has_group());
  mv1::Member out;
  ASSERT_THAT(SetGroup(b.name(), in_person_, &out), IsOk());
  EXPECT_EQ(out.group(), in_person_);
  ASSERT_THAT(SetGroup(c.name(), at_home_, &out), IsOk());
  EXPECT_THAT(Roster(in_person_), UnorderedElementsAre(a.name(), b.name()));
  EXPECT_THAT(Roster(at_home_), ElementsAre(c.name()));
  EXPECT_EQ(Counts(branch_), (std::map<std::string, int>{{in_person_, 2}, {at_home_, 1}}));

  // Moved to the other group, and the history says so.
  ASSERT_THAT(SetGroup(b.name(), at_home_, &out), IsOk());
  EXPECT_THAT(Roster(at_home_), UnorderedElementsAre(b.name(), c.name()));
  EXPECT_EQ(Counts(branch_), (std::map<std::string, int>{{in_person_, 1}, {at_home_, 2}}));
  mv1::ListMemberEventsRequest ev;
  ev.set_member(b.name());
  mv1::ListMemberEventsResponse events;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* ctx) { return stub_->ListMemberEvents(ctx, ev, &events); }),
              IsOk());
  ASSERT_EQ(events.events_size(), 3);
  EXPECT_NE(events.events(2).changes_json().find(at_home_), std::string::npos) << events.events(2).changes_json();

  // The branch's own count is its members, whatever their group; a member
  // who died no longer counts.
  EXPECT_EQ(Counts(community_)[branch_], 3);
  mv1::ChangeLifecycleRequest died;
  died.set_name(a.name());
  died.set_lifecycle(mv1::LIFECYCLE_DECEASED);
  died.set_reason("病故");
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* ctx) { return stub_->ChangeLifecycle(ctx, died, &out); }),
              IsOk());
  EXPECT_EQ(Counts(community_)[branch_], 2);
  EXPECT_EQ(Counts(branch_)[in_person_], 0);

  // The subtree shows the same counts.
  ov1::ListSubtreeOrgUnitsRequest sub;
  sub.set_root(community_);
  sub.set_member_counts(true);
  ov1::ListOrgUnitsResponse tree;
  ASSERT_THAT(
      Call(secretary_, [&](grpc::ClientContext* ctx) { return org_stub_->ListSubtreeOrgUnits(ctx, sub, &tree); }),
      IsOk());
  std::map<std::string, int> seen;
  for (const auto& u : tree.org_units()) seen[u.name()] = u.member_count();
  EXPECT_EQ(seen[branch_], 2);
  EXPECT_EQ(seen[at_home_], 2);
  // Without member_counts, no count is asked for or shown.
  sub.clear_member_counts();
  ASSERT_THAT(
      Call(secretary_, [&](grpc::ClientContext* ctx) { return org_stub_->ListSubtreeOrgUnits(ctx, sub, &tree); }),
      IsOk());
  for (const auto& u : tree.org_units()) EXPECT_FALSE(u.has_member_count());
}

TEST_F(MemberGroupsTest, AGroupOutsideTheBranchOrNoGroupIsRefusedAndNothingWritten) {
  mv1::Member m = Filed(branch_);
  std::string elsewhere = Unit(other_branch_, ov1::ORG_UNIT_TYPE_PARTY_GROUP);
  std::string before = Snapshot();
  mv1::Member out;
  grpc::Status s = SetGroup(m.name(), elsewhere, &out, admin_);
  EXPECT_THAT(s, HasCode(grpc::FAILED_PRECONDITION));
  EXPECT_EQ(ErrorReason(s), "GROUP_OUTSIDE_BRANCH");
  EXPECT_THAT(ViolatedFields(s), ElementsAre("member.group"));
  s = SetGroup(m.name(), branch_, &out);  // a branch is no group
  EXPECT_THAT(s, HasCode(grpc::INVALID_ARGUMENT));
  EXPECT_THAT(ViolatedFields(s), ElementsAre("member.group"));
  s = SetGroup(m.name(), "groups/x", &out);
  EXPECT_THAT(s, HasCode(grpc::INVALID_ARGUMENT));
  EXPECT_THAT(ViolatedFields(s), ElementsAre("member.group"));
  // A new member with a group of another branch: not created.
  mv1::Member fresh = NewMember(branch_, Seq());
  fresh.set_group(elsewhere);
  s = Create(admin_, fresh, &out);
  EXPECT_THAT(s, HasCode(grpc::FAILED_PRECONDITION));
  EXPECT_THAT(ViolatedFields(s), ElementsAre("member.group"));
  EXPECT_EQ(Snapshot(), before);
  // Clearing is allowed.
  ASSERT_THAT(SetGroup(m.name(), in_person_, &out), IsOk());
  ASSERT_THAT(SetGroup(m.name(), "", &out), IsOk());
  EXPECT_FALSE(out.has_group());
}

TEST_F(MemberGroupsTest, AGroupWithMembersStaysUntilMergedAndTheMergeTakesThemAlong) {
  mv1::Member a = Filed(branch_, in_person_), b = Filed(branch_, in_person_);
  ov1::DeleteOrgUnitRequest del;
  del.set_name(in_person_);
  ov1::OrgUnit unit;
  grpc::Status s = Call(admin_, [&](grpc::ClientContext* c) { return org_stub_->DeleteOrgUnit(c, del, &unit); });
  EXPECT_THAT(s, HasCode(grpc::FAILED_PRECONDITION));
  EXPECT_EQ(ErrorReason(s), "HAS_MEMBERS");
  ov1::MergeOrgUnitsRequest merge;
  merge.set_name(in_person_);
  merge.set_into(at_home_);
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return org_stub_->MergeOrgUnits(c, merge, &unit); }), IsOk());
  EXPECT_THAT(Roster(at_home_), UnorderedElementsAre(a.name(), b.name()));
  mv1::GetMemberRequest get;
  get.set_name(a.name());
  mv1::Member seen;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->GetMember(c, get, &seen); }), IsOk());
  EXPECT_EQ(seen.group(), at_home_);
  EXPECT_EQ(seen.branch(), branch_);
}

TEST_F(MemberGroupsTest, ATransferToAnotherBranchLeavesTheGroupBehind) {
  mv1::Member m = Filed(branch_, in_person_);
  mv1::StartTransferRequest start;
  start.mutable_transfer()->set_kind(mv1::TRANSFER_KIND_WITHIN);
  start.mutable_transfer()->set_member(m.name());
  start.mutable_transfer()->set_to_unit(other_branch_);
  start.mutable_transfer()->set_reason("搬家");
  start.mutable_transfer()->mutable_letter()->set_dues_paid_through("2026-10");
  mv1::Transfer t;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->StartTransfer(c, start, &t); }), IsOk());
  while (t.state() == mv1::TRANSFER_STATE_PENDING) {
    mv1::ApproveTransferRequest approve;
    approve.set_name(t.name());
    ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->ApproveTransfer(c, approve, &t); }), IsOk());
  }
  mv1::GetMemberRequest get;
  get.set_name(m.name());
  mv1::Member seen;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->GetMember(c, get, &seen); }), IsOk());
  EXPECT_EQ(seen.branch(), other_branch_);
  EXPECT_FALSE(seen.has_group());
  EXPECT_TRUE(Roster(in_person_).empty());
}

}  // namespace
}  // namespace lianxin::testing
