#include "common/db.h"

#include <cppconn/connection.h>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/resultset_metadata.h>
#include <cppconn/statement.h>
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <iterator>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/call_context.h"
#include "common/log.h"
#include "common/status.h"

namespace lianxin {

struct DbMetrics {
  prometheus::Gauge* in_use = nullptr;
  prometheus::Gauge* idle = nullptr;
  prometheus::Gauge* max = nullptr;
  prometheus::Histogram* query_seconds = nullptr;
  prometheus::Counter* errors = nullptr;
  prometheus::Counter* dropped = nullptr;
  // Keeps metrics usable when no registry is given (tools, unit tests).
  std::unique_ptr<prometheus::Registry> own;
};

namespace {

// Client and server codes meaning "this connection is gone".
bool IsConnectionError(int code) {
  switch (code) {
    case 2002:
    case 2003:
    case 2006:
    case 2013:
    case 2055:  // CR_* client errors
    case 1053:  // ER_SERVER_SHUTDOWN
    case 1927:  // ER_CONNECTION_KILLED
    case 4031:  // ER_CLIENT_INTERACTION_TIMEOUT
      return true;
    default:
      return false;
  }
}

std::unique_ptr<DbMetrics> MakeMetrics(prometheus::Registry* registry, const DbOptions& options) {
  const std::string& pool = options.pool_name;
  auto m = std::make_unique<DbMetrics>();
  if (registry == nullptr) {
    m->own = std::make_unique<prometheus::Registry>();
    registry = m->own.get();
  }
  auto& conns =
      prometheus::BuildGauge().Name("db_pool_connections").Help("Database connections by state").Register(*registry);
  m->in_use = &conns.Add({{"pool", pool}, {"state", "in_use"}});
  m->idle = &conns.Add({{"pool", pool}, {"state", "idle"}});
  m->max = &prometheus::BuildGauge()
                .Name("db_pool_max_connections")
                .Help("Upper bound of the database pool")
                .Register(*registry)
                .Add({{"pool", pool}});
  m->max->Set(options.pool_size);
  m->query_seconds =
      &prometheus::BuildHistogram()
           .Name("db_query_duration_seconds")
           .Help("Latency of one database statement")
           .Register(*registry)
           .Add({{"pool", pool}}, prometheus::Histogram::BucketBoundaries{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                                          0.01, 0.025, 0.05, 0.1, 0.25, 1});
  m->errors = &prometheus::BuildCounter()
                   .Name("db_errors_total")
                   .Help("Database statements that failed")
                   .Register(*registry)
                   .Add({{"pool", pool}});
  m->dropped = &prometheus::BuildCounter()
                    .Name("db_pool_connections_dropped_total")
                    .Help("Broken connections closed instead of reused")
                    .Register(*registry)
                    .Add({{"pool", pool}});
  return m;
}

void Bind(sql::PreparedStatement* st, const SqlParams& params) {
  for (size_t i = 0; i < params.size(); ++i) {
    auto idx = static_cast<unsigned int>(i + 1);
    const SqlParam& p = params[i];
    if (std::holds_alternative<std::nullptr_t>(p)) {
      st->setNull(idx, sql::DataType::VARCHAR);
    } else if (const auto* n = std::get_if<int64_t>(&p)) {
      st->setInt64(idx, *n);
    } else {
      st->setString(idx, std::get<std::string>(p));
    }
  }
}

}  // namespace

uint32_t Row::Index(absl::string_view column) const {
  auto it = columns_->find(column);
  if (it != columns_->end()) return it->second;
  if (missing_.empty()) missing_ = std::string(column);
  return 0;
}

std::string Row::Str(absl::string_view column) const {
  uint32_t i = Index(column);
  return i == 0 ? std::string() : rs_->getString(i).asStdString();
}

int64_t Row::Int(absl::string_view column) const {
  uint32_t i = Index(column);
  return i == 0 ? 0 : rs_->getInt64(i);
}

bool Row::IsNull(absl::string_view column) const {
  uint32_t i = Index(column);
  return i == 0 || rs_->isNull(i);
}

Db::Db(std::unique_ptr<sql::Connection> conn, DbMetrics* metrics, bool one_round_trip)
    : conn_(std::move(conn)), metrics_(metrics), one_round_trip_(one_round_trip) {}

Db::~Db() {
  statements_.clear();
  try {
    if (conn_ && !broken_) conn_->close();
  } catch (const sql::SQLException&) {
  }
}

absl::Status Db::Fail(const std::string& sql, int code, const std::string& state, const std::string& raw) {
  // Error texts quote values (ID numbers, phones): never logged or answered.
  const std::string what = RedactSqlError(raw);
  metrics_->errors->Increment();
  if (IsConnectionError(code) || state == "08S01") {
    broken_ = true;
    retryable_ = true;
    return absl::UnavailableError("the database is unavailable; try again");
  }
  if (code == 1172) {  // the ExpectRowsChanged guard: rows changed meanwhile
    return WithReason(absl::AbortedError("the rows changed meanwhile; try again"), "ROWS_CHANGED");
  }
  if (code == 1213 || code == 1205) {  // deadlock, lock wait timeout
    retryable_ = true;
    return absl::AbortedError("the database aborted the transaction; try again");
  }
  if (code == 1062) return absl::AlreadyExistsError(what);
  if (code == 1094) return absl::NotFoundError("no such connection");  // KILL of one already gone: expected
  Log(LogLevel::kError, "db_error", {{"code", absl::StrCat(code)}, {"sqlstate", state}, {"error", what}, {"sql", sql}});
  return absl::InternalError("internal database error");
}

constexpr size_t kMaxStatements = 512;

absl::StatusOr<Db::Prepared*> Db::Prepare(const std::string& sql) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) return &it->second;
  // Statements built for batches vary with their size: keep the cache
  // bounded (MariaDB's max_prepared_stmt_count is per server).
  if (statements_.size() >= kMaxStatements) statements_.clear();
  try {
    std::unique_ptr<sql::PreparedStatement> st(conn_->prepareStatement(sql));
    return &statements_.emplace(sql, Prepared{std::move(st), nullptr}).first->second;
  } catch (const sql::SQLException& e) {
    return Fail(sql, e.getErrorCode(), e.getSQLState(), e.what());
  }
}

