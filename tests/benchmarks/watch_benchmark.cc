// WatchRequests with many subscribers on one replica (not a timed test).
//
//   build/tests/watch_benchmark [--subscribers=10000] [--connections=128]
//   [--idle_seconds=10] [--active_seconds=10] [--changes_per_second=50]
//
// Starts its own MariaDB, org, member and dispatch processes and one
// community with a building, then opens --subscribers streams, one per
// resident, over --connections HTTP/2 connections (a connection carries at
// most 100 streams). Once every stream has caught up, it measures two
// periods: idle (nobody changes anything), then active (residents picked at
// random submit requests at --changes_per_second, each heard of by its own
// subscriber). For each: the dispatch process's CPU, the statements it sent
// to MariaDB per second, and, when active, the time from a change (its time
// stamped in the transaction that commits it) to its subscriber reading it.
// Prints a markdown table for docs/benchmarks.md.
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <cstdio>
#include <memory>
#include <random>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/client.h"
#include "lianxin/dispatch/v1/dispatch_service.grpc.pb.h"
#include "lianxin/org/v1/org_service.grpc.pb.h"
#include "tests/benchmarks/bench_util.h"
#include "tests/benchmarks/load.h"
#include "tests/benchmarks/platform.h"
#include "tests/support/harness.h"

ABSL_FLAG(int, subscribers, 10000, "WatchRequests streams, one per resident");
ABSL_FLAG(int, connections, 128, "HTTP/2 connections the streams are spread over");
ABSL_FLAG(int, idle_seconds, 10, "seconds measured with nothing changing");
ABSL_FLAG(int, active_seconds, 10, "seconds measured with changes arriving");
ABSL_FLAG(int, changes_per_second, 50, "requests submitted per second while active");

namespace lianxin::testing {
namespace {

namespace dv1 = ::lianxin::dispatch::v1;
namespace ov1 = ::lianxin::org::v1;

// Every stream's reads, timed from each change's own time.
struct Heard {
  absl::Mutex mu;
  Latencies latencies ABSL_GUARDED_BY(mu);
  std::atomic<int64_t> changes{0};
  std::atomic<int> ended{0};
};

class Subscription : public grpc::ClientReadReactor<dv1::RequestChange> {
 public:
  Subscription(dv1::DispatchService::Stub& stub, const std::string& token, Heard& heard) : heard_(heard) {
    PrepareClientContext(&ctx_, token, "", absl::Hours(1));
    stub.async()->WatchRequests(&ctx_, &req_, this);
    StartRead(&change_);
    StartCall();
  }
  void OnReadDone(bool ok) override {
    if (!ok) return;
    const auto& t = change_.entry().time();
    const double ms =
        absl::ToDoubleMilliseconds(absl::Now() - absl::FromUnixSeconds(t.seconds()) - absl::Nanoseconds(t.nanos()));
    {
      absl::MutexLock lock(&heard_.mu);
      heard_.latencies.ms.push_back(ms);
    }
    ++heard_.changes;
    StartRead(&change_);
  }
  void OnDone(const grpc::Status&) override { ++heard_.ended; }
  void Cancel() { ctx_.TryCancel(); }

