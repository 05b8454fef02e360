// Requests over gRPC, the parts the workflow tests leave out: reading a
// category, a resident cancelling, the filters of ListRequests, routing that
// falls back to the community, a member of another community refused a grab,
// and the responsible unit rejecting a request.
#include "absl/time/clock.h"
#include "common/clock.h"
#include "tests/dispatch/dispatch_test_base.h"

namespace lianxin::testing {
namespace {

using ::testing::Contains;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

class DispatchRequestsTest : public DispatchTest {
 protected:
  // residents_[0] is dispatched `name` and accepts it.
  void TakeUp(const std::string& name) {
    dv1::Request out;
    dv1::DispatchRequestRequest d;
    d.set_name(name);
    d.set_member(residents_[0]);
    ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->DispatchRequest(c, d, &out); }), IsOk());
    dv1::AcceptRequestRequest a;
    a.set_name(name);
    ASSERT_THAT(
        Call(MemberToken(residents_[0]), [&](grpc::ClientContext* c) { return stub_->AcceptRequest(c, a, &out); }),
        IsOk());
  }
  std::vector<std::string> List(const std::string& token, const dv1::ListRequestsRequest& req) {
    dv1::ListRequestsResponse out;
    EXPECT_THAT(Call(token, [&](grpc::ClientContext* c) { return stub_->ListRequests(c, req, &out); }), IsOk());
    std::vector<std::string> names;
    for (const auto& r : out.requests()) names.push_back(r.name());
    return names;
  }
};

TEST_F(DispatchRequestsTest, ACategoryIsReadAsItWasMade) {
  dv1::GetCategoryRequest req;
  req.set_name(absl::StrCat(district_, "/categories/repair"));
  dv1::Category out;
  ASSERT_THAT(Call(resident_, [&](grpc::ClientContext* c) { return stub_->GetCategory(c, req, &out); }), IsOk());
  EXPECT_EQ(out.name(), req.name());
  EXPECT_EQ(out.limit_hours(), 4);
  EXPECT_FALSE(out.grabbable());
  ASSERT_EQ(out.skills_size(), 1);
  EXPECT_EQ(out.skills(0), "水电维修");
  req.set_name(absl::StrCat(district_, "/categories/nothing"));
  EXPECT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->GetCategory(c, req, &out); }),
              HasCode(grpc::NOT_FOUND));
}

TEST_F(DispatchRequestsTest, AResidentCancelsWhatNobodyHasTakenAndOnlyTheirOwn) {
  dv1::Request r, taken, out;
  ASSERT_THAT(Submit(resident_, NewRequest(), &r), IsOk());
  ASSERT_THAT(Submit(resident_, NewRequest("repair", other_building_), &taken, "", true), IsOk());
  TakeUp(taken.name());

  dv1::CancelRequestRequest cancel;
  cancel.set_name(r.name());
  cancel.set_reason("自己修好了");
  // Another resident: refused, nothing written.
  std::string before = WrittenFor(r.name());
  const std::string neighbour = key_->Token("resident-2", {"resident"}, district_);
  grpc::Status s = Call(neighbour, [&](grpc::ClientContext* c) { return stub_->CancelRequest(c, cancel, &out); });
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(WrittenFor(r.name()), before);
  ASSERT_THAT(Call(resident_, [&](grpc::ClientContext* c) { return stub_->CancelRequest(c, cancel, &out); }), IsOk());
  EXPECT_EQ(out.state(), dv1::REQUEST_STATE_CANCELLED);
  EXPECT_EQ(Get(admin_, r.name()).state(), dv1::REQUEST_STATE_CANCELLED);
  // A member is working on the other one: too late to cancel.
  cancel.set_name(taken.name());
  before = WrittenFor(taken.name());
  s = Call(resident_, [&](grpc::ClientContext* c) { return stub_->CancelRequest(c, cancel, &out); });
  EXPECT_THAT(s, HasCode(grpc::FAILED_PRECONDITION));
  EXPECT_EQ(WrittenFor(taken.name()), before);
}

