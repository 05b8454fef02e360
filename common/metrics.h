// Prometheus metrics on a port of their own (prometheus-cpp's Exposer).
// Per method, with the names go-grpc-prometheus uses:
//   grpc_server_started_total{grpc_service,grpc_method,grpc_type}
//   grpc_server_handled_total{grpc_service,grpc_method,grpc_type,grpc_code}
//   grpc_server_handling_seconds{grpc_service,grpc_method,grpc_type} (histogram)
// Labels never carry member, order or other per-entity values.
#ifndef LIANXIN_COMMON_METRICS_H_
#define LIANXIN_COMMON_METRICS_H_

#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace prometheus {
class Counter;
class Exposer;
class Gauge;
class Histogram;
class Registry;
template <typename T>
class Family;
}  // namespace prometheus

namespace lianxin {

class RpcMetrics {
 public:
  struct Method {
    prometheus::Counter* started;
    prometheus::Histogram* seconds;
    prometheus::Family<prometheus::Counter>* handled_family;
    std::string service, method, type;
    void Handled(int code, double seconds) const;
  };

  explicit RpcMetrics(prometheus::Registry& registry);
  // Resolved once per method name ("/pkg.Service/Method"); `type` is
  // "unary", "client_stream", "server_stream" or "bidi_stream".
  const Method& For(absl::string_view full_method, absl::string_view type = "unary");
  prometheus::Gauge& queue_depth() { return *queue_depth_; }
  prometheus::Gauge& in_flight() { return *in_flight_; }

 private:
  prometheus::Registry& registry_;
  prometheus::Family<prometheus::Counter>& started_;
  prometheus::Family<prometheus::Counter>& handled_;
  prometheus::Family<prometheus::Histogram>& seconds_;
  prometheus::Gauge* queue_depth_;
  prometheus::Gauge* in_flight_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::unique_ptr<Method>> methods_ ABSL_GUARDED_BY(mu_);
};

// Serves `registry` at http://<listen>/metrics. Returns the bound port.
absl::StatusOr<std::unique_ptr<prometheus::Exposer>> StartExposer(const std::string& listen,
                                                                  std::shared_ptr<prometheus::Registry> registry,
                                                                  int* port);

// The gRPC status code's name as go-grpc-prometheus writes it ("OK", "NotFound").
const char* GrpcCodeLabel(int code);

}  // namespace lianxin

#endif  // LIANXIN_COMMON_METRICS_H_
