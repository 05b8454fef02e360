// Working time on a district's calendar: Monday to Friday, except public
// holidays, plus make-up working days (调休). Beijing time.
#ifndef LIANXIN_SERVICES_DISPATCH_CALENDAR_H_
#define LIANXIN_SERVICES_DISPATCH_CALENDAR_H_

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/clock.h"

namespace lianxin::dispatch {

// The days that break the rule: "YYYY-MM-DD" → 1 holiday, 2 make-up working day.
using CalendarExceptions = absl::flat_hash_map<std::string, int>;

bool IsWorkingDay(absl::CivilDay day, const CalendarExceptions& exceptions);

// When something started at `start` is due: `limit_hours` on the clock, or
// the end (24:00) of the `limit_working_days`-th working day after the day it
// started (that day itself does not count).
absl::Time DueTime(absl::Time start, int limit_hours, int limit_working_days, const CalendarExceptions& exceptions);

}  // namespace lianxin::dispatch

#endif  // LIANXIN_SERVICES_DISPATCH_CALENDAR_H_
