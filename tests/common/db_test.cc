// The pool and migrations against the test MariaDB.
#include "common/db.h"

#include "absl/strings/str_cat.h"
#include "common/call_context.h"
#include "common/migrations.h"
#include "common/status.h"
#include "gtest/gtest.h"
#include "tests/support/harness.h"

namespace lianxin {
namespace {

std::unique_ptr<DbPool> NewPool(const std::string& name, bool batch_connections = false) {
  DbOptions o;
  o.socket = testing::TestDbSocket();
  o.database = name;
  o.pool_size = 3;
  o.autocommit = !batch_connections;
  o.one_round_trip_scripts = batch_connections;
  o.commit_markers = false;  // tables of the tests' own, no migrations
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

TEST(Migrations, AnEditedFileThatNamesItsAppliedChecksumIsAccepted) {
  auto pool = NewPool(testing::UniqueDbName("migedit"));
  ASSERT_NE(pool, nullptr);
  const std::string before = "CREATE TABLE a (x INT);\nCREATE TABLE shared (y INT);";
  ASSERT_TRUE(ApplyMigrations(*pool, {{1, "0001_a.sql", before}}).ok());
  // `shared` moved to another set; the edited file vouches for what was applied.
  std::vector<Migration> edited = {
      {1, "0001_a.sql",
       absl::StrCat("-- accepts applied checksum ", MigrationChecksum(before), "\nCREATE TABLE a (x INT);")}};
  auto r = ApplyMigrations(*pool, edited);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->applied_now, 0);
  EXPECT_TRUE(ApplyMigrations(*pool, edited).ok());  // the new checksum is recorded
  // Vouching for another checksum is refused.
  std::vector<Migration> wrong = {
      {1, "0001_a.sql", "-- accepts applied checksum 0000000000000000\nCREATE TABLE a (x INT);"}};
  EXPECT_EQ(ApplyMigrations(*pool, wrong).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(Migrations, CommonTablesComeFirstAndEachSetKeepsItsOwnVersions) {
  auto pool = NewPool(testing::UniqueDbName("migsets"));
  ASSERT_NE(pool, nullptr);
  std::vector<Migration> service = {{1, "0001_s.sql",
                                     "CREATE TABLE s (x INT);\nINSERT INTO request_ids "
                                     "(subject, request_id, district_id, method, resource, created_us) "
                                     "VALUES ('me', 'r1', 'd', 'M', 'x/1', 1);"}};
  auto r = ApplyMigrations(*pool, {CommonMigrations(), service});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->schema_version, 1);  // the service's own
  EXPECT_EQ(r->applied_now, static_cast<int>(CommonMigrations().size()) + 1);
  int64_t history = -1;
  ASSERT_TRUE(pool->Run([&](Db& db) {
                    return db.Query("SELECT COUNT(*) AS n FROM history", {},
                                    [&](const Row& row) { history = row.Int("n"); });
                  })
                  .ok());
  EXPECT_EQ(history, 0);
  r = ApplyMigrations(*pool, {CommonMigrations(), service});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->applied_now, 0);
}

TEST(Migrations, ABookkeepingTableFromBeforeSetsIsUpgraded) {
  auto pool = NewPool(testing::UniqueDbName("migold"));
  ASSERT_NE(pool, nullptr);
  const std::string sql = "CREATE TABLE a (x INT);";
  ASSERT_TRUE(pool->Run([&](Db& db) -> absl::Status {
                    RETURN_IF_ERROR(db.Execute(
                        "CREATE TABLE schema_migrations (version INT NOT NULL PRIMARY KEY, name VARCHAR(255) NOT NULL, "
                        "checksum CHAR(16) NOT NULL, applied_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6))"));
                    RETURN_IF_ERROR(db.Execute(sql));
                    return db
                        .Exec("INSERT INTO schema_migrations (version, name, checksum) VALUES (1, '0001_a.sql', ?)",
                              {MigrationChecksum(sql)})
                        .status();
                  })
                  .ok());
  auto r = ApplyMigrations(*pool, {CommonMigrations(), {{1, "0001_a.sql", sql}}});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->applied_now, static_cast<int>(CommonMigrations().size()));  // not 0001_a again
  EXPECT_EQ(r->schema_version, 1);
}

// ExecScript writes values into the SQL text: whatever bytes they hold must
// arrive as they were, and nothing in them may end the literal.
TEST(DbScript, ValuesArriveIntactInOneRoundTripAndTheGuardRollsBack) {
  const std::string name = testing::UniqueDbName("script");
  auto setup = NewPool(name);
  ASSERT_NE(setup, nullptr);
  ASSERT_TRUE(
      setup
          ->Run([](Db& db) {
            return db.Execute(
                "CREATE TABLE t (id VARCHAR(8) CHARACTER SET ascii PRIMARY KEY, s VARCHAR(100), b BLOB, n BIGINT, "
                "version BIGINT NOT NULL DEFAULT 1)");
          })
          .ok());
  const std::vector<std::string> texts = {"plain-text_1.2/3:4", "it's \\ \"quoted\" '; DROP TABLE t; --", "楼道灯坏了",
                                          std::string("nul\0byte", 8), ""};
  const std::string blob("\x00\xff\x27\x5c", 4);
  for (bool batch : {true, false}) {  // one round trip, and a statement each
    auto pool = batch ? NewPool(name, true) : NewPool(name);
    ASSERT_NE(pool, nullptr);
    ASSERT_TRUE(pool->Run([](Db& db) { return db.Execute("DELETE FROM t"); }).ok());
    absl::Status s = pool->Transact([&](Db& db) {
      std::vector<SqlStatement> script;
      for (size_t i = 0; i < texts.size(); ++i) {
        script.push_back({"INSERT INTO t (id, s, b, n) VALUES (?, ?, ?, ?)",
                          {absl::StrCat("r", i), texts[i], blob, i == 0 ? SqlParam(nullptr) : SqlParam(int64_t{-5})}});
      }
      return db.ExecScript(script, /*commit=*/true);
    });
    ASSERT_TRUE(s.ok()) << s;
    for (size_t i = 0; i < texts.size(); ++i) {
      std::string got, got_blob;
      bool n_null = false;
      ASSERT_TRUE(pool->Run([&](Db& db) {
                        return db.Query("SELECT s, b, n IS NULL AS n_null FROM t WHERE id = ?", {absl::StrCat("r", i)},
                                        [&](const Row& r) {
                                          got = r.Str("s");
                                          got_blob = r.Str("b");
                                          n_null = r.Int("n_null") == 1;
                                        });
                      })
                      .ok());
      EXPECT_EQ(got, texts[i]);
      EXPECT_EQ(got_blob, blob);
      EXPECT_EQ(n_null, i == 0);
    }
    // The guard: an UPDATE that finds fewer rows than expected fails the
    // script; nothing of it stays, and the status says why.
    s = pool->Transact([&](Db& db) {
      return db.ExecScript({{"UPDATE t SET n = 7 WHERE id IN ('r0', 'missing')", {}},
                            ExpectRowsChanged(2),
                            {"INSERT INTO t (id) VALUES ('late')", {}}},
                           /*commit=*/true);
    });
    EXPECT_EQ(s.code(), absl::StatusCode::kAborted) << s;
    int64_t sevens = -1, late = -1;
    ASSERT_TRUE(setup
                    ->Run([&](Db& db) {
                      RETURN_IF_ERROR(db.Query("SELECT COUNT(*) AS n FROM t WHERE n = 7", {},
                                               [&](const Row& r) { sevens = r.Int("n"); }));
                      return db.Query("SELECT COUNT(*) AS n FROM t WHERE id = 'late'", {},
                                      [&](const Row& r) { late = r.Int("n"); });
                    })
                    .ok());
    EXPECT_EQ(sevens, 0);
    EXPECT_EQ(late, 0);
    // And passes when every row was there.
    s = pool->Transact([&](Db& db) {
      return db.ExecScript({{"UPDATE t SET n = 7 WHERE id IN ('r0', 'r1')", {}}, ExpectRowsChanged(2)}, true);
    });
    EXPECT_TRUE(s.ok()) << s;
  }
}

// ExecInline sends a batch as text: the same bytes must arrive, the count of
// rows is returned, and a failing batch leaves nothing.
TEST(DbInline, ABatchSentAsTextArrivesIntactOrNotAtAll) {
  auto pool = NewPool(testing::UniqueDbName("inline"));
  ASSERT_NE(pool, nullptr);
  ASSERT_TRUE(
      pool->Run([](Db& db) { return db.Execute("CREATE TABLE t (id BIGINT PRIMARY KEY, s VARCHAR(100))"); }).ok());
  const std::vector<std::string> texts = {"plain-text_1.2/3:4", "it's \\ \"quoted\" '; DROP TABLE t; --", "楼道灯坏了",
                                          std::string("nul\0byte", 8), ""};
  std::vector<SqlParams> rows;
  for (size_t i = 0; i < texts.size(); ++i) rows.push_back({static_cast<int64_t>(i), texts[i]});
  int64_t inserted = 0;
  absl::Status s = pool->Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(inserted, db.ExecInline(*InsertRowsSql("t", "id, s", rows)));
    return absl::OkStatus();
  });
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(inserted, static_cast<int64_t>(texts.size()));
  std::vector<std::string> got;
  ASSERT_TRUE(pool->Run([&](Db& db) {
                    return db.Query("SELECT s FROM t ORDER BY id", {},
                                    [&](const Row& r) { got.push_back(r.Str("s")); });
                  })
                  .ok());
  EXPECT_EQ(got, texts);
  // A duplicate key in the second row: the whole statement fails, mapped as
  // every other statement's error is.
  s = pool->Transact([&](Db& db) {
    return db.ExecInline(*InsertRowsSql("t", "id, s", {{int64_t{10}, "new"}, {int64_t{0}, "again"}})).status();
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists) << s;
  int64_t count = 0;
  ASSERT_TRUE(pool->Run([&](Db& db) {
                    return db.Query("SELECT COUNT(*) AS n FROM t", {}, [&](const Row& r) { count = r.Int("n"); });
                  })
                  .ok());
  EXPECT_EQ(count, static_cast<int64_t>(texts.size()));
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
  ASSERT_TRUE(pool->Run([&](Db& db) {
                    return db.Query("SELECT COUNT(*) AS n FROM t", {}, [&](const Row& r) { count = r.Int("n"); });
                  })
                  .ok());
  EXPECT_EQ(count, 0);  // rolled back
  ASSERT_TRUE(
      pool->Transact([](Db& db) { return db.Exec("INSERT INTO t VALUES (?)", {std::string("a")}).status(); }).ok());
  s = pool->Transact([](Db& db) { return db.Exec("INSERT INTO t VALUES (?)", {std::string("a")}).status(); });
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists);
}

