#include "services/dispatch/calendar.h"

namespace lianxin::dispatch {

bool IsWorkingDay(absl::CivilDay day, const CalendarExceptions& exceptions) {
  auto it = exceptions.find(absl::FormatCivilTime(day));
  if (it != exceptions.end()) return it->second == 2;
  absl::Weekday w = absl::GetWeekday(day);
  return w != absl::Weekday::saturday && w != absl::Weekday::sunday;
}

absl::Time DueTime(absl::Time start, int limit_hours, int limit_working_days, const CalendarExceptions& exceptions) {
  if (limit_hours > 0) return start + absl::Hours(limit_hours);
  absl::CivilDay day = BeijingDay(start);
  for (int counted = 0; counted < limit_working_days;) {
    ++day;
    if (IsWorkingDay(day, exceptions)) ++counted;
  }
  return absl::FromCivil(day + 1, BeijingTime());  // the end of that day
}

}  // namespace lianxin::dispatch
