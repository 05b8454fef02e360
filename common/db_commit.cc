// Commits that may or may not have happened (common/db.h).
//
// A connection lost after COMMIT was sent leaves the outcome unknown: the
// server may have committed and failed to answer, or never seen the COMMIT.
// Running the transaction again would apply it twice in the first case;
// reporting a failure would be false. So a transaction that wrote inserts one
// row of its own into commit_markers in the same commit (no extra round
// trip: the insert travels with the COMMIT), and after a lost connection a
// fresh connection
//   1. ends the lost connection on the server (KILL, when it is the same run
//      of the server: ids start again after a restart), so that a
//      transaction still open there is rolled back rather than left hanging;
//   2. reads the marker with a locking read, which waits while the lost
//      transaction still holds it (committing or rolling back);
// and the marker's presence is the answer. When the database cannot be asked
// in time, the caller hears COMMIT_OUTCOME_UNKNOWN, and nothing runs again.
#include <cppconn/connection.h>
#include <cppconn/exception.h>
#include <cppconn/statement.h>

#include <cstdlib>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/db.h"
#include "common/log.h"
#include "common/status.h"

namespace lianxin {
namespace {

// How long markers are kept: far longer than any check after a lost
// connection takes.
constexpr absl::Duration kMarkerLifetime = absl::Minutes(10);
constexpr absl::Duration kPruneEvery = absl::Minutes(1);
// The longest wait for the lost transaction's lock.
constexpr int kLockWaitSeconds = 5;

}  // namespace

absl::Status CommitOutcomeUnknown() {
  return WithReason(absl::UnavailableError("the connection to the database was lost while a write was being "
                                           "committed, and whether it was kept is unknown; a retry with the "
                                           "same request id is safe"),
                    "COMMIT_OUTCOME_UNKNOWN");
}

void Db::NewCall() {
  committed_ = false;
  wrote_ = false;
  commit_sent_ = false;
  thread_local absl::BitGen gen;
  marker_us_ = absl::ToUnixMicros(absl::Now());
  marker_id_ = absl::Uniform<int64_t>(gen, 1, INT64_MAX);
}

std::vector<SqlStatement> Db::MarkerStatements() const {
  if (!markers_) return {};
  return {{"INSERT INTO commit_markers (created_us, id) VALUES (?, ?)", {marker_us_, marker_id_}}};
}

absl::Status DbPool::Commit(Db& db) {
  if (!db.wrote_ || !db.markers_) return db.Execute("COMMIT");
  db.commit_sent_ = true;
  // The marker and the COMMIT in one statement, one round trip.
  std::string sql = absl::StrCat("BEGIN NOT ATOMIC INSERT INTO commit_markers (created_us, id) VALUES (", db.marker_us_,
                                 ", ", db.marker_id_, "); COMMIT; END");
  absl::Status s = db.Execute(sql);
  if (s.ok()) db.committed_ = true;
  return s;
}

absl::StatusOr<bool> DbPool::Committed(const Db& lost) {
  const absl::Time give_up = absl::Now() + options_.commit_check_for;
  for (int attempt = 0; absl::Now() < give_up; ++attempt) {
    if (attempt > 0) absl::SleepFor(absl::Milliseconds(50 * attempt));
    auto fresh = Connect(/*with_database=*/true);  // not from the pool: it may be full
    if (!fresh.ok()) continue;
    Db& db = **fresh;
    if (std::llabs(db.server_started_ - lost.server_started_) <= 2) {
      // The same run of the server: end the lost connection there (an
      // unknown thread, already gone, is an error to ignore).
      (void)db.Execute(absl::StrCat("KILL CONNECTION ", lost.connection_id_));
    }
    if (!db.Execute(absl::StrCat("SET SESSION innodb_lock_wait_timeout = ", kLockWaitSeconds)).ok()) continue;
    bool found = false;
    absl::Status s = db.Query("SELECT id FROM commit_markers WHERE created_us = ? AND id = ? LOCK IN SHARE MODE",
                              {lost.marker_us_, lost.marker_id_}, [&](const Row&) { found = true; });
    if (!s.ok()) continue;
    (void)db.Execute("COMMIT");
    Log(LogLevel::kWarning, "db_commit_checked", {{"committed", found ? "yes" : "no"}});
    return found;
  }
  Log(LogLevel::kError, "db_commit_outcome_unknown", {});
  return CommitOutcomeUnknown();
}

void DbPool::PruneMarkers(Db& db) {
  if (!db.markers_) return;
  const int64_t now_us = absl::ToUnixMicros(absl::Now());
  int64_t due = next_prune_us_.load(std::memory_order_relaxed);
  if (now_us < due || !next_prune_us_.compare_exchange_strong(due, now_us + absl::ToInt64Microseconds(kPruneEvery))) {
    return;  // not yet, or another call does it
  }
  absl::Status s =
      db.Exec("DELETE FROM commit_markers WHERE created_us < ?", {now_us - absl::ToInt64Microseconds(kMarkerLifetime)})
          .status();
  if (s.ok() && !options_.autocommit) s = db.Execute("COMMIT");
  if (!s.ok()) {
    if (!options_.autocommit) (void)db.Execute("ROLLBACK");
    Log(LogLevel::kWarning, "db_prune_markers_failed", {{"error", s.ToString()}});
  }
}

}  // namespace lianxin
