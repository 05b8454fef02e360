// lianxin-dispatch: the dispatch service process.
#include "common/server.h"
#include "services/dispatch/dispatch_flags.h"
#include "services/dispatch/dispatch_grpc.h"
#include "services/dispatch/dispatch_logic.h"
#include "services/dispatch/grpc_directories.h"
#include "services/dispatch/request_writer.h"
#include "services/dispatch/watch_stream.h"

int main(int argc, char** argv) {
  using namespace lianxin;            // NOLINT: a process's main
  using namespace lianxin::dispatch;  // NOLINT
  BlockTerminationSignals();
  DispatchFlags flags;
  ServerConfig config = LoadServerConfig(argc, argv, {"dispatch", 7103, 9103, {"activity", "org"}}, flags.Reader());
  ServiceHost host(config);
  if (!host.Init(DispatchMigrations()).ok()) return 1;
  if (config.migrate_only) return 0;
  absl::StatusOr<DbPool*> writes = host.OpenPool(WritePoolOptions(host.db().options(), flags.writer));
  if (!writes.ok()) return 1;

  GrpcDirectories dirs(flags.org, flags.member, config.signing_key, config.jwt_audience);
  RequestWriter writer(**writes, flags.writer, &host.registry(), flags.clock());
  DispatchLogic logic(host.db(), writer, host.page_tokens(), *flags.cipher, dirs, flags.rules, flags.clock());
  WatchHub hub(logic, flags.watch_interval, flags.watch_streams_per_caller, flags.watch_streams_per_replica);
  DispatchGrpc service(host, logic, hub);
  host.AddService(&service, DispatchGrpc::kServiceName);
  host.AddBackgroundTask("sweep", flags.sweep_interval, [&logic] { return logic.Sweep(); });
  host.AddBackgroundTask("todos", config.todo_interval, [&logic] { return logic.SweepTodos(); });
  host.OnShutdown([&writer] { writer.Stop(); });  // its callbacks use the logic
  return host.Run();
}
