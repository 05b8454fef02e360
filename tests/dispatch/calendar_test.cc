// Working time on the calendar: weekends, public holidays, make-up days.
#include "services/dispatch/calendar.h"

#include "gtest/gtest.h"

namespace lianxin::dispatch {
namespace {

absl::Time At(int y, int m, int d, int h) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, h, 0, 0), BeijingTime());
}

TEST(CalendarTest, WorkingDaysSkipWeekendsAndHolidaysAndCountMakeUpDays) {
  CalendarExceptions none;
  // Friday 2026-11-20, 15:00, one working day: due at the end of Monday.
  EXPECT_EQ(DueTime(At(2026, 11, 20, 15), 0, 1, none), At(2026, 11, 24, 0));
  // Hours run on the clock, weekend or not.
  EXPECT_EQ(DueTime(At(2026, 11, 20, 15), 48, 0, none), At(2026, 11, 22, 15));
  // National Day 2026: 1–7 October off, Saturday 10 October worked.
  CalendarExceptions golden_week;
  for (int d = 1; d <= 7; ++d) golden_week[absl::StrCat("2026-10-0", d)] = 1;
  golden_week["2026-10-10"] = 2;
  // Submitted 30 September: 2 working days are 8 and 9 October.
  EXPECT_EQ(DueTime(At(2026, 9, 30, 10), 0, 2, golden_week), At(2026, 10, 10, 0));
  // 3 working days: the make-up Saturday counts.
  EXPECT_EQ(DueTime(At(2026, 9, 30, 10), 0, 3, golden_week), At(2026, 10, 11, 0));
  EXPECT_FALSE(IsWorkingDay(absl::CivilDay(2026, 10, 5), golden_week));
  EXPECT_TRUE(IsWorkingDay(absl::CivilDay(2026, 10, 10), golden_week));
  EXPECT_FALSE(IsWorkingDay(absl::CivilDay(2026, 10, 11), golden_week));
}

}  // namespace
}  // namespace lianxin::dispatch
