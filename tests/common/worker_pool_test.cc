#include "common/worker_pool.h"

#include <atomic>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace lianxin {
namespace {

TEST(WorkerPool, RefusesWhenQueueIsFull) {
  WorkerPool pool(1, 2);
  absl::Notification release;
  absl::Notification started;
  ASSERT_TRUE(pool.TrySubmit([&] {
    started.Notify();
    release.WaitForNotification();
  }));
  started.WaitForNotification();
  std::atomic<int> ran{0};
  EXPECT_TRUE(pool.TrySubmit([&] { ran++; }));
  EXPECT_TRUE(pool.TrySubmit([&] { ran++; }));
  EXPECT_FALSE(pool.TrySubmit([&] { ran++; }));  // queue holds 2
  release.Notify();
  pool.Shutdown();
  EXPECT_EQ(ran.load(), 2);
  EXPECT_FALSE(pool.TrySubmit([] {}));
}

}  // namespace
}  // namespace lianxin
