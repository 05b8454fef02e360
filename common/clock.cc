#include "common/clock.h"

#include <fstream>

namespace lianxin {

absl::Time OffsetFileClock::Now() const {
  std::ifstream in(path_);
  int64_t seconds = 0;
  if (!(in >> seconds)) seconds = 0;
  return absl::Now() + absl::Seconds(seconds);
}

}  // namespace lianxin
