// The organization service under a whole district (not a timed test).
//
//   build/tests/org_benchmark [--clients=16] [--samples=2000]
//
// Starts its own MariaDB (durable settings) and an org service process, builds
// a district of about 20,000 units through the API (1 district, 10 streets,
// 100 communities, 2,000 branches, 18,000 groups) with concurrent clients,
// then measures, one call in flight at a time, the first page (100) of a
// community's subtree, of a street's subtree, and a get; then the same get
// with --clients in flight. Prints a markdown table for docs/benchmarks.md.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/client.h"
#include "lianxin/org/v1/org_service.grpc.pb.h"
#include "tests/benchmarks/bench_util.h"
#include "tests/support/harness.h"

ABSL_FLAG(int, clients, 16, "concurrent clients while building and for the loaded get");
ABSL_FLAG(int, samples, 2000, "calls measured per figure");
ABSL_FLAG(int, streets, 10, "streets; each has 10 communities of 20 branches of 9 groups");

namespace lianxin::testing {
namespace {

namespace v1 = ::lianxin::org::v1;

class Bench {
 public:
  Bench(std::shared_ptr<grpc::Channel> ch, std::string token) : channel_(std::move(ch)), token_(std::move(token)) {}

  std::string Create(const std::string& parent, v1::OrgUnitType type, const std::string& code) {
    auto stub = v1::OrgService::NewStub(channel_);
    v1::CreateOrgUnitRequest req;
    req.mutable_org_unit()->set_parent(parent);
    req.mutable_org_unit()->set_type(type);
    req.mutable_org_unit()->set_code(code);
    req.mutable_org_unit()->set_display_name(absl::StrCat("单位", code));
    req.set_request_id(code);
    v1::OrgUnit out;
    grpc::ClientContext ctx;
    PrepareClientContext(&ctx, token_, "", absl::Seconds(30));
    grpc::Status s = stub->CreateOrgUnit(&ctx, req, &out);
    if (!s.ok()) {
      std::fprintf(stderr, "create %s: %s\n", code.c_str(), s.error_message().c_str());
      std::exit(1);
    }
    return out.name();
  }

  // Creates `per_parent` children of `type` under each parent, in parallel.
  std::vector<std::string> Level(const std::vector<std::string>& parents, int per_parent, v1::OrgUnitType type,
                                 const std::string& prefix, int clients) {
    std::vector<std::string> out(parents.size() * static_cast<size_t>(per_parent));
    std::atomic<size_t> next{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < clients; ++t) {
      threads.emplace_back([&] {
        for (size_t i = next++; i < out.size(); i = next++) {
          size_t p = i / static_cast<size_t>(per_parent);
          out[i] = Create(parents[p], type, absl::StrCat(prefix, "-", p, "-", i % static_cast<size_t>(per_parent)));
        }
      });
    }
    for (auto& t : threads) t.join();
    return out;
  }

