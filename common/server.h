// The bootstrap every service process shares: database pool and migrations,
// the gRPC server (callback API) with TLS, keepalive, max connection age,
// health and reflection, metrics on their own port, and graceful shutdown.
//
//   int main(int argc, char** argv) {
//     BlockTerminationSignals();  // first, before any thread starts
//     ServerConfig config = LoadServerConfig(argc, argv, {"org", 7101, 9101});
//     ServiceHost host(config);
//     if (!host.Init(OrgMigrations()).ok()) return 1;
//     host.AddBackgroundTask("sweep", absl::Seconds(1), [&] { return logic.Sweep(); });  // if it has one
//     OrgLogic logic(host.db(), host.page_tokens());
//     OrgGrpc service(host, logic);
//     host.AddService(&service, "lianxin.org.v1.OrgService");
//     return host.Run();  // serves until SIGTERM/SIGINT
//   }
//
// Inside a service's adapter, every RPC goes through Unary(): it takes the
// request id from metadata (or makes one up), checks the caller's token on the
// gRPC thread (cheap), then runs the handler on the bounded worker pool; a
// full queue is RESOURCE_EXHAUSTED at once. Metrics and one log line per call
// come from here, never from handlers. UnaryAsync() is the same for handlers
// that pass their write on to a Batcher (common/batcher.h) and answer from its
// thread when the batch has committed; UnaryInline() for such handlers that
// do nothing else but check the request (no worker hand-off at all), or that
// find what they need kept in memory mostly: where they would wait, they
// return WouldBlock() (MayBlock() in call_context.h) and run again on a worker.
#ifndef LIANXIN_COMMON_SERVER_H_
#define LIANXIN_COMMON_SERVER_H_

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/auth.h"
#include "common/call_context.h"
#include "common/config.h"
#include "common/db.h"
#include "common/metrics.h"
#include "common/migrations.h"
#include "common/page_token.h"
#include "common/worker_pool.h"

namespace prometheus {
class Exposer;
class Registry;
}  // namespace prometheus

namespace lianxin {

// Receive limits per class of method: a unary request, and one message of a
// stream (a chunk of rows being imported).
inline constexpr size_t kMaxUnaryRequestBytes = 256 * 1024;
inline constexpr size_t kMaxStreamMessageBytes = 4 * 1024 * 1024;
// Streams one connection may have open at once.
inline constexpr int kMaxConcurrentStreamsPerConnection = 100;

using UnaryHandler = std::function<absl::Status(const CallContext&)>;
// A handler that hands the end of its work on (to a Batcher), which answers
// through `done`; the request and response stay valid until then. It returns
// an error to answer at once, or OK once `done` is handed on.
using AsyncUnaryHandler = std::function<absl::Status(const CallContext&, UnaryDone done)>;

class ServiceHost;

// A call being served: what streaming reactors hold (Unary() uses it too).
// Created by ServiceHost::BeginCall once the caller is authenticated.
class ActiveCall {
 public:
  ActiveCall(ServiceHost& host, const RpcMetrics::Method& metrics, std::shared_ptr<CallContext> call,
             const char* method);
  const CallContext& context() const { return *call_; }
  // Runs blocking work on the worker pool; false when its queue is full.
  bool Submit(std::function<void()> task);
  // Records the outcome once (metrics, one log line); returns what to send.
  grpc::Status End(const absl::Status& status);

 private:
  ServiceHost& host_;
  const RpcMetrics::Method& metrics_;
  std::shared_ptr<CallContext> call_;
  const char* method_;
  absl::Time start_;
};

// Blocks SIGTERM, SIGINT and SIGHUP in the calling thread and every thread it
// starts later, so that ServiceHost::Run() can wait for them with sigwait.
void BlockTerminationSignals();

class ServiceHost {
 public:
  explicit ServiceHost(ServerConfig config);
  ~ServiceHost();

  // Connects to the database (creating the schema if missing) and applies
  // migrations when --migrate is on: the shared tables (CommonMigrations())
  // first, then the service's own. A failure is logged (init_failed).
  absl::Status Init(const std::vector<Migration>& migrations);

  // Another pool on the service's database (e.g. for writes in batches),
  // owned by the host, its metrics labelled options.pool_name. After Init.
  absl::StatusOr<DbPool*> OpenPool(DbOptions options);

  // Runs `task` every `interval` on a thread of its own (never a gRPC thread)
  // from Start() until Shutdown(), which waits for a run in progress. A
  // failed run is logged (background_task_failed) and the next one comes.
  void AddBackgroundTask(std::string name, absl::Duration interval, std::function<absl::Status()> task);

