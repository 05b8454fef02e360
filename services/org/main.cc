// lianxin-org: the organization service process.
#include <memory>

#include "common/log.h"
#include "common/server.h"
#include "services/org/grpc_member_directory.h"
#include "services/org/org_flags.h"
#include "services/org/org_grpc.h"
#include "services/org/org_logic.h"
#include "services/org/todo_sources.h"
#include "services/org/todo_watch.h"

int main(int argc, char** argv) {
  using namespace lianxin;       // NOLINT: a process's main
  using namespace lianxin::org;  // NOLINT
  BlockTerminationSignals();
  OrgFlags flags;
  ServerConfig config =
      LoadServerConfig(argc, argv, {"org", 7101, 9101, {"member", "dispatch", "activity"}}, flags.Reader());
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
  // To-dos: this service's own, and every service's gathered into one feed.
  std::unique_ptr<TodoSource> member_todos, dispatch_todos, activity_todos;
  if (flags.member != nullptr) {
    member_todos = std::make_unique<MemberTodoSource>("member", flags.member, config.signing_key, config.jwt_audience);
    logic.add_todo_source("member", member_todos.get());
  }
  if (flags.dispatch != nullptr) {
    dispatch_todos =
        std::make_unique<DispatchTodoSource>("dispatch", flags.dispatch, config.signing_key, config.jwt_audience);
    logic.add_todo_source("dispatch", dispatch_todos.get());
  }
  if (flags.activity != nullptr) {
    activity_todos =
        std::make_unique<ActivityTodoSource>("activity", flags.activity, config.signing_key, config.jwt_audience);
    logic.add_todo_source("activity", activity_todos.get());
  }
  host.AddBackgroundTask("todos", config.todo_interval, [&logic] { return logic.SweepTodos(); });
  host.AddBackgroundTask("gather_todos", config.todo_interval, [&logic] { return logic.GatherTodos(); });
  TodoWatchHub todo_watch(logic, flags.watch_interval, flags.watch_streams_per_caller, flags.watch_streams_per_replica);
  OrgGrpc service(host, logic, todo_watch);
  host.AddService(&service, OrgGrpc::kServiceName);
  return host.Run();
}
