// The activity service under a check-in storm and over a district (not a
// timed test).
//
//   build/tests/activity_benchmark [--members=100000] [--peak_seconds=30] [--clients=32]
//
// Starts its own MariaDB (durable settings) with the org, member and activity
// services, and builds a district of about 20,000 units through the org API
// (as org_benchmark: 10 streets, 100 communities, 2,000 branches, 18,000
// groups) and imports --members members into its branches. Then:
//  - the storm: every branch plans a theme day, and every member checks in
//    with the code shown at the venue (each venue's code fetched again when
//    15 s old, as its screen would). Within an hour, peaking at ten times the
//    hour's average: that peak is offered for --peak_seconds on a schedule
//    (latency counted from when each check-in was due); then the rest check in
//    as fast as the service takes them, --clients in flight; then as many
//    single-row durable inserts from a plain client at the same concurrency,
//    the yardstick;
//  - compliance: a year of held activities for every branch and group (the
//    regulation's rhythm, one unit in ten short one month), written straight
//    into the activity schema; then ListUnitsBehind over the district and over
//    a street, and GetCompliance of a branch, one call in flight.
// Prints markdown tables for docs/benchmarks.md.
#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "common/client.h"
#include "common/clock.h"
#include "common/db.h"
#include "common/status.h"
#include "common/timestamps.h"
#include "lianxin/activity/v1/activity_service.grpc.pb.h"
#include "lianxin/member/v1/member_service.grpc.pb.h"
#include "lianxin/org/v1/org_service.grpc.pb.h"
#include "services/clients/member/identity.h"
#include "services/clients/member/import_client.h"
#include "tests/benchmarks/bench_util.h"
#include "tests/benchmarks/counters.h"
#include "tests/benchmarks/load.h"
#include "tests/benchmarks/platform.h"

ABSL_FLAG(int, members, 100000, "members of the district, all checking in at their branch's theme day");
ABSL_FLAG(int, peak_seconds, 30, "how long the peak (ten times an hour's average) is offered");
ABSL_FLAG(int, clients, 32, "check-ins (and raw inserts) in flight after the peak");
ABSL_FLAG(int, streets, 10, "streets; each has 10 communities of 20 branches of 9 groups");
ABSL_FLAG(int, samples, 20, "calls measured for the district's list (ten times as many for the smaller ones)");

