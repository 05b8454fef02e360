// The organization service's rules that need member data, with both services
// calling each other over real gRPC: no dissolving a unit that holds members,
// merges move members, building party groups need five resident members,
// positions name members on file; the member service away means UNAVAILABLE
// and nothing written.
#include "tests/member/member_test_base.h"

namespace lianxin::testing {
namespace {

using ::testing::ElementsAre;

int Seq() {
  static std::atomic<int> n{800};
  return n++;
}

class OrgMemberRulesTest : public MemberServiceTest {
 protected:
  mv1::Member Filed(const std::string& branch, const std::string& building = "") {
    mv1::Member m = NewMember(branch, Seq());
    if (!building.empty()) m.mutable_address()->set_building(building);
    mv1::Member out;
    EXPECT_THAT(Create(admin_, m, &out), IsOk());
    return out;
  }

  std::string OrgWritten() {
    SqlProbe org(TestDbSocket(), *suffix_ + "_org");
    return absl::StrCat(org.Count("org_units"), "/", org.Scalar("SELECT SUM(version) FROM org_units"), "/",
                        org.Count("history"), "/", org.Count("org_coverage"), "/", org.Count("org_positions"));
  }

  grpc::Status Cover(const std::string& unit, const std::vector<std::string>& places) {
    ov1::CoverPlacesRequest req;
    req.set_org_unit(unit);
    for (const auto& p : places) req.add_places(p);
    ov1::CoverPlacesResponse out;
    return Call(admin_, [&](grpc::ClientContext* c) { return org_stub_->CoverPlaces(c, req, &out); });
  }
};

TEST_F(OrgMemberRulesTest, AUnitHoldingMembersIsNotDissolved) {
  std::string lonely = Unit(community_, ov1::ORG_UNIT_TYPE_BRANCH);
  mv1::Member m = Filed(lonely);
  ov1::DeleteOrgUnitRequest del;
  del.set_name(lonely);
  ov1::OrgUnit out;
  std::string before = OrgWritten();
  grpc::Status s = Call(admin_, [&](grpc::ClientContext* c) { return org_stub_->DeleteOrgUnit(c, del, &out); });
  EXPECT_THAT(s, HasCode(grpc::FAILED_PRECONDITION));
  EXPECT_EQ(ErrorReason(s), "HAS_MEMBERS");
  EXPECT_THAT(ViolatedFields(s), ElementsAre("name"));
  EXPECT_EQ(OrgWritten(), before);
  // Its only member moves out of the platform: now it may go.
  mv1::StartTransferRequest out_req;
  out_req.mutable_transfer()->set_kind(mv1::TRANSFER_KIND_OUT);
  out_req.mutable_transfer()->set_member(m.name());
  out_req.mutable_transfer()->set_reason("迁往外地");
  out_req.mutable_transfer()->mutable_letter()->set_number("转字1号");
  out_req.mutable_transfer()->mutable_letter()->set_outside_organization("外区某街道党工委");
  mv1::Transfer t;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->StartTransfer(c, out_req, &t); }), IsOk());
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return org_stub_->DeleteOrgUnit(c, del, &out); }), IsOk());
  EXPECT_EQ(out.state(), ov1::OrgUnit::STATE_DISSOLVED);
}

TEST_F(OrgMemberRulesTest, AMergeTakesTheMembersAlong) {
  std::string a = Unit(community_, ov1::ORG_UNIT_TYPE_BRANCH);
  std::string b = Unit(community_, ov1::ORG_UNIT_TYPE_BRANCH);
  mv1::Member m1 = Filed(a), m2 = Filed(a);
  ov1::MergeOrgUnitsRequest merge;
  merge.set_name(a);
  merge.set_into(b);
  ov1::OrgUnit out;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return org_stub_->MergeOrgUnits(c, merge, &out); }), IsOk());
  for (const auto* m : {&m1, &m2}) {
    mv1::GetMemberRequest get;
    get.set_name(m->name());
    mv1::Member seen;
    ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->GetMember(c, get, &seen); }), IsOk());
    EXPECT_EQ(seen.branch(), b);
    mv1::ListMemberEventsRequest ev;
    ev.set_member(m->name());
    mv1::ListMemberEventsResponse events;
    ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->ListMemberEvents(c, ev, &events); }), IsOk());
    EXPECT_EQ(events.events(events.events_size() - 1).action(), "merge");
  }
  // The member service's MoveMembers is for the org service only.
  mv1::MoveMembersRequest move;
  move.set_from_unit(b);
  move.set_to_unit(a);
  mv1::MoveMembersResponse moved;
  EXPECT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->MoveMembers(c, move, &moved); }),
              HasCode(grpc::PERMISSION_DENIED));
}

