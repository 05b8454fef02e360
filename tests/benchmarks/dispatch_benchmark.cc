// The life of requests under load (not a timed test).
//
//   build/tests/dispatch_benchmark [--clients=16] [--workflows=20000] [--connections=4]
//   [--dispatch_flags=--write_leaders=3]
//
// Starts its own MariaDB (durable settings), org, member and dispatch
// processes, and one community: a branch, a building party group covering a
// building where 32 members live, a category. Then --clients concurrent
// clients drive --workflows requests through the whole life, one step at a
// time for all of them (so each step's rate is measured on its own): a
// resident submits, the group leader (a secretary scoped to the group)
// dispatches to a member, the member accepts, resolves, the resident confirms
// and rates. Then, at the same concurrency against the same MariaDB, plain
// single-row durable inserts from a plain client, for scale. Prints a
// markdown table for docs/benchmarks.md.
#include <atomic>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "common/client.h"
#include "common/db.h"
#include "lianxin/dispatch/v1/dispatch_service.grpc.pb.h"
#include "lianxin/member/v1/member_service.grpc.pb.h"
#include "lianxin/org/v1/org_service.grpc.pb.h"
#include "services/clients/member/identity.h"
#include "tests/benchmarks/bench_util.h"
#include "tests/benchmarks/counters.h"
#include "tests/benchmarks/load.h"
#include "tests/benchmarks/platform.h"
#include "tests/support/harness.h"

ABSL_FLAG(int, clients, 16, "concurrent clients");
ABSL_FLAG(int, workflows, 20000, "requests driven through their whole life");
ABSL_FLAG(std::vector<std::string>, dispatch_flags, {}, "more flags for the dispatch service");
ABSL_FLAG(int, raw_seconds, 5, "seconds of raw single-row inserts");
ABSL_FLAG(int, connections, 4, "HTTP/2 connections the clients share (as many app backends would)");