namespace lianxin::testing {
namespace {

namespace av1 = ::lianxin::activity::v1;
namespace mv1 = ::lianxin::member::v1;
namespace ov1 = ::lianxin::org::v1;

// The benchmark's own SQL as a call's status, for Check.
grpc::Status Grpc(const absl::Status& s) { return ToGrpcStatus(s, "bench"); }

// Each of `parents` gets `per_parent` children of `type`.
std::vector<std::string> Level(ov1::OrgService::Stub& org, const std::string& token,
                               const std::vector<std::string>& parents, int per_parent, ov1::OrgUnitType type,
                               const std::string& prefix) {
  std::vector<std::string> out(parents.size() * static_cast<size_t>(per_parent));
  Parallel(static_cast<int>(out.size()), 16, [&](int i) {
    const size_t p = static_cast<size_t>(i / per_parent);
    ov1::CreateOrgUnitRequest req;
    req.mutable_org_unit()->set_parent(parents[p]);
    req.mutable_org_unit()->set_type(type);
    req.mutable_org_unit()->set_code(absl::StrCat(prefix, i));
    req.mutable_org_unit()->set_display_name(absl::StrCat("单位", prefix, i));
    ov1::OrgUnit u;
    Check(Call(token, [&](grpc::ClientContext* c) { return org.CreateOrgUnit(c, req, &u); }), "CreateOrgUnit");
    out[static_cast<size_t>(i)] = u.name();
  });
  return out;
}

// A year of the regulation's rhythm for every branch (member meetings and
// party lectures quarterly, committee meetings and theme days monthly, an
// organizational life meeting) and group (group meetings monthly), in the
// months that ended; one unit in ten (by a hash of its id) skipped March.
void SeedYear(DbPool& pool, int year, int months) {
  struct Kind {
    int unit_type, type, every;  // every n-th month
  };
  const Kind kinds[] = {{5, 1, 3}, {5, 4, 3}, {5, 2, 1}, {5, 5, 1}, {5, 6, 12}, {6, 3, 1}};
  for (const Kind& k : kinds) {
    absl::Status s = pool.Run([&](Db& d) {
      return d.Execute(absl::StrCat(
          "INSERT INTO lianxin_activity.activities (id, district_id, host_unit_id, host_path, host_unit_type, type, "
          "state, title, host, start_us, end_us, start_date, agenda, minutes, photo_urls, delivered_to, "
          "check_in_secret, expected_count, present_count, valid, version, created_us, updated_us) "
          "SELECT CONCAT(u.id, '-', ",
          k.type, ", '-', s.seq), u.district_id, u.id, u.path, u.type, ", k.type,
          ", 2, 'bench', 'bench', 0, 0, MAKEDATE(", year,
          ", 1) + INTERVAL (s.seq - 1) MONTH + INTERVAL 14 DAY, "
          "'', '', '', '', REPEAT('0', 64), 10, 8, 1, 1, 0, 0 FROM lianxin_org.org_units u JOIN seq_1_to_",
          months, " s ON (s.seq - 1) % ", k.every, " = 0 WHERE u.type = ", k.unit_type,
          " AND NOT (CRC32(u.id) % 10 = 0 AND s.seq = 3)"));
    });
    if (!s.ok()) {
      std::fprintf(stderr, "seeding: %s\n", std::string(s.message()).c_str());
      std::exit(1);
    }
  }
}

// Member i of the district: a valid ID (birth date and sequence distinct for
// i < 147,000), in branch i % branches.
mv1::Member Generated(int i, const std::string& branch) {
  const absl::CivilDay birth = absl::CivilDay(1940, 1, 1) + (static_cast<int64_t>(i) * 7919) % 21000;
  const int seq = (i / 21000) * 7 + i % 7;
  const std::string day = absl::FormatCivilTime(birth);
  const std::string first17 =
      absl::StrCat("430302", day.substr(0, 4), day.substr(5, 2), day.substr(8, 2), absl::StrCat(1000 + seq).substr(1));
  mv1::Member m;
  m.set_display_name(absl::StrCat("党员", i));
  m.set_gender(seq % 2 == 1 ? mv1::GENDER_MALE : mv1::GENDER_FEMALE);
  m.set_birth_date(day);
  m.set_national_id(first17 + member::NationalIdCheckChar(first17));
  m.set_standing(mv1::STANDING_FULL);
  m.set_branch(branch);
  return m;
}

// The codes shown at the venues: each venue's fetched again when 15 s old
// (as its screen would), by whichever check-in finds it so — or, while
// Screens() runs, by a thread of its own a little before that.
class Venues {
 public:
  Venues(av1::ActivityService::Stub& stub, std::string token, std::vector<std::string> activities)
      : stub_(stub), token_(std::move(token)), activities_(std::move(activities)), slots_(activities_.size()) {}

  std::string Code(size_t activity, absl::Duration max_age = absl::Seconds(15)) {
    Slot& slot = slots_[activity];
    std::lock_guard<std::mutex> l(slot.mu);
    if (absl::Now() - slot.at > max_age) {
      av1::GetCheckInCodeRequest req;
      req.set_name(activities_[activity]);
      av1::CheckInCode out;
      Check(Call(token_, [&](grpc::ClientContext* c) { return stub_.GetCheckInCode(c, req, &out); }), "code");
      slot.code = out.code();
      slot.at = absl::Now();
    }
    return slot.code;
  }

