#include "common/worker_pool.h"

#include <prometheus/gauge.h>

namespace lianxin {

WorkerPool::WorkerPool(int threads, int queue_limit, prometheus::Gauge* queue_depth)
    : queue_limit_(queue_limit), queue_depth_(queue_depth) {
  threads_.reserve(static_cast<size_t>(threads));
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Loop(); });
}

WorkerPool::~WorkerPool() { Shutdown(); }

bool WorkerPool::TrySubmit(std::function<void()> task) {
  absl::MutexLock lock(&mu_);
  if (stopping_ || static_cast<int>(queue_.size()) >= queue_limit_) return false;
  queue_.push_back(std::move(task));
  if (queue_depth_ != nullptr) queue_depth_->Set(static_cast<double>(queue_.size()));
  return true;
}

void WorkerPool::Shutdown() {
  {
    absl::MutexLock lock(&mu_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
  }
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

void WorkerPool::Loop() {
  for (;;) {
    std::function<void()> task;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopping_ || !queue_.empty(); };
      mu_.Await(absl::Condition(&ready));
      if (queue_.empty()) return;  // stopping and drained
      task = std::move(queue_.front());
      queue_.pop_front();
      if (queue_depth_ != nullptr) queue_depth_->Set(static_cast<double>(queue_.size()));
    }
    task();
  }
}

}  // namespace lianxin
