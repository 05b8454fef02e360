// Compliance and study hours over gRPC: each type counted on its own, per
// unit and period, against the unit's own rules or the regulation's; the
// units of a subtree that are behind; members' study hours.
#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "tests/activity/activity_test_base.h"

namespace lianxin::testing {
namespace {

class ActivityComplianceTest : public ActivityTest {
 protected:
  // A year of the branch's life (2026, seen on 1 December).
  void AYearOfTheBranch() {
    const std::vector<std::string> quorum = {members_[0], members_[1], members_[2]};
    const std::vector<std::string> one = {members_[0]};
    Held(branch_, NewActivity(av1::ACTIVITY_TYPE_MEMBER_MEETING, "2026-02-10 14:00"), quorum);
    Held(branch_, NewActivity(av1::ACTIVITY_TYPE_MEMBER_MEETING, "2026-05-12 14:00"), one);  // no quorum
    Held(branch_, NewActivity(av1::ACTIVITY_TYPE_MEMBER_MEETING, "2026-08-11 14:00"), quorum);
    for (const char* day : {"2026-03-05 14:00", "2026-06-05 14:00", "2026-09-05 14:00"}) {
      Held(branch_, NewActivity(av1::ACTIVITY_TYPE_PARTY_LECTURE, day), one);
    }
    for (const char* day : {"2026-01-15 09:00", "2026-04-15 09:00", "2026-07-15 09:00"}) {
      Held(branch_, NewActivity(av1::ACTIVITY_TYPE_THEME_DAY, day), one);
    }
    // October: a committee meeting, a group meeting and a lecture, none of
    // which is a member meeting or a party lecture.
    Held(branch_, NewActivity(av1::ACTIVITY_TYPE_COMMITTEE_MEETING, "2026-10-09 19:00"), one);
    Held(group_, NewActivity(av1::ACTIVITY_TYPE_GROUP_MEETING, "2026-10-10 19:00"), one);
    Held(branch_, NewActivity(av1::ACTIVITY_TYPE_LECTURE, "2026-10-20 19:00"), one);
  }

  av1::UnitCompliance Compliance(const std::string& unit, int year = 2026) {
    av1::GetComplianceRequest req;
    req.set_org_unit(unit);
    req.set_year(year);
    av1::UnitCompliance out;
    EXPECT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->GetCompliance(c, req, &out); }), IsOk());
    return out;
  }

  static const av1::TypeCompliance* TypeOf(const av1::UnitCompliance& u, av1::ActivityType type) {
    for (const auto& t : u.types()) {
      if (t.type() == type) return &t;
    }
    return nullptr;
  }

  av1::ComplianceRules Rules(const std::string& unit) {
    av1::GetComplianceRulesRequest req;
    req.set_name(unit + "/complianceRules");
    av1::ComplianceRules out;
    EXPECT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->GetComplianceRules(c, req, &out); }),
                IsOk());
    return out;
  }
};