 private:
  Heard& heard_;
  grpc::ClientContext ctx_;
  dv1::WatchRequestsRequest req_;
  dv1::RequestChange change_;
};

// Statements the dispatch service has sent to MariaDB so far (all pools).
double ServiceQueries(int metrics_port) { return MetricTotal(metrics_port, "db_query_duration_seconds_count"); }

struct Period {
  const char* name;
  double seconds, cpu, queries;
  int64_t changes;
  Latencies latencies;
};

int Main() {
  const int n = absl::GetFlag(FLAGS_subscribers);
  if (n < 1) {
    std::fprintf(stderr, "--subscribers must be at least 1\n");
    return 2;
  }
  BenchPlatform p("bench-watch");
  if (!p.Start({"--workers=16", "--log_level=warning"}, {absl::StrCat("--watch_streams_per_replica=", n + 100)})) {
    return 1;
  }
  TestKey& key = p.key;
  ServiceProcess &org = *p.org, &dispatch = *p.dispatch;

  // One community with a building, and a category.
  const std::string admin = key.Token("bench", {"operator"}, "*", absl::Minutes(15));
  auto org_stub = ov1::OrgService::NewStub(org.Channel());
  std::string parent, district;
  for (auto [type, code] : {std::pair{ov1::ORG_UNIT_TYPE_DISTRICT_COMMITTEE, "D"},
                            std::pair{ov1::ORG_UNIT_TYPE_STREET_WORKING_COMMITTEE, "S"},
                            std::pair{ov1::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE, "C"}}) {
    ov1::CreateOrgUnitRequest req;
    req.mutable_org_unit()->set_parent(parent);
    req.mutable_org_unit()->set_type(type);
    req.mutable_org_unit()->set_code(code);
    req.mutable_org_unit()->set_display_name(code);
    ov1::OrgUnit out;
    Check(Call(admin, [&](grpc::ClientContext* c) { return org_stub->CreateOrgUnit(c, req, &out); }), "CreateOrgUnit");
    parent = out.name();
    if (district.empty()) district = parent;
  }
  ov1::CreatePlaceRequest place;
  place.mutable_place()->set_community(parent);
  place.mutable_place()->set_kind(ov1::PLACE_KIND_BUILDING);
  place.mutable_place()->set_display_name("1栋");
  ov1::Place building;
  Check(Call(admin, [&](grpc::ClientContext* c) { return org_stub->CreatePlace(c, place, &building); }), "CreatePlace");
  auto stub = dv1::DispatchService::NewStub(dispatch.Channel());
  dv1::CreateCategoryRequest cat;
  cat.set_parent(district);
  cat.set_category_id("repair");
  cat.mutable_category()->set_display_name("维修");
  cat.mutable_category()->set_limit_hours(24);
  dv1::Category category;
  Check(Call(admin, [&](grpc::ClientContext* c) { return stub->CreateCategory(c, cat, &category); }), "CreateCategory");

  // The subscribers, spread over their connections.
  std::vector<std::string> tokens;
  for (int i = 0; i < n; ++i)
    tokens.push_back(key.Token(absl::StrCat("watcher-", i), {"resident"}, "*", absl::Minutes(15)));
  std::vector<std::unique_ptr<dv1::DispatchService::Stub>> stubs;
  for (int c = 0; c < absl::GetFlag(FLAGS_connections); ++c) {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // a connection of its own
    args.SetInt("lianxin.bench_connection", c);
    stubs.push_back(dv1::DispatchService::NewStub(
        grpc::CreateCustomChannel(dispatch.target(), grpc::InsecureChannelCredentials(), args)));
  }
  Heard heard;
  std::vector<std::unique_ptr<Subscription>> subs;
  const absl::Time opening = absl::Now();
  for (int i = 0; i < n; ++i) {
    subs.push_back(std::make_unique<Subscription>(*stubs[static_cast<size_t>(i) % stubs.size()],
                                                  tokens[static_cast<size_t>(i)], heard));
  }
  // Each stream is verified (its token), catches up once and goes live: wait
  // until the service is quiet again — its statements per second back to the
  // idle level and under 5% of a core for two seconds running.
  double last_q = ServiceQueries(dispatch.metrics_port()), last_cpu = CpuSeconds(dispatch.pid());
  for (int waited = 0, quiet_for = 0; waited < 120 && quiet_for < 2; ++waited) {
    absl::SleepFor(absl::Seconds(1));
    const double q = ServiceQueries(dispatch.metrics_port()), cpu = CpuSeconds(dispatch.pid());
    quiet_for = q - last_q < 20 && cpu - last_cpu < 0.05 ? quiet_for + 1 : 0;
    last_q = q;
    last_cpu = cpu;
  }
  const double open_seconds = absl::ToDoubleSeconds(absl::Now() - opening);
  if (heard.ended > 0) {
    std::fprintf(stderr, "%d streams ended early\n%s\n", heard.ended.load(), dispatch.Log().c_str());
    return 1;
  }

  auto measure = [&](const char* name, int seconds, int rate) {
    Period p{name, 0, 0, 0, 0, {}};
    {
      absl::MutexLock lock(&heard.mu);
      heard.latencies.ms.clear();
    }
    const int64_t changes0 = heard.changes;
    const double cpu0 = CpuSeconds(dispatch.pid()), q0 = ServiceQueries(dispatch.metrics_port());
    const absl::Time start = absl::Now();
    std::mt19937 pick(7);
    for (int s = 0; rate > 0 && s < seconds * rate; ++s) {
      absl::SleepFor(start + absl::Seconds(1) * s / rate - absl::Now());
      const size_t who = pick() % static_cast<size_t>(n);
      dv1::SubmitRequestRequest req;
      req.mutable_request()->set_category(category.name());
      req.mutable_request()->set_place(building.name());
      req.mutable_request()->set_description(absl::StrCat("楼道灯坏了 #", s));
      req.mutable_request()->set_contact_phone("13812345678");
      req.mutable_request()->set_urgency(dv1::URGENCY_NORMAL);
      req.set_allow_duplicate(true);
      dv1::Request out;
      Check(Call(tokens[who], [&](grpc::ClientContext* c) { return stub->SubmitRequest(c, req, &out); }),
            "SubmitRequest");
    }
    absl::SleepFor(start + absl::Seconds(seconds) - absl::Now());
    if (rate > 0) absl::SleepFor(absl::Seconds(1));  // the last changes reach their subscribers
    p.seconds = absl::ToDoubleSeconds(absl::Now() - start);
    p.cpu = CpuSeconds(dispatch.pid()) - cpu0;
    p.queries = ServiceQueries(dispatch.metrics_port()) - q0;
    p.changes = heard.changes - changes0;
    absl::MutexLock lock(&heard.mu);
    p.latencies = heard.latencies;
    return p;
  };
  std::vector<Period> periods;
  periods.push_back(measure("idle", absl::GetFlag(FLAGS_idle_seconds), 0));
  periods.push_back(measure("active", absl::GetFlag(FLAGS_active_seconds), absl::GetFlag(FLAGS_changes_per_second)));
  periods.push_back(measure("idle again", absl::GetFlag(FLAGS_idle_seconds), 0));

  std::printf("\n%d subscribers over %zu connections, open and caught up in %.1f s; peak RSS of dispatch %.0f MiB\n\n",
              n, stubs.size(), open_seconds, PeakRssMiB(dispatch.pid()));
  std::printf(
      "| period | seconds | dispatch CPU (%% of a core) | statements/s to MariaDB | changes heard | "
      "change → read p50 ms | p99 ms | max ms |\n|---|---|---|---|---|---|---|---|\n");
  for (Period& p : periods) {
    std::printf("| %s | %.1f | %.1f | %.1f | %lld | %.0f | %.0f | %.0f |\n", p.name, p.seconds, 100 * p.cpu / p.seconds,
                p.queries / p.seconds, static_cast<long long>(p.changes), p.latencies.Pct(0.5), p.latencies.Pct(0.99),
                p.latencies.Pct(1.0));
  }
  for (auto& s : subs) s->Cancel();
  for (int waited = 0; heard.ended < n && waited < 100; ++waited) absl::SleepFor(absl::Milliseconds(100));
  subs.clear();
  return 0;
}

}  // namespace
}  // namespace lianxin::testing

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return lianxin::testing::Main();
}