TEST_F(DispatchRequestsTest, ListRequestsFiltersByUnitStateAssigneeAndOwner) {
  // Residents of this test alone: the suite's database holds other tests' requests.
  resident_ = key_->Token(absl::StrCat("resident-", counter_++), {"resident"}, district_);
  const std::string neighbour = key_->Token(absl::StrCat("resident-", counter_++), {"resident"}, district_);
  dv1::Request mine, dispatched, other, out;
  ASSERT_THAT(Submit(resident_, NewRequest(), &mine), IsOk());
  ASSERT_THAT(Submit(resident_, NewRequest("repair", other_building_), &dispatched, "", true), IsOk());
  ASSERT_THAT(Submit(neighbour, NewRequest("policy"), &other, "", true), IsOk());
  dv1::DispatchRequestRequest d;
  d.set_name(dispatched.name());
  d.set_member(residents_[0]);
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->DispatchRequest(c, d, &out); }), IsOk());

  dv1::ListRequestsRequest req;
  req.set_parent(community_);
  EXPECT_THAT(List(admin_, req), UnorderedElementsAre(mine.name(), dispatched.name(), other.name()));
  req.set_state(dv1::REQUEST_STATE_DISPATCHED);
  EXPECT_THAT(List(admin_, req), UnorderedElementsAre(dispatched.name()));
  req.set_state(dv1::REQUEST_STATE_PENDING);
  EXPECT_THAT(List(admin_, req), UnorderedElementsAre(mine.name(), other.name()));
  // The building's group is responsible for its building only.
  dv1::ListRequestsRequest group;
  group.set_parent(group_);
  EXPECT_THAT(List(secretary_, group), UnorderedElementsAre(mine.name(), other.name()));
  dv1::ListRequestsRequest assigned;
  assigned.set_assignee(residents_[0]);
  EXPECT_THAT(List(MemberToken(residents_[0]), assigned), UnorderedElementsAre(dispatched.name()));
  dv1::ListRequestsRequest own;
  own.set_mine(true);
  EXPECT_THAT(List(resident_, own), UnorderedElementsAre(mine.name(), dispatched.name()));
  EXPECT_THAT(List(neighbour, own), UnorderedElementsAre(other.name()));
}

TEST_F(DispatchRequestsTest, APlaceNoGroupOrBranchCoversGoesToTheCommunity) {
  // A compound of the community that nobody below it covers.
  const std::string lone_compound = Place("", ov1::PLACE_KIND_COMPOUND);
  const std::string lone_building = Place(lone_compound, ov1::PLACE_KIND_BUILDING);
  dv1::Request r;
  ASSERT_THAT(Submit(resident_, NewRequest("repair", lone_building), &r), IsOk());
  EXPECT_EQ(r.responsible_unit(), community_);
  // The branch's building goes to the branch, the group's to the group.
  dv1::Request b, g;
  ASSERT_THAT(Submit(resident_, NewRequest("repair", other_building_), &b, "", true), IsOk());
  EXPECT_EQ(b.responsible_unit(), branch_);
  ASSERT_THAT(Submit(resident_, NewRequest("repair", building_), &g, "", true), IsOk());
  EXPECT_EQ(g.responsible_unit(), group_);
}

TEST_F(DispatchRequestsTest, AMemberOfAnotherCommunityCannotGrab) {
  dv1::Request r, out;
  ASSERT_THAT(Submit(resident_, NewRequest("policy"), &r), IsOk());
  dv1::OpenForGrabRequest open;
  open.set_name(r.name());
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->OpenForGrab(c, open, &out); }), IsOk());
  // A member of a branch in the next community, living there.
  const std::string here = community_, here_branch = branch_;
  community_ = Unit(street_, ov1::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE);
  branch_ = Unit(community_, ov1::ORG_UNIT_TYPE_BRANCH);
  const std::string stranger = Member(Place(Place("", ov1::PLACE_KIND_COMPOUND), ov1::PLACE_KIND_BUILDING), "政策宣讲");
  community_ = here;
  branch_ = here_branch;
  std::string before = WrittenFor(r.name());
  dv1::GrabRequestRequest grab;
  grab.set_name(r.name());
  grpc::Status s = Call(key_->Token(stranger, {"member"}, street_),
                        [&](grpc::ClientContext* c) { return stub_->GrabRequest(c, grab, &out); });
  EXPECT_THAT(s, HasCode(grpc::PERMISSION_DENIED));
  EXPECT_EQ(WrittenFor(r.name()), before);
  EXPECT_EQ(Get(admin_, r.name()).state(), dv1::REQUEST_STATE_OFFERED);
  // A member of this community grabs it.
  ASSERT_THAT(
      Call(MemberToken(residents_[2]), [&](grpc::ClientContext* c) { return stub_->GrabRequest(c, grab, &out); }),
      IsOk());
  EXPECT_EQ(out.assignee(), residents_[2]);
}

