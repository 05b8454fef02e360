// A fixed set of threads with a bounded queue, for the blocking work
// (database calls) that must never run on gRPC's threads. When the queue is
// full, TrySubmit() refuses at once, so the caller answers RESOURCE_EXHAUSTED
// instead of letting latency grow without bound.
#ifndef LIANXIN_COMMON_WORKER_POOL_H_
#define LIANXIN_COMMON_WORKER_POOL_H_

#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"

namespace prometheus {
class Gauge;
}  // namespace prometheus

namespace lianxin {

class WorkerPool {
 public:
  WorkerPool(int threads, int queue_limit, prometheus::Gauge* queue_depth = nullptr);
  ~WorkerPool();  // runs what is queued, then joins

  // False if the queue already holds queue_limit tasks (or the pool stopped).
  bool TrySubmit(std::function<void()> task);
  void Shutdown();

 private:
  void Loop();

  const int queue_limit_;
  prometheus::Gauge* queue_depth_;
  absl::Mutex mu_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace lianxin

#endif  // LIANXIN_COMMON_WORKER_POOL_H_
