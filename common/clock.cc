#include "common/clock.h"

#include <fstream>

namespace lianxin {

const absl::TimeZone& BeijingTime() {
  static const absl::TimeZone* tz = new absl::TimeZone(absl::FixedTimeZone(8 * 3600));
  return *tz;
}

absl::CivilDay BeijingDay(absl::Time t) { return absl::ToCivilDay(t, BeijingTime()); }

std::string BeijingDate(absl::Time t) { return absl::FormatCivilTime(BeijingDay(t)); }

absl::Time OffsetFileClock::Now() const {
  std::ifstream in(path_);
  int64_t seconds = 0;
  if (!(in >> seconds)) seconds = 0;
  return absl::Now() + absl::Seconds(seconds);
}

}  // namespace lianxin
