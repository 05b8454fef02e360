// The activity service's rules without a database: periods, judging a type,
// validity, the rotating code, distances, default and own rules.
#include "gtest/gtest.h"
#include "services/activity/rules.h"

namespace lianxin::activity {
namespace {

TEST(Periods, QuartersMonthsHalvesAndTheYear) {
  auto q = PeriodsOf(v1::CADENCE_QUARTERLY, 2026);
  ASSERT_EQ(q.size(), 4u);
  EXPECT_EQ(q[1].first, absl::CivilDay(2026, 4, 1));
  EXPECT_EQ(q[1].last, absl::CivilDay(2026, 6, 30));
  EXPECT_EQ(PeriodsOf(v1::CADENCE_MONTHLY, 2028)[1].last, absl::CivilDay(2028, 2, 29));
  EXPECT_EQ(PeriodsOf(v1::CADENCE_HALF_YEARLY, 2026)[1].first, absl::CivilDay(2026, 7, 1));
  EXPECT_EQ(PeriodsOf(v1::CADENCE_YEARLY, 2026)[0].last, absl::CivilDay(2026, 12, 31));
  EXPECT_TRUE(PeriodsOf(v1::CADENCE_NONE, 2026).empty());
}

TEST(Judge, APeriodIsMetMissedOrOpen) {
  v1::ComplianceRule rule;
  rule.set_type(v1::ACTIVITY_TYPE_MEMBER_MEETING);
  rule.set_cadence(v1::CADENCE_QUARTERLY);
  rule.set_min_count(2);
  MonthCounts counts;
  counts.valid[1] = 1;
  counts.valid[3] = 1;    // Q1: two
  counts.valid[5] = 1;    // Q2: one
  counts.invalid[6] = 3;  // ... and three without a quorum
  v1::TypeCompliance tc = Judge(rule, 2026, counts, absl::CivilDay(2026, 8, 1));
  ASSERT_EQ(tc.periods_size(), 4);
  EXPECT_EQ(tc.periods(0).state(), v1::PERIOD_STATE_MET);
  EXPECT_EQ(tc.periods(1).state(), v1::PERIOD_STATE_MISSED);
  EXPECT_EQ(tc.periods(1).held(), 1);
  EXPECT_EQ(tc.periods(1).invalid(), 3);
  EXPECT_EQ(tc.periods(2).state(), v1::PERIOD_STATE_OPEN);  // in progress
  EXPECT_EQ(tc.periods(3).state(), v1::PERIOD_STATE_OPEN);
  EXPECT_EQ(tc.missed(), 1);
  // The last day of a period is still in it.
  EXPECT_EQ(Judge(rule, 2026, counts, absl::CivilDay(2026, 6, 30)).periods(1).state(), v1::PERIOD_STATE_OPEN);
}

TEST(Validity, MoreThanHalfOfTheVotersForMeetingsAnyoneForTheRest) {
  EXPECT_FALSE(IsValid(v1::ACTIVITY_TYPE_MEMBER_MEETING, 4, 2, 5));
  EXPECT_TRUE(IsValid(v1::ACTIVITY_TYPE_MEMBER_MEETING, 4, 3, 3));
  EXPECT_TRUE(IsValid(v1::ACTIVITY_TYPE_COMMITTEE_MEETING, 5, 3, 3));
  EXPECT_FALSE(IsValid(v1::ACTIVITY_TYPE_COMMITTEE_MEETING, 0, 0, 2));
  EXPECT_TRUE(IsValid(v1::ACTIVITY_TYPE_THEME_DAY, 0, 0, 1));
  EXPECT_FALSE(IsValid(v1::ACTIVITY_TYPE_PARTY_LECTURE, 0, 0, 0));
  EXPECT_FALSE(CountsForStudy(v1::ACTIVITY_TYPE_VOLUNTEER_SERVICE));
  EXPECT_TRUE(CountsForStudy(v1::ACTIVITY_TYPE_HOME_STUDY));
}

TEST(CheckInCode, GoodInItsWindowAndTheNextOnly) {
  const std::string secret = NewCheckInSecret();
  ASSERT_EQ(secret.size(), 64u);
  const absl::Time t = absl::FromUnixSeconds(1796090400);
  const std::string code = CheckInCodeAt(secret, CodeWindow(t));
  ASSERT_EQ(code.size(), 6u);
  EXPECT_TRUE(CheckInCodeValid(secret, code, t));
  EXPECT_TRUE(CheckInCodeValid(secret, code, t + absl::Seconds(kCodeWindowSeconds)));
  EXPECT_FALSE(CheckInCodeValid(secret, code, t + absl::Seconds(2 * kCodeWindowSeconds)));
  EXPECT_NE(CheckInCodeAt(NewCheckInSecret(), CodeWindow(t)), "");
  EXPECT_FALSE(CheckInCodeValid(secret, "12345", t));
}

TEST(Distance, AboutAHundredKilometresADegreeOfLatitude) {
  EXPECT_NEAR(DistanceMeters(30, 120, 31, 120), 111195, 100);
  EXPECT_NEAR(DistanceMeters(30.2741, 120.1551, 30.2750, 120.1551), 100, 2);
  EXPECT_EQ(DistanceMeters(30, 120, 30, 120), 0);
}

TEST(Rules, BranchesKeepFiveGroupsOneAndAUnitsOwnReplaceTheDefault) {
  EXPECT_EQ(DefaultRules(org::v1::ORG_UNIT_TYPE_BRANCH).size(), 5u);
  EXPECT_EQ(DefaultRules(org::v1::ORG_UNIT_TYPE_BUILDING_PARTY_GROUP).size(), 1u);
  EXPECT_TRUE(DefaultRules(org::v1::ORG_UNIT_TYPE_STREET_WORKING_COMMITTEE).empty());
  v1::ComplianceRule own;
  own.set_type(v1::ACTIVITY_TYPE_THEME_DAY);
  own.set_cadence(v1::CADENCE_QUARTERLY);
  own.set_min_count(1);
  auto rules = EffectiveRules(org::v1::ORG_UNIT_TYPE_BRANCH, {own});
  ASSERT_EQ(rules.size(), 5u);
  for (const auto& r : rules) {
    EXPECT_EQ(r.default_(), r.type() != v1::ACTIVITY_TYPE_THEME_DAY);
    if (r.type() == v1::ACTIVITY_TYPE_THEME_DAY) EXPECT_EQ(r.cadence(), v1::CADENCE_QUARTERLY);
    if (r.type() == v1::ACTIVITY_TYPE_COMMITTEE_MEETING) EXPECT_EQ(r.cadence(), v1::CADENCE_MONTHLY);
  }
}

}  // namespace
}  // namespace lianxin::activity