  // A last step of Shutdown(), once no call is served and the workers have
  // stopped (e.g. draining a batcher whose callbacks use the logic); the steps
  // run in reverse order of registration.
  void OnShutdown(std::function<void()> step);

  // A step of Start(), once this host's listener is bound (its port known)
  // and before the ready file is written: another listener of the process
  // (the gateway's public port). A failure fails Start().
  void OnStarted(std::function<absl::Status()> step);
  // A field of the ready file beside the ports ("public_grpc_port"), read
  // when the file is written.
  void AddReadyField(std::string name, std::function<int()> value);
  // A first step of Shutdown(), before this host stops taking calls (the
  // gateway's public port, whose calls this host serves).
  void BeforeShutdown(std::function<void()> step);

  // `full_name` is the proto service name, used for health.
  void AddService(grpc::Service* service, std::string full_name);

  // Starts serving; returns once the listeners are bound.
  absl::Status Start();
  // Start(), then wait for a termination signal, then Shutdown(). Returns the
  // process exit code.
  int Run();
  // Marks health NOT_SERVING, stops accepting calls, gives calls in flight the
  // grace period, then stops the workers and the metrics listener.
  void Shutdown();

  // The glue for one unary call; see the file comment.
  grpc::ServerUnaryReactor* Unary(grpc::CallbackServerContext* ctx, const std::string& service, const char* method,
                                  UnaryHandler handler);
  // The same, for a handler that answers through `done` (called exactly once).
  grpc::ServerUnaryReactor* UnaryAsync(grpc::CallbackServerContext* ctx, const std::string& service, const char* method,
                                       AsyncUnaryHandler handler);
  // The same, the handler run on the gRPC thread itself, no worker hand-off:
  // only for handlers that never block (they check the request and hand it
  // to a Batcher, whose bounded queue is their back-pressure) — or that
  // return WouldBlock() where they would, to run again on a worker.
  grpc::ServerUnaryReactor* UnaryInline(grpc::CallbackServerContext* ctx, const std::string& service,
                                        const char* method, AsyncUnaryHandler handler);
  // For streaming reactors: counts the call, takes the request id and checks
  // the token. On failure the call is already recorded: finish it with
  // ToGrpc(status).
  absl::StatusOr<std::shared_ptr<ActiveCall>> BeginCall(grpc::CallbackServerContext* ctx, const std::string& service,
                                                        const char* method, const char* type);
  grpc::Status ToGrpc(const absl::Status& status) const;

  DbPool& db() { return *db_; }
  const PageTokens& page_tokens() const { return *page_tokens_; }
  const TokenVerifier& verifier() const { return *verifier_; }
  const ServerConfig& config() const { return config_; }
  prometheus::Registry& registry() { return *registry_; }
  int grpc_port() const { return grpc_port_; }
  int metrics_port() const { return metrics_port_; }

 private:
  friend class ActiveCall;
  // Unary, UnaryAsync and UnaryInline: begin the call, then run the handler
  // on the worker pool or right here.
  grpc::ServerUnaryReactor* Serve(grpc::CallbackServerContext* ctx, const std::string& service, const char* method,
                                  bool on_worker, AsyncUnaryHandler handler);
  void HealthLoop();
  void SetServing(bool serving);
  void WriteReadyFile();

  ServerConfig config_;
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<RpcMetrics> rpc_metrics_;
  std::unique_ptr<DbPool> db_;
  std::vector<std::unique_ptr<DbPool>> pools_;
  struct BackgroundTask {
    std::string name;
    absl::Duration interval;
    std::function<absl::Status()> run;
  };
  std::vector<BackgroundTask> tasks_;
  std::vector<std::thread> task_threads_;
  std::vector<std::function<void()>> shutdown_steps_;
  std::vector<std::function<absl::Status()>> started_steps_;
  std::vector<std::function<void()>> first_shutdown_steps_;
  std::vector<std::pair<std::string, std::function<int()>>> ready_fields_;
  std::unique_ptr<TokenVerifier> verifier_;
  std::unique_ptr<PageTokens> page_tokens_;
  std::unique_ptr<WorkerPool> workers_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  std::unique_ptr<grpc::Server> server_;
  std::vector<std::pair<grpc::Service*, std::string>> services_;
  std::atomic<bool> shutting_down_{false};
  absl::Notification stop_threads_;  // the health loop and background tasks
  std::thread health_thread_;
  int grpc_port_ = 0;
  int metrics_port_ = 0;
};

}  // namespace lianxin

#endif  // LIANXIN_COMMON_SERVER_H_
