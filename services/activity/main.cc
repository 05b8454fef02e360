// lianxin-activity: the activity service process.
#include "common/server.h"
#include "services/activity/activity_flags.h"
#include "services/activity/activity_grpc.h"
#include "services/activity/activity_logic.h"
#include "services/activity/appraisal_grpc.h"
#include "services/activity/appraisal_logic.h"
#include "services/activity/attendance_writer.h"
#include "services/activity/dues_grpc.h"
#include "services/activity/dues_logic.h"
#include "services/activity/event_source.h"
#include "services/activity/grpc_directories.h"
#include "services/activity/team_grpc.h"
#include "services/activity/team_logic.h"
#include "services/activity/volunteer_grpc.h"
#include "services/activity/volunteer_logic.h"

int main(int argc, char** argv) {
  using namespace lianxin;            // NOLINT: a process's main
  using namespace lianxin::activity;  // NOLINT
  BlockTerminationSignals();
  ActivityFlags flags;
  ServerConfig config = LoadServerConfig(argc, argv, {"activity", 7105, 9105, {"org"}}, flags.Reader());
  ServiceHost host(config);
  if (!host.Init(ActivityMigrations()).ok()) return 1;
  if (config.migrate_only) return 0;

  absl::StatusOr<DbPool*> writes = host.OpenPool(AttendanceWritePoolOptions(host.db().options(), flags.writer));
  if (!writes.ok()) return 1;

  GrpcDirectories dirs(flags.org, flags.member, config.signing_key, config.jwt_audience);
  AttendanceWriter writer(**writes, flags.writer, &host.registry());
  ActivityLogic logic(host.db(), writer, host.page_tokens(), dirs, flags.rules, flags.clock());
  ActivityGrpc service(host, logic);
  host.AddService(&service, ActivityGrpc::kServiceName);
  AppraisalLogic appraisal(host.db(), host.page_tokens(), dirs, flags.clock());
  AppraisalGrpc appraisal_service(host, appraisal);
  host.AddService(&appraisal_service, AppraisalGrpc::kServiceName);
  std::unique_ptr<GrpcEventSource> events;
  if (flags.dispatch)
    events = std::make_unique<GrpcEventSource>(flags.dispatch, config.signing_key, config.jwt_audience);
  VolunteerLogic volunteer(host.db(), host.page_tokens(), dirs, events.get(), flags.clock());
  VolunteerGrpc volunteer_service(host, volunteer);
  host.AddService(&volunteer_service, VolunteerGrpc::kServiceName);
  TeamLogic teams(host.db(), host.page_tokens(), dirs, flags.clock());
  TeamGrpc team_service(host, teams);
  host.AddService(&team_service, TeamGrpc::kServiceName);
  DuesLogic dues(host.db(), host.page_tokens(), dirs, *flags.cipher, flags.rules.drift_sweep, flags.clock());
  DuesGrpc dues_service(host, dues);
  host.AddService(&dues_service, DuesGrpc::kServiceName);
  host.AddBackgroundTask("todos", config.todo_interval, [&logic, &dues] {
    return logic.SweepTodos([&dues](Db& db, absl::Time now) { return dues.DueTodos(db, now); });
  });
  host.AddBackgroundTask("credits", flags.credit_interval, [&volunteer] { return volunteer.CreditClosedRequests(); });
  host.OnShutdown([&writer] { writer.Stop(); });  // its callbacks use the logic
  return host.Run();
}
