#include "services/org/todo_watch.h"

#include <limits>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "common/status.h"

namespace lianxin::org {
namespace {

constexpr int kPage = 100;
constexpr int64_t kUnknownHead = std::numeric_limits<int64_t>::max();

}  // namespace

TodoWatchHub::TodoWatchHub(OrgLogic& logic, absl::Duration interval, int per_caller, int per_replica)
    : logic_(logic), interval_(interval), per_caller_(per_caller), per_replica_(per_replica) {
  thread_ = std::thread([this] { Loop(); });
}

TodoWatchHub::~TodoWatchHub() {
  stop_.Notify();
  thread_.join();
}

absl::Status TodoWatchHub::Add(const std::shared_ptr<TodoStreamState>& state, const std::string& subject) {
  absl::MutexLock lock(&mu_);
  if (static_cast<int>(streams_.size()) >= per_replica_) {
    return absl::ResourceExhaustedError("too many to-do streams on this replica: try another or later");
  }
  int& mine = by_subject_[subject];
  if (mine >= per_caller_) {
    if (mine == 0) by_subject_.erase(subject);
    return absl::ResourceExhaustedError(absl::StrCat("at most ", per_caller_, " to-do streams per caller"));
  }
  ++mine;
  streams_.emplace(state.get(), state);
  return absl::OkStatus();
}

void TodoWatchHub::Remove(TodoStreamState* state, const std::string& subject) {
  absl::MutexLock lock(&mu_);
  if (streams_.erase(state) == 0) return;
  if (--by_subject_[subject] <= 0) by_subject_.erase(subject);
}

void TodoWatchHub::Loop() {
  while (!stop_.WaitForNotificationWithTimeout(interval_)) {
    absl::StatusOr<int64_t> head = logic_.TodoFeedHead();
    if (!head.ok()) {
      Log(LogLevel::kWarning, "todo_watch_head_failed", {{"error", head.status().ToString()}});
      continue;
    }
    std::vector<std::shared_ptr<TodoStreamState>> streams;
    {
      absl::MutexLock lock(&mu_);
      for (auto& [ptr, state] : streams_) streams.push_back(state);
    }
    for (auto& state : streams) Read(state, *head);  // only those behind it read
  }
}

void TodoWatchHub::Read(const std::shared_ptr<TodoStreamState>& state, int64_t head) {
  store::TodoScope scope;
  int64_t cursor;
  {
    absl::MutexLock lock(&state->mu);
    if (state->stream == nullptr || state->finished || !state->ready || state->reading || state->writing ||
        !state->queue.empty() || state->cursor >= head) {
      return;
    }
    state->reading = true;
    scope = state->scope;
    cursor = state->cursor;
  }
  bool queued = state->call->Submit([state, scope, cursor] {
    absl::StatusOr<OrgLogic::TodoRead> read = state->logic->TodoChangesFor(scope, cursor, kPage);
    absl::MutexLock lock(&state->mu);
    state->reading = false;
    if (state->stream == nullptr || state->finished) return;
    if (!read.ok()) return state->stream->FinishLocked(read.status());
    state->cursor = read->covered;
    state->stream->DeliverLocked(std::move(read->changes));
  });
  if (!queued) {
    absl::MutexLock lock(&state->mu);
    state->reading = false;  // the pool is full: the next tick tries again
  }
}

TodoStream::TodoStream(ServiceHost& host, OrgLogic& logic, TodoWatchHub& hub, grpc::CallbackServerContext* ctx,
                       const char* service, const v1::WatchTodosRequest* request)
    : hub_(hub), state_(std::make_shared<TodoStreamState>()) {
  absl::MutexLock lock(&state_->mu);
  state_->stream = this;
  auto begun = host.BeginCall(ctx, service, "WatchTodos", "server_stream");
  if (!begun.ok()) {
    state_->finished = state_->finish_sent = true;
    Finish(host.ToGrpc(begun.status()));
    return;
  }
  call_ = *std::move(begun);
  state_->logic = &logic;
  state_->call = call_;
  subject_ = call_->context().principal.subject;
  if (absl::Status added = hub.Add(state_, subject_); !added.ok()) {
    FinishLocked(added);
    return;
  }
  added_ = true;
  state_->reading = true;
  std::shared_ptr<TodoStreamState> state = state_;
  v1::WatchTodosRequest req = *request;
  bool queued = call_->Submit([state, req] {
    absl::StatusOr<store::TodoScope> scope = state->logic->WatchScope(state->call->context(), req);
    {
      absl::MutexLock l(&state->mu);
      state->reading = false;
      if (state->stream == nullptr || state->finished) return;
      if (!scope.ok()) return state->stream->FinishLocked(scope.status());
      state->scope = *std::move(scope);
      state->cursor = req.after_seq();
      state->ready = true;
    }
    TodoWatchHub::Read(state, kUnknownHead);  // what followed the cursor, at once
  });
  if (!queued) {
    state_->reading = false;
    FinishLocked(AtCapacity());
  }
}

void TodoStream::DeliverLocked(std::vector<v1::TodoChange> changes) {
  for (auto& c : changes) state_->queue.push_back(std::move(c));
  if (!state_->writing && !state_->queue.empty()) WriteNextLocked();
}

void TodoStream::WriteNextLocked() {
  state_->writing = true;
  StartWrite(&state_->queue.front());  // a deque's elements stay put as others are added
}

void TodoStream::OnWriteDone(bool ok) {
  bool drained = false;
  {
    absl::MutexLock lock(&state_->mu);
    state_->writing = false;
    if (!ok) return FinishLocked(absl::CancelledError("the subscriber went away"));
    state_->queue.pop_front();
    if (state_->finished) return FinishLocked(finish_status_);
    if (!state_->queue.empty()) return WriteNextLocked();
    drained = true;
  }
  if (drained) TodoWatchHub::Read(state_, kUnknownHead);  // a full page may have more behind it
}

void TodoStream::OnCancel() {
  absl::MutexLock lock(&state_->mu);
  FinishLocked(absl::CancelledError("the subscriber went away"));
}

void TodoStream::FinishLocked(const absl::Status& status) {
  if (state_->finish_sent) return;
  state_->finished = true;
  if (state_->writing) {  // a write is in flight: OnWriteDone finishes
    finish_status_ = status;
    return;
  }
  state_->finish_sent = true;
  Finish(call_ != nullptr ? call_->End(status) : grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));
}

void TodoStream::OnDone() {
  {
    absl::MutexLock lock(&state_->mu);
    state_->stream = nullptr;
  }
  if (added_) hub_.Remove(state_.get(), subject_);
  delete this;
}

}  // namespace lianxin::org
