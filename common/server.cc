#include "common/server.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/stubs/logging.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <prometheus/counter.h>
#include <prometheus/exposer.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/access.h"
#include "common/ids.h"
#include "common/log.h"
#include "common/status.h"
#include "common/tls.h"

namespace lianxin {
namespace {

std::string Metadata(const grpc::CallbackServerContext* ctx, const char* key) {
  const auto& md = ctx->client_metadata();
  auto it = md.find(key);
  return it == md.end() ? std::string() : std::string(it->second.data(), it->second.size());
}

// Page tokens are signed with a key derived from (not equal to) the token key.
std::string DeriveKey(const std::string& key, absl::string_view purpose) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(purpose.data()),
       purpose.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

}  // namespace

void BlockTerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

ServiceHost::ServiceHost(ServerConfig config)
    : config_(std::move(config)), registry_(std::make_shared<prometheus::Registry>()) {
  InitLogging(config_.service, config_.log_level);
#ifdef NDEBUG
  // Debian's Abseil is built with lock-order (deadlock) detection on: every
  // Mutex acquisition then updates a global graph. Debug builds keep it.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
#endif
  // protobuf's own complaints (e.g. invalid UTF-8 in a request) join our logs.
  google::protobuf::SetLogHandler(
      [](google::protobuf::LogLevel level, const char* file, int line, const std::string& message) {
        Log(level >= google::protobuf::LOGLEVEL_ERROR ? LogLevel::kWarning : LogLevel::kDebug, "protobuf",
            {{"at", absl::StrCat(file, ":", line)}, {"message", message}});
      });
  rpc_metrics_ = std::make_unique<RpcMetrics>(*registry_);
  verifier_ = std::make_unique<TokenVerifier>(config_.trusted_keys, config_.jwt_audience, config_.peers);
  // Page tokens are sealed with a key derived from this service's own private
  // key: its replicas share it, and nobody else holds it.
  page_tokens_ = std::make_unique<PageTokens>(DeriveKey(config_.signing_key.pem, "lianxin page tokens"));
  workers_ = std::make_unique<WorkerPool>(config_.workers, config_.queue_limit, &rpc_metrics_->queue_depth());
}

ServiceHost::~ServiceHost() { Shutdown(); }

absl::Status ServiceHost::Init(const std::vector<Migration>& migrations) {
  auto failed = [](const absl::Status& s) {
    Log(LogLevel::kError, "init_failed", {{"error", std::string(s.message())}});
    return s;
  };
  // Without migrations the service may be a user with rights on its tables
  // only: it does not try to create the schema either.
  DbOptions options = config_.db;
  if (!config_.migrate) options.create_database = false;
  auto pool = DbPool::Create(options, registry_.get());
  if (!pool.ok()) return failed(pool.status());
  db_ = std::move(pool).value();
  if (config_.migrate) {
    auto applied = ApplyMigrations(*db_, {CommonMigrations(), migrations});
    if (!applied.ok()) return failed(applied.status());
    Log(LogLevel::kInfo, "schema_ready",
        {{"database", config_.db.database},
         {"version", absl::StrCat(applied->schema_version)},
         {"applied_now", absl::StrCat(applied->applied_now)}});
  }
  return absl::OkStatus();
}

absl::StatusOr<DbPool*> ServiceHost::OpenPool(DbOptions options) {
  options.create_database = false;
  auto pool = DbPool::Create(options, registry_.get());
  if (!pool.ok()) {
    Log(LogLevel::kError, "init_failed",
        {{"pool", options.pool_name}, {"error", std::string(pool.status().message())}});
    return pool.status();
  }
  pools_.push_back(std::move(pool).value());
  return pools_.back().get();
}

void ServiceHost::AddBackgroundTask(std::string name, absl::Duration interval, std::function<absl::Status()> task) {
  tasks_.push_back({std::move(name), interval, std::move(task)});
}

void ServiceHost::OnShutdown(std::function<void()> step) { shutdown_steps_.push_back(std::move(step)); }

void ServiceHost::AddService(grpc::Service* service, std::string full_name) {
  // Every method shows in /metrics from the start, with zero counts.
  if (const auto* desc = google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(full_name)) {
    for (int i = 0; i < desc->method_count(); ++i) {
      const auto* method = desc->method(i);
      const char* type = method->client_streaming() ? (method->server_streaming() ? "bidi_stream" : "client_stream")
                                                    : (method->server_streaming() ? "server_stream" : "unary");
      rpc_metrics_->For(absl::StrCat("/", full_name, "/", method->name()), type);
    }
  }
  services_.emplace_back(service, std::move(full_name));
}

absl::Status ServiceHost::Start() {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  auto creds = ServerCredentials(config_.tls);
  if (!creds.ok()) return creds.status();

  grpc::ServerBuilder builder;
  builder.AddListeningPort(config_.listen, *creds, &grpc_port_);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 60000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 20000);
  // Spread clients over replicas: connections are recycled after 30 min.
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS, 30 * 60 * 1000);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS, 30 * 1000);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS, 10 * 60 * 1000);
  // A client that pings more often than every 20 s without data is sent
  // GOAWAY after two strikes (keepalive enforcement).
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, 2);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, kMaxConcurrentStreamsPerConnection);
  builder.SetMaxReceiveMessageSize(static_cast<int>(kMaxStreamMessageBytes));
  for (auto& [service, name] : services_) builder.RegisterService(service);
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || grpc_port_ == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", config_.listen));
  }
  auto exposer = StartExposer(config_.metrics_listen, registry_, &metrics_port_);
  if (!exposer.ok()) return exposer.status();
  exposer_ = std::move(exposer).value();

  SetServing(db_ == nullptr || db_->Ping().ok());
  health_thread_ = std::thread([this] { HealthLoop(); });
  for (const BackgroundTask& task : tasks_) {
    task_threads_.emplace_back([this, &task] {
      while (!stop_threads_.WaitForNotificationWithTimeout(task.interval)) {
        absl::Status s = task.run();
        if (!s.ok()) {
          Log(LogLevel::kWarning, "background_task_failed", {{"task", task.name}, {"error", std::string(s.message())}});
        }
      }
    });
  }
  for (auto& step : started_steps_) RETURN_IF_ERROR(step());
  WriteReadyFile();
  Log(LogLevel::kInfo, "serving",
      {{"grpc", absl::StrCat(config_.listen.substr(0, config_.listen.rfind(':')), ":", grpc_port_)},
       {"metrics",
        absl::StrCat(config_.metrics_listen.substr(0, config_.metrics_listen.rfind(':')), ":", metrics_port_)},
       {"tls", config_.tls.enabled() ? "on" : "off"},
       {"workers", absl::StrCat(config_.workers)}});
  return absl::OkStatus();
}

