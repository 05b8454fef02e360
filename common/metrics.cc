#include "common/metrics.h"

#include <prometheus/counter.h>
#include <prometheus/exposer.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <exception>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace lianxin {

const char* GrpcCodeLabel(int code) {
  static const char* kNames[] = {
      "OK",       "Canceled",       "Unknown",          "InvalidArgument",   "DeadlineExceeded",
      "NotFound", "AlreadyExists",  "PermissionDenied", "ResourceExhausted", "FailedPrecondition",
      "Aborted",  "OutOfRange",     "Unimplemented",    "Internal",          "Unavailable",
      "DataLoss", "Unauthenticated"};
  return (code >= 0 && code <= 16) ? kNames[code] : "Unknown";
}

RpcMetrics::RpcMetrics(prometheus::Registry& registry)
    : registry_(registry),
      started_(prometheus::BuildCounter()
                   .Name("grpc_server_started_total")
                   .Help("Total number of RPCs started on the server.")
                   .Register(registry)),
      handled_(prometheus::BuildCounter()
                   .Name("grpc_server_handled_total")
                   .Help("Total number of RPCs completed on the server, regardless of success or failure.")
                   .Register(registry)),
      seconds_(prometheus::BuildHistogram()
                   .Name("grpc_server_handling_seconds")
                   .Help("Histogram of response latency (seconds) of gRPC that had been application-level handled by "
                         "the server.")
                   .Register(registry)) {
  queue_depth_ = &prometheus::BuildGauge()
                      .Name("lianxin_worker_queue_depth")
                      .Help("Tasks waiting for a database worker")
                      .Register(registry)
                      .Add({});
  in_flight_ =
      &prometheus::BuildGauge().Name("lianxin_rpcs_in_flight").Help("RPCs being handled").Register(registry).Add({});
}

const RpcMetrics::Method& RpcMetrics::For(absl::string_view full_method, absl::string_view type) {
  absl::MutexLock lock(&mu_);
  auto it = methods_.find(full_method);
  if (it != methods_.end()) return *it->second;
  // "/lianxin.org.v1.OrgService/GetOrgUnit"
  std::vector<std::string> parts = absl::StrSplit(full_method, '/', absl::SkipEmpty());
  std::string service = parts.size() == 2 ? parts[0] : "unknown";
  std::string method = parts.size() == 2 ? parts[1] : std::string(full_method);
  std::map<std::string, std::string> labels = {
      {"grpc_service", service}, {"grpc_method", method}, {"grpc_type", std::string(type)}};
  auto m = std::make_unique<Method>();
  m->started = &started_.Add(labels);
  m->seconds = &seconds_.Add(labels, prometheus::Histogram::BucketBoundaries{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                                             0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10});
  m->handled_family = &handled_;
  auto ok_labels = labels;
  ok_labels["grpc_code"] = "OK";
  handled_.Add(ok_labels);  // shown from the start, at zero
  m->service = service;
  m->method = method;
  m->type = std::string(type);
  auto& ref = *m;
  methods_.emplace(std::string(full_method), std::move(m));
  return ref;
}

void RpcMetrics::Method::Handled(int code, double elapsed) const {
  handled_family
      ->Add(
          {{"grpc_service", service}, {"grpc_method", method}, {"grpc_type", type}, {"grpc_code", GrpcCodeLabel(code)}})
      .Increment();
  seconds->Observe(elapsed);
}

absl::StatusOr<std::unique_ptr<prometheus::Exposer>> StartExposer(const std::string& listen,
                                                                  std::shared_ptr<prometheus::Registry> registry,
                                                                  int* port) {
  try {
    auto exposer = std::make_unique<prometheus::Exposer>(listen, 2);
    exposer->RegisterCollectable(registry);
    auto ports = exposer->GetListeningPorts();
    if (port != nullptr) *port = ports.empty() ? 0 : ports[0];
    return exposer;
  } catch (const std::exception& e) {
    return absl::UnavailableError(absl::StrCat("cannot serve metrics on ", listen, ": ", e.what()));
  }
}

}  // namespace lianxin