TEST_F(DispatchRequestsTest, AMemberRegisteredHereWhereTheyLiveIsACandidate) {
  // Employed, their relation in the next community's branch; registered here
  // (双报到) and living in the building.
  const std::string here = community_, here_branch = branch_;
  community_ = Unit(street_, ov1::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE);
  branch_ = Unit(community_, ov1::ORG_UNIT_TYPE_BRANCH);
  const std::string employed = Member(building_, "水电维修");
  community_ = here;
  branch_ = here_branch;
  mv1::UpdateMemberRequest reg;
  reg.mutable_member()->set_name(employed);
  reg.mutable_member()->set_registered_community(community_);
  reg.mutable_update_mask()->add_paths("registered_community");
  mv1::Member m;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return member_stub_->UpdateMember(c, reg, &m); }), IsOk());
  dv1::Request r;
  ASSERT_THAT(Submit(resident_, NewRequest(), &r), IsOk());
  dv1::SuggestCandidatesRequest sug;
  sug.set_name(r.name());
  sug.set_limit(50);
  dv1::SuggestCandidatesResponse cands;
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->SuggestCandidates(c, sug, &cands); }),
              IsOk());
  const dv1::Candidate* found = nullptr;
  for (const auto& cand : cands.candidates()) {
    if (cand.member() == employed) found = &cand;
    if (cand.member() != employed) {
      EXPECT_THAT(cand.reasons(), Not(Contains("registered here")));
    }
  }
  ASSERT_NE(found, nullptr);
  EXPECT_THAT(found->reasons(), Contains("registered here"));
  EXPECT_THAT(found->reasons(), Contains("lives in the building"));
  // Dispatched to them, they accept it.
  dv1::DispatchRequestRequest d;
  d.set_name(r.name());
  d.set_member(employed);
  dv1::Request out;
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->DispatchRequest(c, d, &out); }), IsOk());
  dv1::AcceptRequestRequest accept;
  accept.set_name(r.name());
  ASSERT_THAT(
      Call(MemberToken(employed), [&](grpc::ClientContext* c) { return stub_->AcceptRequest(c, accept, &out); }),
      IsOk());
  EXPECT_EQ(out.assignee(), employed);
  dv1::ResolveRequestRequest res;
  res.set_name(r.name());
  res.set_resolution("修好了");
  res.set_minutes_spent(45);
  ASSERT_THAT(Call(MemberToken(employed), [&](grpc::ClientContext* c) { return stub_->ResolveRequest(c, res, &out); }),
              IsOk());

  // The quarter's report to their employer names them and what they did.
  const std::string today = BeijingDate(absl::Now());
  dv1::GetEmployerReportRequest rep;
  rep.set_parent(community_);
  rep.set_quarter(absl::StrCat(today.substr(0, 4), "-Q", (std::stoi(today.substr(5, 2)) + 2) / 3));
  dv1::GetEmployerReportResponse report;
  const std::string community_secretary = key_->Token("community-sec", {"secretary"}, community_);
  ASSERT_THAT(
      Call(community_secretary, [&](grpc::ClientContext* c) { return stub_->GetEmployerReport(c, rep, &report); }),
      IsOk());
  ASSERT_EQ(report.employers_size(), 1);
  EXPECT_EQ(report.employers(0).employer_unit(), m.branch());
  ASSERT_EQ(report.employers(0).members_size(), 1);
  EXPECT_EQ(report.employers(0).members(0).member(), employed);
  EXPECT_EQ(report.employers(0).members(0).service().resolved(), 1);
  EXPECT_EQ(report.employers(0).members(0).service().minutes_spent(), 45);
  // Another quarter: listed, nothing done; a malformed quarter names the field.
  rep.set_quarter("2025-Q1");
  ASSERT_THAT(
      Call(community_secretary, [&](grpc::ClientContext* c) { return stub_->GetEmployerReport(c, rep, &report); }),
      IsOk());
  ASSERT_EQ(report.employers(0).members_size(), 1);
  EXPECT_EQ(report.employers(0).members(0).service().resolved(), 0);
  rep.set_quarter("2025-Q5");
  grpc::Status s =
      Call(community_secretary, [&](grpc::ClientContext* c) { return stub_->GetEmployerReport(c, rep, &report); });
  EXPECT_THAT(s, HasCode(grpc::INVALID_ARGUMENT));
  EXPECT_THAT(ViolatedFields(s), ::testing::ElementsAre("quarter"));
}