absl::Status Db::Query(const std::string& sql, const SqlParams& params, absl::FunctionRef<void(const Row&)> on_row) {
  ASSIGN_OR_RETURN(Prepared * p, Prepare(sql));
  absl::Time start = absl::Now();
  std::string missing;
  try {
    Bind(p->statement.get(), params);
    std::unique_ptr<sql::ResultSet> rs(p->statement->executeQuery());
    if (p->columns == nullptr) {  // the same for every run of the statement
      p->columns = std::make_unique<ResultColumns>();
      sql::ResultSetMetaData* meta = rs->getMetaData();
      for (uint32_t i = 1; i <= meta->getColumnCount(); ++i) {
        p->columns->emplace(meta->getColumnLabel(i).asStdString(), i);
      }
    }
    Row row(rs.get(), p->columns.get());
    while (rs->next()) on_row(row);
    missing = row.missing_;
  } catch (const sql::SQLException& e) {
    return Fail(sql, e.getErrorCode(), e.getSQLState(), e.what());
  }
  if (!missing.empty()) {
    Log(LogLevel::kError, "db_no_such_column", {{"column", missing}, {"sql", sql}});
    return absl::InternalError(absl::StrCat("internal error: no column ", missing, " in the result"));
  }
  metrics_->query_seconds->Observe(absl::ToDoubleSeconds(absl::Now() - start));
  return absl::OkStatus();
}

absl::StatusOr<int64_t> Db::Exec(const std::string& sql, const SqlParams& params) {
  ASSIGN_OR_RETURN(Prepared * p, Prepare(sql));
  wrote_ = true;  // from here on the server may apply it
  absl::Time start = absl::Now();
  int64_t affected = 0;
  try {
    Bind(p->statement.get(), params);
    affected = p->statement->executeUpdate();
  } catch (const sql::SQLException& e) {
    return Fail(sql, e.getErrorCode(), e.getSQLState(), e.what());
  }
  metrics_->query_seconds->Observe(absl::ToDoubleSeconds(absl::Now() - start));
  return affected;
}

absl::Status Db::Execute(const std::string& sql) {
  absl::Time start = absl::Now();
  try {
    std::unique_ptr<sql::Statement> st(conn_->createStatement());
    if (st->execute(sql)) {
      std::unique_ptr<sql::ResultSet> rs(st->getResultSet());  // drain, or the next command fails
      while (rs->next()) {
      }
    }
  } catch (const sql::SQLException& e) {
    return Fail(sql, e.getErrorCode(), e.getSQLState(), e.what());
  }
  metrics_->query_seconds->Observe(absl::ToDoubleSeconds(absl::Now() - start));
  return absl::OkStatus();
}

