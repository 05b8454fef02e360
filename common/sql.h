// SQL as text and values, without a connection: what a statement holds, how
// a value is written into SQL text, and the statements the stores build for
// many rows at once (Db::ExecScript, common/db.h).
#ifndef LIANXIN_COMMON_SQL_H_
#define LIANXIN_COMMON_SQL_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace lianxin {

using SqlParam = std::variant<std::nullptr_t, int64_t, std::string>;
using SqlParams = std::vector<SqlParam>;

// "?,?,?" for an IN list or a VALUES row of n values.
std::string SqlPlaceholders(size_t n);

// A value written into SQL text: NULL, a number, 'text' for plain ASCII
// (letters, digits, _-./: and space), X'hex' for anything else — bytes a
// string or blob column takes as they are, and no character in it can end
// the literal.
std::string SqlLiteral(const SqlParam& value);

// A MariaDB error text with its quoted values replaced by '…' (names of keys,
// columns and tables kept), fit for logs and answers.
std::string RedactSqlError(std::string_view what);

// A statement and its values, for Db::ExecScript.
struct SqlStatement {
  std::string sql;
  SqlParams params;
};

// "INSERT INTO table (columns) VALUES (?, ...), (?, ...)" for every row
// (each as many values as there are columns); none for no rows.
std::optional<SqlStatement> InsertRowsSql(const std::string& table, const std::string& columns,
                                          std::vector<SqlParams> rows);

// Placed right after an UPDATE in an ExecScript: fails the script — ABORTED
// with reason ROWS_CHANGED, so nothing after it runs and the transaction
// rolls back — unless that UPDATE changed exactly `n` rows. For conditional
// updates of rows not locked beforehand (their version in the WHERE).
SqlStatement ExpectRowsChanged(size_t n);

// A value for a nullable column: NULL for "", else the text.
SqlParam NullIfEmpty(const std::string& value);

}  // namespace lianxin

#endif  // LIANXIN_COMMON_SQL_H_
