// The group-commit batcher: every job written and finished exactly once (and
// finished after it was written), in batches no larger than asked, one batch at the database at a time unless a full
// one waits, a full queue refused, and what is queued at shutdown still processed.
#include "common/batcher.h"

#include <atomic>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace lianxin {
namespace {

struct Job {
  int value = 0;
  std::atomic<int> times{0};
  std::atomic<bool> written{false};
};

TEST(Batcher, EveryJobOnceInBatchesNoLargerThanAsked) {
  std::atomic<int> largest{0}, batches{0};
  std::vector<Job> jobs(2000);
  {
    Batcher<Job> batcher(
        16, 2, 10000,
        [&](absl::Span<Job* const> batch) {
          largest = std::max(largest.load(), static_cast<int>(batch.size()));
          ++batches;
          absl::SleepFor(absl::Microseconds(200));  // a commit
          for (Job* j : batch) j->written = true;
        },
        [&](absl::Span<Job* const> batch) {
          for (Job* j : batch) {
            EXPECT_TRUE(j->written.load());
            ++j->times;
          }
        });
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&, t] {
        for (size_t i = static_cast<size_t>(t); i < jobs.size(); i += 8) ASSERT_TRUE(batcher.Submit(&jobs[i]));
      });
    }
    for (auto& th : threads) th.join();
  }  // the destructor processes what is still queued
  for (const Job& j : jobs) EXPECT_EQ(j.times.load(), 1);
  EXPECT_LE(largest.load(), 16);
  EXPECT_LT(batches.load(), 2000);  // jobs did share batches
}

TEST(Batcher, AFullQueueIsRefusedAtOnce) {
  absl::Notification taken, release;
  std::vector<Job> jobs(6);
  Batcher<Job> batcher(
      1, 1, 3,
      [&](absl::Span<Job* const>) {
        if (!taken.HasBeenNotified()) taken.Notify();
        release.WaitForNotification();
      },
      [](absl::Span<Job* const>) {});
  ASSERT_TRUE(batcher.Submit(&jobs[0]));
  // The thread takes the first job and blocks; three more fill the queue.
  taken.WaitForNotification();
  EXPECT_TRUE(batcher.Submit(&jobs[1]));
  EXPECT_TRUE(batcher.Submit(&jobs[2]));
  EXPECT_TRUE(batcher.Submit(&jobs[3]));
  EXPECT_FALSE(batcher.Submit(&jobs[4]));
  release.Notify();
}

TEST(Batcher, OneBatchAtTheDatabaseAtATimeUnlessAFullOneWaits) {
  absl::Notification release;
  std::atomic<int> started{0};
  std::vector<int> sizes;
  absl::Mutex mu;
  std::vector<Job> jobs(6);
  {
    Batcher<Job> batcher(
        3, 2, 100,
        [&](absl::Span<Job* const> batch) {
          {
            absl::MutexLock lock(&mu);
            sizes.push_back(static_cast<int>(batch.size()));
          }
          if (started++ == 0) release.WaitForNotification();  // the first batch is slow to write
        },
        [](absl::Span<Job* const>) {});
    ASSERT_TRUE(batcher.Submit(&jobs[0]));
    while (started.load() == 0) absl::SleepFor(absl::Milliseconds(1));
    // While it is written, the next jobs wait for it, though a thread is free...
    ASSERT_TRUE(batcher.Submit(&jobs[1]));
    ASSERT_TRUE(batcher.Submit(&jobs[2]));
    absl::SleepFor(absl::Milliseconds(50));
    EXPECT_EQ(started.load(), 1);
    // ...unless a full batch waits.
    ASSERT_TRUE(batcher.Submit(&jobs[3]));
    for (int i = 0; i < 1000 && started.load() < 2; ++i) absl::SleepFor(absl::Milliseconds(1));
    EXPECT_EQ(started.load(), 2);
    ASSERT_TRUE(batcher.Submit(&jobs[4]));
    ASSERT_TRUE(batcher.Submit(&jobs[5]));
    release.Notify();
  }
  absl::MutexLock lock(&mu);
  ASSERT_GE(sizes.size(), 3u);
  EXPECT_EQ(sizes[0], 1);
  EXPECT_EQ(sizes[1], 3);  // the full batch
  int rest = 0;
  for (size_t i = 2; i < sizes.size(); ++i) rest += sizes[i];
  EXPECT_EQ(rest, 2);
}

}  // namespace
}  // namespace lianxin
