// lianxin-member: the member records service process.
#include <cstdio>
#include <cstdlib>

#include "absl/flags/flag.h"
#include "common/crypto.h"
#include "common/server.h"
#include "common/tls.h"
#include "services/member/grpc_org_directory.h"
#include "services/member/member_grpc.h"
#include "services/member/member_logic.h"

ABSL_FLAG(std::string, org_target, "127.0.0.1:7101", "the organization service (host:port)");
ABSL_FLAG(std::string, keys_file, "", "field encryption keys (see common/crypto.h); required");
ABSL_FLAG(int, transfer_valid_days, 30, "days a transfer within the platform stays valid (1-90)");

namespace lianxin {
const std::vector<Migration>& MemberMigrations();  // embedded from migrations/*.sql
}  // namespace lianxin

int main(int argc, char** argv) {
  lianxin::BlockTerminationSignals();
  lianxin::ServerConfig config = lianxin::LoadServerConfig(argc, argv, {"member", 7102, 9102});
  auto cipher = lianxin::FieldCipher::FromFile(absl::GetFlag(FLAGS_keys_file));
  if (!cipher.ok()) {
    std::fprintf(stderr, "lianxin-member: bad configuration:\n--keys_file: %s\n",
                 std::string(cipher.status().message()).c_str());
    return 2;
  }
  int valid_days = absl::GetFlag(FLAGS_transfer_valid_days);
  if (valid_days < 1 || valid_days > 90) {
    std::fprintf(stderr,
                 "lianxin-member: bad configuration:\n--transfer_valid_days: must be 1..90 (at most 3 months)\n");
    return 2;
  }
  auto channel = lianxin::MakeChannel(absl::GetFlag(FLAGS_org_target), config.tls);
  if (!channel.ok()) {
    std::fprintf(stderr, "lianxin-member: bad configuration:\n--org_target: %s\n",
                 std::string(channel.status().message()).c_str());
    return 2;
  }
  lianxin::ServiceHost host(config);
  if (absl::Status s = host.Init(lianxin::MemberMigrations()); !s.ok()) {
    lianxin::Log(lianxin::LogLevel::kError, "init_failed", {{"error", std::string(s.message())}});
    return 1;
  }
  lianxin::member::GrpcOrgDirectory org(*channel, config.jwt_key, config.jwt_audience);
  lianxin::member::MemberLogic logic(host.db(), host.page_tokens(), **cipher, org);
  logic.set_transfer_valid_days(valid_days);
  lianxin::member::MemberGrpc service(host, logic);
  host.AddService(&service, lianxin::member::MemberGrpc::kServiceName);
  return host.Run();
}
