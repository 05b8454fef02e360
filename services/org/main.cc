// lianxin-org: the organization service process.
#include "common/server.h"
#include "services/org/org_grpc.h"
#include "services/org/org_logic.h"

namespace lianxin {
const std::vector<Migration>& OrgMigrations();  // embedded from migrations/*.sql
}  // namespace lianxin

int main(int argc, char** argv) {
  lianxin::BlockTerminationSignals();
  lianxin::ServerConfig config = lianxin::LoadServerConfig(argc, argv, {"org", 7101, 9101});
  lianxin::ServiceHost host(config);
  if (absl::Status s = host.Init(lianxin::OrgMigrations()); !s.ok()) {
    lianxin::Log(lianxin::LogLevel::kError, "init_failed", {{"error", std::string(s.message())}});
    return 1;
  }
  lianxin::org::OrgLogic logic(host.db(), host.page_tokens());
  lianxin::org::OrgGrpc service(host, logic);
  host.AddService(&service, lianxin::org::OrgGrpc::kServiceName);
  return host.Run();
}
