#include "services/dispatch/watch_stream.h"

#include "absl/strings/str_cat.h"
#include "common/status.h"

namespace lianxin::dispatch {

WatchStream::WatchStream(ServiceHost& host, DispatchLogic& logic, WatchHub& hub, grpc::CallbackServerContext* ctx,
                         const char* service, const v1::WatchRequestsRequest* request)
    : hub_(hub), state_(std::make_shared<WatchState>()) {
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
  state_->logic = &logic;
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
    int64_t cursor;
    {
      absl::MutexLock l(&state->mu);
      if (state->stream == nullptr || state->finished) {
        state->querying = false;
        return;
      }
      if (!sub.ok()) {
        state->querying = false;
        return state->stream->FinishLocked(sub.status());
      }
      state->subscriber = *std::move(sub);
      state->ready = true;
      cursor = state->cursor;
    }
    hub.GoLive(state, cursor);  // at once if the hub still holds what follows the cursor
  });
  if (!queued) {
    state_->querying = false;
    FinishLocked(AtCapacity());
  }
}

void WatchStream::CatchUp(const std::shared_ptr<WatchState>& state, WatchHub& hub) {
  constexpr int kPage = 100;
  Subscriber sub;
  int64_t cursor;
  {
    absl::MutexLock lock(&state->mu);
    if (state->stream == nullptr || state->finished || !state->ready || state->live || state->querying ||
        state->writing || !state->queue.empty()) {
      return;
    }
    state->querying = true;
    sub = state->subscriber;
    cursor = state->cursor;
  }
  bool queued = state->call->Submit([state, sub, cursor, &hub] {
    absl::StatusOr<WatchRead> read = state->logic->ChangesSince(sub, cursor, kPage);
    bool all = false;
    int64_t covered = 0;
    {
      absl::MutexLock lock(&state->mu);
      if (state->stream == nullptr || state->finished || !read.ok()) {
        state->querying = false;
        if (state->stream != nullptr && !read.ok()) state->stream->FinishLocked(read.status());
        return;
      }
      std::vector<v1::RequestChange> changes;
      for (WatchItem& item : read->changes) changes.push_back(std::move(item.change));
      all = changes.size() < static_cast<size_t>(kPage);
      covered = read->covered;
      DeliverLocked(*state, std::move(changes));  // at most a page: never past the bound
      if (!all) state->querying = false;          // the next tick reads on
    }
    if (all) hub.GoLive(state, covered);  // still `querying`: no second read meanwhile
  });
  if (!queued) {
    absl::MutexLock lock(&state->mu);
    state->querying = false;  // the pool is full: the next tick tries again
  }
}

bool WatchStream::DeliverLocked(WatchState& state, std::vector<v1::RequestChange> changes) {
  if (state.stream == nullptr || state.finished) return true;
  if (state.queue.size() + changes.size() > WatchHub::kMaxQueued) {
    while (state.queue.size() > (state.writing ? 1 : 0)) state.queue.pop_back();  // the front may be in flight
    state.live = false;
    return false;
  }
  for (auto& c : changes) state.queue.push_back(std::move(c));
  if (!state.writing && !state.queue.empty()) state.stream->WriteNextLocked();
  return true;
}

void WatchStream::WriteNextLocked() {
  state_->writing = true;
  StartWrite(&state_->queue.front());  // a deque's elements stay put as others are added
}

void WatchStream::OnWriteDone(bool ok) {
  absl::MutexLock lock(&state_->mu);
  state_->writing = false;
  if (!ok) return FinishLocked(absl::CancelledError("the subscriber went away"));
  state_->cursor = state_->queue.front().entry().seq();
  state_->queue.pop_front();
  if (state_->finished) return FinishLocked(finish_status_);
  if (!state_->queue.empty()) WriteNextLocked();
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
  hub_.Remove(state_.get());
  delete this;
}

}  // namespace lianxin::dispatch
