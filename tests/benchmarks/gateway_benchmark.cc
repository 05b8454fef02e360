// The cost of the gateway: the same GetOrgUnit, in one run, at 1 and at 64
// calls in flight, with throughput and p50/p99 for each of
//   (a) direct to the org service (a token the services verify),
//   (b) through the gateway's gRPC port (a session),
//   (c) through the gateway's HTTP/JSON port (a session, keep-alive),
//   (d) a bare gRPC echo server (callback API, in this process), the yardstick;
//   (e) a bare pass-through proxy to the org service (callback API, in this
//       process; no sign-in, limits or audit): what a second hop costs
//       before the gateway does anything of its own.
// Each is a closed loop for --seconds per level; the load generator shares the
// machine's cores with what it measures. Prints a table for docs/benchmarks.md.
//   build/tests/gateway_benchmark --seconds=5
#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/generic/generic_stub.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdio>
#include <functional>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "common/client.h"
#include "lianxin/gateway/v1/account_service.grpc.pb.h"
#include "lianxin/gateway/v1/session_service.grpc.pb.h"
#include "lianxin/org/v1/org_service.grpc.pb.h"
#include "services/gateway/secrets.h"
#include "tests/benchmarks/bench_util.h"
#include "tests/benchmarks/platform.h"

ABSL_FLAG(int, seconds, 5, "seconds per measurement");
ABSL_FLAG(int, in_flight, 64, "calls in flight at the loaded level");
ABSL_FLAG(std::string, gateway_args, "", "more flags for the gateway, comma-separated (to compare settings)");

namespace lianxin::testing {
namespace {

namespace gv1 = ::lianxin::gateway::v1;
namespace ov1 = ::lianxin::org::v1;
namespace beast = boost::beast;
namespace http = beast::http;

struct Result {
  double per_second = 0;
  Latencies latencies;
};

// `threads` loops, each calling `call(thread)` until the time is up.
Result Run(int threads, absl::Duration d, const std::function<void(int)>& call) {
  std::vector<Latencies> per(static_cast<size_t>(threads));
  std::vector<std::thread> workers;
  const absl::Time end = absl::Now() + d;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      while (absl::Now() < end) {
        const absl::Time start = absl::Now();
        call(t);
        per[static_cast<size_t>(t)].ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - start));
      }
    });
  }
  for (auto& w : workers) w.join();
  Result r;
  for (auto& l : per) r.latencies.Add(l);
  r.per_second = static_cast<double>(r.latencies.ms.size()) / absl::ToDoubleSeconds(d);
  return r;
}

// The yardstick: answers every call with its request's bytes.
class Echo final : public grpc::CallbackGenericService {
  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext*) override {
    class R : public grpc::ServerGenericBidiReactor {
     public:
      R() { StartRead(&buf_); }
      void OnReadDone(bool ok) override {
        if (!ok) return Finish(grpc::Status::OK);
        StartWriteAndFinish(&buf_, grpc::WriteOptions(), grpc::Status::OK);
      }
      void OnWriteDone(bool) override {}
      void OnDone() override { delete this; }

     private:
      grpc::ByteBuffer buf_;
    };
    return new R;
  }
};

// The floor of a proxy: forwards each call, with its metadata, to `stub`.
class BareProxy final : public grpc::CallbackGenericService {
 public:
  explicit BareProxy(std::shared_ptr<grpc::Channel> upstream) : stub_(std::move(upstream)) {}
  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* ctx) override {
    class R : public grpc::ServerGenericBidiReactor {
     public:
      R(grpc::GenericStub& stub, grpc::GenericCallbackServerContext* ctx) : stub_(stub), ctx_(ctx) {
        StartRead(&request_);
      }
      void OnReadDone(bool ok) override {
        if (!ok) return Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "no request"));
        for (const auto& [k, v] : ctx_->client_metadata()) {
          if (k == "authorization") client_.AddMetadata("authorization", std::string(v.data(), v.size()));
        }
        client_.set_deadline(ctx_->deadline());
        stub_.UnaryCall(&client_, ctx_->method(), grpc::StubOptions(), &request_, &response_, [this](grpc::Status s) {
          if (s.ok()) return StartWriteAndFinish(&response_, grpc::WriteOptions(), s);
          Finish(s);
        });
      }
      void OnWriteDone(bool) override {}
      void OnDone() override { delete this; }

     private:
      grpc::GenericStub& stub_;
      grpc::GenericCallbackServerContext* ctx_;
      grpc::ClientContext client_;
      grpc::ByteBuffer request_, response_;
    };
    return new R(stub_, ctx);
  }

 private:
  grpc::GenericStub stub_;
};

