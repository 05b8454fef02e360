// Time as a dependency, so tests can move it (Envoy's habit).
#ifndef LIANXIN_COMMON_CLOCK_H_
#define LIANXIN_COMMON_CLOCK_H_

#include <string>

#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace lianxin {

// The platform's calendar runs on Beijing time (UTC+8, no daylight saving):
// days of terms, transfers and lost contact, working days, deadlines.
const absl::TimeZone& BeijingTime();
// The day `t` falls on in Beijing.
absl::CivilDay BeijingDay(absl::Time t);
// The same as YYYY-MM-DD.
std::string BeijingDate(absl::Time t);
// YYYY-MM-DD `years` after the date `ymd` (29 February → 28 February); ""
// when `ymd` is no date. Terms and probation are counted so.
std::string YearsAfter(const std::string& ymd, int years);

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

class SystemClock : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
  static const Clock& Get() {
    static const SystemClock* clock = new SystemClock();
    return *clock;
  }
};

class ManualClock : public Clock {
 public:
  explicit ManualClock(absl::Time t) : now_(t) {}
  absl::Time Now() const override {
    absl::MutexLock l(&mu_);
    return now_;
  }
  void Advance(absl::Duration d) {
    absl::MutexLock l(&mu_);
    now_ += d;
  }

 private:
  mutable absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
};

// The system clock moved by a number of seconds read from a file at every
// Now() (0 while the file is missing or unreadable). Services take it with
// --clock_offset_file so that tests of deadlines can move a real process's
// time forward; production leaves the flag unset.
class OffsetFileClock : public Clock {
 public:
  explicit OffsetFileClock(std::string path) : path_(std::move(path)) {}
  absl::Time Now() const override;

 private:
  std::string path_;
};

}  // namespace lianxin

#endif  // LIANXIN_COMMON_CLOCK_H_
