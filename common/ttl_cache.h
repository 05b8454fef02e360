// A small map whose entries expire: for facts another service owns that
// change rarely (a place's covering unit, a unit's path, a member's
// standing), asked on every call otherwise. Thread-safe; bounded (cleared
// when full).
#ifndef LIANXIN_COMMON_TTL_CACHE_H_
#define LIANXIN_COMMON_TTL_CACHE_H_

#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace lianxin {

template <typename V>
class TtlCache {
 public:
  TtlCache(absl::Duration ttl, size_t max_entries) : ttl_(ttl), max_entries_(max_entries) {}

  bool Get(const std::string& key, V* out) {
    absl::MutexLock lock(&mu_);
    auto it = entries_.find(key);
    if (it == entries_.end() || it->second.first < absl::Now()) return false;
    *out = it->second.second;
    return true;
  }

  void Erase(const std::string& key) {
    absl::MutexLock lock(&mu_);
    entries_.erase(key);
  }

  // Forgets everything (after a local change that answers depend on).
  void Clear() {
    absl::MutexLock lock(&mu_);
    entries_.clear();
  }

  void Put(const std::string& key, V value) {
    absl::MutexLock lock(&mu_);
    if (entries_.size() >= max_entries_) entries_.clear();
    entries_[key] = {absl::Now() + ttl_, std::move(value)};
  }

 private:
  const absl::Duration ttl_;
  const size_t max_entries_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::pair<absl::Time, V>> entries_ ABSL_GUARDED_BY(mu_);
};

}  // namespace lianxin

#endif  // LIANXIN_COMMON_TTL_CACHE_H_