namespace lianxin::testing {
namespace {

namespace dv1 = ::lianxin::dispatch::v1;
namespace mv1 = ::lianxin::member::v1;
namespace ov1 = ::lianxin::org::v1;

// CPU seconds used so far by MariaDB, the dispatch service and this client.
struct Cpu {
  double db = 0, service = 0, client = 0;
};

// One call in flight on the load's completion queue: its context, request,
// answer and status; `then` runs on the answer (a submit keeps the name).
struct Pending {
  virtual ~Pending() = default;
  grpc::ClientContext ctx;
  grpc::Status status;
  dispatch::v1::Request out;
  const char* what = "";
  int client = 0;
  absl::Time start;
  std::function<void(const dispatch::v1::Request&)> then;
};
template <typename Req>
struct LoadCall : Pending {
  LoadCall(const std::string& token, const char* method) {
    PrepareClientContext(&ctx, token, "", absl::Seconds(30));
    what = method;
  }
  Req req;
  std::unique_ptr<grpc::ClientAsyncResponseReader<dispatch::v1::Request>> reader;
  // Starts the call: `prepare` is the stub's PrepareAsync method.
  template <typename Prepare>
  Pending* Start(Prepare prepare, grpc::CompletionQueue* cq) {
    reader = prepare(&ctx, req, cq);
    reader->StartCall();
    reader->Finish(&out, &status, this);
    return this;
  }
};

struct Step {
  const char* name;
  Latencies latencies;
  double seconds = 0;
  Cpu cpu;            // used during the step
  Counters counters;  // MariaDB's counters moved during the step
  Counters service;   // the dispatch service's counters moved during the step
};

int Main() {
  const int clients = absl::GetFlag(FLAGS_clients);
  const int total = absl::GetFlag(FLAGS_workflows);
  std::vector<std::string> dispatch_flags = absl::GetFlag(FLAGS_dispatch_flags);
  BenchPlatform p("bench-dispatch");
  if (!p.Start({"--workers=32", "--log_level=warning"}, dispatch_flags)) return 1;
  PrivateMariaDb& db = p.db;
  TestKey& key = p.key;
  ServiceProcess &org = *p.org, &member = *p.member, &dispatch = *p.dispatch;
  std::string admin = key.Token("bench", {"operator"}, "*", absl::Minutes(15));
  auto org_stub = ov1::OrgService::NewStub(org.Channel());
  auto unit = [&](const std::string& parent, ov1::OrgUnitType type, const std::string& code) {
    ov1::CreateOrgUnitRequest req;
    req.mutable_org_unit()->set_parent(parent);
    req.mutable_org_unit()->set_type(type);
    req.mutable_org_unit()->set_code(code);
    req.mutable_org_unit()->set_display_name(code);
    ov1::OrgUnit out;
    Check(Call(admin, [&](grpc::ClientContext* c) { return org_stub->CreateOrgUnit(c, req, &out); }), "CreateOrgUnit");
    return out.name();
  };
  std::string district = unit("", ov1::ORG_UNIT_TYPE_DISTRICT_COMMITTEE, "D");
  std::string street = unit(district, ov1::ORG_UNIT_TYPE_STREET_WORKING_COMMITTEE, "S");
  std::string community = unit(street, ov1::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE, "C");
  std::string branch = unit(community, ov1::ORG_UNIT_TYPE_BRANCH, "B");
  std::string group = unit(branch, ov1::ORG_UNIT_TYPE_BUILDING_PARTY_GROUP, "G");
  ov1::CreatePlaceRequest place;
  place.mutable_place()->set_community(community);
  place.mutable_place()->set_kind(ov1::PLACE_KIND_BUILDING);
  place.mutable_place()->set_display_name("1栋");
  ov1::Place building;
  Check(Call(admin, [&](grpc::ClientContext* c) { return org_stub->CreatePlace(c, place, &building); }), "CreatePlace");
  auto member_stub = mv1::MemberService::NewStub(member.Channel());
  std::vector<std::string> members;
  for (int i = 0; i < 32; ++i) {
    std::string first17 = absl::StrCat("430302", "19700101", absl::StrCat(1000 + i).substr(1));
    mv1::CreateMemberRequest req;
    auto* m = req.mutable_member();
    m->set_display_name(absl::StrCat("党员", i));
    m->set_gender(i % 2 ? mv1::GENDER_MALE : mv1::GENDER_FEMALE);
    m->set_birth_date("1970-01-01");
    m->set_national_id(first17 + member::NationalIdCheckChar(first17));
    m->set_standing(mv1::STANDING_FULL);
    m->set_branch(branch);
    m->mutable_address()->set_building(building.name());
    mv1::Member out;
    Check(Call(admin, [&](grpc::ClientContext* c) { return member_stub->CreateMember(c, req, &out); }), "CreateMember");
    members.push_back(out.name());
  }
  ov1::CoverPlacesRequest cover;
  cover.set_org_unit(group);
  cover.add_places(building.name());
  ov1::CoverPlacesResponse covered;
  Check(Call(admin, [&](grpc::ClientContext* c) { return org_stub->CoverPlaces(c, cover, &covered); }), "CoverPlaces");
  auto stub = dv1::DispatchService::NewStub(dispatch.Channel());
  dv1::CreateCategoryRequest cat;
  cat.set_parent(district);
  cat.set_category_id("repair");
  cat.mutable_category()->set_display_name("维修");
  cat.mutable_category()->set_limit_hours(24);
  dv1::Category category;
  Check(Call(admin, [&](grpc::ClientContext* c) { return stub->CreateCategory(c, cat, &category); }), "CreateCategory");

  std::string leader = key.Token("leader", {"secretary"}, group, absl::Minutes(15));
  std::vector<std::string> member_tokens;
  for (const auto& m : members) member_tokens.push_back(key.Token(m, {"member"}, community, absl::Minutes(15)));
  std::vector<std::string> residents;
  for (int i = 0; i < clients; ++i)
    residents.push_back(key.Token(absl::StrCat("resident-", i), {"resident"}, district, absl::Minutes(15)));
  std::vector<std::string> names(static_cast<size_t>(total));

  // Runs `step(i, stub, token)` for every workflow i, `clients` at a time.
  auto cpu_now = [&] { return Cpu{CpuSeconds(db.pid()), CpuSeconds(dispatch.pid()), CpuSeconds(getpid())}; };
  DbOptions status_options;
  status_options.socket = db.socket();
  status_options.database = "bench_raw";
  status_options.pool_size = 1;
  auto status_pool = DbPool::Create(status_options, nullptr);
  if (!status_pool.ok()) return 1;
  // Runs every workflow's step, `clients` calls in flight: as each answer
  // comes back, that client starts its next call. One thread drives them all
  // through a completion queue (gRPC's async API), so the load costs this
  // process little CPU and no thread hand-offs. `start(i, stub, cq)` starts
  // workflow i's call and returns it.
  using Stub = dv1::DispatchService::Stub;
  // The load's connections: separate channels that share no connection.
  std::vector<std::unique_ptr<Stub>> load_stubs;
  for (int i = 0; i < std::max(1, absl::GetFlag(FLAGS_connections)); ++i) {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    load_stubs.push_back(dv1::DispatchService::NewStub(
        grpc::CreateCustomChannel(dispatch.target(), grpc::InsecureChannelCredentials(), args)));
  }
  auto run = [&](const char* name, auto start) {
    Step s{name, {}, 0, {}, {}, {}};
    const Counters counters_before = ServerCounters(**status_pool);
    const Counters service_before = ServiceCounters(dispatch.metrics_port(), "writes");
    const Cpu cpu_before = cpu_now();
    grpc::CompletionQueue cq;
    int next = 0, running = 0;
    absl::Time t0 = absl::Now();
    auto launch = [&](int client) {
      if (next >= total) return;
      absl::Time call_start = absl::Now();
      Pending* p = start(next++, *load_stubs[static_cast<size_t>(client) % load_stubs.size()], &cq);
      p->client = client;
      p->start = call_start;
      ++running;
    };
    for (int t = 0; t < clients; ++t) launch(t);
    void* tag = nullptr;
    bool ok = false;
    while (running > 0 && cq.Next(&tag, &ok)) {
      std::unique_ptr<Pending> p(static_cast<Pending*>(tag));
      --running;
      s.latencies.ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - p->start));
      Check(p->status, p->what);
      if (p->then) p->then(p->out);
      launch(p->client);
    }
    cq.Shutdown();
    while (cq.Next(&tag, &ok)) {
    }
    s.seconds = absl::ToDoubleSeconds(absl::Now() - t0);
    const Cpu cpu_after = cpu_now();
    s.cpu = {cpu_after.db - cpu_before.db, cpu_after.service - cpu_before.service,
             cpu_after.client - cpu_before.client};
    s.counters = ServerCounters(**status_pool);
    for (auto& [k, v] : s.counters) v -= counters_before.at(k);
    s.service = ServiceCounters(dispatch.metrics_port(), "writes");
    for (auto& [k, v] : s.service) v -= service_before.at(k);
    return s;
  };
  // The stub's PrepareAsync method for `m`, as LoadCall::Start wants it.
#define LIANXIN_PREPARE(m)                                                      \
  [&st](grpc::ClientContext* ctx, const auto& req, grpc::CompletionQueue* cq) { \
    return st.PrepareAsync##m(ctx, req, cq);                                    \
  }
  auto resident_of = [&](int i) { return residents[static_cast<size_t>(i % clients)]; };
  auto member_of = [&](int i) { return static_cast<size_t>(i % static_cast<int>(members.size())); };
  std::vector<Step> steps;
  absl::Time all_start = absl::Now();
  steps.push_back(run("submit", [&](int i, Stub& st, grpc::CompletionQueue* cq) {
    auto* c = new LoadCall<dv1::SubmitRequestRequest>(resident_of(i), "SubmitRequest");
    auto* r = c->req.mutable_request();
    r->set_category(category.name());
    r->set_description(absl::StrCat("楼道灯坏了 #", i));
    r->set_place(building.name());
    r->set_contact_phone("13812345678");
    r->set_urgency(dv1::URGENCY_NORMAL);
    c->req.set_allow_duplicate(true);
    c->req.set_request_id(absl::StrCat("bench-", i));
    c->then = [&names, i](const dv1::Request& out) { names[static_cast<size_t>(i)] = out.name(); };
    return c->Start(LIANXIN_PREPARE(SubmitRequest), cq);
  }));
  steps.push_back(run("dispatch", [&](int i, Stub& st, grpc::CompletionQueue* cq) {
    auto* c = new LoadCall<dv1::DispatchRequestRequest>(leader, "DispatchRequest");
    c->req.set_name(names[static_cast<size_t>(i)]);
    c->req.set_member(members[member_of(i)]);
    return c->Start(LIANXIN_PREPARE(DispatchRequest), cq);
  }));
  steps.push_back(run("accept", [&](int i, Stub& st, grpc::CompletionQueue* cq) {
    auto* c = new LoadCall<dv1::AcceptRequestRequest>(member_tokens[member_of(i)], "AcceptRequest");
    c->req.set_name(names[static_cast<size_t>(i)]);
    return c->Start(LIANXIN_PREPARE(AcceptRequest), cq);
  }));
  steps.push_back(run("resolve", [&](int i, Stub& st, grpc::CompletionQueue* cq) {
    auto* c = new LoadCall<dv1::ResolveRequestRequest>(member_tokens[member_of(i)], "ResolveRequest");
    c->req.set_name(names[static_cast<size_t>(i)]);
    c->req.set_resolution("已更换");
    c->req.set_minutes_spent(30);
    return c->Start(LIANXIN_PREPARE(ResolveRequest), cq);
  }));
  steps.push_back(run("confirm", [&](int i, Stub& st, grpc::CompletionQueue* cq) {
    auto* c = new LoadCall<dv1::ConfirmRequestRequest>(resident_of(i), "ConfirmRequest");
    c->req.set_name(names[static_cast<size_t>(i)]);
    c->req.set_rating(5);
    return c->Start(LIANXIN_PREPARE(ConfirmRequest), cq);
  }));
#undef LIANXIN_PREPARE
  double all_s = absl::ToDoubleSeconds(absl::Now() - all_start);

