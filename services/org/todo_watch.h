// WatchTodos: a server stream per secretary's app, of its unit's (or
// subtree's) to-dos as they open and close (todo.proto).
//
// One loop per replica looks at the feed's head every interval — one query,
// however many streams are open — and only when it moved does it give each
// stream still behind a read of its own, on the worker pool (never a gRPC
// thread): its scope's rows after its cursor, a page at a time. A stream
// whose scope had nothing new moves its cursor to the head all the same, so
// an idle stream costs nothing. Writes go out one at a time; a stream reads
// again only once its queue is written, so a slow reader slows only itself.
#ifndef LIANXIN_SERVICES_ORG_TODO_WATCH_H_
#define LIANXIN_SERVICES_ORG_TODO_WATCH_H_

#include <grpcpp/grpcpp.h>

#include <deque>
#include <memory>
#include <string>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "common/server.h"
#include "services/org/org_logic.h"

namespace lianxin::org {

class TodoStream;

// What a stream shares with the loop and its reads; outlives the reactor.
struct TodoStreamState {
  absl::Mutex mu;
  TodoStream* stream ABSL_GUARDED_BY(mu) = nullptr;  // null once the reactor is done
  bool ready ABSL_GUARDED_BY(mu) = false;            // the scope is known
  bool reading ABSL_GUARDED_BY(mu) = false;
  bool writing ABSL_GUARDED_BY(mu) = false;
  bool finished ABSL_GUARDED_BY(mu) = false;
  bool finish_sent ABSL_GUARDED_BY(mu) = false;
  int64_t cursor ABSL_GUARDED_BY(mu) = 0;  // the feed was read up to here
  std::deque<v1::TodoChange> queue ABSL_GUARDED_BY(mu);
  store::TodoScope scope ABSL_GUARDED_BY(mu);
  OrgLogic* logic = nullptr;
  std::shared_ptr<ActiveCall> call;
};

class TodoWatchHub {
 public:
  // At most `per_caller` open streams per subject, `per_replica` in all.
  TodoWatchHub(OrgLogic& logic, absl::Duration interval, int per_caller, int per_replica);
  ~TodoWatchHub();

  // RESOURCE_EXHAUSTED past either limit; else the stream is polled until Remove.
  absl::Status Add(const std::shared_ptr<TodoStreamState>& state, const std::string& subject);
  void Remove(TodoStreamState* state, const std::string& subject);
  // Reads the stream's next page if it is behind `head` and idle.
  static void Read(const std::shared_ptr<TodoStreamState>& state, int64_t head);

 private:
  void Loop();

  OrgLogic& logic_;
  const absl::Duration interval_;
  const int per_caller_, per_replica_;
  absl::Mutex mu_;
  absl::flat_hash_map<TodoStreamState*, std::shared_ptr<TodoStreamState>> streams_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, int> by_subject_ ABSL_GUARDED_BY(mu_);
  absl::Notification stop_;
  std::thread thread_;
};

class TodoStream : public grpc::ServerWriteReactor<v1::TodoChange> {
 public:
  TodoStream(ServiceHost& host, OrgLogic& logic, TodoWatchHub& hub, grpc::CallbackServerContext* ctx,
             const char* service, const v1::WatchTodosRequest* request);
  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

  // Queues what a read found and starts writing.
  void DeliverLocked(std::vector<v1::TodoChange> changes) ABSL_EXCLUSIVE_LOCKS_REQUIRED(state_->mu);
  // Ends the stream once no write is outstanding.
  void FinishLocked(const absl::Status& status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(state_->mu);

 private:
  void WriteNextLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(state_->mu);

  TodoWatchHub& hub_;
  std::shared_ptr<ActiveCall> call_;
  std::shared_ptr<TodoStreamState> state_;
  std::string subject_;  // counted by the hub while added
  bool added_ = false;
  absl::Status finish_status_;  // waiting for the write in flight; guarded by state_->mu
};

}  // namespace lianxin::org

#endif  // LIANXIN_SERVICES_ORG_TODO_WATCH_H_