TEST_F(OrgMemberRulesTest, ABuildingPartyGroupNeedsFiveResidentMembers) {
  std::string compound = Place(community_, "", ov1::PLACE_KIND_COMPOUND);
  std::string b1 = Place(community_, compound, ov1::PLACE_KIND_BUILDING);
  std::string b2 = Place(community_, compound, ov1::PLACE_KIND_BUILDING);
  std::string group = Unit(community_, ov1::ORG_UNIT_TYPE_BUILDING_PARTY_GROUP);
  for (int i = 0; i < 4; ++i) Filed(branch_, b1);
  Filed(other_branch_, b2);  // membership by residence, whatever the branch
  std::string before = OrgWritten();
  grpc::Status s = Cover(group, {b1});
  EXPECT_THAT(s, HasCode(grpc::FAILED_PRECONDITION));
  EXPECT_EQ(ErrorReason(s), "TOO_FEW_RESIDENT_MEMBERS");
  EXPECT_THAT(ViolatedFields(s), ElementsAre("places"));
  EXPECT_NE(s.error_message().find("4 resident members"), std::string::npos) << s.error_message();
  EXPECT_EQ(OrgWritten(), before);
  // Neighbouring buildings combine: 4 + 1.
  ASSERT_THAT(Cover(group, {b1, b2}), IsOk());

  // The number is the community's setting.
  std::string b3 = Place(community_, compound, ov1::PLACE_KIND_BUILDING);
  std::string small = Unit(community_, ov1::ORG_UNIT_TYPE_BUILDING_PARTY_GROUP);
  for (int i = 0; i < 3; ++i) Filed(branch_, b3);
  EXPECT_THAT(Cover(small, {b3}), HasCode(grpc::FAILED_PRECONDITION));
  ov1::UpdateCommunitySettingsRequest settings;
  settings.mutable_settings()->set_name(community_ + "/settings");
  settings.mutable_settings()->set_building_group_min_residents(3);
  settings.mutable_update_mask()->add_paths("building_group_min_residents");
  ov1::CommunitySettings updated;
  ASSERT_THAT(
      Call(admin_, [&](grpc::ClientContext* c) { return org_stub_->UpdateCommunitySettings(c, settings, &updated); }),
      IsOk());
  EXPECT_THAT(Cover(small, {b3}), IsOk());
}

TEST_F(OrgMemberRulesTest, PositionsNameMembersOnFile) {
  mv1::Member m = Filed(branch_);
  ov1::CreatePositionRequest req;
  req.mutable_position()->set_org_unit(branch_);
  req.mutable_position()->set_role(ov1::POSITION_ROLE_SECRETARY);
  req.mutable_position()->set_member("members/nosuchmember");
  req.mutable_position()->set_holder_display_name("王书记");
  ov1::Position out;
  std::string before = OrgWritten();
  grpc::Status s = Call(admin_, [&](grpc::ClientContext* c) { return org_stub_->CreatePosition(c, req, &out); });
  EXPECT_THAT(s, HasCode(grpc::NOT_FOUND));
  EXPECT_THAT(ViolatedFields(s), ElementsAre("position.member"));
  EXPECT_EQ(OrgWritten(), before);
  req.mutable_position()->set_member(m.name());
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return org_stub_->CreatePosition(c, req, &out); }), IsOk());
  ov1::UpdatePositionRequest upd;
  upd.mutable_position()->set_name(out.name());
  upd.mutable_position()->set_member("members/nosuchmember");
  upd.mutable_update_mask()->add_paths("member");
  before = OrgWritten();
  s = Call(admin_, [&](grpc::ClientContext* c) { return org_stub_->UpdatePosition(c, upd, &out); });
  EXPECT_THAT(ViolatedFields(s), ElementsAre("position.member"));
  EXPECT_EQ(OrgWritten(), before);
}

TEST_F(OrgMemberRulesTest, WithTheMemberServiceAwayTheOrgServiceWritesNothing) {
  std::string lonely = Unit(community_, ov1::ORG_UNIT_TYPE_BRANCH);
  ASSERT_EQ(member_->Stop(), 0);
  ov1::DeleteOrgUnitRequest del;
  del.set_name(lonely);
  ov1::OrgUnit out;
  std::string before = OrgWritten();
  grpc::Status s = Call(admin_, [&](grpc::ClientContext* c) { return org_stub_->DeleteOrgUnit(c, del, &out); });
  EXPECT_THAT(s, HasCode(grpc::UNAVAILABLE));
  EXPECT_EQ(ErrorReason(s), "MEMBER_UNAVAILABLE");
  EXPECT_EQ(OrgWritten(), before);
  ASSERT_TRUE(member_->Start().ok()) << member_->Log();
  stub_ = mv1::MemberService::NewStub(member_->Channel());
  EXPECT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return org_stub_->DeleteOrgUnit(c, del, &out); }), IsOk());
}

}  // namespace
}  // namespace lianxin::testing
