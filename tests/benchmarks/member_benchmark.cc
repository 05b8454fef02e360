// The member service with a district's worth of members (not a timed test).
//
//   build/tests/member_benchmark [--members=100000] [--streams=4] [--clients=16] [--samples=2000]
//
// Starts its own MariaDB (durable settings), an org service and a member
// service process (SM4 field encryption on), builds 1 district, 1 street,
// 5 communities and 100 branches through the org API, then imports
// --members generated members (valid ID numbers and phones, a tenth with
// health notes, every one sealed and blind-indexed) through ImportMembers,
// --streams streams at once. Then measures GetMember and a branch-subtree
// search (ListMembers under a community, filtered by category, first page of
// 50), one call in flight and --clients in flight, and reads the member
// service's peak memory; last, the to-do sweep (common/todos.h) over the
// member table: one member in 50 is probationary with the probation ending in
// 15 days, so the first sweep opens 2,000 to-dos and later ones find nothing
// new (the service's own sweep is held off with --todo_interval_ms).
// Prints a markdown table for docs/benchmarks.md.
#include <atomic>
#include <cstdio>
#include <fstream>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/client.h"
#include "common/clock.h"
#include "common/todos.h"
#include "lianxin/member/v1/member_service.grpc.pb.h"
#include "lianxin/org/v1/org_service.grpc.pb.h"
#include "services/clients/member/identity.h"
#include "services/clients/member/import_client.h"
#include "services/member/member_logic.h"
#include "services/member/member_store.h"
#include "tests/benchmarks/bench_util.h"
#include "tests/support/harness.h"

ABSL_FLAG(int, members, 100000, "members imported");
ABSL_FLAG(int, streams, 4, "import streams at once");
ABSL_FLAG(int, batch, 500, "rows per stream message");
ABSL_FLAG(int, clients, 16, "calls in flight for the loaded figures");
ABSL_FLAG(int, samples, 2000, "calls measured per figure");