  // Refreshes every venue's code when 12 s old until `stop`: a load driven
  // from one thread then does not wait for codes.
  std::thread Screens(const std::atomic<bool>& stop) {
    return std::thread([this, &stop] {
      while (!stop) {
        for (size_t i = 0; i < slots_.size() && !stop; ++i) Code(i, absl::Seconds(12));
        absl::SleepFor(absl::Milliseconds(200));
      }
    });
  }

 private:
  struct Slot {
    std::mutex mu;
    std::string code;
    absl::Time at = absl::InfinitePast();
  };
  av1::ActivityService::Stub& stub_;
  const std::string token_;
  const std::vector<std::string> activities_;
  std::vector<Slot> slots_;
};

int Main() {
  const int n_members = absl::GetFlag(FLAGS_members), clients = absl::GetFlag(FLAGS_clients);
  const int samples = absl::GetFlag(FLAGS_samples);
  BenchPlatform p("bench-activity");
  const std::vector<std::string> common = {"--workers=16", "--log_level=warning"};
  if (!p.Start(common, {})) return 1;
  const std::vector<std::string> keys = WriteFieldKeys(p.dir, "activity");
  ServiceProcess activity("activity",
                          {"lianxin_activity",
                           p.db.socket(),
                           {"--org_target=" + p.org->target(), "--member_target=" + p.member->target(),
                            "--dispatch_target=", keys[0], keys[1], common[0], common[1]}},
                          p.key);
  if (absl::Status s = activity.Start(); !s.ok()) {
    std::fprintf(stderr, "%s\n%s\n", std::string(s.message()).c_str(), activity.Log().c_str());
    return 1;
  }
  const std::string admin = p.key.Token("bench", {"operator"}, "*", absl::Minutes(15));
  auto org = ov1::OrgService::NewStub(p.org->Channel());
  auto stub = av1::ActivityService::NewStub(activity.Channel());

  absl::Time built_from = absl::Now();
  const auto district = Level(*org, admin, {""}, 1, ov1::ORG_UNIT_TYPE_DISTRICT_COMMITTEE, "D");
  const auto streets =
      Level(*org, admin, district, absl::GetFlag(FLAGS_streets), ov1::ORG_UNIT_TYPE_STREET_WORKING_COMMITTEE, "S");
  const auto communities = Level(*org, admin, streets, 10, ov1::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE, "C");
  const auto branches = Level(*org, admin, communities, 20, ov1::ORG_UNIT_TYPE_BRANCH, "B");
  const auto groups = Level(*org, admin, branches, 9, ov1::ORG_UNIT_TYPE_PARTY_GROUP, "G");
  const size_t units = 1 + streets.size() + communities.size() + branches.size() + groups.size();
  std::fprintf(stderr, "built %zu units in %.0f s\n", units, absl::ToDoubleSeconds(absl::Now() - built_from));

  // The members, four import streams.
  std::vector<std::vector<mv1::ImportRow>> slices(4);
  for (int i = 0; i < n_members; ++i) {
    mv1::ImportRow row;
    row.set_row(i + 1);
    *row.mutable_member() = Generated(i, branches[static_cast<size_t>(i) % branches.size()]);
    slices[static_cast<size_t>(i) * 4 / static_cast<size_t>(n_members)].push_back(std::move(row));
  }
  Parallel(4, 4, [&](int s) {
    auto members = mv1::MemberService::NewStub(p.member->Channel());
    mv1::ImportOptions options;
    options.set_source(absl::StrCat("benchmark list ", s));
    auto report = member::StreamImport(*members, admin, options, slices[static_cast<size_t>(s)], 500);
    if (!report.ok() || report->problems_size() > 0) {
      std::fprintf(stderr, "import: %s\n", report.ok() ? report->problems(0).reason().c_str() : "failed");
      std::exit(1);
    }
  });

  // Every branch's theme day, in ten minutes: check-in is open.
  std::vector<std::string> days(branches.size());
  Parallel(static_cast<int>(branches.size()), 16, [&](int b) {
    av1::CreateActivityRequest req;
    req.set_parent(branches[static_cast<size_t>(b)]);
    auto* a = req.mutable_activity();
    a->set_type(av1::ACTIVITY_TYPE_THEME_DAY);
    a->set_title("主题党日");
    a->set_place("党群服务中心");
    SetTimestampUs(absl::ToUnixMicros(absl::Now() + absl::Minutes(10)), a->mutable_start_time());
    SetTimestampUs(absl::ToUnixMicros(absl::Now() + absl::Hours(3)), a->mutable_end_time());
    av1::Activity out;
    Check(Call(
              admin, [&](grpc::ClientContext* c) { return stub->CreateActivity(c, req, &out); }, absl::Seconds(60)),
          "CreateActivity");
    days[static_cast<size_t>(b)] = out.name();
  });
  // Who is expected where, read from the schema (set-up only), in a random order.
  DbOptions options;
  options.socket = p.db.socket();
  options.database = "bench_raw";
  options.pool_size = clients;
  auto pool = DbPool::Create(options, nullptr);
  if (!pool.ok()) return 1;
  std::map<std::string, size_t> day_of;
  for (size_t i = 0; i < days.size(); ++i) day_of[days[i].substr(days[i].find('/') + 1)] = i;
  std::vector<std::pair<size_t, std::string>> who;  // (theme day, members/{id})
  Check(Grpc((*pool)->Run([&](Db& d) {
          return d.Query("SELECT activity_id, member_id FROM lianxin_activity.attendances", {}, [&](const Row& r) {
            who.emplace_back(day_of[r.Str("activity_id")], absl::StrCat("members/", r.Str("member_id")));
          });
        })),
        "expected");
  if (static_cast<int>(who.size()) != n_members) {
    std::fprintf(stderr, "%zu expected of %d members\n", who.size(), n_members);
    return 2;
  }
  std::shuffle(who.begin(), who.end(), std::mt19937(42));
  Venues venues(*stub, admin, days);
  auto check_in = [&](size_t i) {
    const auto& [day, member] = who[i];
    const std::string token = p.key.Token(member, {"member"}, district[0], absl::Minutes(15));
    av1::CheckInRequest req;
    req.set_activity(days[day]);
    req.set_member(member);
    return [&stub, &venues, day = day, req, token]() mutable {
      req.set_code(venues.Code(day));  // what the venue shows now
      av1::Attendance out;
      Check(Call(token, [&](grpc::ClientContext* c) { return stub->CheckIn(c, req, &out); }), "CheckIn");
    };
  };

  // The peak: ten times the hour's average, on a schedule.
  const double peak_rate = 10.0 * n_members / 3600;
  const int n_peak = std::min(n_members / 2, static_cast<int>(peak_rate * absl::GetFlag(FLAGS_peak_seconds)));
  const absl::Time peak_from = absl::Now() + absl::Milliseconds(100);
  std::vector<Latencies> late(64);
  std::atomic<int> next{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 64; ++t) {
    threads.emplace_back([&, t] {
      for (int i = next++; i < n_peak; i = next++) {
        auto call = check_in(static_cast<size_t>(i));
        const absl::Time due = peak_from + absl::Seconds(i / peak_rate);
        absl::SleepFor(due - absl::Now());
        call();
        late[static_cast<size_t>(t)].ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - due));
      }
    });
  }
  for (auto& th : threads) th.join();
  Latencies peak;
  for (auto& l : late) peak.Add(l);
  const double peak_taken = n_peak / absl::ToDoubleSeconds(absl::Now() - peak_from);