int Main() {
  BenchPlatform p("bench-gateway");
  if (!p.Start({"--workers=16", "--log_level=warning"}, {})) return 1;
  std::vector<std::string> gateway_args = {"--public_listen=127.0.0.1:0",
                                           "--http_listen=127.0.0.1:0",
                                           "--org_target=" + p.org->target(),
                                           "--member_target=" + p.member->target(),
                                           "--dispatch_target=" + p.dispatch->target(),
                                           "--gateway_keys_file=" + p.dir + "/fields.keys",
                                           "--gateway_index_key_file=" + p.dir + "/fields.index",
                                           "--workers=16",
                                           "--log_level=warning",
                                           "--rate_limits=read=1000000/1000000",
                                           "--in_flight_per_caller=10000"};
  for (absl::string_view a : absl::StrSplit(absl::GetFlag(FLAGS_gateway_args), ',', absl::SkipEmpty())) {
    gateway_args.emplace_back(a);
  }
  ServiceProcess gateway("gateway", ServiceOptions{"lianxin_gateway", p.db.socket(), gateway_args}, p.key);
  if (!gateway.Start().ok()) {
    std::fprintf(stderr, "%s\n", gateway.Log().c_str());
    return 1;
  }
  const std::string admin = p.key.Token("bench", {"operator"}, "*", absl::Minutes(15));
  auto org_direct = ov1::OrgService::NewStub(p.org->Channel());
  ov1::CreateOrgUnitRequest create;
  create.mutable_org_unit()->set_type(ov1::ORG_UNIT_TYPE_DISTRICT_COMMITTEE);
  create.mutable_org_unit()->set_code("BENCH");
  create.mutable_org_unit()->set_display_name("区委");
  ov1::OrgUnit unit;
  grpc::ClientContext cctx;
  PrepareClientContext(&cctx, admin, "", absl::Seconds(10));
  Check(org_direct->CreateOrgUnit(&cctx, create, &unit), "CreateOrgUnit");

  // An operator's account, activated as a person would: a session for (b) and (c).
  auto accounts = gv1::AccountService::NewStub(gateway.Channel());
  auto public_channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", gateway.ReadyField("public_grpc_port")),
                                            grpc::InsecureChannelCredentials());
  auto sessions = gv1::SessionService::NewStub(public_channel);
  gv1::CreateAccountRequest acct;
  acct.mutable_account()->set_username("bench-op");
  acct.mutable_account()->set_display_name("bench");
  acct.mutable_account()->add_roles("auditor");  // a read-only role, no second factor
  acct.mutable_account()->set_org_unit("*");
  acct.set_initial_password("bench-initial-1");
  gv1::Account account;
  grpc::ClientContext actx;
  PrepareClientContext(&actx, admin, "", absl::Seconds(10));
  Check(accounts->CreateAccount(&actx, acct, &account), "CreateAccount");
  gv1::SignInRequest in;
  in.set_username("bench-op");
  in.set_password("bench-initial-1");
  gv1::Session first, session;
  grpc::ClientContext s1;
  Check(sessions->SignIn(&s1, in, &first), "SignIn");
  gv1::ChangePasswordRequest change;
  change.set_old_password("bench-initial-1");
  change.set_new_password("bench-password-2");
  gv1::ChangePasswordResponse changed;
  grpc::ClientContext s2;
  s2.AddMetadata("authorization", "Bearer " + first.token());
  Check(sessions->ChangePassword(&s2, change, &changed), "ChangePassword");
  in.set_password("bench-password-2");
  grpc::ClientContext s3;
  Check(sessions->SignIn(&s3, in, &session), "SignIn");
  const std::string bearer = "Bearer " + session.token();

  // (d) the echo server.
  Echo echo;
  int echo_port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &echo_port);
  builder.RegisterCallbackGenericService(&echo);
  auto echo_server = builder.BuildAndStart();
  // (e) the bare proxy.
  BareProxy bare(p.org->Channel());
  int bare_port = 0;
  grpc::ServerBuilder bare_builder;
  bare_builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &bare_port);
  bare_builder.RegisterCallbackGenericService(&bare);
  auto bare_server = bare_builder.BuildAndStart();

  ov1::GetOrgUnitRequest get;
  get.set_name(unit.name());
  grpc::Slice slice(get.SerializeAsString());
  const grpc::ByteBuffer request(&slice, 1);
  const int loaded = absl::GetFlag(FLAGS_in_flight);
  const absl::Duration d = absl::Seconds(absl::GetFlag(FLAGS_seconds));

  auto grpc_case = [&](const std::string& target, const std::string& auth) {
    // One channel per 8 callers, as a pool of connections would be.
    std::vector<std::unique_ptr<grpc::GenericStub>> stubs;
    for (int i = 0; i < 8; ++i) {
      grpc::ChannelArguments args;
      args.SetInt("lianxin-bench-channel", i);
      stubs.push_back(std::make_unique<grpc::GenericStub>(
          grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args)));
    }
    return [&, stubs = std::make_shared<decltype(stubs)>(std::move(stubs)), target, auth](int t) {
      grpc::ClientContext ctx;
      ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
      if (!auth.empty()) ctx.AddMetadata("authorization", auth);
      grpc::ByteBuffer resp;
      std::mutex mu;
      std::condition_variable cv;
      bool done = false;
      grpc::Status out;
      (*stubs)[static_cast<size_t>(t) % stubs->size()]->UnaryCall(
          &ctx, "/lianxin.org.v1.OrgService/GetOrgUnit", grpc::StubOptions(), &request, &resp, [&](grpc::Status s) {
            std::lock_guard<std::mutex> l(mu);
            out = s;
            done = true;
            cv.notify_one();
          });
      std::unique_lock<std::mutex> l(mu);
      cv.wait(l, [&] { return done; });
      Check(out, target.c_str());
    };
  };
  // (c): one keep-alive connection per caller.
  const int http_port = gateway.ReadyField("http_port");
  boost::asio::io_context ioc;  // before the streams: they go first
  std::vector<std::unique_ptr<beast::tcp_stream>> conns;
  for (int i = 0; i < loaded; ++i) {
    conns.push_back(std::make_unique<beast::tcp_stream>(ioc));
    boost::asio::ip::tcp::resolver resolver(ioc);
    conns.back()->connect(resolver.resolve("127.0.0.1", absl::StrCat(http_port)));
  }
  const std::string target = absl::StrCat("/v1/", unit.name());
  auto http_call = [&](int t) {
    http::request<http::empty_body> req(http::verb::get, target, 11);
    req.set(http::field::host, "127.0.0.1");
    req.set(http::field::authorization, bearer);
    req.keep_alive(true);
    auto& stream = *conns[static_cast<size_t>(t)];
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    if (res.result_int() != 200) {
      std::fprintf(stderr, "HTTP GET failed: %d %s\n", res.result_int(), res.body().c_str());
      std::exit(1);
    }
  };

  struct Case {
    const char* name;
    std::function<void(int)> call;
  };
  const std::string org_target = p.org->target();
  const std::string gw_target = absl::StrCat("127.0.0.1:", gateway.ReadyField("public_grpc_port"));
  const std::string echo_target = absl::StrCat("127.0.0.1:", echo_port);
  const std::string bare_target = absl::StrCat("127.0.0.1:", bare_port);
  std::vector<Case> cases = {{"(a) direct to the org service", grpc_case(org_target, "Bearer " + admin)},
                             {"(b) through the gateway, gRPC", grpc_case(gw_target, bearer)},
                             {"(c) through the gateway, HTTP/JSON", http_call},
                             {"(d) bare gRPC echo server", grpc_case(echo_target, "")},
                             {"(e) bare proxy to the org service", grpc_case(bare_target, "Bearer " + admin)}};
  std::vector<std::pair<Result, Result>> results;
  std::vector<std::string> cpu;  // per call at the loaded level, by process
  for (auto& c : cases) {
    Run(4, absl::Seconds(1), c.call);  // warm up: connections, caches, tokens
    Result one = Run(1, d, c.call);
    const double g0 = CpuSeconds(gateway.pid()), o0 = CpuSeconds(p.org->pid()), m0 = CpuSeconds(p.db.pid()),
                 b0 = CpuSeconds(getpid());
    Result many = Run(loaded, d, c.call);
    const double n = static_cast<double>(many.latencies.ms.size());
    cpu.push_back(absl::StrFormat("gateway %.0f µs, org %.0f µs, MariaDB %.0f µs, load generator %.0f µs",
                                  1e6 * (CpuSeconds(gateway.pid()) - g0) / n, 1e6 * (CpuSeconds(p.org->pid()) - o0) / n,
                                  1e6 * (CpuSeconds(p.db.pid()) - m0) / n, 1e6 * (CpuSeconds(getpid()) - b0) / n));
    results.emplace_back(one, many);
  }
  std::printf("| GetOrgUnit | 1 in flight: calls/s, p50, p99 | %d in flight: calls/s, p50, p99 |\n|---|---|---|\n",
              loaded);
  for (size_t i = 0; i < cases.size(); ++i) {
    auto& [one, many] = results[i];
    std::printf("| %s | %.0f/s, %.3f ms, %.3f ms | %.0f/s, %.2f ms, %.2f ms |\n", cases[i].name, one.per_second,
                one.latencies.Pct(0.5), one.latencies.Pct(0.99), many.per_second, many.latencies.Pct(0.5),
                many.latencies.Pct(0.99));
  }
  std::printf("\nCPU per call at %d in flight:\n", loaded);
  for (size_t i = 0; i < cases.size(); ++i) std::printf("- %s: %s\n", cases[i].name, cpu[i].c_str());
  const double direct = results[0].second.per_second;
  std::printf(
      "\nthrough the gateway at %d in flight: gRPC %.0f%% of direct, HTTP/JSON %.0f%% of direct; "
      "p50 added at 1 in flight: gRPC %.3f ms, HTTP/JSON %.3f ms\n",
      loaded, 100 * results[1].second.per_second / direct, 100 * results[2].second.per_second / direct,
      results[1].first.latencies.Pct(0.5) - results[0].first.latencies.Pct(0.5),
      results[2].first.latencies.Pct(0.5) - results[0].first.latencies.Pct(0.5));
  std::printf(
      "a bare proxy at %d in flight: %.0f%% of direct; p50 added at 1 in flight: %.3f ms; "
      "the gateway over gRPC: %.0f%% of the bare proxy's throughput, p50 %+.3f ms beside it\n",
      loaded, 100 * results[4].second.per_second / direct,
      results[4].first.latencies.Pct(0.5) - results[0].first.latencies.Pct(0.5),
      100 * results[1].second.per_second / results[4].second.per_second,
      results[1].first.latencies.Pct(0.5) - results[4].first.latencies.Pct(0.5));
  echo_server->Shutdown();
  bare_server->Shutdown();
  return 0;
}

}  // namespace
}  // namespace lianxin::testing

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return lianxin::testing::Main();
}