TEST_F(DispatchRequestsTest, TheResponsibleUnitRejectsWithAReasonTheResidentReads) {
  dv1::Request r, taken, out;
  ASSERT_THAT(Submit(resident_, NewRequest(), &r), IsOk());  // the group's
  dv1::RejectRequestRequest reject;
  reject.set_name(r.name());
  // No reason: the field is named, nothing written.
  std::string before = WrittenFor(r.name());
  grpc::Status s = Call(secretary_, [&](grpc::ClientContext* c) { return stub_->RejectRequest(c, reject, &out); });
  EXPECT_THAT(s, HasCode(grpc::INVALID_ARGUMENT));
  EXPECT_THAT(ViolatedFields(s), ::testing::ElementsAre("reason"));
  reject.set_reason("属于物业公司职责，已告知物业电话");
  // Not the unit: a member, or a resident.
  for (const std::string& token : {MemberToken(residents_[0]), resident_}) {
    s = Call(token, [&](grpc::ClientContext* c) { return stub_->RejectRequest(c, reject, &out); });
    EXPECT_THAT(s, HasCode(grpc::PERMISSION_DENIED));
  }
  EXPECT_EQ(WrittenFor(r.name()), before);
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->RejectRequest(c, reject, &out); }), IsOk());
  EXPECT_EQ(out.state(), dv1::REQUEST_STATE_REJECTED);
  dv1::Request seen = Get(resident_, r.name());
  EXPECT_EQ(seen.state(), dv1::REQUEST_STATE_REJECTED);
  EXPECT_EQ(seen.resolution(), "属于物业公司职责，已告知物业电话");
  EXPECT_THAT(Timeline(r.name()), ::testing::Contains("reject"));
  // Past its deadline it escalates no further.
  SetClock(10 * 86400);
  absl::SleepFor(absl::Milliseconds(500));
  EXPECT_EQ(Get(admin_, r.name()).escalation_level(), 0);
  SetClock(0);
  // Once a member works on a request, it is too late to reject it.
  ASSERT_THAT(Submit(resident_, NewRequest("repair", other_building_), &taken, "", true), IsOk());
  TakeUp(taken.name());
  reject.set_name(taken.name());
  before = WrittenFor(taken.name());
  s = Call(admin_, [&](grpc::ClientContext* c) { return stub_->RejectRequest(c, reject, &out); });
  EXPECT_THAT(s, HasCode(grpc::FAILED_PRECONDITION));
  EXPECT_EQ(WrittenFor(taken.name()), before);
}

TEST_F(DispatchRequestsTest, ARequestNobodyTakesUpInSevenDaysIsFlagged) {
  dv1::Request r;
  ASSERT_THAT(Submit(resident_, NewRequest("policy"), &r, "", true), IsOk());
  EXPECT_FALSE(r.has_unanswered_time());
  SetClock(7 * 86400 + 60);
  bool flagged = false;
  for (int i = 0; i < 100 && !flagged; ++i) {
    flagged = Get(resident_, r.name()).has_unanswered_time();
    if (!flagged) absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_TRUE(flagged);
  EXPECT_THAT(Timeline(r.name()), ::testing::Contains("unanswered"));
  SetClock(0);
}

}  // namespace
}  // namespace lianxin::testing