void ServiceHost::WriteReadyFile() {
  if (config_.ready_file.empty()) return;
  std::string tmp = config_.ready_file + ".tmp";
  {
    std::ofstream out(tmp);
    std::string extra;
    for (const auto& [name, value] : ready_fields_) absl::StrAppend(&extra, ", \"", name, "\": ", value());
    out << absl::StrFormat("{\"grpc_port\": %d, \"metrics_port\": %d, \"pid\": %d%s}\n", grpc_port_, metrics_port_,
                           getpid(), extra);
  }
  std::rename(tmp.c_str(), config_.ready_file.c_str());
}

void ServiceHost::SetServing(bool serving) {
  if (server_ == nullptr || shutting_down_) return;
  auto* health = server_->GetHealthCheckService();
  if (health == nullptr) return;
  // Liveness, "": SERVING while the process lives (a probe restarting every
  // pod when the database is away would not bring it back). Readiness, each
  // service's own name: follows the database.
  health->SetServingStatus("", true);
  for (auto& [service, name] : services_) health->SetServingStatus(name, serving);
}

void ServiceHost::HealthLoop() {
  bool last = true;
  while (!stop_threads_.WaitForNotificationWithTimeout(config_.health_interval)) {
    bool ok = db_ == nullptr || db_->Ping().ok();
    if (ok != last) {
      Log(ok ? LogLevel::kInfo : LogLevel::kWarning, "readiness_changed", {{"serving", ok ? "true" : "false"}});
    }
    last = ok;
    SetServing(ok);
  }
}

