// The gRPC side of WatchRequests: a server stream per subscriber, written
// from its queue of changes in seq order. The changes come from the replica's
// one poll (watch_hub.h) or, while the stream catches up, from reads of its
// own on the worker pool (never on a gRPC thread). A subscriber that
// reconnects passes the seq of the last change it got and misses nothing.
#ifndef LIANXIN_SERVICES_DISPATCH_WATCH_STREAM_H_
#define LIANXIN_SERVICES_DISPATCH_WATCH_STREAM_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <vector>

#include "common/server.h"
#include "lianxin/dispatch/v1/dispatch_service.pb.h"
#include "services/dispatch/dispatch_logic.h"
#include "services/dispatch/watch_hub.h"

namespace lianxin::dispatch {

class WatchStream : public grpc::ServerWriteReactor<v1::RequestChange> {
 public:
  WatchStream(ServiceHost& host, DispatchLogic& logic, WatchHub& hub, grpc::CallbackServerContext* ctx,
              const char* service, const v1::WatchRequestsRequest* request);
  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

  // Reads the stream's next page of changes if nothing is in flight; when it
  // has read all there is, asks the hub to feed it (called by the hub).
  static void CatchUp(const std::shared_ptr<WatchState>& state, WatchHub& hub);
  // Queues changes and starts writing them; false, with the queue dropped
  // and the stream no longer live, if that would pass WatchHub::kMaxQueued.
  static bool DeliverLocked(WatchState& state, std::vector<v1::RequestChange> changes)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(state.mu);

 private:
  // Ends the stream once no write is outstanding. Requires state_->mu.
  void FinishLocked(const absl::Status& status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(state_->mu);
  void WriteNextLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(state_->mu);

  WatchHub& hub_;
  std::shared_ptr<ActiveCall> call_;
  std::shared_ptr<WatchState> state_;
  std::unique_ptr<WatchHub::Slot> slot_;  // given back when the stream is done
  absl::Status finish_status_;            // waiting for the write in flight; guarded by state_->mu
};

}  // namespace lianxin::dispatch

#endif  // LIANXIN_SERVICES_DISPATCH_WATCH_STREAM_H_