TEST(DbPool, ErrorsNeitherLogNorAnswerTheValuesInThem) {
  auto pool = NewPool(testing::UniqueDbName("pool"));
  ASSERT_NE(pool, nullptr);
  ASSERT_TRUE(pool->Run([](Db& db) { return db.Execute("CREATE TABLE n (id INT PRIMARY KEY, x INT)"); }).ok());
  ::testing::internal::CaptureStderr();
  absl::Status s = pool->Transact(
      [](Db& db) { return db.Exec("INSERT INTO n VALUES (1, ?)", {std::string("13812345678x")}).status(); });
  std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
  EXPECT_NE(log.find("db_error"), std::string::npos) << log;
  EXPECT_EQ(log.find("13812345678"), std::string::npos) << log;
  EXPECT_EQ(std::string(s.message()).find("13812345678"), std::string::npos) << s;
  s = pool->Transact([](Db& db) { return db.Exec("INSERT INTO n VALUES (?, 1)", {int64_t{110105}}).status(); });
  ASSERT_TRUE(s.ok()) << s;
  s = pool->Transact([](Db& db) { return db.Exec("INSERT INTO n VALUES (?, 1)", {int64_t{110105}}).status(); });
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(std::string(s.message()).find("110105"), std::string::npos) << s;
}

