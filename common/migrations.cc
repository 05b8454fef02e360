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

absl::StatusOr<MigrationResult> ApplyMigrations(DbPool& pool, const std::vector<Migration>& known_in) {
  std::vector<Migration> known = known_in;
  std::sort(known.begin(), known.end(), [](const Migration& a, const Migration& b) { return a.version < b.version; });
  MigrationResult result;
  absl::Status s = pool.Run([&](Db& db) -> absl::Status {
    RETURN_IF_ERROR(
        db.Execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                   " version INT NOT NULL PRIMARY KEY,"
                   " name VARCHAR(255) NOT NULL,"
                   " checksum CHAR(16) NOT NULL,"
                   " applied_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)"
                   ") ENGINE=InnoDB"));
    int64_t locked = 0;
    RETURN_IF_ERROR(db.Query("SELECT GET_LOCK('lianxin_schema_migrations', 60) AS locked", {},
                             [&](const Row& r) { locked = r.Int("locked"); }));
    if (locked != 1) return absl::UnavailableError("could not take the migration lock");
    auto release = [&] { (void)db.Execute("DO RELEASE_LOCK('lianxin_schema_migrations')"); };

    std::map<int, std::string> applied;  // version → checksum
    absl::Status st = db.Query("SELECT version, checksum FROM schema_migrations", {},
                               [&](const Row& r) { applied[static_cast<int>(r.Int("version"))] = r.Str("checksum"); });
    if (!st.ok()) {
      release();
      return st;
    }
    int newest_known = known.empty() ? 0 : known.back().version;
    if (!applied.empty() && applied.rbegin()->first > newest_known) {
      release();
      return absl::FailedPreconditionError(absl::StrCat("the database schema is at version ", applied.rbegin()->first,
                                                        ", newer than this binary knows (", newest_known,
                                                        "): deploy a newer binary"));
    }
    for (const Migration& m : known) {
      auto it = applied.find(m.version);
      if (it != applied.end()) {
        if (it->second != Checksum(m.sql)) {
          release();
          return absl::FailedPreconditionError(
              absl::StrCat("migration ", m.name, " was changed after it was applied; add a new migration instead"));
        }
        continue;
      }
      for (const std::string& stmt : SplitSqlStatements(m.sql)) {
        st = db.Execute(stmt);
        if (!st.ok()) {
          release();
          return absl::InternalError(absl::StrCat("migration ", m.name, " failed: ", st.message()));
        }
      }
      auto ins = db.Exec("INSERT INTO schema_migrations (version, name, checksum) VALUES (?, ?, ?)",
                         {int64_t{m.version}, m.name, Checksum(m.sql)});
      if (!ins.ok()) {
        release();
        return ins.status();
      }
      ++result.applied_now;
      Log(LogLevel::kInfo, "migration_applied", {{"version", absl::StrCat(m.version)}, {"name", m.name}});
    }
    result.schema_version = std::max(newest_known, applied.empty() ? 0 : applied.rbegin()->first);
    release();
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return result;
}

}  // namespace lianxin
