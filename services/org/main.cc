// lianxin-org: the organization service process.
#include <memory>

#include "common/log.h"
#include "common/server.h"
#include "services/org/grpc_member_directory.h"
#include "services/org/org_flags.h"
#include "services/org/org_grpc.h"
#include "services/org/org_logic.h"

int main(int argc, char** argv) {
  using namespace lianxin;       // NOLINT: a process's main
  using namespace lianxin::org;  // NOLINT
  BlockTerminationSignals();
  OrgFlags flags;
  ServerConfig config = LoadServerConfig(argc, argv, {"org", 7101, 9101, {"member", "dispatch"}}, flags.Reader());
  ServiceHost host(config);
  if (!host.Init(OrgMigrations()).ok()) return 1;
  if (config.migrate_only) return 0;

  OrgLogic logic(host.db(), host.page_tokens());
  std::unique_ptr<GrpcMemberDirectory> members;
  if (flags.member != nullptr) {
    members = std::make_unique<GrpcMemberDirectory>(flags.member, config.signing_key, config.jwt_audience);
    logic.set_members(members.get());
  } else {
    Log(LogLevel::kWarning, "member_checks_off",
        {{"why",
          "no --member_target: units with members can be dissolved, building party groups formed "
          "without counting residents, positions filled without checking members"}});
  }
  OrgGrpc service(host, logic);
  host.AddService(&service, OrgGrpc::kServiceName);
  return host.Run();
}