  // The yardstick: single-row durable inserts from a plain client, same concurrency.
  DbOptions options;
  options.socket = db.socket();
  options.database = "bench_raw";
  options.pool_size = clients;
  auto pool = DbPool::Create(options, nullptr);
  if (!pool.ok()) return 1;
  (*pool)
      ->Run([](Db& d) {
        return d.Execute("CREATE TABLE IF NOT EXISTS raw (id BIGINT PRIMARY KEY, v VARCHAR(64)) ENGINE=InnoDB");
      })
      .IgnoreError();
  const Cpu raw_before = cpu_now();
  std::atomic<int64_t> inserted{0};
  std::atomic<int64_t> id{0};
  absl::Time raw_end = absl::Now() + absl::Seconds(absl::GetFlag(FLAGS_raw_seconds));
  std::vector<std::thread> threads;
  for (int t = 0; t < clients; ++t) {
    threads.emplace_back([&] {
      while (absl::Now() < raw_end) {
        absl::Status s = (*pool)->Run([&](Db& d) {
          return d.Exec("INSERT INTO raw (id, v) VALUES (?, ?)", {id++, std::string("x")}).status();
        });
        if (s.ok()) ++inserted;
      }
    });
  }
  for (auto& th : threads) th.join();
  double raw_rate = static_cast<double>(inserted.load()) / absl::GetFlag(FLAGS_raw_seconds);
  const Cpu raw_after = cpu_now();

