// lianxin-health: asks a service's gRPC health endpoint; exit 0 if SERVING.
//   build/tools/lianxin-health --target=127.0.0.1:7101 --service=lianxin.org.v1.OrgService
#include <cstdio>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/time/clock.h"
#include "common/tls.h"
#include "grpc/health/v1/health.grpc.pb.h"

ABSL_FLAG(std::string, target, "127.0.0.1:7101", "host:port");
ABSL_FLAG(std::string, service, "", "service name; empty for the whole server");
ABSL_FLAG(std::string, tls_ca_file, "", "PEM roots, when the service uses TLS");
ABSL_FLAG(int, timeout_ms, 3000, "deadline");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  lianxin::TlsFiles tls;
  tls.ca_file = absl::GetFlag(FLAGS_tls_ca_file);
  auto channel = lianxin::MakeChannel(absl::GetFlag(FLAGS_target), tls);
  if (!channel.ok()) return 2;
  auto stub = grpc::health::v1::Health::NewStub(*channel);
  grpc::health::v1::HealthCheckRequest req;
  req.set_service(absl::GetFlag(FLAGS_service));
  grpc::health::v1::HealthCheckResponse resp;
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Milliseconds(absl::GetFlag(FLAGS_timeout_ms))));
  grpc::Status s = stub->Check(&ctx, req, &resp);
  if (!s.ok()) {
    std::fprintf(stderr, "health: %s\n", s.error_message().c_str());
    return 1;
  }
  std::printf("%s\n", grpc::health::v1::HealthCheckResponse::ServingStatus_Name(resp.status()).c_str());
  return resp.status() == grpc::health::v1::HealthCheckResponse::SERVING ? 0 : 1;
}
