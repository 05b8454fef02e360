// The activity service's rules without a database: periods, judging a type,
// validity, the rotating code, distances, default and own rules; the dues
// brackets and months.
#include "gtest/gtest.h"
#include "services/activity/dues_rules.h"
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

TEST(Judge, MissedPeriodsCountsWhatJudgeFinds) {
  // Every cadence, with counts and days spread over the year: the count
  // alone (what ListUnitsBehind judges thousands of units by) agrees.
  for (v1::Cadence cadence :
       {v1::CADENCE_MONTHLY, v1::CADENCE_QUARTERLY, v1::CADENCE_HALF_YEARLY, v1::CADENCE_YEARLY, v1::CADENCE_NONE}) {
    for (int min_count = 1; min_count <= 3; ++min_count) {
      v1::ComplianceRule rule;
      rule.set_type(v1::ACTIVITY_TYPE_THEME_DAY);
      rule.set_cadence(cadence);
      rule.set_min_count(min_count);
      MonthCounts counts;
      for (int m = 1; m <= 12; ++m) {
        counts.valid[m] = (m * 7 + min_count) % 3;
        counts.invalid[m] = m % 2;
      }
      for (absl::CivilDay today = absl::CivilDay(2026, 1, 1); today <= absl::CivilDay(2027, 1, 2); today += 29) {
        EXPECT_EQ(MissedPeriods(rule, 2026, counts, today), Judge(rule, 2026, counts, today).missed())
            << v1::Cadence_Name(cadence) << " x" << min_count << " on " << today;
      }
    }
  }
  v1::ComplianceRule monthly;
  monthly.set_type(v1::ACTIVITY_TYPE_GROUP_MEETING);
  monthly.set_cadence(v1::CADENCE_MONTHLY);
  monthly.set_min_count(1);
  EXPECT_EQ(MissedPeriods(monthly, 2026, MonthCounts{}, absl::CivilDay(2027, 1, 1)), 12);
  EXPECT_EQ(MissedPeriods(monthly, 2026, MonthCounts{}, absl::CivilDay(2026, 1, 31)), 0);
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
    if (r.type() == v1::ACTIVITY_TYPE_THEME_DAY) {
      EXPECT_EQ(r.cadence(), v1::CADENCE_QUARTERLY);
    }
    if (r.type() == v1::ACTIVITY_TYPE_COMMITTEE_MEETING) {
      EXPECT_EQ(r.cadence(), v1::CADENCE_MONTHLY);
    }
  }
}

TEST(Dues, TheBracketsOfTheEmployedCountEachBoundBelow) {
  EXPECT_EQ(RateFor(v1::DUES_CATEGORY_EMPLOYED, 300000).rate_basis_points, 50);  // 3,000 yuan: 0.5%
  EXPECT_EQ(RateFor(v1::DUES_CATEGORY_EMPLOYED, 300000).monthly_fen, 1500);
  EXPECT_EQ(RateFor(v1::DUES_CATEGORY_EMPLOYED, 300001).rate_basis_points, 100);
  EXPECT_EQ(RateFor(v1::DUES_CATEGORY_EMPLOYED, 500000).monthly_fen, 5000);
  EXPECT_EQ(RateFor(v1::DUES_CATEGORY_EMPLOYED, 800000).monthly_fen, 12000);  // 8,000 × 1.5%
  EXPECT_EQ(RateFor(v1::DUES_CATEGORY_EMPLOYED, 1000000).rate_basis_points, 150);
  EXPECT_EQ(RateFor(v1::DUES_CATEGORY_EMPLOYED, 1200000).monthly_fen, 24000);  // 12,000 × 2%
}

TEST(Dues, TheRetiredTwoBracketsAndTheFixedAmounts) {
  EXPECT_EQ(RateFor(v1::DUES_CATEGORY_RETIRED, 500000).monthly_fen, 2500);
  EXPECT_EQ(RateFor(v1::DUES_CATEGORY_RETIRED, 500100).monthly_fen, 5001);
  for (auto c : {v1::DUES_CATEGORY_STUDENT, v1::DUES_CATEGORY_LAID_OFF, v1::DUES_CATEGORY_ON_RELIEF}) {
    EXPECT_EQ(RateFor(c, 0).monthly_fen, 20);
    EXPECT_EQ(RateFor(c, 0).rate_basis_points, 0);
    EXPECT_FALSE(NeedsBase(c));
  }
  EXPECT_TRUE(NeedsBase(v1::DUES_CATEGORY_RETIRED));
}

TEST(Dues, AmountsRoundHalfUpToTheFen) {
  EXPECT_EQ(RateFor(v1::DUES_CATEGORY_EMPLOYED, 250100).monthly_fen, 1251);  // 1250.5
  EXPECT_EQ(RateFor(v1::DUES_CATEGORY_EMPLOYED, 250099).monthly_fen, 1250);  // 1250.495
}

TEST(Dues, MonthsAreNumbersInOrder) {
  ASSERT_TRUE(ParseMonth("2026-01").has_value());
  EXPECT_EQ(*ParseMonth("2026-12") - *ParseMonth("2026-01"), 11);
  EXPECT_EQ(*ParseMonth("2027-01") - *ParseMonth("2026-12"), 1);
  EXPECT_EQ(MonthText(*ParseMonth("2026-03")), "2026-03");
  EXPECT_EQ(MonthOf(absl::CivilDay(2026, 12, 1)), *ParseMonth("2026-12"));
  for (const char* bad : {"2026-13", "2026-00", "2026-1", "26-01", "1999-12", "2026/01", "2026-1a"}) {
    EXPECT_FALSE(ParseMonth(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace lianxin::activity