  std::printf(
      "| step (%d clients, %d requests) | per second | %% of raw inserts | p50 | p99 |\n|---|---|---|---|---|\n",
      clients, total);
  for (auto& s : steps) {
    double rate = total / s.seconds;
    std::printf("| %s | %.0f | %.0f%% | %.2f ms | %.2f ms |\n", s.name, rate, 100 * rate / raw_rate,
                s.latencies.Pct(0.5), s.latencies.Pct(0.99));
  }
  std::printf("| whole life (5 steps) | %.0f workflows/s | | | |\n", total / all_s);
  std::printf("| raw single-row durable inserts, %d clients | %.0f | 100%% | | |\n", clients, raw_rate);
  // Where the machine's time went: CPU microseconds per call in each process,
  // and the share of all cores used during the step.
  const double cores = static_cast<double>(sysconf(_SC_NPROCESSORS_ONLN));
  std::printf(
      "\n| step | CPU µs per call: MariaDB | dispatch service | client | cores busy |\n|---|---|---|---|---|\n");
  for (auto& s : steps) {
    std::printf("| %s | %.0f | %.0f | %.0f | %.0f%% |\n", s.name, 1e6 * s.cpu.db / total, 1e6 * s.cpu.service / total,
                1e6 * s.cpu.client / total, 100 * (s.cpu.db + s.cpu.service + s.cpu.client) / (s.seconds * cores));
  }
  const double raw_n = static_cast<double>(inserted.load());
  std::printf("| raw insert | %.0f | | %.0f | %.0f%% |\n", 1e6 * (raw_after.db - raw_before.db) / raw_n,
              1e6 * (raw_after.client - raw_before.client) / raw_n,
              100 * (raw_after.db - raw_before.db + raw_after.client - raw_before.client) /
                  (absl::GetFlag(FLAGS_raw_seconds) * cores));
  // What each call asked of MariaDB: statements, commits, log writes and
  // fsyncs, index lookups and rows read, updated, written.
  std::printf("\n| step | per call:");
  for (const char* name : kServerCounters) std::printf(" %s |", name);
  std::printf("\n|---|");
  for (size_t i = 0; i < std::size(kServerCounters); ++i) std::printf("---|");
  std::printf("\n");
  for (auto& s : steps) {
    std::printf("| %s |", s.name);
    for (const char* name : kServerCounters) std::printf(" %.2f |", s.counters[name] / total);
    std::printf("\n");
  }
  // How the dispatch service wrote: jobs per batch, and the time a batch's
  // statements took on its connection (the commit's fsync included).
  // And where a call's time went: in the service (from its arrival to its
  // answer), of which in the database (a batch's statements, commit included).
  std::printf(
      "\n| step | batches | jobs per batch | ms in the database per batch | ms in the service per call | "
      "ms per call at the client (mean) |\n|---|---|---|---|---|---|\n");
  for (auto& s : steps) {
    double batches = s.service["batches"];
    double statements = s.service["statements"];
    double calls = s.service["calls"];
    double client_ms = 0;
    for (double ms : s.latencies.ms) client_ms += ms;
    std::printf("| %s | %.0f | %.1f | %.3f | %.3f | %.3f |\n", s.name, batches,
                batches > 0 ? s.service["jobs"] / batches : 0,
                batches > 0 && statements > 0 ? 1e3 * s.service["statement_seconds"] / batches : 0,
                calls > 0 ? 1e3 * s.service["call_seconds"] / calls : 0,
                s.latencies.ms.empty() ? 0 : client_ms / static_cast<double>(s.latencies.ms.size()));
  }
  return 0;
}

}  // namespace
}  // namespace lianxin::testing

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return lianxin::testing::Main();
}