TEST(RedactSqlError, KeepsNamesAndHidesValues) {
  EXPECT_EQ(RedactSqlError("Duplicate entry '110105194912310021' for key 'national_id_index'"),
            "Duplicate entry '…' for key 'national_id_index'");
  EXPECT_EQ(RedactSqlError("Incorrect integer value: '1381234' for column `d`.`n`.`x` at row 1"),
            "Incorrect integer value: '…' for column `d`.`n`.`x` at row 1");
  EXPECT_EQ(RedactSqlError("Table 'lianxin.t' doesn't exist"), "Table '…' doesn't exist");
  EXPECT_EQ(RedactSqlError("unbalanced ' quote"), "unbalanced ' quote");
}

TEST(DbPool, OnAThreadThatMustNotBlockAsksNothingAndSaysWouldBlock) {
  auto pool = NewPool(testing::UniqueDbName("noblock"));
  ASSERT_NE(pool, nullptr);
  int ran = 0;
  {
    NoBlockingScope here;
    absl::Status s = pool->Run([&](Db&) {
      ++ran;
      return absl::OkStatus();
    });
    EXPECT_TRUE(IsWouldBlock(s)) << s;
    s = pool->Transact([&](Db&) {
      ++ran;
      return absl::OkStatus();
    });
    EXPECT_TRUE(IsWouldBlock(s)) << s;
  }
  EXPECT_EQ(ran, 0);
  EXPECT_TRUE(pool->Run([&](Db&) {
                    ++ran;
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(ran, 1);
}

TEST(DbPool, RowsAreReadByColumnNameAndAMisspelledNameFailsTheQuery) {
  auto pool = NewPool(testing::UniqueDbName("rows"));
  ASSERT_NE(pool, nullptr);
  std::string a, b;
  int64_t n = -1;
  ASSERT_TRUE(pool->Run([&](Db& db) {
                    return db.Query("SELECT 'x' AS b, 'y' AS a, NULL AS n", {}, [&](const Row& r) {
                      a = r.Str("a");
                      b = r.Str("b");
                      n = r.Int("n");
                    });
                  })
                  .ok());
  EXPECT_EQ(a, "y");
  EXPECT_EQ(b, "x");
  EXPECT_EQ(n, 0);  // NULL
  absl::Status s =
      pool->Run([&](Db& db) { return db.Query("SELECT 'x' AS b", {}, [&](const Row& r) { a = r.Str("bb"); }); });
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
  EXPECT_NE(s.message().find("bb"), absl::string_view::npos);
}

TEST(SqlSplit, SkipsCommentsAndSplitsOnLineEndingSemicolons) {
  auto stmts = SplitSqlStatements("-- c\nCREATE TABLE a (\n x INT -- a; b\n);\n\nINSERT INTO a VALUES (1);\n");
  ASSERT_EQ(stmts.size(), 2u);
  EXPECT_EQ(stmts[1], "INSERT INTO a VALUES (1)");
}

}  // namespace
}  // namespace lianxin
