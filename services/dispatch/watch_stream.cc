#include "services/dispatch/watch_stream.h"

#include "absl/strings/str_cat.h"
#include "common/status.h"

namespace lianxin::dispatch {

WatchHub::WatchHub(absl::Duration interval, int per_caller, int per_replica)
    : interval_(interval), per_caller_(per_caller), per_replica_(per_replica), thread_([this] { Loop(); }) {}

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

WatchHub::~WatchHub() {
  stop_.Notify();
  thread_.join();
}

void WatchHub::Add(std::weak_ptr<WatchState> state) {
  absl::MutexLock lock(&mu_);
  states_.push_back(std::move(state));
}

void WatchHub::Loop() {
  while (!stop_.WaitForNotificationWithTimeout(interval_)) {
    std::vector<std::shared_ptr<WatchState>> live;
    {
      absl::MutexLock lock(&mu_);
      std::vector<std::weak_ptr<WatchState>> kept;
      for (auto& w : states_) {
        if (auto s = w.lock()) {
          live.push_back(s);
          kept.push_back(std::move(w));
        }
      }
      states_ = std::move(kept);
    }
    for (const auto& s : live) WatchStream::Poll(s);
  }
}

WatchStream::WatchStream(ServiceHost& host, DispatchLogic& logic, WatchHub& hub, grpc::CallbackServerContext* ctx,
                         const char* service, const v1::WatchRequestsRequest* request)
    : logic_(logic), state_(std::make_shared<WatchState>()) {
  absl::MutexLock lock(&state_->mu);
  state_->stream = this;
  auto begun = host.BeginCall(ctx, service, "WatchRequests", "server_stream");
  if (!begun.ok()) {
    state_->finished = state_->finish_sent = true;
    Finish(host.ToGrpc(begun.status()));
    return;
  }
  call_ = *std::move(begun);
  auto slot = hub.Admit(call_->context().principal.subject);
  if (!slot.ok()) {
    state_->finished = state_->finish_sent = true;
    Finish(call_->End(slot.status()));
    return;
  }
  slot_ = *std::move(slot);
  state_->logic = &logic_;
  state_->call = call_;
  if (request->after_seq() < 0) {
    FinishLocked(FieldError("after_seq", "must not be negative"));
    return;
  }
  state_->cursor = request->after_seq();
  state_->querying = true;
  std::shared_ptr<WatchState> state = state_;
  bool queued = call_->Submit([state, &hub] {
    absl::StatusOr<Subscriber> sub = state->logic->Subscribe(state->call->context());
    absl::MutexLock l(&state->mu);
    state->querying = false;
    if (state->stream == nullptr || state->finished) return;
    if (!sub.ok()) return state->stream->FinishLocked(sub.status());
    state->subscriber = *std::move(sub);
    state->ready = true;
    hub.Add(state);
  });
  if (!queued) {
    state_->querying = false;
    FinishLocked(AtCapacity());
  }
}

void WatchStream::Poll(const std::shared_ptr<WatchState>& state) {
  Subscriber sub;
  int64_t cursor;
  {
    absl::MutexLock lock(&state->mu);
    if (state->stream == nullptr || state->finished || !state->ready || state->querying || state->writing) return;
    state->querying = true;
    sub = state->subscriber;
    cursor = state->cursor;
  }
  // The reactor is touched only under the lock, while it is alive.
  bool queued = state->call->Submit([state, sub, cursor] {
    absl::StatusOr<std::vector<v1::RequestChange>> changes = state->logic->ChangesSince(sub, cursor, 100);
    absl::MutexLock lock(&state->mu);
    state->querying = false;
    if (state->stream == nullptr || state->finished) return;
    if (!changes.ok()) return state->stream->FinishLocked(changes.status());
    if (changes->empty()) return;
    state->stream->pending_ = *std::move(changes);
    state->stream->next_ = 0;
    state->stream->WriteNextLocked();
  });
  if (!queued) {
    absl::MutexLock lock(&state->mu);
    state->querying = false;  // the pool is full: the next tick tries again
  }
}

void WatchStream::WriteNextLocked() {
  state_->writing = true;
  StartWrite(&pending_[next_]);
}

void WatchStream::OnWriteDone(bool ok) {
  absl::MutexLock lock(&state_->mu);
  state_->writing = false;
  if (!ok) return FinishLocked(absl::CancelledError("the subscriber went away"));
  state_->cursor = pending_[next_].entry().seq();
  if (state_->finished) return FinishLocked(finish_status_);
  if (++next_ < pending_.size()) return WriteNextLocked();
  pending_.clear();  // the hub's next tick reads on from the cursor
}

void WatchStream::OnCancel() {
  absl::MutexLock lock(&state_->mu);
  FinishLocked(absl::CancelledError("the subscriber went away"));
}

void WatchStream::FinishLocked(const absl::Status& status) {
  if (state_->finish_sent) return;
  state_->finished = true;
  if (state_->writing) {  // a write is in flight: OnWriteDone finishes
    finish_status_ = status;
    return;
  }
  state_->finish_sent = true;
  Finish(call_ != nullptr ? call_->End(status) : grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));
}

void WatchStream::OnDone() {
  {
    absl::MutexLock lock(&state_->mu);
    state_->stream = nullptr;
  }
  delete this;
}

}  // namespace lianxin::dispatch