int ServiceHost::Run() {
  absl::Status s = Start();
  if (!s.ok()) {
    Log(LogLevel::kError, "start_failed", {{"error", std::string(s.message())}});
    Shutdown();  // now, while what its steps use is still there
    return 1;
  }
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  int sig = 0;
  sigwait(&set, &sig);
  Log(LogLevel::kInfo, "shutting_down", {{"signal", absl::StrCat(sig)}});
  Shutdown();
  return 0;
}

void ServiceHost::OnStarted(std::function<absl::Status()> step) { started_steps_.push_back(std::move(step)); }

void ServiceHost::AddReadyField(std::string name, std::function<int()> value) {
  ready_fields_.emplace_back(std::move(name), std::move(value));
}

void ServiceHost::BeforeShutdown(std::function<void()> step) { first_shutdown_steps_.push_back(std::move(step)); }

void ServiceHost::Shutdown() {
  if (shutting_down_.exchange(true)) return;
  for (auto& step : first_shutdown_steps_) step();
  first_shutdown_steps_.clear();
  if (server_ != nullptr) {
    if (auto* health = server_->GetHealthCheckService()) health->Shutdown();  // NOT_SERVING
  }
  if (!stop_threads_.HasBeenNotified()) stop_threads_.Notify();
  if (health_thread_.joinable()) health_thread_.join();
  for (std::thread& t : task_threads_) t.join();
  task_threads_.clear();
  if (server_ != nullptr) server_->Shutdown(absl::ToChronoTime(absl::Now() + config_.shutdown_grace));
  workers_->Shutdown();
  if (server_ != nullptr) server_->Wait();
  for (auto it = shutdown_steps_.rbegin(); it != shutdown_steps_.rend(); ++it) (*it)();
  shutdown_steps_.clear();
  exposer_.reset();
  Log(LogLevel::kInfo, "stopped");
}

ActiveCall::ActiveCall(ServiceHost& host, const RpcMetrics::Method& metrics, std::shared_ptr<CallContext> call,
                       const char* method)
    : host_(host), metrics_(metrics), call_(std::move(call)), method_(method), start_(absl::Now()) {}

bool ActiveCall::Submit(std::function<void()> task) { return host_.workers_->TrySubmit(std::move(task)); }

grpc::Status ActiveCall::End(const absl::Status& s) {
  double elapsed = absl::ToDoubleSeconds(absl::Now() - start_);
  metrics_.Handled(static_cast<int>(s.code()), elapsed);
  host_.rpc_metrics_->in_flight().Decrement();
  LogLevel level = s.ok() ? LogLevel::kDebug
                   : (s.code() == absl::StatusCode::kInternal || s.code() == absl::StatusCode::kUnknown ||
                      s.code() == absl::StatusCode::kDataLoss)
                       ? LogLevel::kError
                       : LogLevel::kInfo;
  Log(level, "rpc",
      {{"method", method_},
       {"request_id", call_->request_id},
       {"subject", call_->principal.subject},
       {"code", GrpcCodeLabel(static_cast<int>(s.code()))},
       {"ms", absl::StrFormat("%.3f", elapsed * 1000)},
       {"error", s.ok() ? "" : std::string(s.message())}});
  return host_.ToGrpc(s);
}

grpc::Status ServiceHost::ToGrpc(const absl::Status& status) const {
  return ToGrpcStatus(status, absl::StrCat(config_.service, ".lianxin"));
}