  // The rest, as fast as the service takes them: one thread drives them
  // through a completion queue, each with the member's own token (minted
  // before, outside the measure).
  const int n_rest = n_members - n_peak;
  std::vector<std::string> tokens;
  tokens.reserve(static_cast<size_t>(n_rest));
  for (int i = n_peak; i < n_members; ++i) {
    tokens.push_back(p.key.Token(who[static_cast<size_t>(i)].second, {"member"}, district[0], absl::Minutes(15)));
  }
  struct CheckInCall : AsyncCall {
    av1::CheckInRequest req;
    av1::Attendance out;
    std::unique_ptr<grpc::ClientAsyncResponseReader<av1::Attendance>> reader;
  };
  // Where the time goes: CPU seconds of the database, the activity service
  // and this client; MariaDB's counters; the service's batches.
  auto cpu = [&] {
    return std::array<double, 3>{CpuSeconds(p.db.pid()), CpuSeconds(activity.pid()), CpuSeconds(getpid())};
  };
  const Counters server_from = ServerCounters(**pool);
  const Counters service_from = ServiceCounters(activity.metrics_port(), "attendance_writes");
  const auto cpu_from = cpu();
  std::fprintf(stderr, "the rest: %d check-ins, %d in flight\n", n_rest, clients);  // (a profiler's cue)
  std::atomic<bool> rested{false};
  std::thread screens = venues.Screens(rested);
  absl::Time max_from = absl::Now();
  Latencies most = AsyncLoad(n_rest, clients, [&](int i, grpc::CompletionQueue* cq) {
    const auto& [day, member] = who[static_cast<size_t>(n_peak + i)];
    auto call = std::make_unique<CheckInCall>();
    call->what = "CheckIn";
    PrepareClientContext(&call->ctx, tokens[static_cast<size_t>(i)], "", absl::Seconds(60));
    call->req.set_activity(days[day]);
    call->req.set_member(member);
    call->req.set_code(venues.Code(day));
    call->reader = stub->PrepareAsyncCheckIn(&call->ctx, call->req, cq);
    call->reader->StartCall();
    call->reader->Finish(&call->out, &call->status, call.get());
    return call.release();
  });
  const double max_rate = n_rest / absl::ToDoubleSeconds(absl::Now() - max_from);
  const auto cpu_to = cpu();
  rested = true;
  screens.join();
  const Counters server = Moved(server_from, ServerCounters(**pool));
  const Counters service = Moved(service_from, ServiceCounters(activity.metrics_port(), "attendance_writes"));
  int64_t present = 0;
  Check(Grpc((*pool)->Run([&](Db& d) {
          return d.Query("SELECT COUNT(*) AS n FROM lianxin_activity.attendances WHERE status = 4", {},
                         [&](const Row& r) { present = r.Int("n"); });
        })),
        "present");
  if (present != n_members) {
    std::fprintf(stderr, "%lld present of %d\n", static_cast<long long>(present), n_members);
    return 2;
  }