namespace lianxin::testing {
namespace {

namespace mv1 = ::lianxin::member::v1;
namespace ov1 = ::lianxin::org::v1;

std::string Unit(ov1::OrgService::Stub& org, const std::string& token, const std::string& parent, ov1::OrgUnitType type,
                 const std::string& code) {
  ov1::CreateOrgUnitRequest req;
  req.mutable_org_unit()->set_parent(parent);
  req.mutable_org_unit()->set_type(type);
  req.mutable_org_unit()->set_code(code);
  req.mutable_org_unit()->set_display_name(absl::StrCat("单位", code));
  ov1::OrgUnit out;
  grpc::ClientContext ctx;
  PrepareClientContext(&ctx, token, "", absl::Seconds(30));
  Check(org.CreateOrgUnit(&ctx, req, &out), "CreateOrgUnit");
  return out.name();
}

// Member i: a distinct valid ID number (birth date from i, then a sequence).
mv1::Member Generated(int i, const std::string& branch) {
  absl::CivilDay birth = absl::CivilDay(1940, 1, 1) + (static_cast<int64_t>(i) * 7919) % 21000;
  int seq = (i / 21000) * 7 + i % 7;  // (birth, seq) distinct for i < 147,000
  std::string day = absl::FormatCivilTime(birth);
  std::string first17 =
      absl::StrCat("110105", day.substr(0, 4), day.substr(5, 2), day.substr(8, 2), absl::StrCat(1000 + seq).substr(1));
  mv1::Member m;
  m.set_display_name(absl::StrCat("党员", i));
  m.set_gender(seq % 2 == 1 ? mv1::GENDER_MALE : mv1::GENDER_FEMALE);
  m.set_ethnicity("汉族");
  m.set_birth_date(day);
  m.set_national_id(first17 + member::NationalIdCheckChar(first17));
  m.set_phone(absl::StrCat("139", absl::StrCat(100000000 + i).substr(1)));
  m.set_standing(mv1::STANDING_FULL);
  m.set_join_date("1990-07-01");
  if (i % 50 == 0) {  // probation ends in 15 days: a to-do
    m.set_standing(mv1::STANDING_PROBATIONARY);
    m.set_join_date(BeijingDate(absl::Now() - absl::Hours(24 * 350)));
  }
  m.add_categories(i % 3 == 0 ? mv1::CATEGORY_EMPLOYED : mv1::CATEGORY_RETIRED);
  if (i % 5 == 0) m.add_skills("法律咨询");
  if (i % 10 == 0) m.set_health_notes("高血压，需定期随访");
  m.set_branch(branch);
  return m;
}

int Main() {
  const int total = absl::GetFlag(FLAGS_members);
  const int streams = absl::GetFlag(FLAGS_streams);
  const int clients = absl::GetFlag(FLAGS_clients);
  const int samples = absl::GetFlag(FLAGS_samples);
  PrivateMariaDb db;
  if (!db.Start().ok()) return 1;
  TestKey key;
  std::string keys = TempDir("bench-keys") + "/member.keys";
  std::vector<std::string> field_keys = WriteFieldKeys(keys.substr(0, keys.rfind('/')), "member");
  int member_port = FreePort();
  ServiceProcess org("org",
                     {"lianxin_org",
                      db.socket(),
                      {"--workers=8", "--log_level=warning", absl::StrCat("--member_target=127.0.0.1:", member_port)}},
                     key);
  if (!org.Start().ok()) return 1;
  ServiceProcess member(
      "member",
      {"lianxin_member",
       db.socket(),
       {"--workers=8", "--log_level=warning", "--org_target=" + org.target(), field_keys[0], field_keys[1],
        absl::StrCat("--listen=127.0.0.1:", member_port), "--todo_interval_ms=600000"}},
      key);
  if (absl::Status s = member.Start(); !s.ok()) {
    std::fprintf(stderr, "%s\n%s\n", std::string(s.message()).c_str(), member.Log().c_str());
    return 1;
  }
  std::string token = key.Token("bench", {"operator"}, "*", absl::Minutes(15));
  auto org_stub = ov1::OrgService::NewStub(org.Channel());
  std::string district = Unit(*org_stub, token, "", ov1::ORG_UNIT_TYPE_DISTRICT_COMMITTEE, "D");
  std::string street = Unit(*org_stub, token, district, ov1::ORG_UNIT_TYPE_STREET_WORKING_COMMITTEE, "S");
  std::vector<std::string> communities, branches;
  for (int c = 0; c < 5; ++c) {
    communities.push_back(Unit(*org_stub, token, street, ov1::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE, absl::StrCat("C", c)));
    for (int b = 0; b < 20; ++b) {
      branches.push_back(
          Unit(*org_stub, token, communities.back(), ov1::ORG_UNIT_TYPE_BRANCH, absl::StrCat("C", c, "B", b)));
    }
  }

  // Each stream imports a contiguous slice; member i belongs to branch i % 100.
  std::vector<std::vector<mv1::ImportRow>> slices(static_cast<size_t>(streams));
  for (int i = 0; i < total; ++i) {
    mv1::ImportRow row;
    row.set_row(i + 1);
    *row.mutable_member() = Generated(i, branches[static_cast<size_t>(i) % branches.size()]);
    slices[static_cast<size_t>(i) * streams / total].push_back(std::move(row));
  }
  auto member_stub = mv1::MemberService::NewStub(member.Channel());
  std::atomic<int> created{0};
  absl::Time start = absl::Now();
  std::vector<std::thread> threads;
  for (int s = 0; s < streams; ++s) {
    threads.emplace_back([&, s] {
      auto stub = mv1::MemberService::NewStub(member.Channel());
      mv1::ImportOptions options;
      options.set_source(absl::StrCat("benchmark list ", s));
      auto report =
          member::StreamImport(*stub, token, options, slices[static_cast<size_t>(s)], absl::GetFlag(FLAGS_batch));
      if (!report.ok() || report->problems_size() > 0) {
        std::fprintf(
            stderr, "import %d: %s\n", s,
            report.ok() ? report->problems(0).reason().c_str() : std::string(report.status().message()).c_str());
        std::exit(1);
      }
      created += report->progress().created();
    });
  }
  for (auto& t : threads) t.join();
  double import_s = absl::ToDoubleSeconds(absl::Now() - start);
  if (created.load() != total) {
    std::fprintf(stderr, "created %d of %d\n", created.load(), total);
    return 1;
  }

  // Names to read: every member created, found back through the list.
  std::vector<std::string> names;
  for (const auto& community : communities) {
    mv1::ListMembersRequest req;
    req.set_parent(community);
    req.set_page_size(500);
    do {
      mv1::ListMembersResponse resp;
      grpc::ClientContext ctx;
      PrepareClientContext(&ctx, token, "", absl::Seconds(30));
      Check(member_stub->ListMembers(&ctx, req, &resp), "ListMembers");
      for (const auto& m : resp.members()) names.push_back(m.name());
      req.set_page_token(resp.next_page_token());
    } while (!req.page_token().empty() && names.size() < 20000);
  }

  auto get = [&](mv1::MemberService::Stub& stub, absl::BitGen& g) {
    mv1::GetMemberRequest req;
    req.set_name(names[absl::Uniform<size_t>(g, 0, names.size())]);
    mv1::Member out;
    grpc::ClientContext ctx;
    PrepareClientContext(&ctx, token, "", absl::Seconds(5));
    Check(stub.GetMember(&ctx, req, &out), "GetMember");
  };
  auto search = [&](mv1::MemberService::Stub& stub, absl::BitGen& g) {
    mv1::ListMembersRequest req;
    req.set_parent(communities[absl::Uniform<size_t>(g, 0, communities.size())]);
    req.set_category(mv1::CATEGORY_RETIRED);
    req.set_page_size(50);
    mv1::ListMembersResponse out;
    grpc::ClientContext ctx;
    PrepareClientContext(&ctx, token, "", absl::Seconds(5));
    Check(stub.ListMembers(&ctx, req, &out), "ListMembers");
    if (out.members_size() != 50) std::exit(2);
  };
  auto loaded = [&](auto call, double* per_second) {
    std::vector<Latencies> per(static_cast<size_t>(clients));
    absl::Time t0 = absl::Now();
    std::vector<std::thread> ts;
    for (int t = 0; t < clients; ++t) {
      ts.emplace_back([&, t] {
        auto stub = mv1::MemberService::NewStub(member.Channel());
        absl::BitGen g;
        per[static_cast<size_t>(t)] = Measure(samples / 4, [&](int) { call(*stub, g); });
      });
    }
    for (auto& t : ts) t.join();
    Latencies all;
    for (auto& l : per) all.Add(l);
    *per_second = static_cast<double>(all.ms.size()) / absl::ToDoubleSeconds(absl::Now() - t0);
    return all;
  };
  absl::BitGen gen;
  Latencies get1 = Measure(samples, [&](int) { get(*member_stub, gen); });
  Latencies search1 = Measure(samples, [&](int) { search(*member_stub, gen); });
  double get_rate = 0, search_rate = 0;
  Latencies getn = loaded(get, &get_rate);
  Latencies searchn = loaded(search, &search_rate);
  double peak = PeakRssMiB(member.pid());

  // The to-do sweep, on the member service's schema as the service runs it.
  DbOptions options;
  options.socket = db.socket();
  options.database = "lianxin_member";
  options.create_database = false;
  auto pool = DbPool::Create(options, nullptr);
  if (!pool.ok()) return 1;
  auto due = [](Db& d, absl::Time now) -> absl::StatusOr<std::vector<TodoItem>> {
    member::store::TodoDays days;
    days.today = BeijingDate(now);
    days.lost_before = member::DaysBefore(days.today, 6, 0);
    days.suspended_before = member::DaysBefore(days.today, 0, 2);
    days.probation_by = absl::FormatCivilTime(BeijingDay(now) + 30);
    days.returned_since_us = absl::ToUnixMicros(now - absl::Hours(24 * 30));
    return member::store::DueTodos(d, days);
  };
  int opened = 0;
  Latencies first = Measure(1, [&](int) { opened = SweepTodos(**pool, absl::Now(), due).value_or(-1); });
  Latencies steady = Measure(20, [&](int) { (void)SweepTodos(**pool, absl::Now(), due); });

  std::printf("| figure | value |\n|---|---|\n");
  std::printf("| members imported (%d streams, batches of %d) | %d in %.1f s: %.0f members/s |\n", streams,
              absl::GetFlag(FLAGS_batch), total, import_s, total / import_s);
  std::printf("| get, 1 in flight: p50 / p99 | %.2f ms / %.2f ms |\n", get1.Pct(0.5), get1.Pct(0.99));
  std::printf("| get, %d in flight: p50 / p99, throughput | %.2f ms / %.2f ms, %.0f/s |\n", clients, getn.Pct(0.5),
              getn.Pct(0.99), get_rate);
  std::printf("| community search (20 branches, 20,000 members), first 50 retired: p50 / p99 | %.2f ms / %.2f ms |\n",
              search1.Pct(0.5), search1.Pct(0.99));
  std::printf("| the same search, %d in flight: p50 / p99, throughput | %.2f ms / %.2f ms, %.0f/s |\n", clients,
              searchn.Pct(0.5), searchn.Pct(0.99), search_rate);
  std::printf("| member service peak memory (VmHWM) | %.0f MiB |\n", peak);
  std::printf("| to-do sweep, first: %d probations due opened | %.0f ms |\n", opened, first.Pct(0.5));
  std::printf("| to-do sweep, nothing new (20 sweeps): p50 / max | %.0f ms / %.0f ms |\n", steady.Pct(0.5),
              steady.Pct(1.0));
  RemoveTempDir(keys.substr(0, keys.rfind('/')));
  return 0;
}

}  // namespace
}  // namespace lianxin::testing

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return lianxin::testing::Main();
}
