#include "services/dispatch/watch_hub.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "common/status.h"
#include "services/dispatch/watch_stream.h"

namespace lianxin::dispatch {
namespace {

constexpr int kFeedPage = 1000;
constexpr int kFeedPagesPerTick = 20;

}  // namespace

WatchHub::WatchHub(DispatchLogic& logic, absl::Duration interval, int per_caller, int per_replica)
    : logic_(logic), interval_(interval), per_caller_(per_caller), per_replica_(per_replica), thread_([this] {
        Loop();
      }) {}

WatchHub::~WatchHub() {
  stop_.Notify();
  thread_.join();
}

absl::StatusOr<std::unique_ptr<WatchHub::Slot>> WatchHub::Admit(const std::string& subject) {
  absl::MutexLock lock(&mu_);
  if (open_ >= per_replica_) {
    return WithReason(absl::ResourceExhaustedError("this replica serves as many WatchRequests streams as it may; "
                                                   "retry with backoff"),
                      "WATCH_STREAMS_PER_REPLICA");
  }
  int& mine = open_by_subject_[subject];
  if (mine >= per_caller_) {
    return WithReason(absl::ResourceExhaustedError(
                          absl::StrCat("a caller may keep at most ", per_caller_, " WatchRequests streams open")),
                      "WATCH_STREAMS_PER_CALLER");
  }
  ++mine;
  ++open_;
  return std::make_unique<Slot>(*this, subject);
}

WatchHub::Slot::~Slot() {
  absl::MutexLock lock(&hub_.mu_);
  --hub_.open_;
  auto it = hub_.open_by_subject_.find(subject_);
  if (it != hub_.open_by_subject_.end() && --it->second <= 0) hub_.open_by_subject_.erase(it);
}

void WatchHub::IndexLocked(WatchState* state, const Subscriber& s, bool add) {
  auto touch = [&](absl::flat_hash_map<std::string, absl::flat_hash_set<WatchState*>>& index, const std::string& key) {
    if (key.empty()) return;
    if (add) {
      index[key].insert(state);
      return;
    }
    auto it = index.find(key);
    if (it == index.end()) return;
    it->second.erase(state);
    if (it->second.empty()) index.erase(it);
  };
  touch(by_resident_, s.resident);
  touch(by_member_, s.member);
  for (const std::string& community : s.communities) touch(by_community_, community);
}

void WatchHub::GoLive(const std::shared_ptr<WatchState>& state, int64_t covered) {
  absl::MutexLock lock(&mu_);
  absl::MutexLock l(&state->mu);
  state->querying = false;
  if (state->stream == nullptr || state->finished) return;
  if (!started_ || covered < floor_) {  // changes after `covered` may be missing here: read its own
    catching_up_.try_emplace(state.get(), state);
    return;
  }
  std::vector<v1::RequestChange> later;
  auto first = std::upper_bound(buffer_.begin(), buffer_.end(), covered,
                                [](int64_t seq, const WatchItem& item) { return seq < item.change.entry().seq(); });
  for (auto it = first; it != buffer_.end(); ++it) {
    if (Hears(state->subscriber, *it)) later.push_back(ChangeFor(state->subscriber, *it));
  }
  if (!WatchStream::DeliverLocked(*state, std::move(later))) {
    catching_up_.try_emplace(state.get(), state);
    return;
  }
  state->live = true;
  catching_up_.erase(state.get());
  live_[state.get()] = Live{state, state->subscriber, covered};
  IndexLocked(state.get(), state->subscriber, /*add=*/true);
}

void WatchHub::Remove(WatchState* state) {
  absl::MutexLock lock(&mu_);
  catching_up_.erase(state);
  auto it = live_.find(state);
  if (it == live_.end()) return;
  IndexLocked(state, it->second.subscriber, /*add=*/false);
  live_.erase(it);
}

void WatchHub::Loop() {
  while (!stop_.WaitForNotificationWithTimeout(interval_)) {
    ReadFeed();
    PollCatchingUp();
  }
}

void WatchHub::ReadFeed() {
  bool started;
  int64_t head;
  {
    absl::MutexLock lock(&mu_);
    if (live_.empty() && catching_up_.empty()) {
      // Nobody to feed: no reads at all. The next subscriber catches up
      // first, and the feed starts again from what is settled then.
      started_ = false;
      buffer_.clear();
      return;
    }
    started = started_;
    head = head_;
  }
  if (!started) {  // from what is settled now: older changes are read by catching up
    absl::StatusOr<int64_t> settled = logic_.TimelineSettled();
    if (!settled.ok()) return;
    absl::MutexLock lock(&mu_);
    head_ = floor_ = head = *settled;
    started_ = true;
  }
  for (int page = 0; page < kFeedPagesPerTick; ++page) {
    absl::StatusOr<WatchRead> read = logic_.TimelineAfter(head, kFeedPage);
    if (!read.ok()) {
      Log(LogLevel::kWarning, "watch_feed_failed", {{"error", read.status().ToString()}});
      return;
    }
    // Who hears of what, decided under the hub's lock (so that a stream
    // going live meanwhile sees either the buffer with these or the index);
    // written outside it.
    struct Delivery {
      std::shared_ptr<WatchState> state;
      std::vector<v1::RequestChange> changes;
    };
    absl::flat_hash_map<WatchState*, Delivery> deliveries;
    {
      absl::MutexLock lock(&mu_);
      for (WatchItem& item : read->changes) {
        const int64_t seq = item.change.entry().seq();
        auto offer = [&](const absl::flat_hash_map<std::string, absl::flat_hash_set<WatchState*>>& index,
                         const std::string& key, const v1::RequestChange& change) {
          if (key.empty()) return;
          auto it = index.find(key);
          if (it == index.end()) return;
          for (WatchState* s : it->second) {
            const Live& live = live_.at(s);
            if (seq <= live.covered) continue;
            Delivery& d = deliveries[s];
            if (!d.changes.empty() && d.changes.back().entry().seq() == seq) continue;  // heard twice over
            if (d.state == nullptr) d.state = live.state;
            d.changes.push_back(change);
          }
        };
        offer(by_resident_, item.resident, item.change);
        offer(by_member_, item.member, item.change);
        if (item.offer) offer(by_community_, item.community_id, item.change);
        if (!item.joined.empty()) {
          v1::RequestChange bare = item.change;  // what "me too" residents hear (ChangeFor)
          bare.mutable_entry()->clear_detail();
          for (const std::string& resident : item.joined) {
            if (resident != item.resident) offer(by_resident_, resident, bare);
          }
        }
        buffer_.push_back(std::move(item));
      }
      while (buffer_.size() > kBufferChanges) {
        floor_ = buffer_.front().change.entry().seq();
        buffer_.pop_front();
      }
      head_ = head = read->covered;
    }
    std::vector<std::shared_ptr<WatchState>> behind;
    for (auto& [ptr, d] : deliveries) {
      absl::MutexLock l(&d.state->mu);
      if (!WatchStream::DeliverLocked(*d.state, std::move(d.changes))) behind.push_back(d.state);
    }
    if (!behind.empty()) {  // too much queued: they read their own again, from their cursors
      absl::MutexLock lock(&mu_);
      for (const auto& s : behind) {
        auto it = live_.find(s.get());
        if (it == live_.end()) continue;
        IndexLocked(s.get(), it->second.subscriber, /*add=*/false);
        live_.erase(it);
        catching_up_.try_emplace(s.get(), s);
      }
    }
    if (static_cast<int>(read->changes.size()) < kFeedPage) return;
  }
}

void WatchHub::PollCatchingUp() {
  std::vector<std::shared_ptr<WatchState>> polled;
  {
    absl::MutexLock lock(&mu_);
    for (auto it = catching_up_.begin(); it != catching_up_.end();) {
      if (auto s = it->second.lock()) {
        polled.push_back(std::move(s));
        ++it;
      } else {
        catching_up_.erase(it++);
      }
    }
  }
  for (const auto& s : polled) WatchStream::CatchUp(s, *this);
}

}  // namespace lianxin::dispatch