  std::shared_ptr<grpc::Channel> channel_;
  std::string token_;
};

int Main() {
  PrivateMariaDb db;
  if (!db.Start().ok()) return 1;
  TestKey key;
  ServiceProcess org("org", {"lianxin_org", db.socket(), {"--workers=8", "--log_level=warning"}}, key);
  if (absl::Status s = org.Start(); !s.ok()) {
    std::fprintf(stderr, "%s\n", std::string(s.message()).c_str());
    return 1;
  }
  const int clients = absl::GetFlag(FLAGS_clients);
  const int samples = absl::GetFlag(FLAGS_samples);
  Bench b(org.Channel(), key.Token("bench", {"operator"}, "*", absl::Minutes(15)));

  absl::Time start = absl::Now();
  std::string district = b.Create("", v1::ORG_UNIT_TYPE_DISTRICT_COMMITTEE, "D");
  auto streets =
      b.Level({district}, absl::GetFlag(FLAGS_streets), v1::ORG_UNIT_TYPE_STREET_WORKING_COMMITTEE, "S", clients);
  auto communities = b.Level(streets, 10, v1::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE, "C", clients);
  auto branches = b.Level(communities, 20, v1::ORG_UNIT_TYPE_BRANCH, "B", clients);
  auto groups = b.Level(branches, 9, v1::ORG_UNIT_TYPE_PARTY_GROUP, "G", clients);
  double build_s = absl::ToDoubleSeconds(absl::Now() - start);
  size_t units = 1 + streets.size() + communities.size() + branches.size() + groups.size();

  auto stub = v1::OrgService::NewStub(b.channel_);
  absl::BitGen gen;
  auto subtree_page = [&](const std::vector<std::string>& roots) {
    return Measure(samples, [&](int) {
      v1::ListSubtreeOrgUnitsRequest req;
      req.set_root(roots[absl::Uniform<size_t>(gen, 0, roots.size())]);
      req.set_page_size(100);
      v1::ListOrgUnitsResponse resp;
      grpc::ClientContext ctx;
      PrepareClientContext(&ctx, b.token_, "", absl::Seconds(5));
      Check(stub->ListSubtreeOrgUnits(&ctx, req, &resp), "list");
      if (resp.org_units_size() != 100) std::exit(2);
    });
  };
  auto get_one = [&](int) {
    v1::GetOrgUnitRequest req;
    req.set_name(groups[absl::Uniform<size_t>(gen, 0, groups.size())]);
    v1::OrgUnit out;
    grpc::ClientContext ctx;
    PrepareClientContext(&ctx, b.token_, "", absl::Seconds(5));
    Check(stub->GetOrgUnit(&ctx, req, &out), "get");
  };
  Latencies community = subtree_page(communities);
  Latencies street = subtree_page(streets);
  Latencies get = Measure(samples, get_one);

  // The same get with `clients` calls in flight.
  std::vector<Latencies> per(static_cast<size_t>(clients));
  absl::Time loaded_start = absl::Now();
  std::vector<std::thread> threads;
  for (int t = 0; t < clients; ++t) {
    threads.emplace_back([&, t] {
      auto s = v1::OrgService::NewStub(b.channel_);
      absl::BitGen g;
      per[static_cast<size_t>(t)] = Measure(samples, [&](int) {
        v1::GetOrgUnitRequest req;
        req.set_name(groups[absl::Uniform<size_t>(g, 0, groups.size())]);
        v1::OrgUnit out;
        grpc::ClientContext ctx;
        PrepareClientContext(&ctx, b.token_, "", absl::Seconds(5));
        Check(s->GetOrgUnit(&ctx, req, &out), "get");
      });
    });
  }
  for (auto& t : threads) t.join();
  double loaded_s = absl::ToDoubleSeconds(absl::Now() - loaded_start);
  Latencies loaded;
  for (auto& l : per) loaded.Add(l);

  std::printf("| figure | value |\n|---|---|\n");
  std::printf("| units created through the API | %zu in %.1f s |\n", units, build_s);
  std::printf("| creates per second (%d clients) | %.0f |\n", clients, static_cast<double>(units) / build_s);
  std::printf("| community subtree, first page of 100: p50 / p99 | %.2f ms / %.2f ms |\n", community.Pct(0.5),
              community.Pct(0.99));
  std::printf("| street subtree (2,011 units), first page of 100: p50 / p99 | %.2f ms / %.2f ms |\n", street.Pct(0.5),
              street.Pct(0.99));
  std::printf("| get, 1 in flight: p50 / p99 | %.2f ms / %.2f ms |\n", get.Pct(0.5), get.Pct(0.99));
  std::printf("| get, %d in flight: p50 / p99, throughput | %.2f ms / %.2f ms, %.0f/s |\n", clients, loaded.Pct(0.5),
              loaded.Pct(0.99), static_cast<double>(loaded.ms.size()) / loaded_s);
  return 0;
}

}  // namespace
}  // namespace lianxin::testing

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return lianxin::testing::Main();
}
