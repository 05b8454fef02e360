// Group commit for writes that arrive concurrently: callers hand in jobs
// without waiting; a few threads of the batcher's own each take every job
// waiting, up to max_batch, and process them together — one database
// transaction for the lot instead of one each — while the next jobs queue up.
// A lone job is taken at once, so light load adds no waiting; under heavy
// load batches grow by themselves, and each batch costs one wake-up, not one
// per job.
//
// Pacing: one batch at the database at a time. A thread takes the jobs
// waiting only when no other batch is being written (its thread has called
// `written`, and is answering its callers), or when a full batch waits.
// Measured: letting a freed thread take whatever waits — while another
// writes 14 jobs, the 1 that just arrived — multiplies commits, each costing
// the database as much as many rows, and concurrent batches slow each other
// down; one at a time, batches are larger and each is written sooner.
//
//   Batcher<Job> batcher(32, 2, 4096, [&](absl::Span<Job* const> jobs, auto written) {
//     ...one transaction...; written();  // the database is done with them
//     ...then finish every job (answer its caller)
//   });
//   if (!batcher.Submit(job)) ...at capacity...;  // else job lives until `process` has finished it
//
// `process` runs on the batcher's threads: it may block on the database; it
// must not wait for other jobs of the same batcher. Calling `written` is
// optional (returning counts as written), at most once.
#ifndef LIANXIN_COMMON_BATCHER_H_
#define LIANXIN_COMMON_BATCHER_H_

#include <cstddef>
#include <deque>
#include <functional>
#include <thread>
#include <utility>
#include <vector>

#include <prometheus/histogram.h>

#include "absl/functional/function_ref.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"

namespace lianxin {

template <typename Job>
class Batcher {
 public:
  using Process = std::function<void(absl::Span<Job* const>, absl::FunctionRef<void()> written)>;

  // At most `queue_limit` jobs wait; Submit refuses more. `batch_sizes`, if
  // given, observes how many jobs each batch took.
  Batcher(int max_batch, int threads, size_t queue_limit, Process process,
          prometheus::Histogram* batch_sizes = nullptr)
      : max_batch_(max_batch < 1 ? 1 : static_cast<size_t>(max_batch)),
        queue_limit_(queue_limit),
        process_(std::move(process)),
        batch_sizes_(batch_sizes) {
    for (int i = 0; i < (threads < 1 ? 1 : threads); ++i) threads_.emplace_back([this] { Loop(); });
  }
  Batcher(const Batcher&) = delete;
  Batcher& operator=(const Batcher&) = delete;

  // Processes every job already submitted, then joins the threads.
  ~Batcher() {
    {
      absl::MutexLock lock(&mu_);
      stopping_ = true;
    }
    for (auto& t : threads_) t.join();
  }

  // False when queue_limit jobs already wait (answer RESOURCE_EXHAUSTED) or
  // the batcher is stopping; the job is then not taken.
  bool Submit(Job* job) {
    absl::MutexLock lock(&mu_);
    if (queue_.size() >= queue_limit_ || stopping_) return false;
    queue_.push_back(job);
    return true;
  }

 private:
  void Loop() {
    std::vector<Job*> jobs;
    while (true) {
      {
        absl::MutexLock lock(&mu_);
        mu_.Await(absl::Condition(this, &Batcher::ShouldTake));
        if (queue_.empty()) return;  // stopping, nothing left
        jobs.clear();
        while (!queue_.empty() && jobs.size() < max_batch_) {
          jobs.push_back(queue_.front());
          queue_.pop_front();
        }
        ++writing_;
      }
      if (batch_sizes_ != nullptr) batch_sizes_->Observe(static_cast<double>(jobs.size()));
      bool done = false;
      auto written = [&] {
        if (done) return;
        done = true;
        absl::MutexLock lock(&mu_);
        --writing_;
      };
      process_(absl::MakeConstSpan(jobs), written);
      written();
    }
  }

  // Jobs wait, and no batch is being written or a full one waits; or it is
  // time to stop.
  bool ShouldTake() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (stopping_) return true;
    if (queue_.empty()) return false;
    return writing_ == 0 || queue_.size() >= max_batch_;
  }

  const size_t max_batch_;
  const size_t queue_limit_;
  const Process process_;
  prometheus::Histogram* const batch_sizes_;
  absl::Mutex mu_;
  std::deque<Job*> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  size_t writing_ ABSL_GUARDED_BY(mu_) = 0;  // batches being written
  std::vector<std::thread> threads_;
};

}  // namespace lianxin

#endif  // LIANXIN_COMMON_BATCHER_H_