namespace {

// The statement with its values written in as SqlLiteral.
absl::StatusOr<std::string> Render(const SqlStatement& st) {
  std::string out;
  size_t next = 0;
  for (char ch : st.sql) {
    if (ch != '?') {
      out.push_back(ch);
      continue;
    }
    if (next == st.params.size()) return absl::InternalError(absl::StrCat("more ? than values in: ", st.sql));
    out += SqlLiteral(st.params[next++]);
  }
  if (next != st.params.size()) return absl::InternalError(absl::StrCat("more values than ? in: ", st.sql));
  return out;
}

// A compound statement (ExpectRowsChanged): not for the prepared protocol.
bool IsCompound(const SqlStatement& st) { return absl::StartsWith(st.sql, "IF "); }

}  // namespace

absl::StatusOr<int64_t> Db::ExecInline(const SqlStatement& statement) {
  ASSIGN_OR_RETURN(std::string text, Render(statement));
  absl::Time start = absl::Now();
  int64_t changed = 0;
  try {
    std::unique_ptr<sql::Statement> st(conn_->createStatement());
    changed = st->executeUpdate(text);
  } catch (const sql::SQLException& e) {
    return Fail(statement.sql, e.getErrorCode(), e.getSQLState(), e.what());
  }
  metrics_->query_seconds->Observe(absl::ToDoubleSeconds(absl::Now() - start));
  return changed;
}

absl::Status Db::ExecScript(const std::vector<SqlStatement>& given, bool commit) {
  if (!given.empty()) wrote_ = true;
  // The commit marker goes in with the COMMIT (common/db_commit.cc).
  const std::vector<SqlStatement> marker = commit && wrote_ ? MarkerStatements() : std::vector<SqlStatement>{};
  const bool empty = given.empty() && marker.empty();
  if (!one_round_trip_) {  // the same, a round trip each
    for (const auto* list : {&given, &marker}) {
      for (const auto& st : *list) {
        if (IsCompound(st)) {
          ASSIGN_OR_RETURN(std::string sql, Render(st));
          RETURN_IF_ERROR(Execute(sql));
        } else {
          RETURN_IF_ERROR(Exec(st.sql, st.params).status());
        }
      }
    }
    if (commit) {
      commit_sent_ = true;
      RETURN_IF_ERROR(Execute("COMMIT"));
      committed_ = true;
    }
    return absl::OkStatus();
  }
  if (empty && !commit) return absl::OkStatus();
  // One compound statement: the server runs it all and answers once (one
  // result to send and to wait for, not one per statement); the first
  // statement to fail stops it, and the caller's ROLLBACK undoes the rest.
  std::string script = "BEGIN NOT ATOMIC\n";
  for (const auto* list : {&given, &marker}) {
    for (const auto& st : *list) {
      ASSIGN_OR_RETURN(std::string sql, Render(st));
      absl::StrAppend(&script, sql, ";\n");
    }
  }
  if (commit) script += "COMMIT;\n";
  script += "END";
  absl::Time start = absl::Now();
  if (commit) commit_sent_ = true;
  try {
    std::unique_ptr<sql::Statement> st(conn_->createStatement());
    st->execute(script);
  } catch (const sql::SQLException& e) {
    return Fail(script.substr(0, 2000), e.getErrorCode(), e.getSQLState(), e.what());
  }
  metrics_->query_seconds->Observe(absl::ToDoubleSeconds(absl::Now() - start));
  committed_ = commit;
  return absl::OkStatus();
}

DbPool::DbPool(DbOptions options, std::unique_ptr<DbMetrics> metrics)
    : options_(std::move(options)), metrics_(std::move(metrics)) {}

DbPool::~DbPool() = default;

DbOptions BatchWritePoolOptions(const DbOptions& main, int writers, const std::string& pool_name) {
  DbOptions options = main;
  options.autocommit = false;
  options.create_database = false;
  options.one_round_trip_scripts = true;
  options.pool_size = 2 * (writers < 1 ? 1 : writers);
  options.pool_name = pool_name;
  return options;
}

