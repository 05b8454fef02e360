// Commits whose answer is lost (common/db_commit.cc): a TCP proxy between the
// pool and the test MariaDB forwards a transaction's COMMIT and then cuts the
// connection, before or after the server answered. The transaction must be
// applied exactly once and answered truthfully.
#include "common/call_context.h"
#include "common/db.h"
#include "common/migrations.h"
#include "common/status.h"
#include "gtest/gtest.h"
#include "tests/support/cutting_proxy.h"
#include "tests/support/harness.h"

namespace lianxin {
namespace {

using ::lianxin::testing::Cut;
using ::lianxin::testing::CuttingProxy;

class LostCommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    name_ = testing::UniqueDbName("commit");
    DbOptions o;
    o.socket = testing::TestDbSocket();
    o.database = name_;
    auto setup = DbPool::Create(o, nullptr);
    ASSERT_TRUE(setup.ok()) << setup.status();
    ASSERT_TRUE(ApplyMigrations(**setup, std::vector<std::vector<Migration>>{CommonMigrations()}).ok());
    ASSERT_TRUE(
        (*setup)
            ->Run([](Db& db) { return db.Execute("CREATE TABLE counter (id INT PRIMARY KEY, n BIGINT NOT NULL)"); })
            .ok());
    ASSERT_TRUE((*setup)->Run([](Db& db) { return db.Exec("INSERT INTO counter VALUES (1, 0)").status(); }).ok());
    probe_ = std::move(setup).value();
  }
  // A pool that reaches the database through the proxy.
  std::unique_ptr<DbPool> Through(bool batch_connections) {
    DbOptions o;
    o.host = "127.0.0.1";
    o.port = proxy_.port();
    o.database = name_;
    o.create_database = false;
    o.pool_size = 2;
    o.autocommit = !batch_connections;
    o.one_round_trip_scripts = batch_connections;
    o.commit_check_for = absl::Seconds(2);
    auto pool = DbPool::Create(o, nullptr);
    EXPECT_TRUE(pool.ok()) << pool.status();
    return pool.ok() ? std::move(pool).value() : nullptr;
  }
  int64_t Count() {
    int64_t n = -1;
    EXPECT_TRUE(probe_
                    ->Run([&](Db& db) {
                      return db.Query("SELECT n FROM counter WHERE id = 1", {}, [&](const Row& r) { n = r.Int("n"); });
                    })
                    .ok());
    return n;
  }
  // One increment, as a service's write: the statement, then the COMMIT.
  absl::Status Increment(DbPool& pool, bool batch, int* runs) {
    return pool.Transact([&](Db& db) -> absl::Status {
      ++*runs;
      if (batch) return db.ExecScript({{"UPDATE counter SET n = n + 1 WHERE id = ?", {1}}}, /*commit=*/true);
      return db.Exec("UPDATE counter SET n = n + 1 WHERE id = ?", {1}).status();
    });
  }

  CuttingProxy proxy_;
  std::string name_;
  std::unique_ptr<DbPool> probe_;
};

TEST_F(LostCommitTest, ACommitAnsweredButLostIsReportedDoneAndNotRunAgain) {
  for (bool batch : {false, true}) {  // COMMIT alone, and within a one-round-trip script
    SCOPED_TRACE(batch ? "script" : "transaction");
    auto pool = Through(batch);
    ASSERT_NE(pool, nullptr);
    const int64_t before = Count();
    int runs = 0;
    proxy_.Arm(Cut::kAfterCommitAnswered);
    absl::Status s = Increment(*pool, batch, &runs);
    EXPECT_TRUE(s.ok()) << s;
    EXPECT_EQ(proxy_.cuts(), batch ? 2 : 1);
    EXPECT_EQ(runs, 1);  // before the fix: 2, and the counter went up twice
    EXPECT_EQ(Count(), before + 1);
  }
}

TEST_F(LostCommitTest, ACommitThatNeverArrivedRunsOnceMore) {
  auto pool = Through(false);
  ASSERT_NE(pool, nullptr);
  int runs = 0;
  proxy_.Arm(Cut::kBeforeCommit);
  absl::Status s = Increment(*pool, false, &runs);
  EXPECT_TRUE(s.ok()) << s;
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(Count(), 1);
}

TEST_F(LostCommitTest, WhateverTheMomentOfTheCutEachSuccessIsAppliedOnceAndNothingElse) {
  auto pool = Through(true);
  ASSERT_NE(pool, nullptr);
  int ok = 0;
  for (int i = 0; i < 12; ++i) {
    int runs = 0;
    proxy_.Arm(Cut::kRightAfterCommit);  // the server may or may not have committed yet
    absl::Status s = Increment(*pool, true, &runs);
    if (s.ok()) ++ok;
    EXPECT_EQ(proxy_.cuts(), i + 1);
    // The server may drop the COMMIT with the connection (then it runs once
    // more, rightly) or commit it (then it must not): the count tells.
    EXPECT_LE(runs, 2);
    EXPECT_TRUE(s.ok() || ReasonOf(s) == "COMMIT_OUTCOME_UNKNOWN") << s;
  }
  EXPECT_EQ(Count(), ok);  // each success applied once, nothing else applied
}

TEST_F(LostCommitTest, WhenTheDatabaseCannotBeAskedTheAnswerSaysTheOutcomeIsUnknown) {
  auto pool = Through(false);
  ASSERT_NE(pool, nullptr);
  int runs = 0;
  proxy_.Arm(Cut::kAfterCommitAnswered);
  proxy_.Refuse(true);
  absl::Status s = Increment(*pool, false, &runs);
  proxy_.Refuse(false);
  EXPECT_TRUE(absl::IsUnavailable(s)) << s;
  EXPECT_EQ(ReasonOf(s), "COMMIT_OUTCOME_UNKNOWN");
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(Count(), 1);  // it had committed: the answer did not pretend otherwise
}

TEST_F(LostCommitTest, AnAutocommittedWriteCutOffIsNotRunAgain) {
  auto pool = Through(false);
  ASSERT_NE(pool, nullptr);
  int runs = 0;
  proxy_.Arm(Cut::kAfterExecute);
  absl::Status s = pool->Run([&](Db& db) -> absl::Status {
    ++runs;
    return db.Exec("UPDATE counter SET n = n + 1 WHERE id = ?", {1}).status();
  });
  EXPECT_EQ(ReasonOf(s), "COMMIT_OUTCOME_UNKNOWN") << s;
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(Count(), 1);
}

TEST_F(LostCommitTest, OldMarkersArePrunedAndReadOnlyTransactionsWriteNone) {
  auto pool = Through(false);
  ASSERT_NE(pool, nullptr);
  ASSERT_TRUE(
      probe_->Run([](Db& db) { return db.Exec("INSERT INTO commit_markers VALUES (1000, 1), (1001, 2)").status(); })
          .ok());
  ASSERT_TRUE(pool->Transact([](Db& db) { return db.Query("SELECT n FROM counter", {}, [](const Row&) {}); }).ok());
  int64_t markers = -1;
  auto count = [&] {
    EXPECT_TRUE(probe_
                    ->Run([&](Db& db) {
                      return db.Query("SELECT COUNT(*) AS c FROM commit_markers", {},
                                      [&](const Row& r) { markers = r.Int("c"); });
                    })
                    .ok());
    return markers;
  };
  EXPECT_EQ(count(), 2);  // a read wrote nothing
  int runs = 0;
  ASSERT_TRUE(Increment(*pool, false, &runs).ok());
  EXPECT_EQ(count(), 1);  // the old two pruned, this write's own kept
}

}  // namespace
}  // namespace lianxin
