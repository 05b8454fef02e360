// lianxin-gateway: the one front door of the platform. Two listeners: the
// gateway's own API (accounts, sessions, audit) on --listen, served by the
// ServiceHost like every service's, and the public port (--public_listen)
// that forwards every exposed method of every service, this one's included.
#include <memory>

#include "common/log.h"
#include "common/server.h"
#include "common/tls.h"
#include "services/gateway/audit_log.h"
#include "services/gateway/callers.h"
#include "services/gateway/front_door.h"
#include "services/gateway/gateway_flags.h"
#include "services/gateway/gateway_grpc.h"
#include "services/gateway/gateway_logic.h"
#include "services/gateway/http_server.h"
#include "services/gateway/limits.h"
#include "services/gateway/routes.h"

int main(int argc, char** argv) {
  using namespace lianxin;           // NOLINT: a process's main
  using namespace lianxin::gateway;  // NOLINT
  BlockTerminationSignals();
  GatewayFlags flags;
  ServerConfig config = LoadServerConfig(argc, argv, {"gateway", 7104, 9104, {}}, flags.Reader());
  ServiceHost host(config);
  if (!host.Init(GatewayMigrations()).ok()) return 1;
  if (config.migrate_only) return 0;

  GatewayLogic logic(host.db(), host.page_tokens(), *flags.cipher, config.signing_key, config.trusted_keys,
                     flags.upstreams["org"], flags.upstreams["member"], flags.settings);
  SessionGrpc sessions(host, logic);
  AccountGrpc accounts(host, logic);
  AuditGrpc audit_api(host, logic);
  host.AddService(&sessions, SessionGrpc::kServiceName);
  host.AddService(&accounts, AccountGrpc::kServiceName);
  host.AddService(&audit_api, AuditGrpc::kServiceName);

  Routes routes(flags.lookups);
  Callers callers(logic, config.signing_key, config.jwt_audience, flags.session_fresh_for);
  RateLimits rates(flags.rates);
  InFlight in_flight(flags.in_flight_per_caller, flags.in_flight_total);
  AuditLog audit(logic, flags.audit_flush_every);
  WorkerPool workers(config.workers, config.queue_limit);
  std::unique_ptr<FrontDoor> front;
  std::unique_ptr<HttpServer> http;

  host.AddBackgroundTask("session_last_use", absl::Seconds(15), [&] { return callers.FlushLastUse(); });
  host.AddBackgroundTask("audit_prune", absl::Hours(1), [&] { return logic.PruneAudit(); });
  host.OnStarted([&]() -> absl::Status {
    // The gateway's own API, reached like the other services'.
    auto own = MakeChannel(absl::StrCat("127.0.0.1:", host.grpc_port()), config.tls);
    if (!own.ok()) return own.status();
    auto upstreams = flags.upstreams;
    upstreams["gateway"] = *own;
    front = std::make_unique<FrontDoor>(flags.front, routes, callers, rates, in_flight, audit, upstreams, workers,
                                        host.registry());
    RETURN_IF_ERROR(front->Start());
    if (!flags.http.listen.empty()) {
      http = std::make_unique<HttpServer>(*front, flags.http);
      RETURN_IF_ERROR(http->Start());
    }
    Log(LogLevel::kInfo, "front_door",
        {{"grpc", absl::StrCat(flags.front.listen.substr(0, flags.front.listen.rfind(':')), ":", front->port())},
         {"tls", flags.front.tls.enabled() ? "on" : "off"}});
    return absl::OkStatus();
  });
  host.AddReadyField("public_grpc_port", [&] { return front ? front->port() : 0; });
  host.AddReadyField("http_port", [&] { return http ? http->port() : 0; });
  host.BeforeShutdown([&] {
    if (http) http->Shutdown();
    if (front) front->Shutdown(config.shutdown_grace);
  });
  host.OnShutdown([&] {
    workers.Shutdown();
    audit.Stop();  // the last records written
  });
  return host.Run();
}
