#include "common/migrations.h"

#include <openssl/sha.h>

#include <algorithm>
#include <map>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/log.h"
#include "common/status.h"

namespace lianxin {
namespace {

std::string Checksum(const std::string& sql) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(sql.data()), sql.size(), digest);
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<char*>(digest), 8));
}

}  // namespace

std::vector<std::string> SplitSqlStatements(const std::string& sql) {
  std::vector<std::string> out;
  std::string current;
  for (absl::string_view line : absl::StrSplit(sql, '\n')) {
    absl::string_view trimmed = absl::StripAsciiWhitespace(line);
    if (trimmed.empty() || absl::StartsWith(trimmed, "--")) continue;
    absl::StrAppend(&current, line, "\n");
    if (absl::EndsWith(trimmed, ";")) {
      std::string stmt(absl::StripAsciiWhitespace(current));
      stmt.pop_back();  // the ';'
      out.push_back(stmt);
      current.clear();
    }
  }
  if (!absl::StripAsciiWhitespace(current).empty()) {
    out.emplace_back(absl::StripAsciiWhitespace(current));
  }
  return out;
}

namespace {

// Statements run under the migration lock, on one connection.
class Applier {
 public:
  explicit Applier(Db& db) : db_(db) {}

  // schema_migrations as it was before components: one set, the service's.
  absl::Status UpgradeBookkeeping() {
    bool has_component = false;
    RETURN_IF_ERROR(db_.Query("SHOW COLUMNS FROM schema_migrations LIKE 'component'", {},
                              [&](const Row&) { has_component = true; }));
    if (has_component) return absl::OkStatus();
    Log(LogLevel::kInfo, "schema_migrations_upgraded", {{"column", "component"}});
    return db_.Execute(
        "ALTER TABLE schema_migrations ADD COLUMN component VARCHAR(32) NOT NULL DEFAULT 'service' FIRST, "
        "DROP PRIMARY KEY, ADD PRIMARY KEY (component, version)");
  }

  absl::Status Apply(std::vector<Migration> known, MigrationResult& result) {
    if (known.empty()) return absl::OkStatus();
    std::sort(known.begin(), known.end(), [](const Migration& a, const Migration& b) { return a.version < b.version; });
    const std::string component = known.front().component;
    std::map<int, std::string> applied;  // version → checksum
    RETURN_IF_ERROR(db_.Query("SELECT version, checksum FROM schema_migrations WHERE component = ?", {component},
                              [&](const Row& r) { applied[static_cast<int>(r.Int("version"))] = r.Str("checksum"); }));
    const int newest_known = known.back().version;
    if (!applied.empty() && applied.rbegin()->first > newest_known) {
      return absl::FailedPreconditionError(absl::StrCat("the database schema (", component, ") is at version ",
                                                        applied.rbegin()->first, ", newer than this binary knows (",
                                                        newest_known, "): deploy a newer binary"));
    }
    for (const Migration& m : known) {
      const std::string checksum = MigrationChecksum(m.sql);
      auto it = applied.find(m.version);
      if (it != applied.end()) {
        if (it->second == checksum) continue;
        if (!Accepts(m.sql, it->second)) {
          return absl::FailedPreconditionError(
              absl::StrCat("migration ", m.name, " was changed after it was applied; add a new migration instead"));
        }
        // Edited after it was applied, in a way the file vouches for.
        RETURN_IF_ERROR(db_.Exec("UPDATE schema_migrations SET checksum = ?, name = ? WHERE component = ? AND "
                                 "version = ?",
                                 {checksum, m.name, component, int64_t{m.version}})
                            .status());
        Log(LogLevel::kInfo, "migration_checksum_updated",
            {{"component", component}, {"name", m.name}, {"was", it->second}, {"now", checksum}});
        continue;
      }
      for (const std::string& stmt : SplitSqlStatements(m.sql)) {
        absl::Status st = db_.Execute(stmt);
        if (!st.ok()) return absl::InternalError(absl::StrCat("migration ", m.name, " failed: ", st.message()));
      }
      RETURN_IF_ERROR(db_.Exec("INSERT INTO schema_migrations (component, version, name, checksum) VALUES (?, ?, ?, ?)",
                               {component, int64_t{m.version}, m.name, checksum})
                          .status());
      ++result.applied_now;
      Log(LogLevel::kInfo, "migration_applied",
          {{"component", component}, {"version", absl::StrCat(m.version)}, {"name", m.name}});
    }
    if (component == "service") {
      result.schema_version = std::max(newest_known, applied.empty() ? 0 : applied.rbegin()->first);
    }
    return absl::OkStatus();
  }

 private:
  // Whether the file says it was applied earlier as `checksum`.
  static bool Accepts(const std::string& sql, const std::string& checksum) {
    for (absl::string_view line : absl::StrSplit(sql, '\n')) {
      absl::string_view rest = absl::StripAsciiWhitespace(line);
      if (absl::ConsumePrefix(&rest, "-- accepts applied checksum ") && absl::StripAsciiWhitespace(rest) == checksum) {
        return true;
      }
    }
    return false;
  }

  Db& db_;
};

}  // namespace

std::string MigrationChecksum(const std::string& sql) { return Checksum(sql); }

absl::StatusOr<MigrationResult> ApplyMigrations(DbPool& pool, const std::vector<Migration>& known) {
  return ApplyMigrations(pool, std::vector<std::vector<Migration>>{known});
}

absl::StatusOr<MigrationResult> ApplyMigrations(DbPool& pool, const std::vector<std::vector<Migration>>& sets) {
  MigrationResult result;
  absl::Status s = pool.Run([&](Db& db) -> absl::Status {
    RETURN_IF_ERROR(
        db.Execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                   " component VARCHAR(32) NOT NULL DEFAULT 'service',"
                   " version INT NOT NULL,"
                   " name VARCHAR(255) NOT NULL,"
                   " checksum CHAR(16) NOT NULL,"
                   " applied_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),"
                   " PRIMARY KEY (component, version)"
                   ") ENGINE=InnoDB"));
    int64_t locked = 0;
    RETURN_IF_ERROR(db.Query("SELECT GET_LOCK('lianxin_schema_migrations', 60) AS locked", {},
                             [&](const Row& r) { locked = r.Int("locked"); }));
    if (locked != 1) return absl::UnavailableError("could not take the migration lock");
    Applier applier(db);
    absl::Status st = applier.UpgradeBookkeeping();
    for (const auto& set : sets) {
      if (st.ok()) st = applier.Apply(set, result);
    }
    (void)db.Execute("DO RELEASE_LOCK('lianxin_schema_migrations')");
    return st;
  });
  if (!s.ok()) return s;
  return result;
}

}  // namespace lianxin
