// MySQL/MariaDB access over Connector/C++ 1.1: a bounded pool of
// connections, each with its own prepared-statement cache.
//
//   ASSIGN_OR_RETURN(auto pool, DbPool::Create(options, &registry));
//   RETURN_IF_ERROR(pool->Transact([&](Db& db) -> absl::Status {
//     ASSIGN_OR_RETURN(int64_t n, db.Exec("UPDATE t SET v=? WHERE id=?", {v, id}));
//     return db.Query("SELECT a, b FROM t WHERE id=?", {id}, [&](const Row& r) {
//       a = r.Str(0);
//     });
//   }));
//
// A connection that fails with a connection error (server restarted, network
// cut) is closed and never handed out again; the transaction is retried on a
// fresh connection, and again on deadlocks, so callers see a server restart
// only as a slower call. A transaction that wrote and lost its connection
// after COMMIT was sent is never simply run again: a fresh connection asks
// whether it committed (its commit marker, common/db_commit.cc), and the call
// is answered from that — done, run again, or UNAVAILABLE with the reason
// COMMIT_OUTCOME_UNKNOWN when the database cannot say. Database errors become absl::Status:
// duplicate key → ALREADY_EXISTS, lost connection → UNAVAILABLE, others →
// INTERNAL (logged with the SQL error, never sent to clients).
#ifndef LIANXIN_COMMON_DB_H_
#define LIANXIN_COMMON_DB_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/node_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/sql.h"

namespace sql {
class Connection;
class PreparedStatement;
class ResultSet;
}  // namespace sql

namespace prometheus {
class Registry;
}  // namespace prometheus

namespace lianxin {

// The columns of a statement's result, by name (their labels: `SELECT COUNT(*)
// AS n`, `p.id` is "id").
using ResultColumns = absl::flat_hash_map<std::string, uint32_t>;

// One row of a result, its columns read by name. NULL reads as "" and 0.
// A name the result does not have reads as "" and 0 too, and fails the query
// (INTERNAL, naming the column): a mistake in the code, caught by its tests.
class Row {
 public:
  std::string Str(absl::string_view column) const;
  int64_t Int(absl::string_view column) const;
  bool IsNull(absl::string_view column) const;

 private:
  friend class Db;
  Row(sql::ResultSet* rs, const ResultColumns* columns) : rs_(rs), columns_(columns) {}
  // 1-based index for Connector/C++, or 0 (recorded in missing_) if unknown.
  uint32_t Index(absl::string_view column) const;

  sql::ResultSet* rs_;
  const ResultColumns* columns_;
  mutable std::string missing_;
};

struct DbOptions {
  std::string host = "127.0.0.1";
  int port = 3306;
  std::string socket;  // if set, used instead of host:port
  std::string user = "root";
  std::string password;
  std::string database;
  int pool_size = 8;
  absl::Duration connect_timeout = absl::Seconds(3);
  absl::Duration acquire_timeout = absl::Seconds(5);
  // After a connection lost mid-commit: how long to try to find out whether
  // the commit happened before answering COMMIT_OUTCOME_UNKNOWN.
  absl::Duration commit_check_for = absl::Seconds(10);
  // Created if missing (local runs and tests).
  bool create_database = true;
  // Off: every statement is in a transaction that Transact (and Run) end
  // with COMMIT; Transact then needs no START TRANSACTION. For pools that
  // only write (a Batcher's).
  bool autocommit = true;
  // ExecScript sends its statements as one compound statement (one round
  // trip, one answer) instead of one by one.
  bool one_round_trip_scripts = false;
  // The pool's label on its metrics (db_pool_connections{pool=...}).
  std::string pool_name = "main";
  // A transaction that wrote inserts a row into commit_markers (a common
  // migration) with its COMMIT. Off only for schemas without that table.
  bool commit_markers = true;
  // TLS to the server when set (the CA's certificate file); the server's
  // certificate must be signed by it and name `host`.
  std::string tls_ca_file;
};

// The pool a Batcher's writers write on (common/batcher.h), beside a
// service's `main` pool: two connections per writer thread, autocommit off,
// scripts in one round trip, labelled `pool_name` on its metrics.
DbOptions BatchWritePoolOptions(const DbOptions& main, int writers, const std::string& pool_name);

struct DbMetrics;

// One connection. Not thread-safe: a Db belongs to one caller at a time.
class Db {
 public:
  ~Db();
  absl::Status Query(const std::string& sql, const SqlParams& params, absl::FunctionRef<void(const Row&)> on_row);
  // Returns the number of rows affected.
  absl::StatusOr<int64_t> Exec(const std::string& sql, const SqlParams& params = {});
  // Runs SQL text without preparing it (DDL, SET, transaction control).
  absl::Status Execute(const std::string& sql);
  // Runs a statement that returns no rows with its values written in
  // (SqlLiteral), unprepared: for a large batch built once (InsertRowsSql),
  // whose prepared form would be parsed, bound value by value and thrown
  // away. Returns the number of rows affected.
  absl::StatusOr<int64_t> ExecInline(const SqlStatement& statement);
  // Runs statements that return no rows — and with `commit`, a COMMIT ending
  // the transaction — in one round trip, on a pool with
  // one_round_trip_scripts (one compound statement, BEGIN NOT ATOMIC ... END,
  // its values written in as SqlLiteral; every ? is a placeholder); one
  // round trip each elsewhere. The first to fail stops the rest.
  absl::Status ExecScript(const std::vector<SqlStatement>& statements, bool commit);

