// Limits at the front door, all in memory per replica:
//   - token buckets per caller and method class (RateLimits), set in
//     settings as "class=rate/burst,...", e.g. read=50/100 (50 calls a
//     second, bursts of 100);
//   - a cap on calls in flight per caller and overall (InFlight), shedding
//     the excess at once rather than queueing it.
#ifndef LIANXIN_SERVICES_GATEWAY_LIMITS_H_
#define LIANXIN_SERVICES_GATEWAY_LIMITS_H_

#include <array>
#include <atomic>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/gateway/routes.h"

namespace lianxin::gateway {

struct Bucket {
  double rate = 0;   // tokens a second
  double burst = 0;  // bucket size
};
using RateSettings = std::array<Bucket, 4>;  // by MethodClass

// The defaults: generous for reads and writes, strict for look-ups of people
// and for signing in.
RateSettings DefaultRates();
// "read=50/100,lookup=1/5": the classes named change, the rest keep their
// defaults. INVALID_ARGUMENT naming what is wrong.
absl::StatusOr<RateSettings> ParseRates(absl::string_view text);

class RateLimits {
 public:
  explicit RateLimits(RateSettings settings) : settings_(settings) {}
  // Takes a token of `key`'s bucket for `c`: false when there is none, with
  // how long until there is one.
  bool Take(const std::string& key, MethodClass c, absl::Time now, absl::Duration* retry_after);

 private:
  struct State {
    double tokens;
    absl::Time at;
  };
  static constexpr int kShards = 16;
  struct Shard {
    absl::Mutex mu;
    absl::flat_hash_map<std::string, State> buckets ABSL_GUARDED_BY(mu);
  };
  const RateSettings settings_;
  std::array<Shard, kShards> shards_;
};

// RESOURCE_EXHAUSTED, reason RATE_LIMITED, with a RetryInfo detail (HTTP:
// 429 and Retry-After).
absl::Status RateLimited(absl::Duration retry_after);

class InFlight {
 public:
  InFlight(int per_caller, int total) : per_caller_(per_caller), total_(total) {}
  // False when the caller or the gateway is at its cap (nothing taken).
  bool Enter(const std::string& key);
  void Leave(const std::string& key);
  int total() const { return in_flight_.load(); }

 private:
  const int per_caller_, total_;
  std::atomic<int> in_flight_{0};
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, int> by_caller_ ABSL_GUARDED_BY(mu_);
};

}  // namespace lianxin::gateway

#endif  // LIANXIN_SERVICES_GATEWAY_LIMITS_H_