  // The yardstick: single-row durable inserts, as many, at the same concurrency.
  Check(Grpc((*pool)->Run([](Db& d) {
          return d.Execute(
              "CREATE TABLE raw (activity_id VARCHAR(64), member_id VARCHAR(64), status TINYINT, at_us BIGINT, "
              "PRIMARY KEY (activity_id, member_id)) ENGINE=InnoDB");
        })),
        "create raw");
  absl::Time raw_from = absl::Now();
  Latencies raw = Parallel(n_rest, clients, [&](int i) {
    Check(Grpc((*pool)->Run([&](Db& d) {
            return d
                .Exec("INSERT INTO raw VALUES (?, ?, 4, ?)",
                      {days[who[static_cast<size_t>(i)].first], who[static_cast<size_t>(i)].second,
                       absl::ToUnixMicros(absl::Now())})
                .status();
          })),
          "raw insert");
  });
  const double raw_rate = n_rest / absl::ToDoubleSeconds(absl::Now() - raw_from);

  // Compliance over the district: the year so far.
  const absl::CivilDay today = BeijingDay(absl::Now());
  const int year = static_cast<int>(today.year()), ended = today.month() - 1;
  absl::Time seeded_from = absl::Now();
  SeedYear(**pool, year, ended > 0 ? ended : 1);
  std::fprintf(stderr, "seeded a year of activities in %.0f s\n", absl::ToDoubleSeconds(absl::Now() - seeded_from));

