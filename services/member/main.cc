// lianxin-member: the member records service process.
#include "common/server.h"
#include "common/todos.h"
#include "services/member/grpc_org_directory.h"
#include "services/member/member_flags.h"
#include "services/member/member_grpc.h"
#include "services/member/member_logic.h"

int main(int argc, char** argv) {
  using namespace lianxin;          // NOLINT: a process's main
  using namespace lianxin::member;  // NOLINT
  BlockTerminationSignals();
  MemberFlags flags;
  ServerConfig config =
      LoadServerConfig(argc, argv, {"member", 7102, 9102, {"org", "dispatch", "activity"}}, flags.Reader());
  ServiceHost host(config);
  if (!host.Init(MemberMigrations()).ok()) return 1;
  if (config.migrate_only) return 0;

  GrpcOrgDirectory org(flags.org, config.signing_key, config.jwt_audience);
  MemberLogic logic(host.db(), host.page_tokens(), *flags.cipher, org);
  logic.set_transfer_valid_days(flags.transfer_valid_days);
  logic.set_import_max_rows(flags.import_max_rows);
  logic.set_identity_matches_per_day(flags.identity_matches_per_day);
  MemberGrpc service(host, logic);
  host.AddService(&service, MemberGrpc::kServiceName);
  host.AddBackgroundTask("todos", config.todo_interval, [&] {
    auto due = [&logic](Db& db, absl::Time now) { return logic.DueTodos(db, now); };
    return SweepTodos(host.db(), absl::Now(), due).status();
  });
  return host.Run();
}
