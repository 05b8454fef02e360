// Volunteer teams over gRPC: a community's teams by skill, members joining
// and leaving (themselves, or by the secretary), the leader, and the service
// a team records crediting each member's hours once.
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "lianxin/activity/v1/team.grpc.pb.h"
#include "lianxin/activity/v1/volunteer_service.grpc.pb.h"
#include "tests/activity/activity_test_base.h"

namespace lianxin::testing {
namespace {

class ActivityTeamTest : public ActivityTest {
 protected:
  void SetUp() override {
    ActivityTest::SetUp();
    teams_ = av1::TeamService::NewStub(activity_->Channel());
    volunteer_ = av1::VolunteerService::NewStub(activity_->Channel());
    community_secretary_ = key_->Token("community-secretary", {"secretary"}, community_);
  }

  grpc::Status NewTeam(const std::string& unit, const std::string& name, const std::vector<std::string>& skills,
                       const std::string& leader, av1::VolunteerTeam* out, const std::string& request_id = "") {
    av1::CreateVolunteerTeamRequest req;
    req.mutable_team()->set_org_unit(unit);
    req.mutable_team()->set_display_name(name);
    req.mutable_team()->set_description("每周六上午");
    for (const auto& s : skills) req.mutable_team()->add_skills(s);
    if (!leader.empty()) req.mutable_team()->set_leader(leader);
    req.set_request_id(request_id);
    return Call(community_secretary_, [&](grpc::ClientContext* c) { return teams_->CreateVolunteerTeam(c, req, out); });
  }

  grpc::Status Join(const std::string& token, const std::string& team, const std::string& member,
                    av1::TeamMember* out) {
    av1::AddTeamMemberRequest req;
    req.set_parent(team);
    req.set_member(member);
    req.add_skills("陪护");
    return Call(token, [&](grpc::ClientContext* c) { return teams_->AddTeamMember(c, req, out); });
  }

  grpc::Status Serve(const std::string& token, const std::string& team, const std::vector<std::string>& members,
                     int minutes, av1::ServiceRecord* out, const std::string& request_id,
                     const std::string& date = "2026-11-28") {
    av1::RecordServiceRequest req;
    req.mutable_record()->set_team(team);
    for (const auto& m : members) req.mutable_record()->add_members(m);
    req.mutable_record()->set_service_date(date);
    req.mutable_record()->set_minutes(minutes);
    req.mutable_record()->set_description("为独居老人打扫卫生");
    req.set_request_id(request_id);
    return Call(token, [&](grpc::ClientContext* c) { return teams_->RecordService(c, req, out); });
  }

  double Hours(const std::string& member) {
    av1::GetBalancesRequest req;
    req.set_member(member);
    av1::Balances out;
    EXPECT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return volunteer_->GetBalances(c, req, &out); }), IsOk());
    return out.hours();
  }

  std::string InDistrict() { return absl::StrCat("district_id = '", district_.substr(district_.find('/') + 1), "'"); }

  std::unique_ptr<av1::TeamService::Stub> teams_;
  std::unique_ptr<av1::VolunteerService::Stub> volunteer_;
  std::string community_secretary_;
};

