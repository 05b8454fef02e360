// WatchRequests streams on one replica, and the one poll that feeds them.
//
// Every interval the hub reads what the timeline gained since its last read
// — one query, however many subscribers there are, and when nothing is new
// just the settled-seq check (common/settled_seq.h) — keeps the latest
// changes in a buffer, and hands each change to the streams that hear of it,
// found through indexes by resident, member and community: an idle
// subscriber costs nothing per interval.
//
// A stream starts, or falls back when it lags too far behind, by catching
// up: reading its own changes from its cursor, a page per interval (one
// query each). Once a read finds nothing more and what it covered is still in
// the buffer, the stream goes live: the buffer's later changes for it are
// queued, and the hub's reads feed it from then on, nothing missed and
// nothing twice.
#ifndef LIANXIN_SERVICES_DISPATCH_WATCH_HUB_H_
#define LIANXIN_SERVICES_DISPATCH_WATCH_HUB_H_

#include <deque>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "common/server.h"
#include "services/dispatch/dispatch_logic.h"

namespace lianxin::dispatch {

class WatchStream;

// What a stream shares with the hub and its worker tasks; outlives the
// reactor (the hub and tasks hold it), which it points to while alive.
struct WatchState {
  absl::Mutex mu;
  WatchStream* stream ABSL_GUARDED_BY(mu) = nullptr;  // null once the reactor is done
  bool ready ABSL_GUARDED_BY(mu) = false;             // subscriber known
  bool querying ABSL_GUARDED_BY(mu) = false;          // a catch-up read (or going live) in progress
  bool live ABSL_GUARDED_BY(mu) = false;              // fed by the hub's reads
  bool writing ABSL_GUARDED_BY(mu) = false;           // the queue's front is being written
  bool finished ABSL_GUARDED_BY(mu) = false;          // no more writes start
  bool finish_sent ABSL_GUARDED_BY(mu) = false;       // Finish() called
  int64_t cursor ABSL_GUARDED_BY(mu) = 0;             // seq of the last change written
  std::deque<v1::RequestChange> queue ABSL_GUARDED_BY(mu);
  Subscriber subscriber ABSL_GUARDED_BY(mu);
  // Usable without the reactor (which may be gone by the time a task runs).
  DispatchLogic* logic = nullptr;
  std::shared_ptr<ActiveCall> call;
};

class WatchHub {
 public:
  // At most `per_caller` open streams per subject, `per_replica` in all.
  WatchHub(DispatchLogic& logic, absl::Duration interval, int per_caller, int per_replica);
  ~WatchHub();

  // A stream whose subscriber is known, with nothing in flight: live at
  // once if `covered` is still in the buffer, else catching up.
  void GoLive(const std::shared_ptr<WatchState>& state, int64_t covered);
  // A stream that is done.
  void Remove(WatchState* state);

  // A place among the open streams, given back when destroyed.
  class Slot {
   public:
    Slot(WatchHub& hub, std::string subject) : hub_(hub), subject_(std::move(subject)) {}
    ~Slot();
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

   private:
    WatchHub& hub_;
    std::string subject_;
  };
  // RESOURCE_EXHAUSTED past either limit.
  absl::StatusOr<std::unique_ptr<Slot>> Admit(const std::string& subject);

  // How many changes a stream may have queued before it falls back to
  // catching up, and how many the buffer keeps.
  static constexpr size_t kMaxQueued = 1000;
  static constexpr size_t kBufferChanges = 10000;

 private:
  struct Live {
    std::shared_ptr<WatchState> state;
    Subscriber subscriber;
    int64_t covered;  // changes up to this were delivered before it went live
  };
  void Loop();
  // The one poll: reads what is new, buffers it, feeds the live streams.
  void ReadFeed();
  void PollCatchingUp();
  void IndexLocked(WatchState* state, const Subscriber& s, bool add) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  DispatchLogic& logic_;
  absl::Duration interval_;
  const int per_caller_, per_replica_;
  absl::Mutex mu_;
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  int64_t head_ ABSL_GUARDED_BY(mu_) = 0;   // read up to here
  int64_t floor_ ABSL_GUARDED_BY(mu_) = 0;  // the buffer holds every change in (floor_, head_]
  std::deque<WatchItem> buffer_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<WatchState*, Live> live_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, absl::flat_hash_set<WatchState*>> by_resident_ ABSL_GUARDED_BY(mu_),
      by_member_ ABSL_GUARDED_BY(mu_), by_community_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<WatchState*, std::weak_ptr<WatchState>> catching_up_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, int> open_by_subject_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace lianxin::dispatch

#endif  // LIANXIN_SERVICES_DISPATCH_WATCH_HUB_H_
