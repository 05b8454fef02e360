// The gateway's public gRPC port: every exposed method of every service,
// forwarded by one generic callback service with no per-method code
// (proxy_call.h does the forwarding). Per call it works out who is calling
// (callers.h), applies the limits (limits.h), sends the call on with the
// token the service verifies, and leaves an audit record (audit_log.h).
// Reflection on this port lists the exposed services only (reflection.h).
#ifndef LIANXIN_SERVICES_GATEWAY_FRONT_DOOR_H_
#define LIANXIN_SERVICES_GATEWAY_FRONT_DOOR_H_

#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/config.h"
#include "common/worker_pool.h"
#include "services/gateway/audit_log.h"
#include "services/gateway/callers.h"
#include "services/gateway/limits.h"
#include "services/gateway/routes.h"

namespace prometheus {
class Registry;
class Counter;
class Histogram;
template <typename T>
class Family;
}  // namespace prometheus

namespace lianxin::gateway {

struct FrontDoorOptions {
  std::string listen = "127.0.0.1:7443";
  // Certificate and key of the public port; with ca_file, client
  // certificates signed by it are asked for (optional) and verified: the
  // certificate subject then names a system client (mTLS).
  TlsFiles tls;
  absl::Duration default_deadline = absl::Seconds(30);  // unary calls without one
  size_t max_request_bytes = 256 * 1024;                // a unary request
  size_t max_stream_message_bytes = 4 * 1024 * 1024;
  int retries = 2;  // more attempts of an idempotent call that met UNAVAILABLE
};

class FrontDoor {
 public:
  // `upstreams`: a channel per service process ("org", "gateway", ...).
  FrontDoor(FrontDoorOptions options, const Routes& routes, Callers& callers, RateLimits& rates, InFlight& in_flight,
            AuditLog& audit, absl::flat_hash_map<std::string, std::shared_ptr<grpc::Channel>> upstreams,
            WorkerPool& workers, prometheus::Registry& registry);
  ~FrontDoor();

  absl::Status Start();
  // Stops taking calls; calls in flight get `grace`, then are cancelled.
  void Shutdown(absl::Duration grace);
  int port() const { return port_; }

  // For ProxyCall.
  const FrontDoorOptions& options() const { return options_; }
  const Routes& routes() const { return routes_; }
  Callers& callers() { return callers_; }
  RateLimits& rates() { return rates_; }
  InFlight& in_flight() { return in_flight_; }
  AuditLog& audit() { return audit_; }
  WorkerPool& workers() { return workers_; }
  grpc::GenericStub* Stub(const std::string& upstream);
  void Count(const std::string& path, int code, absl::Duration latency);
  void CountRetry(const std::string& path);

 private:
  class Service;
  FrontDoorOptions options_;
  const Routes& routes_;
  Callers& callers_;
  RateLimits& rates_;
  InFlight& in_flight_;
  AuditLog& audit_;
  absl::flat_hash_map<std::string, std::unique_ptr<grpc::GenericStub>> stubs_;
  WorkerPool& workers_;
  prometheus::Family<prometheus::Counter>& calls_;
  prometheus::Family<prometheus::Histogram>& seconds_;
  prometheus::Family<prometheus::Counter>& retries_;
  std::unique_ptr<Service> service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace lianxin::gateway

#endif  // LIANXIN_SERVICES_GATEWAY_FRONT_DOOR_H_