TEST_F(ActivityTeamTest, ACommunityKeepsItsTeamsAndFindsThemBySkill) {
  av1::VolunteerTeam care, again, repair;
  const std::string rid = absl::StrCat("team-", *suffix_);
  ASSERT_THAT(NewTeam(community_, "银发关爱队", {"陪护", "理发"}, members_[0], &care, rid), IsOk());
  EXPECT_EQ(care.member_count(), 1);  // the leader
  EXPECT_EQ(care.leader(), members_[0]);
  ASSERT_THAT(NewTeam(community_, "银发关爱队", {"陪护", "理发"}, members_[0], &again, rid), IsOk());
  EXPECT_EQ(again.name(), care.name());
  ASSERT_THAT(NewTeam(community_, "水电维修队", {"水电"}, "", &repair), IsOk());
  EXPECT_EQ(probe_->Count("volunteer_teams", InDistrict()), 2);

  // Bad input names the field and writes nothing.
  grpc::Status s = NewTeam(community_, "", {"陪护", "陪护"}, "", &again);
  EXPECT_THAT(s, HasCode(grpc::INVALID_ARGUMENT));
  EXPECT_THAT(ViolatedFields(s), ::testing::ElementsAre("team.display_name", "team.skills[1]"));
  s = NewTeam(community_, "队", {std::string(40, 'x')}, "", &again);
  EXPECT_THAT(ViolatedFields(s), ::testing::ElementsAre("team.skills[0]"));
  // A member of another branch cannot lead its team; a branch's secretary
  // does not create the community's teams.
  s = NewTeam(other_branch_, "队", {}, members_[0], &again);
  EXPECT_THAT(s, HasCode(grpc::FAILED_PRECONDITION));
  EXPECT_EQ(ErrorReason(s), "NOT_OF_THE_UNIT");
  av1::CreateVolunteerTeamRequest create;
  create.mutable_team()->set_org_unit(community_);
  create.mutable_team()->set_display_name("队");
  EXPECT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return teams_->CreateVolunteerTeam(c, create, &again); }),
              HasCode(grpc::PERMISSION_DENIED));
  EXPECT_EQ(probe_->Count("volunteer_teams", InDistrict()), 2);

  // By skill, paged; a member of a branch below sees the community's teams.
  av1::ListVolunteerTeamsRequest list;
  list.set_parent(community_);
  list.set_skill("陪护");
  av1::ListVolunteerTeamsResponse listed;
  ASSERT_THAT(Call(MemberToken(members_[2]),
                   [&](grpc::ClientContext* c) { return teams_->ListVolunteerTeams(c, list, &listed); }),
              IsOk());
  ASSERT_EQ(listed.teams_size(), 1);
  EXPECT_EQ(listed.teams(0).name(), care.name());
  list.clear_skill();
  list.set_page_size(1);
  listed.Clear();
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return teams_->ListVolunteerTeams(c, list, &listed); }),
              IsOk());
  EXPECT_EQ(listed.teams_size(), 1);
  EXPECT_FALSE(listed.next_page_token().empty());

  // Changed with its etag only.
  av1::UpdateVolunteerTeamRequest update;
  *update.mutable_team() = repair;
  update.mutable_team()->set_display_name("水电维修服务队");
  update.mutable_team()->set_leader(members_[1]);  // not in the team
  s = Call(community_secretary_,
           [&](grpc::ClientContext* c) { return teams_->UpdateVolunteerTeam(c, update, &again); });
  EXPECT_EQ(ErrorReason(s), "NOT_IN_TEAM");
  update.mutable_team()->clear_leader();
  ASSERT_THAT(Call(community_secretary_,
                   [&](grpc::ClientContext* c) { return teams_->UpdateVolunteerTeam(c, update, &again); }),
              IsOk());
  EXPECT_EQ(again.display_name(), "水电维修服务队");
  s = Call(community_secretary_,
           [&](grpc::ClientContext* c) { return teams_->UpdateVolunteerTeam(c, update, &again); });
  EXPECT_THAT(s, HasCode(grpc::ABORTED));
}