absl::StatusOr<std::unique_ptr<DbPool>> DbPool::Create(const DbOptions& options, prometheus::Registry* registry) {
  std::unique_ptr<DbPool> pool(new DbPool(options, MakeMetrics(registry, options)));
  if (options.create_database) {
    ASSIGN_OR_RETURN(auto db, pool->Connect(/*with_database=*/false));
    RETURN_IF_ERROR(db->Execute(absl::StrCat("CREATE DATABASE IF NOT EXISTS `", options.database,
                                             "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")));
  }
  ASSIGN_OR_RETURN(auto db, pool->Connect(/*with_database=*/true));
  {
    absl::MutexLock lock(&pool->mu_);
    ++pool->open_;
    pool->metrics_->in_use->Increment();
  }
  pool->Release(std::move(db));
  return pool;
}

absl::StatusOr<std::unique_ptr<Db>> DbPool::Acquire() {
  {
    absl::MutexLock lock(&mu_);
    auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return !idle_.empty() || open_ < options_.pool_size; };
    if (!mu_.AwaitWithTimeout(absl::Condition(&ready), options_.acquire_timeout)) {
      return absl::UnavailableError("no database connection free in time");
    }
    if (!idle_.empty()) {
      auto db = std::move(idle_.back());
      idle_.pop_back();
      metrics_->idle->Decrement();
      metrics_->in_use->Increment();
      return db;
    }
    ++open_;  // reserve a slot, connect outside the lock
  }
  auto db = Connect(/*with_database=*/true);
  absl::MutexLock lock(&mu_);
  if (!db.ok()) {
    --open_;
    return db.status();
  }
  metrics_->in_use->Increment();
  return db;
}

void DbPool::Release(std::unique_ptr<Db> db) {
  absl::MutexLock lock(&mu_);
  if (db->broken()) {
    --open_;
    metrics_->in_use->Decrement();
    metrics_->dropped->Increment();
    return;  // closing a broken connection; nobody gets it again
  }
  db->retryable_ = false;
  metrics_->in_use->Decrement();
  idle_.push_back(std::move(db));
  metrics_->idle->Increment();
}

absl::Status DbPool::WithRetry(bool transaction, absl::FunctionRef<absl::Status(Db&)> fn) {
  // On a thread that must not block (a gRPC thread), nothing is asked: the
  // caller runs again on a worker (common/call_context.h).
  if (!MayBlock()) return WouldBlock();
  constexpr int kAttempts = 4;
  const bool ends_with_commit = transaction || !options_.autocommit;
  absl::Status last;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    if (attempt > 0) absl::SleepFor(absl::Milliseconds(5 * attempt * attempt));
    auto acquired = Acquire();
    if (!acquired.ok()) {
      last = acquired.status();
      continue;  // the server may be coming back
    }
    std::unique_ptr<Db> db = std::move(acquired).value();
    db->NewCall();
    // With autocommit off, the first statement begins the transaction: one
    // round trip fewer; such a connection ends every call with COMMIT.
    absl::Status s = transaction && options_.autocommit ? db->Execute("START TRANSACTION") : absl::OkStatus();
    if (s.ok()) s = fn(*db);
    if (ends_with_commit && !db->broken() && !(s.ok() && db->committed_)) {
      absl::Status end = s.ok() ? Commit(*db) : db->Execute("ROLLBACK");
      if (s.ok()) s = end;
    }
    if (!s.ok() && db->broken() && db->wrote_ && (db->commit_sent_ || !ends_with_commit)) {
      // Written, then cut off: the writes may have been kept. Never again
      // blindly; ask, where a marker makes that possible.
      absl::StatusOr<bool> committed =
          ends_with_commit && db->markers_ ? Committed(*db) : absl::StatusOr<bool>(CommitOutcomeUnknown());
      Release(std::move(db));
      if (!committed.ok()) return committed.status();
      if (*committed) return absl::OkStatus();
      last = s;
      continue;  // rolled back: nothing of it was kept
    }
    bool retry = !s.ok() && db->retryable();
    if (s.ok() && db->wrote_ && db->committed_) PruneMarkers(*db);  // a marker was written
    Release(std::move(db));
    if (!retry) return s;
    last = s;
  }
  return last;
}

absl::Status DbPool::Transact(absl::FunctionRef<absl::Status(Db&)> fn) { return WithRetry(/*transaction=*/true, fn); }

absl::Status DbPool::Run(absl::FunctionRef<absl::Status(Db&)> fn) { return WithRetry(/*transaction=*/false, fn); }

absl::Status DbPool::Ping() {
  auto acquired = Acquire();
  if (!acquired.ok()) return acquired.status();
  std::unique_ptr<Db> db = std::move(acquired).value();
  absl::Status s = db->Query("SELECT 1", {}, [](const Row&) {});
  Release(std::move(db));
  return s;
}

}  // namespace lianxin
