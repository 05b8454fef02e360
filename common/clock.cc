#include "common/clock.h"

#include <fstream>

namespace lianxin {

const absl::TimeZone& BeijingTime() {
  static const absl::TimeZone* tz = new absl::TimeZone(absl::FixedTimeZone(8 * 3600));
  return *tz;
}

absl::CivilDay BeijingDay(absl::Time t) { return absl::ToCivilDay(t, BeijingTime()); }

std::string BeijingDate(absl::Time t) { return absl::FormatCivilTime(BeijingDay(t)); }

std::string YearsAfter(const std::string& ymd, int years) {
  absl::CivilDay day;
  if (!absl::ParseCivilTime(ymd, &day)) return "";
  absl::CivilDay target(day.year() + years, day.month(), day.day());
  if (target.month() != day.month()) target = absl::CivilDay(day.year() + years, day.month() + 1, 1) - 1;
  return absl::FormatCivilTime(target);
}

absl::Time OffsetFileClock::Now() const {
  std::ifstream in(path_);
  int64_t seconds = 0;
  if (!(in >> seconds)) seconds = 0;
  return absl::Now() + absl::Seconds(seconds);
}

}  // namespace lianxin