TEST_F(ActivityTeamTest, MembersJoinAndLeaveAndTheLeaderRecordsServiceThatCreditsHoursOnce) {
  av1::VolunteerTeam team;
  ASSERT_THAT(NewTeam(community_, "银发关爱队", {"陪护"}, members_[0], &team), IsOk());
  av1::TeamMember joined;
  // A member joins by themself; the secretary adds another; not twice.
  ASSERT_THAT(Join(MemberToken(members_[1]), team.name(), members_[1], &joined), IsOk());
  EXPECT_EQ(joined.name(), team.name() + "/members/" + members_[1].substr(members_[1].find('/') + 1));
  ASSERT_THAT(Join(community_secretary_, team.name(), members_[2], &joined), IsOk());
  grpc::Status s = Join(community_secretary_, team.name(), members_[2], &joined);
  EXPECT_THAT(s, HasCode(grpc::ALREADY_EXISTS));
  // Two secretaries add the same member at once: one joins, the count is right.
  std::vector<grpc::Status> results(2);
  std::vector<std::thread> clerks;
  for (int i = 0; i < 2; ++i) {
    clerks.emplace_back([&, i] {
      av1::TeamMember out;
      results[i] = Join(community_secretary_, team.name(), members_[4], &out);
    });
  }
  for (auto& t : clerks) t.join();
  EXPECT_EQ(results[0].ok() + results[1].ok(), 1) << results[0].error_message() << results[1].error_message();
  // A member does not add someone else.
  EXPECT_THAT(Join(MemberToken(members_[1]), team.name(), members_[3], &joined), HasCode(grpc::PERMISSION_DENIED));
  av1::GetVolunteerTeamRequest get;
  get.set_name(team.name());
  ASSERT_THAT(
      Call(MemberToken(members_[1]), [&](grpc::ClientContext* c) { return teams_->GetVolunteerTeam(c, get, &team); }),
      IsOk());
  EXPECT_EQ(team.member_count(), 4);

  // The leader records a morning's service for two of them, once.
  av1::ServiceRecord rec, again;
  const std::string rid = absl::StrCat("serve-", *suffix_);
  ASSERT_THAT(Serve(MemberToken(members_[0]), team.name(), {members_[0], members_[1]}, 150, &rec, rid), IsOk());
  EXPECT_EQ(rec.minutes(), 150);
  ASSERT_THAT(Serve(MemberToken(members_[0]), team.name(), {members_[0], members_[1]}, 150, &again, rid), IsOk());
  EXPECT_EQ(again.name(), rec.name());
  EXPECT_DOUBLE_EQ(Hours(members_[1]), 2.5);
  EXPECT_DOUBLE_EQ(Hours(members_[0]), 2.5);
  // Someone not in the team, a day ahead, a member who is not the leader:
  // refused, nothing written.
  s = Serve(community_secretary_, team.name(), {members_[1], members_[3]}, 60, &again, rid + "b");
  EXPECT_THAT(s, HasCode(grpc::FAILED_PRECONDITION));
  EXPECT_THAT(ViolatedFields(s), ::testing::ElementsAre("record.members[1]"));
  s = Serve(community_secretary_, team.name(), {members_[1]}, 60, &again, rid + "c", "2026-12-02");
  EXPECT_THAT(ViolatedFields(s), ::testing::ElementsAre("record.service_date"));
  s = Serve(MemberToken(members_[1]), team.name(), {members_[1]}, 60, &again, rid + "d");
  EXPECT_THAT(s, HasCode(grpc::PERMISSION_DENIED));
  EXPECT_EQ(probe_->Count("service_records", InDistrict()), 1);
  EXPECT_EQ(probe_->Count("ledger_entries", InDistrict() + " AND source LIKE 'serviceRecords/%'"), 2);
  EXPECT_DOUBLE_EQ(Hours(members_[1]), 2.5);

  // A member's own service; the team's.
  av1::ListServiceRecordsRequest list;
  list.set_parent(members_[1]);
  av1::ListServiceRecordsResponse listed;
  ASSERT_THAT(Call(MemberToken(members_[1]),
                   [&](grpc::ClientContext* c) { return teams_->ListServiceRecords(c, list, &listed); }),
              IsOk());
  ASSERT_EQ(listed.records_size(), 1);
  EXPECT_EQ(listed.records(0).members_size(), 2);
  list.set_parent(members_[0]);
  EXPECT_THAT(Call(MemberToken(members_[1]),
                   [&](grpc::ClientContext* c) { return teams_->ListServiceRecords(c, list, &listed); }),
              HasCode(grpc::PERMISSION_DENIED));
  list.set_parent(team.name());
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return teams_->ListServiceRecords(c, list, &listed); }),
              HasCode(grpc::PERMISSION_DENIED));  // the community's team, above the branch
  ASSERT_THAT(
      Call(community_secretary_, [&](grpc::ClientContext* c) { return teams_->ListServiceRecords(c, list, &listed); }),
      IsOk());
  EXPECT_EQ(listed.records_size(), 1);

  // The leader stays until another leads; others leave.
  av1::RemoveTeamMemberRequest leave;
  leave.set_name(team.name() + "/members/" + members_[0].substr(members_[0].find('/') + 1));
  av1::RemoveTeamMemberResponse left;
  s = Call(MemberToken(members_[0]), [&](grpc::ClientContext* c) { return teams_->RemoveTeamMember(c, leave, &left); });
  EXPECT_EQ(ErrorReason(s), "IS_LEADER");
  leave.set_name(joined.name());
  ASSERT_THAT(
      Call(community_secretary_, [&](grpc::ClientContext* c) { return teams_->RemoveTeamMember(c, leave, &left); }),
      IsOk());
  EXPECT_THAT(
      Call(community_secretary_, [&](grpc::ClientContext* c) { return teams_->RemoveTeamMember(c, leave, &left); }),
      HasCode(grpc::NOT_FOUND));
  av1::ListTeamMembersRequest members;
  members.set_parent(team.name());
  av1::ListTeamMembersResponse roster;
  ASSERT_THAT(Call(MemberToken(members_[1]),
                   [&](grpc::ClientContext* c) { return teams_->ListTeamMembers(c, members, &roster); }),
              IsOk());
  EXPECT_EQ(roster.members_size(), 3);
}

}  // namespace
}  // namespace lianxin::testing