TEST_F(ActivityComplianceTest, EachTypeIsCountedOnItsOwnPerPeriod) {
  Post(branch_, ov1::POSITION_ROLE_SECRETARY, members_[0]);
  AYearOfTheBranch();
  av1::UnitCompliance branch = Compliance(branch_);
  EXPECT_TRUE(branch.behind());
  ASSERT_EQ(branch.types_size(), 5);  // the regulation's five for a branch

  const auto* meetings = TypeOf(branch, av1::ACTIVITY_TYPE_MEMBER_MEETING);
  ASSERT_NE(meetings, nullptr);
  EXPECT_EQ(meetings->cadence(), av1::CADENCE_QUARTERLY);
  ASSERT_EQ(meetings->periods_size(), 4);
  EXPECT_EQ(meetings->periods(0).start_date(), "2026-01-01");
  EXPECT_EQ(meetings->periods(0).end_date(), "2026-03-31");
  EXPECT_EQ(meetings->periods(0).state(), av1::PERIOD_STATE_MET);
  EXPECT_EQ(meetings->periods(1).held(), 0);  // held without a quorum: not valid
  EXPECT_EQ(meetings->periods(1).invalid(), 1);
  EXPECT_EQ(meetings->periods(1).state(), av1::PERIOD_STATE_MISSED);
  EXPECT_EQ(meetings->periods(2).state(), av1::PERIOD_STATE_MET);
  // October's committee meeting is no member meeting; the quarter is open.
  EXPECT_EQ(meetings->periods(3).held(), 0);
  EXPECT_EQ(meetings->periods(3).state(), av1::PERIOD_STATE_OPEN);
  EXPECT_EQ(meetings->missed(), 1);

  const auto* lectures = TypeOf(branch, av1::ACTIVITY_TYPE_PARTY_LECTURE);
  ASSERT_NE(lectures, nullptr);
  EXPECT_EQ(lectures->missed(), 0);
  EXPECT_EQ(lectures->periods(3).held(), 0);  // October's lecture is no party lecture

  const auto* committee = TypeOf(branch, av1::ACTIVITY_TYPE_COMMITTEE_MEETING);
  ASSERT_NE(committee, nullptr);
  ASSERT_EQ(committee->periods_size(), 12);
  EXPECT_EQ(committee->periods(9).state(), av1::PERIOD_STATE_MET);  // October
  EXPECT_EQ(committee->periods(10).state(), av1::PERIOD_STATE_MISSED);
  EXPECT_EQ(committee->periods(11).state(), av1::PERIOD_STATE_OPEN);
  EXPECT_EQ(committee->missed(), 10);  // January to November but October

  const auto* themes = TypeOf(branch, av1::ACTIVITY_TYPE_THEME_DAY);
  ASSERT_NE(themes, nullptr);
  EXPECT_EQ(themes->missed(), 8);  // monthly: only January, April and July
  const auto* life = TypeOf(branch, av1::ACTIVITY_TYPE_ORG_LIFE_MEETING);
  ASSERT_NE(life, nullptr);
  EXPECT_EQ(life->missed(), 0);  // yearly, the year not over
  EXPECT_EQ(life->periods(0).state(), av1::PERIOD_STATE_OPEN);

  // The group is held to its monthly group meeting alone.
  av1::UnitCompliance group = Compliance(group_);
  ASSERT_EQ(group.types_size(), 1);
  EXPECT_EQ(group.types(0).type(), av1::ACTIVITY_TYPE_GROUP_MEETING);
  EXPECT_EQ(group.types(0).missed(), 10);
  EXPECT_EQ(group.types(0).periods(9).held(), 1);

  // Last year the branch held nothing.
  av1::UnitCompliance last = Compliance(branch_, 2025);
  EXPECT_EQ(TypeOf(last, av1::ACTIVITY_TYPE_MEMBER_MEETING)->missed(), 4);
  av1::GetComplianceRequest bad;
  bad.set_org_unit(branch_);
  bad.set_year(1999);
  av1::UnitCompliance out;
  grpc::Status s = Call(secretary_, [&](grpc::ClientContext* c) { return stub_->GetCompliance(c, bad, &out); });
  EXPECT_THAT(s, HasCode(grpc::INVALID_ARGUMENT));
  EXPECT_EQ(FieldOf(FromGrpcStatus(s)), "year");
}

