#include "services/gateway/limits.h"

#include <algorithm>
#include <vector>

#include "absl/hash/hash.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status.h"
#include "google/rpc/error_details.pb.h"

namespace lianxin::gateway {
namespace {

// Buckets untouched this long are full again: forgotten, so the map does not
// grow with every caller ever seen.
constexpr absl::Duration kForgetAfter = absl::Minutes(10);
constexpr size_t kSweepAbove = 50000;

}  // namespace

absl::Status RateLimited(absl::Duration retry_after) {
  absl::Status s =
      WithReason(absl::ResourceExhaustedError(absl::StrCat("too many calls of this kind: retry after ",
                                                           absl::ToInt64Milliseconds(retry_after), " ms")),
                 "RATE_LIMITED", {{"retry_after_ms", absl::StrCat(absl::ToInt64Milliseconds(retry_after))}});
  google::rpc::RetryInfo info;
  const int64_t ms = std::max<int64_t>(1, absl::ToInt64Milliseconds(retry_after));
  info.mutable_retry_delay()->set_seconds(ms / 1000);
  info.mutable_retry_delay()->set_nanos(static_cast<int32_t>((ms % 1000) * 1000000));
  s.SetPayload("type.googleapis.com/google.rpc.RetryInfo", absl::Cord(info.SerializeAsString()));
  return s;
}

RateSettings DefaultRates() {
  RateSettings s;
  s[static_cast<int>(MethodClass::kRead)] = {50, 200};
  s[static_cast<int>(MethodClass::kWrite)] = {20, 60};
  s[static_cast<int>(MethodClass::kLookup)] = {0.2, 10};
  s[static_cast<int>(MethodClass::kSignIn)] = {0.2, 10};
  return s;
}

absl::StatusOr<RateSettings> ParseRates(absl::string_view text) {
  RateSettings s = DefaultRates();
  for (absl::string_view item : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    std::vector<absl::string_view> kv = absl::StrSplit(item, '=');
    std::vector<absl::string_view> rb = kv.size() == 2 ? absl::StrSplit(kv[1], '/') : std::vector<absl::string_view>{};
    double rate = 0, burst = 0;
    if (rb.size() != 2 || !absl::SimpleAtod(rb[0], &rate) || !absl::SimpleAtod(rb[1], &burst) || rate <= 0 ||
        burst < 1) {
      return absl::InvalidArgumentError(absl::StrCat("'", item, "' is not class=rate/burst with rate > 0, burst >= 1"));
    }
    int c = -1;
    for (int i = 0; i < 4; ++i) {
      if (kv[0] == MethodClassName(static_cast<MethodClass>(i))) c = i;
    }
    if (c < 0) return absl::InvalidArgumentError(absl::StrCat("'", kv[0], "' is not read, write, lookup or signin"));
    s[c] = {rate, burst};
  }
  return s;
}

bool RateLimits::Take(const std::string& key, MethodClass c, absl::Time now, absl::Duration* retry_after) {
  const Bucket& b = settings_[static_cast<int>(c)];
  const std::string k = absl::StrCat(MethodClassName(c), "|", key);
  Shard& shard = shards_[absl::Hash<std::string>()(k) % kShards];
  absl::MutexLock l(&shard.mu);
  if (shard.buckets.size() > kSweepAbove) {
    absl::erase_if(shard.buckets, [&](const auto& e) { return now - e.second.at > kForgetAfter; });
  }
  auto [it, fresh] = shard.buckets.try_emplace(k, State{b.burst, now});
  State& s = it->second;
  if (!fresh) {
    s.tokens = std::min(b.burst, s.tokens + absl::ToDoubleSeconds(now - s.at) * b.rate);
    s.at = now;
  }
  if (s.tokens >= 1) {
    s.tokens -= 1;
    return true;
  }
  *retry_after = absl::Seconds((1 - s.tokens) / b.rate);
  return false;
}

bool InFlight::Enter(const std::string& key) {
  if (in_flight_.fetch_add(1) >= total_) {
    in_flight_.fetch_sub(1);
    return false;
  }
  absl::MutexLock l(&mu_);
  int& n = by_caller_[key];
  if (n >= per_caller_) {
    if (n == 0) by_caller_.erase(key);
    in_flight_.fetch_sub(1);
    return false;
  }
  ++n;
  return true;
}

void InFlight::Leave(const std::string& key) {
  in_flight_.fetch_sub(1);
  absl::MutexLock l(&mu_);
  auto it = by_caller_.find(key);
  if (it == by_caller_.end()) return;
  if (--it->second <= 0) by_caller_.erase(it);
}

}  // namespace lianxin::gateway