absl::StatusOr<std::shared_ptr<ActiveCall>> ServiceHost::BeginCall(grpc::CallbackServerContext* ctx,
                                                                   const std::string& service, const char* method,
                                                                   const char* type) {
  const auto& m = rpc_metrics_->For(absl::StrCat("/", service, "/", method), type);
  m.started->Increment();
  rpc_metrics_->in_flight().Increment();
  auto call_ctx = std::make_shared<CallContext>();
  call_ctx->request_id = Metadata(ctx, "x-request-id");
  if (!ValidRequestId(call_ctx->request_id)) call_ctx->request_id = NewRequestId();
  call_ctx->deadline = absl::FromChrono(ctx->deadline());
  ctx->AddInitialMetadata("x-request-id", call_ctx->request_id);
  auto call = std::make_shared<ActiveCall>(*this, m, call_ctx, method);

  std::string bearer = Metadata(ctx, "authorization");
  absl::string_view token(bearer);
  if (!bearer.empty() && !absl::ConsumePrefix(&token, "Bearer ")) token = "";
  auto principal = verifier_->Verify(token);
  if (!principal.ok()) {
    call->End(principal.status());
    return principal.status();
  }
  call_ctx->principal = *std::move(principal);
  // Deny by default: the method's row in the access table must grant one of
  // the caller's roles (or, for a service token, name its service).
  auto access = AccessTable::Builtin().Check(call_ctx->principal, absl::StrCat(service, "/", method));
  if (!access.ok()) {
    call->End(access.status());
    return access.status();
  }
  call_ctx->access = *access;
  return call;
}

grpc::ServerUnaryReactor* ServiceHost::Unary(grpc::CallbackServerContext* ctx, const std::string& service,
                                             const char* method, UnaryHandler handler) {
  return Serve(ctx, service, method, /*on_worker=*/true,
               [handler = std::move(handler)](const CallContext& c, UnaryDone done) {
                 done(handler(c));
                 return absl::OkStatus();
               });
}

grpc::ServerUnaryReactor* ServiceHost::UnaryAsync(grpc::CallbackServerContext* ctx, const std::string& service,
                                                  const char* method, AsyncUnaryHandler handler) {
  return Serve(ctx, service, method, /*on_worker=*/true, std::move(handler));
}

grpc::ServerUnaryReactor* ServiceHost::UnaryInline(grpc::CallbackServerContext* ctx, const std::string& service,
                                                   const char* method, AsyncUnaryHandler handler) {
  return Serve(ctx, service, method, /*on_worker=*/false, std::move(handler));
}

grpc::ServerUnaryReactor* ServiceHost::Serve(grpc::CallbackServerContext* ctx, const std::string& service,
                                             const char* method, bool on_worker, AsyncUnaryHandler handler) {
  auto* reactor = ctx->DefaultReactor();
  auto begun = BeginCall(ctx, service, method, "unary");
  if (!begun.ok()) {
    reactor->Finish(ToGrpc(begun.status()));
    return reactor;
  }
  std::shared_ptr<ActiveCall> call = *std::move(begun);
  UnaryDone done = [call, reactor](const absl::Status& s) { reactor->Finish(call->End(s)); };
  // The handler's error, if it returns one, is the answer.
  auto attempt = [ctx, call, done, handler = std::move(handler)]() -> absl::Status {
    if (ctx->IsCancelled()) return absl::CancelledError("the caller cancelled the call");
    if (absl::Now() >= call->context().deadline) {
      return absl::DeadlineExceededError("the deadline passed while the call waited");
    }
    return handler(call->context(), done);
  };
  if (!on_worker) {
    absl::Status s;
    {
      NoBlockingScope here;
      s = attempt();
    }
    if (s.ok() || !IsWouldBlock(s)) {
      if (!s.ok()) done(s);
      return reactor;
    }
    // It would wait: again, on a worker.
  }
  if (!call->Submit([attempt = std::move(attempt), done] {
        absl::Status s = attempt();
        if (!s.ok()) done(s);
      })) {
    done(AtCapacity());
  }
  return reactor;
}

}  // namespace lianxin