TEST_F(ActivityComplianceTest, AUnitSetsItsOwnRulesAndTheSubtreeListsWhoIsBehind) {
  AYearOfTheBranch();
  av1::ComplianceRules rules = Rules(branch_);
  ASSERT_EQ(rules.rules_size(), 5);
  for (const auto& r : rules.rules()) EXPECT_TRUE(r.default_()) << r.type();
  EXPECT_EQ(rules.etag(), "v0");

  // No committee (fewer than seven full members); theme days quarterly.
  av1::UpdateComplianceRulesRequest up;
  up.mutable_rules()->set_name(branch_ + "/complianceRules");
  up.mutable_rules()->set_etag(rules.etag());
  auto* none = up.mutable_rules()->add_rules();
  none->set_type(av1::ACTIVITY_TYPE_COMMITTEE_MEETING);
  none->set_cadence(av1::CADENCE_NONE);
  auto* themes = up.mutable_rules()->add_rules();
  themes->set_type(av1::ACTIVITY_TYPE_THEME_DAY);
  themes->set_cadence(av1::CADENCE_QUARTERLY);
  themes->set_min_count(1);
  av1::ComplianceRules set;
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->UpdateComplianceRules(c, up, &set); }),
              IsOk());
  EXPECT_EQ(set.etag(), "v1");
  int own = 0;
  for (const auto& r : set.rules()) own += r.default_() ? 0 : 1;
  EXPECT_EQ(own, 2);
  // Sent again with the old etag: ABORTED, nothing changed.
  grpc::Status s = Call(secretary_, [&](grpc::ClientContext* c) { return stub_->UpdateComplianceRules(c, up, &set); });
  EXPECT_THAT(s, HasCode(grpc::ABORTED));
  // Bad rules name their fields.
  av1::UpdateComplianceRulesRequest bad = up;
  bad.mutable_rules()->clear_etag();
  bad.mutable_rules()->mutable_rules(1)->set_min_count(0);
  bad.mutable_rules()->mutable_rules(0)->set_type(av1::ACTIVITY_TYPE_THEME_DAY);
  s = Call(secretary_, [&](grpc::ClientContext* c) { return stub_->UpdateComplianceRules(c, bad, &set); });
  EXPECT_THAT(s, HasCode(grpc::INVALID_ARGUMENT));
  std::set<std::string> fields;
  for (const auto& v : ViolationsOf(FromGrpcStatus(s))) fields.insert(v.field);
  EXPECT_EQ(fields, (std::set<std::string>{"rules.rules[1].type", "rules.rules[1].min_count"}));
  EXPECT_EQ(Rules(branch_).etag(), "v1");

  av1::UnitCompliance branch = Compliance(branch_);
  EXPECT_EQ(TypeOf(branch, av1::ACTIVITY_TYPE_COMMITTEE_MEETING), nullptr);
  EXPECT_EQ(TypeOf(branch, av1::ACTIVITY_TYPE_THEME_DAY)->missed(), 0);
  EXPECT_TRUE(branch.behind());  // the second quarter's member meeting

  // The community's subtree: itself, two branches and the group, all behind.
  av1::ListUnitsBehindRequest req;
  req.set_parent(community_);
  req.set_year(2026);
  req.set_page_size(2);
  std::vector<std::string> units;
  int checked = 0;
  do {
    av1::ListUnitsBehindResponse out;
    ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->ListUnitsBehind(c, req, &out); }), IsOk());
    checked = out.units_checked();
    EXPECT_EQ(out.units_behind(), 4);
    for (const auto& u : out.units()) {
      units.push_back(u.org_unit());
      if (u.org_unit() == branch_) {
        ASSERT_EQ(u.types_size(), 1);  // only what it is behind in
        EXPECT_EQ(u.types(0).type(), av1::ACTIVITY_TYPE_MEMBER_MEETING);
      }
    }
    req.set_page_token(out.next_page_token());
  } while (!req.page_token().empty());
  EXPECT_EQ(checked, 4);
  EXPECT_EQ(units.size(), 4u);
  EXPECT_EQ(units[0], community_);
  // A branch secretary may not look at the community.
  req.clear_page_token();
  av1::ListUnitsBehindResponse out;
  s = Call(secretary_, [&](grpc::ClientContext* c) { return stub_->ListUnitsBehind(c, req, &out); });
  EXPECT_THAT(s, HasCode(grpc::PERMISSION_DENIED));
}

TEST_F(ActivityComplianceTest, StudyHoursCountWhatEachMemberAttendedAgainst32Or56) {
  Post(branch_, ov1::POSITION_ROLE_SECRETARY, members_[0]);
  AYearOfTheBranch();
  av1::GetStudyHoursRequest get;
  get.set_member(members_[0]);
  get.set_year(2026);
  av1::StudyHours hours;
  ASSERT_THAT(
      Call(MemberToken(members_[0]), [&](grpc::ClientContext* c) { return stub_->GetStudyHours(c, get, &hours); }),
      IsOk());
  // Twelve activities of two hours each, the invalid meeting too.
  EXPECT_DOUBLE_EQ(hours.hours(), 24);
  EXPECT_EQ(hours.activities(), 12);
  EXPECT_TRUE(hours.secretary());
  EXPECT_DOUBLE_EQ(hours.required_hours(), 56);
  get.set_member(members_[1]);
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->GetStudyHours(c, get, &hours); }), IsOk());
  EXPECT_DOUBLE_EQ(hours.hours(), 4);
  EXPECT_FALSE(hours.secretary());
  EXPECT_DOUBLE_EQ(hours.required_hours(), 32);
  // Another member's hours are not a member's to read.
  EXPECT_THAT(
      Call(MemberToken(members_[0]), [&](grpc::ClientContext* c) { return stub_->GetStudyHours(c, get, &hours); }),
      HasCode(grpc::PERMISSION_DENIED));

  av1::ListStudyHoursRequest list;
  list.set_parent(branch_);
  list.set_year(2026);
  list.set_behind_only(true);
  av1::ListStudyHoursResponse out;
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->ListStudyHours(c, list, &out); }), IsOk());
  ASSERT_EQ(out.members_size(), 5);
  std::map<std::string, double> by_member;
  for (const auto& m : out.members()) by_member[m.member()] = m.hours();
  EXPECT_DOUBLE_EQ(by_member[members_[0]], 24);
  EXPECT_DOUBLE_EQ(by_member[members_[2]], 4);
  EXPECT_DOUBLE_EQ(by_member[members_[3]], 0);
}

}  // namespace
}  // namespace lianxin::testing
