// The gRPC side of WatchRequests: a server stream per subscriber. The
// subscriber's changes are read from the timeline on the worker pool (never
// on a gRPC thread) from a cursor; one WatchHub thread wakes every stream
// that has nothing in flight at a fixed interval, so a change reaches its
// subscribers within about that interval. A subscriber that reconnects
// passes the seq of the last change it got and misses nothing.
#ifndef LIANXIN_SERVICES_DISPATCH_WATCH_STREAM_H_
#define LIANXIN_SERVICES_DISPATCH_WATCH_STREAM_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "common/server.h"
#include "lianxin/dispatch/v1/dispatch_service.pb.h"
#include "services/dispatch/dispatch_logic.h"

namespace lianxin::dispatch {

class WatchStream;

// What a stream shares with the hub and its worker tasks; outlives the
// reactor (the hub and tasks hold it), which it points to while alive.
struct WatchState {
  absl::Mutex mu;
  WatchStream* stream ABSL_GUARDED_BY(mu) = nullptr;  // null once the reactor is done
  bool ready ABSL_GUARDED_BY(mu) = false;             // subscriber known
  bool querying ABSL_GUARDED_BY(mu) = false;
  bool writing ABSL_GUARDED_BY(mu) = false;
  bool finished ABSL_GUARDED_BY(mu) = false;     // no more writes start
  bool finish_sent ABSL_GUARDED_BY(mu) = false;  // Finish() called
  int64_t cursor ABSL_GUARDED_BY(mu) = 0;
  Subscriber subscriber ABSL_GUARDED_BY(mu);
  // Usable without the reactor (which may be gone by the time a task runs).
  DispatchLogic* logic = nullptr;
  std::shared_ptr<ActiveCall> call;
};

class WatchHub {
 public:
  // At most `per_caller` open streams per subject, `per_replica` in all.
  WatchHub(absl::Duration interval, int per_caller, int per_replica);
  ~WatchHub();
  void Add(std::weak_ptr<WatchState> state);

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

 private:
  void Loop();
  absl::Duration interval_;
  const int per_caller_, per_replica_;
  absl::Mutex mu_;
  std::vector<std::weak_ptr<WatchState>> states_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, int> open_by_subject_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Notification stop_;
  std::thread thread_;
};

class WatchStream : public grpc::ServerWriteReactor<v1::RequestChange> {
 public:
  WatchStream(ServiceHost& host, DispatchLogic& logic, WatchHub& hub, grpc::CallbackServerContext* ctx,
              const char* service, const v1::WatchRequestsRequest* request);
  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

  // Reads the next changes if nothing is in flight (called by the hub).
  static void Poll(const std::shared_ptr<WatchState>& state);

 private:
  // Ends the stream once no write is outstanding. Requires state_->mu.
  void FinishLocked(const absl::Status& status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(state_->mu);
  void WriteNextLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(state_->mu);

  DispatchLogic& logic_;
  std::shared_ptr<ActiveCall> call_;
  std::shared_ptr<WatchState> state_;
  std::unique_ptr<WatchHub::Slot> slot_;    // given back when the stream is done
  std::vector<v1::RequestChange> pending_;  // written in order; guarded by state_->mu
  size_t next_ = 0;
  absl::Status finish_status_;  // waiting for the write in flight; guarded by state_->mu
};

}  // namespace lianxin::dispatch

#endif  // LIANXIN_SERVICES_DISPATCH_WATCH_STREAM_H_
