#include "services/gateway/front_door.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/impl/server_builder_option.h>
#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "common/metrics.h"
#include "common/server.h"
#include "common/status.h"
#include "services/gateway/proxy_call.h"
#include "services/gateway/reflection.h"

namespace lianxin::gateway {
namespace {

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::FailedPreconditionError(absl::StrCat("cannot read ", path));
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> PublicCredentials(const TlsFiles& tls) {
  if (!tls.enabled()) return grpc::InsecureServerCredentials();
  ASSIGN_OR_RETURN(std::string cert, ReadFile(tls.cert_file));
  ASSIGN_OR_RETURN(std::string key, ReadFile(tls.key_file));
  grpc::SslServerCredentialsOptions opts;
  opts.pem_key_cert_pairs.push_back({key, cert});
  if (!tls.ca_file.empty()) {
    // Client certificates are optional (people and apps use sessions), and
    // verified against the CA when sent.
    ASSIGN_OR_RETURN(opts.pem_root_certs, ReadFile(tls.ca_file));
    opts.client_certificate_request = GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(opts);
}

// gRPC's own reflection would list only the services registered here (none
// but health): the front door answers reflection itself (reflection.h).
class WithoutGrpcReflection : public grpc::ServerBuilderOption {
 public:
  void UpdateArguments(grpc::ChannelArguments*) override {}
  void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>* plugins) override {
    plugins->erase(std::remove_if(plugins->begin(), plugins->end(),
                                  [](const auto& p) {
                                    return dynamic_cast<grpc::reflection::ProtoServerReflectionPlugin*>(p.get()) !=
                                           nullptr;
                                  }),
                   plugins->end());
  }
};

}  // namespace

class FrontDoor::Service final : public grpc::CallbackGenericService {
 public:
  explicit Service(FrontDoor& door) : door_(door) {}
  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* ctx) override {
    if (ctx->method() == kReflectionMethod) return NewReflectionCall(door_.routes());
    auto* call = new ProxyCall(door_, ctx);
    call->Begin();
    return call;
  }

 private:
  FrontDoor& door_;
};

FrontDoor::FrontDoor(FrontDoorOptions options, const Routes& routes, Callers& callers, RateLimits& rates,
                     InFlight& in_flight, AuditLog& audit,
                     absl::flat_hash_map<std::string, std::shared_ptr<grpc::Channel>> upstreams, WorkerPool& workers,
                     prometheus::Registry& registry)
    : options_(std::move(options)),
      routes_(routes),
      callers_(callers),
      rates_(rates),
      in_flight_(in_flight),
      audit_(audit),
      workers_(workers),
      calls_(prometheus::BuildCounter()
                 .Name("gateway_calls_total")
                 .Help("Calls through the gateway's public gRPC port, by method and code")
                 .Register(registry)),
      seconds_(prometheus::BuildHistogram()
                   .Name("gateway_call_seconds")
                   .Help("Time from a call's arrival at the gateway to its answer")
                   .Register(registry)),
      retries_(prometheus::BuildCounter()
                   .Name("gateway_retries_total")
                   .Help("Calls of idempotent methods sent again after UNAVAILABLE, by method")
                   .Register(registry)),
      service_(std::make_unique<Service>(*this)) {
  for (auto& [name, channel] : upstreams) stubs_[name] = std::make_unique<grpc::GenericStub>(channel);
}

FrontDoor::~FrontDoor() { Shutdown(absl::ZeroDuration()); }

grpc::GenericStub* FrontDoor::Stub(const std::string& upstream) {
  auto it = stubs_.find(upstream);
  return it == stubs_.end() ? nullptr : it->second.get();
}

void FrontDoor::Count(const std::string& path, int code, absl::Duration latency) {
  calls_.Add({{"grpc_method", path}, {"grpc_code", GrpcCodeLabel(code)}}).Increment();
  static const auto* buckets = new prometheus::Histogram::BucketBoundaries{
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  seconds_.Add({}, *buckets).Observe(absl::ToDoubleSeconds(latency));
}

void FrontDoor::CountRetry(const std::string& path) { retries_.Add({{"grpc_method", path}}).Increment(); }

absl::Status FrontDoor::Start() {
  for (const std::string& up : routes_.upstreams()) {
    if (Stub(up) == nullptr) return absl::FailedPreconditionError(absl::StrCat("no target for the ", up, " service"));
  }
  ASSIGN_OR_RETURN(auto creds, PublicCredentials(options_.tls));
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options_.listen, creds, &port_);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 60000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20000);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 20000);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, 2);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS, 30 * 60 * 1000);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS, 30 * 1000);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, kMaxConcurrentStreamsPerConnection);
  builder.SetMaxReceiveMessageSize(static_cast<int>(options_.max_stream_message_bytes));
  builder.SetOption(std::make_unique<WithoutGrpcReflection>());
  builder.RegisterCallbackGenericService(service_.get());
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || port_ == 0)
    return absl::UnavailableError(absl::StrCat("cannot listen on ", options_.listen));
  return absl::OkStatus();
}

void FrontDoor::Shutdown(absl::Duration grace) {
  if (server_ == nullptr) return;
  server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
  server_.reset();
}

}  // namespace lianxin::gateway
