// lianxin-org: the organization service process.
#include <cstdio>
#include <memory>

#include "absl/flags/flag.h"
#include "common/server.h"
#include "common/tls.h"
#include "services/org/grpc_member_directory.h"
#include "services/org/org_grpc.h"
#include "services/org/org_logic.h"

ABSL_FLAG(std::string, member_target, "",
          "the member service (host:port), for the rules that need member data; empty: those checks are off");

namespace lianxin {
const std::vector<Migration>& OrgMigrations();  // embedded from migrations/*.sql
}  // namespace lianxin

int main(int argc, char** argv) {
  lianxin::BlockTerminationSignals();
  lianxin::ServerConfig config = lianxin::LoadServerConfig(argc, argv, {"org", 7101, 9101});
  std::unique_ptr<lianxin::org::MemberDirectory> members;
  if (std::string target = absl::GetFlag(FLAGS_member_target); !target.empty()) {
    auto channel = lianxin::MakeChannel(target, config.tls);
    if (!channel.ok()) {
      std::fprintf(stderr, "lianxin-org: bad configuration:\n--member_target: %s\n",
                   std::string(channel.status().message()).c_str());
      return 2;
    }
    members = std::make_unique<lianxin::org::GrpcMemberDirectory>(*channel, config.jwt_key, config.jwt_audience);
  }
  lianxin::ServiceHost host(config);
  if (absl::Status s = host.Init(lianxin::OrgMigrations()); !s.ok()) {
    lianxin::Log(lianxin::LogLevel::kError, "init_failed", {{"error", std::string(s.message())}});
    return 1;
  }
  lianxin::org::OrgLogic logic(host.db(), host.page_tokens());
  if (members != nullptr) {
    logic.set_members(members.get());
  } else {
    lianxin::Log(lianxin::LogLevel::kWarning, "member_checks_off",
                 {{"why",
                   "no --member_target: units with members can be dissolved, building party groups formed "
                   "without counting residents, positions filled without checking members"}});
  }
  lianxin::org::OrgGrpc service(host, logic);
  host.AddService(&service, lianxin::org::OrgGrpc::kServiceName);
  return host.Run();
}
