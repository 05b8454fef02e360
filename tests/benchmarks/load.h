// How the benchmarks call the services: one call with a token; many jobs on
// client threads; and a load of many calls driven from one thread through a
// completion queue (gRPC's async API), so that the load costs the benchmark's
// process little CPU and no thread hand-offs, leaving the cores to the
// system under test.
#ifndef LIANXIN_TESTS_BENCHMARKS_LOAD_H_
#define LIANXIN_TESTS_BENCHMARKS_LOAD_H_

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/client.h"
#include "tests/benchmarks/bench_util.h"

namespace lianxin::testing {

// One call as `token`'s bearer: `f(ctx)` makes it.
template <typename F>
grpc::Status Call(const std::string& token, F f, absl::Duration deadline = absl::Seconds(30)) {
  grpc::ClientContext ctx;
  PrepareClientContext(&ctx, token, "", deadline);
  return f(&ctx);
}

// Runs `n` jobs on `clients` threads; each job's latency recorded.
template <typename F>
Latencies Parallel(int n, int clients, F job) {
  std::vector<Latencies> per(static_cast<size_t>(clients));
  std::atomic<int> next{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < clients; ++t) {
    threads.emplace_back([&, t] {
      for (int i = next++; i < n; i = next++) {
        absl::Time start = absl::Now();
        job(i);
        per[static_cast<size_t>(t)].ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - start));
      }
    });
  }
  for (auto& th : threads) th.join();
  Latencies all;
  for (auto& l : per) all.Add(l);
  return all;
}

// A call of an AsyncLoad: its own type adds the request, the answer and
// the reader, and Finish()es with `status` and itself as the tag.
struct AsyncCall {
  virtual ~AsyncCall() = default;
  grpc::ClientContext ctx;
  grpc::Status status;
  absl::Time start;
  const char* what = "";
};

// Makes `n` calls, `in_flight` at a time: as each answer comes back the
// next call starts. `start(i, cq)` starts call i on `cq` and returns it (the
// load deletes it). Every call must succeed (Check). Latencies from start to
// answer.
template <typename Start>
Latencies AsyncLoad(int n, int in_flight, Start start) {
  Latencies out;
  out.ms.reserve(static_cast<size_t>(n));
  grpc::CompletionQueue cq;
  int next = 0, running = 0;
  auto launch = [&] {
    if (next >= n) return;
    const absl::Time at = absl::Now();
    AsyncCall* call = start(next++, &cq);
    call->start = at;
    ++running;
  };
  for (int i = 0; i < in_flight; ++i) launch();
  void* tag = nullptr;
  bool ok = false;
  while (running > 0 && cq.Next(&tag, &ok)) {
    std::unique_ptr<AsyncCall> call(static_cast<AsyncCall*>(tag));
    --running;
    out.ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - call->start));
    Check(call->status, call->what);
    launch();
  }
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  return out;
}

}  // namespace lianxin::testing

#endif  // LIANXIN_TESTS_BENCHMARKS_LOAD_H_
