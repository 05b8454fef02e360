// The pool and migrations against the test MariaDB.
#include "common/db.h"

#include "common/migrations.h"
#include "gtest/gtest.h"
#include "tests/support/harness.h"

namespace lianxin {
namespace {

std::unique_ptr<DbPool> NewPool(const std::string& name) {
  DbOptions o;
  o.socket = testing::TestDbSocket();
  o.database = name;
  o.pool_size = 3;
  auto pool = DbPool::Create(o, nullptr);
  EXPECT_TRUE(pool.ok()) << pool.status();
  return pool.ok() ? std::move(pool).value() : nullptr;
}

TEST(Migrations, AppliesInOrderOnceAndRefusesNewerSchema) {
  auto pool = NewPool(testing::UniqueDbName("mig"));
  ASSERT_NE(pool, nullptr);
  std::vector<Migration> v1 = {{1, "0001_a.sql", "CREATE TABLE a (x INT);\nINSERT INTO a VALUES (1);"}};
  auto r = ApplyMigrations(*pool, v1);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->applied_now, 1);
  r = ApplyMigrations(*pool, v1);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->applied_now, 0);  // never re-applied

  std::vector<Migration> v2 = v1;
  v2.push_back({2, "0002_b.sql", "ALTER TABLE a ADD COLUMN y INT;"});
  r = ApplyMigrations(*pool, v2);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->schema_version, 2);

  // A binary that only knows version 1 refuses the newer schema.
  auto old = ApplyMigrations(*pool, v1);
  EXPECT_EQ(old.status().code(), absl::StatusCode::kFailedPrecondition);

  // An applied file that was edited is refused too.
  std::vector<Migration> edited = v2;
  edited[0].sql = "CREATE TABLE a (x BIGINT);";
  EXPECT_EQ(ApplyMigrations(*pool, edited).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(DbPool, TransactionsRollBackOnErrorAndMapDuplicates) {
  auto pool = NewPool(testing::UniqueDbName("pool"));
  ASSERT_NE(pool, nullptr);
  ASSERT_TRUE(pool->Run([](Db& db) { return db.Execute("CREATE TABLE t (id VARCHAR(8) PRIMARY KEY)"); }).ok());
  absl::Status s = pool->Transact([](Db& db) -> absl::Status {
    auto n = db.Exec("INSERT INTO t VALUES (?)", {std::string("a")});
    if (!n.ok()) return n.status();
    return absl::FailedPreconditionError("logic said no");
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  int64_t count = -1;
  ASSERT_TRUE(pool->Run([&](Db& db) { return db.Query("SELECT COUNT(*) FROM t", {}, [&](const Row& r) { count = r.Int(0); }); }).ok());
  EXPECT_EQ(count, 0);  // rolled back
  ASSERT_TRUE(pool->Transact([](Db& db) { return db.Exec("INSERT INTO t VALUES (?)", {std::string("a")}).status(); }).ok());
  s = pool->Transact([](Db& db) { return db.Exec("INSERT INTO t VALUES (?)", {std::string("a")}).status(); });
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists);
}

TEST(SqlSplit, SkipsCommentsAndSplitsOnLineEndingSemicolons) {
  auto stmts = SplitSqlStatements("-- c\nCREATE TABLE a (\n x INT -- a; b\n);\n\nINSERT INTO a VALUES (1);\n");
  ASSERT_EQ(stmts.size(), 2u);
  EXPECT_EQ(stmts[1], "INSERT INTO a VALUES (1)");
}

}  // namespace
}  // namespace lianxin
