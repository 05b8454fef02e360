// Schema migrations: numbered SQL files (NNNN_what.sql) embedded in the service
// binary at build time, recorded in the table schema_migrations, applied in
// order under a database lock and never re-applied. Two sets reach every
// service's schema: the shared tables common/ ships (common/migrations/:
// request ids, history), component "common", applied first; then the
// service's own (services/<name>/migrations/), component "service". A service
// refuses to start on a schema newer than it knows, or when an applied file
// was edited afterwards — unless the edited file names the checksum it had
// when it was applied, in a line
//   -- accepts applied checksum 0123456789abcdef
// (an edit that leaves databases which applied the earlier text with the same
// tables, such as moving a table to common/migrations).
//
//   RETURN_IF_ERROR(ApplyMigrations(pool, {CommonMigrations(), OrgMigrations()}).status());
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
  std::string component = "service";
};

struct MigrationResult {
  int schema_version = 0;  // of the service's own migrations
  int applied_now = 0;
};

// Applies what has not been applied of each set, the sets in the order given.
absl::StatusOr<MigrationResult> ApplyMigrations(DbPool& pool, const std::vector<std::vector<Migration>>& sets);
absl::StatusOr<MigrationResult> ApplyMigrations(DbPool& pool, const std::vector<Migration>& known);

// The shared tables every service's schema holds (common/migrations/*.sql).
const std::vector<Migration>& CommonMigrations();

// Splits a migration file into statements (exposed for tests).
std::vector<std::string> SplitSqlStatements(const std::string& sql);

// The checksum recorded for a migration's text.
std::string MigrationChecksum(const std::string& sql);

}  // namespace lianxin

#endif  // LIANXIN_COMMON_MIGRATIONS_H_
