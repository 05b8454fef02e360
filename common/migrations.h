// Schema migrations: numbered SQL files per service (services/<name>/migrations/
// NNNN_what.sql), embedded in the service binary at build time, recorded in the
// table schema_migrations, applied in order under a database lock and never
// re-applied. A service refuses to start on a schema newer than it knows, or
// when an applied file was edited afterwards.
#ifndef LIANXIN_COMMON_MIGRATIONS_H_
#define LIANXIN_COMMON_MIGRATIONS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/db.h"

namespace lianxin {

struct Migration {
  int version;
  std::string name;  // file name
  std::string sql;   // statements separated by ';' at the end of a line
};

struct MigrationResult {
  int schema_version = 0;
  int applied_now = 0;
};

absl::StatusOr<MigrationResult> ApplyMigrations(DbPool& pool, const std::vector<Migration>& known);

// Splits a migration file into statements (exposed for tests).
std::vector<std::string> SplitSqlStatements(const std::string& sql);

}  // namespace lianxin

#endif  // LIANXIN_COMMON_MIGRATIONS_H_
