// lianxin-dispatch: the dispatch service process.
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <cstdio>
#include <memory>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/synchronization/notification.h"
#include "common/clock.h"
#include "common/crypto.h"
#include "common/server.h"
#include "common/tls.h"
#include "services/dispatch/dispatch_grpc.h"
#include "services/dispatch/dispatch_logic.h"
#include "services/dispatch/grpc_directories.h"
#include "services/dispatch/watch_stream.h"

ABSL_FLAG(std::string, org_target, "127.0.0.1:7101", "the organization service (host:port)");
ABSL_FLAG(std::string, member_target, "127.0.0.1:7102", "the member service (host:port)");
ABSL_FLAG(std::string, keys_file, "", "field encryption keys for residents' phones (common/crypto.h); required");
ABSL_FLAG(int, accept_minutes, 60, "minutes a dispatched member has to answer (1-1440)");
ABSL_FLAG(int, duplicate_days, 7, "an open request of the same category and place this recent is a duplicate (0-90)");
ABSL_FLAG(int, reopen_days, 7, "days after resolution a resident may reopen (0-90)");
ABSL_FLAG(int, sweep_interval_ms, 1000, "how often timeouts and escalations are looked for (100-60000)");
ABSL_FLAG(int, watch_interval_ms, 250, "how often WatchRequests streams look for new changes (50-10000)");
ABSL_FLAG(int, write_batch, 32, "at most this many request changes written in one transaction (1-256)");
ABSL_FLAG(int, write_leaders, 2, "at most this many such transactions at once (1-64)");
ABSL_FLAG(std::string, clock_offset_file, "", "tests only: seconds to add to the clock, read from this file");

namespace lianxin {
const std::vector<Migration>& DispatchMigrations();  // embedded from migrations/*.sql
}  // namespace lianxin

namespace {

int Bad(const char* flag, const std::string& why) {
  std::fprintf(stderr, "lianxin-dispatch: bad configuration:\n--%s: %s\n", flag, why.c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  lianxin::BlockTerminationSignals();
  lianxin::ServerConfig config = lianxin::LoadServerConfig(argc, argv, {"dispatch", 7103, 9103});
  auto cipher = lianxin::FieldCipher::FromFile(absl::GetFlag(FLAGS_keys_file));
  if (!cipher.ok()) return Bad("keys_file", std::string(cipher.status().message()));
  lianxin::dispatch::DispatchSettings settings;
  int accept = absl::GetFlag(FLAGS_accept_minutes), dup = absl::GetFlag(FLAGS_duplicate_days),
      reopen = absl::GetFlag(FLAGS_reopen_days), sweep = absl::GetFlag(FLAGS_sweep_interval_ms);
  if (accept < 1 || accept > 1440) return Bad("accept_minutes", "must be 1..1440");
  if (dup < 0 || dup > 90) return Bad("duplicate_days", "must be 0..90");
  if (reopen < 0 || reopen > 90) return Bad("reopen_days", "must be 0..90");
  if (sweep < 100 || sweep > 60000) return Bad("sweep_interval_ms", "must be 100..60000");
  int watch = absl::GetFlag(FLAGS_watch_interval_ms);
  if (watch < 50 || watch > 10000) return Bad("watch_interval_ms", "must be 50..10000");
  int batch = absl::GetFlag(FLAGS_write_batch), leaders = absl::GetFlag(FLAGS_write_leaders);
  if (batch < 1 || batch > 256) return Bad("write_batch", "must be 1..256");
  if (leaders < 1 || leaders > 64) return Bad("write_leaders", "must be 1..64");
  settings.write_batch = batch;
  settings.write_leaders = leaders;
  settings.accept_limit = absl::Minutes(accept);
  settings.duplicate_days = dup;
  settings.reopen_days = reopen;
  auto org = lianxin::MakeChannel(absl::GetFlag(FLAGS_org_target), config.tls);
  if (!org.ok()) return Bad("org_target", std::string(org.status().message()));
  auto member = lianxin::MakeChannel(absl::GetFlag(FLAGS_member_target), config.tls);
  if (!member.ok()) return Bad("member_target", std::string(member.status().message()));
  std::unique_ptr<lianxin::Clock> offset_clock;
  if (!absl::GetFlag(FLAGS_clock_offset_file).empty()) {
    offset_clock = std::make_unique<lianxin::OffsetFileClock>(absl::GetFlag(FLAGS_clock_offset_file));
  }
  const lianxin::Clock& clock = offset_clock ? *offset_clock : lianxin::SystemClock::Get();

  lianxin::ServiceHost host(config);
  if (absl::Status s = host.Init(lianxin::DispatchMigrations()); !s.ok()) {
    lianxin::Log(lianxin::LogLevel::kError, "init_failed", {{"error", std::string(s.message())}});
    return 1;
  }
  lianxin::dispatch::GrpcDirectories dirs(*org, *member, config.jwt_key, config.jwt_audience);
  auto& batch_sizes = prometheus::BuildHistogram()
                          .Name("lianxin_write_batch_size")
                          .Help("Requests written per transaction")
                          .Register(host.registry());
  const prometheus::Histogram::BucketBoundaries buckets{1, 2, 4, 8, 16, 32, 64, 128, 256};
  settings.transition_batch_sizes = &batch_sizes.Add({{"batcher", "transitions"}}, buckets);
  settings.submit_batch_sizes = &batch_sizes.Add({{"batcher", "submits"}}, buckets);
  lianxin::DbOptions write_options = host.db().options();
  write_options.autocommit = false;
  write_options.create_database = false;
  write_options.one_round_trip_scripts = true;
  write_options.pool_size = 2 * settings.write_leaders;
  write_options.pool_name = "writes";
  auto writes = lianxin::DbPool::Create(write_options, &host.registry());
  if (!writes.ok()) {
    lianxin::Log(lianxin::LogLevel::kError, "init_failed", {{"error", std::string(writes.status().message())}});
    return 1;
  }
  lianxin::dispatch::DispatchLogic logic(host.db(), **writes, host.page_tokens(), **cipher, dirs, settings, clock);
  lianxin::dispatch::WatchHub hub(absl::Milliseconds(watch));
  lianxin::dispatch::DispatchGrpc service(host, logic, hub);
  host.AddService(&service, lianxin::dispatch::DispatchGrpc::kServiceName);

  // Timeouts and escalations: a thread of its own, never a gRPC thread.
  absl::Notification stop;
  std::thread sweeper([&] {
    while (!stop.WaitForNotificationWithTimeout(absl::Milliseconds(sweep))) {
      absl::StatusOr<int> moved = logic.SweepOnce();
      if (!moved.ok()) {
        lianxin::Log(lianxin::LogLevel::kWarning, "sweep_failed", {{"error", std::string(moved.status().message())}});
      } else if (*moved > 0) {
        lianxin::Log(lianxin::LogLevel::kInfo, "sweep", {{"moved", std::to_string(*moved)}});
      }
    }
  });
  int rc = host.Run();
  stop.Notify();
  sweeper.join();
  return rc;
}