  bool broken() const { return broken_; }
  bool retryable() const { return retryable_; }

 private:
  friend class DbPool;
  // A prepared statement and, once it has run, the columns of its result.
  struct Prepared {
    std::unique_ptr<sql::PreparedStatement> statement;
    std::unique_ptr<ResultColumns> columns;
  };

  Db(std::unique_ptr<sql::Connection> conn, DbMetrics* metrics, bool one_round_trip);
  absl::StatusOr<Prepared*> Prepare(const std::string& sql);
  absl::Status Fail(const std::string& sql, int code, const std::string& state, const std::string& what);

  std::unique_ptr<sql::Connection> conn_;
  absl::node_hash_map<std::string, Prepared> statements_;  // nodes: a Prepared* stays valid
  DbMetrics* metrics_;
  bool broken_ = false;     // connection unusable: drop it
  bool retryable_ = false;  // last error was a deadlock or a lost connection
  const bool one_round_trip_;
  bool committed_ = false;  // ExecScript committed the transaction
  // Since the call began: an Exec or ExecScript ran; a COMMIT was sent.
  bool wrote_ = false;
  bool commit_sent_ = false;
  // The server's id for this connection and when the server started (unix
  // seconds): a connection lost mid-commit is ended by id on the same server.
  int64_t connection_id_ = 0;
  int64_t server_started_ = 0;
  // This transaction's row in commit_markers (common/db_commit.cc).
  int64_t marker_us_ = 0;
  int64_t marker_id_ = 0;
  bool markers_ = false;
  std::vector<SqlStatement> MarkerStatements() const;
  void NewCall();
};

// UNAVAILABLE, reason COMMIT_OUTCOME_UNKNOWN: the connection was lost after
// a write was sent, and the database could not say whether it was kept. A
// retry with the same request id is safe; one without may apply twice.
absl::Status CommitOutcomeUnknown();

class DbPool {
 public:
  // Connects once to check the settings (and creates the database if asked).
  static absl::StatusOr<std::unique_ptr<DbPool>> Create(const DbOptions& options, prometheus::Registry* registry);
  ~DbPool();

  // Runs `fn` in a transaction (READ COMMITTED); commits if it returns OK,
  // rolls back otherwise. Retries on deadlock and lost connections.
  absl::Status Transact(absl::FunctionRef<absl::Status(Db&)> fn);
  // Runs `fn` on a connection in autocommit mode (reads), with the same retry.
  absl::Status Run(absl::FunctionRef<absl::Status(Db&)> fn);
  // SELECT 1 on a pooled connection: the readiness probe.
  absl::Status Ping();

  const DbOptions& options() const { return options_; }

 private:
  DbPool(DbOptions options, std::unique_ptr<DbMetrics> metrics);
  absl::StatusOr<std::unique_ptr<Db>> Connect(bool with_database);
  absl::StatusOr<std::unique_ptr<Db>> Acquire();
  void Release(std::unique_ptr<Db> db);
  absl::Status WithRetry(bool transaction, absl::FunctionRef<absl::Status(Db&)> fn);
  // common/db_commit.cc: COMMIT, with the marker when the transaction wrote;
  // after a lost connection, whether the transaction `lost` committed; and
  // now and then, markers too old to be asked about deleted.
  absl::Status Commit(Db& db);
  absl::StatusOr<bool> Committed(const Db& lost);
  void PruneMarkers(Db& db);

  std::atomic<int64_t> next_prune_us_{0};

  const DbOptions options_;
  std::unique_ptr<DbMetrics> metrics_;
  absl::Mutex mu_;
  std::vector<std::unique_ptr<Db>> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace lianxin

#endif  // LIANXIN_COMMON_DB_H_