  int behind = 0, checked = 0;
  auto units_behind = [&](const std::vector<std::string>& roots) {
    absl::BitGen gen;
    return Measure(roots.size() == 1 ? samples : samples * 10, [&](int) {
      av1::ListUnitsBehindRequest req;
      req.set_parent(roots[absl::Uniform<size_t>(gen, 0, roots.size())]);
      req.set_year(year);
      av1::ListUnitsBehindResponse out;
      Check(Call(admin, [&](grpc::ClientContext* c) { return stub->ListUnitsBehind(c, req, &out); }), "behind");
      behind = out.units_behind();
      checked = out.units_checked();
    });
  };
  Latencies whole = units_behind(district);
  const int district_behind = behind, district_checked = checked;
  Latencies street = units_behind(streets);
  absl::BitGen gen;
  Latencies one = Measure(samples * 10, [&](int) {
    av1::GetComplianceRequest req;
    req.set_org_unit(branches[absl::Uniform<size_t>(gen, 0, branches.size())]);
    req.set_year(year);
    av1::UnitCompliance out;
    Check(Call(admin, [&](grpc::ClientContext* c) { return stub->GetCompliance(c, req, &out); }), "compliance");
  });

  std::printf("| figure | value |\n|---|---|\n");
  std::printf("| peak offered: %.0f check-ins/s for %d s (%d) | taken %.0f /s; p50 %.1f ms, p99 %.1f ms |\n", peak_rate,
              absl::GetFlag(FLAGS_peak_seconds), n_peak, peak_taken, peak.Pct(0.5), peak.Pct(0.99));
  std::printf("| the rest (%d), %d in flight | %.0f /s; p50 %.1f ms, p99 %.1f ms |\n", n_rest, clients, max_rate,
              most.Pct(0.5), most.Pct(0.99));
  std::printf("| CPU per check-in: MariaDB / activity service / client | %.0f µs / %.0f µs / %.0f µs |\n",
              1e6 * (cpu_to[0] - cpu_from[0]) / n_rest, 1e6 * (cpu_to[1] - cpu_from[1]) / n_rest,
              1e6 * (cpu_to[2] - cpu_from[2]) / n_rest);
  const double batches = std::max(1.0, service.at("batches"));
  std::printf("| the rest: check-ins per batch; ms in MariaDB per batch | %.1f; %.2f ms |\n",
              service.at("jobs") / batches, 1e3 * service.at("statement_seconds") / batches);
  std::printf(
      "| the rest, MariaDB per check-in: statements; commits; rows read by key; rows written |"
      " %.2f; %.2f; %.2f; %.2f |\n",
      server.at("Questions") / n_rest, server.at("Com_commit") / n_rest, server.at("Handler_read_key") / n_rest,
      (server.at("Handler_write") + server.at("Handler_update")) / n_rest);
  std::printf("| raw single-row durable inserts, %d in flight | %.0f /s; p50 %.2f ms |\n", clients, raw_rate,
              raw.Pct(0.5));
  std::printf("| most check-ins ÷ raw inserts | %.2f |\n", max_rate / raw_rate);
  std::printf("| ListUnitsBehind, district (%zu units, %d judged, %d behind): p50 / p99 | %.0f ms / %.0f ms |\n", units,
              district_checked, district_behind, whole.Pct(0.5), whole.Pct(0.99));
  std::printf("| ListUnitsBehind, a street (%zu units): p50 / p99 | %.1f ms / %.1f ms |\n", units / streets.size(),
              street.Pct(0.5), street.Pct(0.99));
  std::printf("| GetCompliance, a branch: p50 / p99 | %.2f ms / %.2f ms |\n", one.Pct(0.5), one.Pct(0.99));
  std::printf("| activity service peak memory (VmHWM) | %.0f MiB |\n", PeakRssMiB(activity.pid()));
  return 0;
}

}  // namespace
}  // namespace lianxin::testing

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return lianxin::testing::Main();
}
