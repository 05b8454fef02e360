// Group commit for writes that arrive concurrently: callers hand in jobs
// without waiting; a thread of the batcher's own takes every job waiting, up
// to max_batch, and writes them together — one database transaction for the
// lot instead of one each — while the next jobs queue up; then another
// thread finishes them (answers their callers) while the writer goes on to
// the next batch. A lone job is taken at once, so light load adds no
// waiting; under heavy load batches grow by themselves, and each batch costs
// one wake-up, not one per job.
//
// Pacing: one batch at the database at a time. A writer takes the jobs
// waiting only when no other batch is being written, or when a full batch
// waits. Measured: letting a free thread take whatever waits — while another
// writes 14 jobs, the 1 that just arrived — multiplies commits, each costing
// the database as much as many rows, and concurrent batches slow each other
// down; one at a time, batches are larger and each is written sooner. And
// the writer that has just written takes the next batch itself: the database
// waits for no thread to wake up between two batches.
//
//   Batcher<Job> batcher(32, 2, 4096,
//       [&](absl::Span<Job* const> jobs) { ...one transaction... },
//       [&](absl::Span<Job* const> jobs) { ...answer every job's caller... });
//   if (!batcher.Submit(job)) ...at capacity...;  // else job lives until `finish` is done with it
//
// Both stages run on the batcher's threads (`threads` writers, as many
// finishers): they may block; they must not wait for other jobs of the same
// batcher (`finish` may Submit a job again).
#ifndef LIANXIN_COMMON_BATCHER_H_
#define LIANXIN_COMMON_BATCHER_H_

#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <cstddef>
#include <deque>
#include <functional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"

namespace lianxin {

// The histogram a batcher observes its batches' sizes on:
// lianxin_write_batch_size{batcher=`name`}. Null without a registry.
inline prometheus::Histogram* BatchSizeHistogram(prometheus::Registry* registry, const std::string& name) {
  if (registry == nullptr) return nullptr;
  return &prometheus::BuildHistogram()
              .Name("lianxin_write_batch_size")
              .Help("Jobs written per transaction, by batcher")
              .Register(*registry)
              .Add({{"batcher", name}}, prometheus::Histogram::BucketBoundaries{1, 2, 4, 8, 16, 32, 64, 128, 256});
}

// How a service's writer batches (its --write_batch and --write_leaders):
// at most `batch` jobs per transaction, at most `leaders` transactions at
// once; jobs waiting beyond `queue` are refused.
struct BatcherSettings {
  int batch = 32;
  int leaders = 2;
  size_t queue = 4096;
};

template <typename Job>
class Batcher {
 public:
  using Stage = std::function<void(absl::Span<Job* const>)>;

  // At most `queue_limit` jobs wait; Submit refuses more. `batch_sizes`, if
  // given, observes how many jobs each batch took.
  Batcher(int max_batch, int threads, size_t queue_limit, Stage write, Stage finish,
          prometheus::Histogram* batch_sizes = nullptr)
      : max_batch_(max_batch < 1 ? 1 : static_cast<size_t>(max_batch)),
        queue_limit_(queue_limit),
        write_(std::move(write)),
        finish_(std::move(finish)),
        batch_sizes_(batch_sizes) {
    for (int i = 0; i < (threads < 1 ? 1 : threads); ++i) {
      writers_.emplace_back([this] { WriteLoop(); });
      finishers_.emplace_back([this] { FinishLoop(); });
    }
  }
  Batcher(const BatcherSettings& settings, Stage write, Stage finish, prometheus::Histogram* batch_sizes = nullptr)
      : Batcher(settings.batch, settings.leaders, settings.queue, std::move(write), std::move(finish), batch_sizes) {}
  Batcher(const Batcher&) = delete;
  Batcher& operator=(const Batcher&) = delete;

  ~Batcher() { Stop(); }

  // Writes and finishes every job already submitted, then joins the threads;
  // Submit refuses jobs from now on. Idempotent; not concurrently with itself.
  void Stop() {
    {
      absl::MutexLock lock(&mu_);
      stopping_ = true;
    }
    for (auto& t : writers_) t.join();
    writers_.clear();
    {
      absl::MutexLock lock(&mu_);
      written_all_ = true;
    }
    for (auto& t : finishers_) t.join();
    finishers_.clear();
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
  void WriteLoop() {
    while (true) {
      std::vector<Job*> jobs;
      {
        absl::MutexLock lock(&mu_);
        mu_.Await(absl::Condition(this, &Batcher::ShouldTake));
        if (queue_.empty()) return;  // stopping, nothing left
        while (!queue_.empty() && jobs.size() < max_batch_) {
          jobs.push_back(queue_.front());
          queue_.pop_front();
        }
        ++writing_;
      }
      if (batch_sizes_ != nullptr) batch_sizes_->Observe(static_cast<double>(jobs.size()));
      write_(absl::MakeConstSpan(jobs));
      absl::MutexLock lock(&mu_);
      --writing_;
      written_.push_back(std::move(jobs));
    }
  }

  void FinishLoop() {
    while (true) {
      std::vector<Job*> jobs;
      {
        absl::MutexLock lock(&mu_);
        mu_.Await(absl::Condition(this, &Batcher::HasWrittenOrDone));
        if (written_.empty()) return;  // every batch written and finished
        jobs = std::move(written_.front());
        written_.pop_front();
      }
      finish_(absl::MakeConstSpan(jobs));
    }
  }

  // Jobs wait, and no batch is being written or a full one waits; or it is
  // time to stop.
  bool ShouldTake() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (stopping_) return true;
    if (queue_.empty()) return false;
    return writing_ == 0 || queue_.size() >= max_batch_;
  }
  bool HasWrittenOrDone() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return !written_.empty() || written_all_; }

  const size_t max_batch_;
  const size_t queue_limit_;
  const Stage write_;
  const Stage finish_;
  prometheus::Histogram* const batch_sizes_;
  absl::Mutex mu_;
  std::deque<Job*> queue_ ABSL_GUARDED_BY(mu_);
  std::deque<std::vector<Job*>> written_ ABSL_GUARDED_BY(mu_);  // batches to finish
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool written_all_ ABSL_GUARDED_BY(mu_) = false;  // the writers have stopped
  size_t writing_ ABSL_GUARDED_BY(mu_) = 0;        // batches being written
  std::vector<std::thread> writers_;
  std::vector<std::thread> finishers_;
};

}  // namespace lianxin

#endif  // LIANXIN_COMMON_BATCHER_H_
