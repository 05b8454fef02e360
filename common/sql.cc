#include "common/sql.h"

#include <algorithm>
#include <iterator>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace lianxin {

SqlParam NullIfEmpty(const std::string& value) {
  if (value.empty()) return nullptr;
  return value;
}

std::string SqlLiteral(const SqlParam& value) {
  if (std::holds_alternative<std::nullptr_t>(value)) return "NULL";
  if (const auto* n = std::get_if<int64_t>(&value)) return absl::StrCat(*n);
  const std::string& text = std::get<std::string>(value);
  bool plain = true;
  for (unsigned char ch : text) {
    plain = plain &&
            (absl::ascii_isalnum(ch) || ch == '_' || ch == '-' || ch == '.' || ch == '/' || ch == ':' || ch == ' ');
  }
  if (plain) return absl::StrCat("'", text, "'");
  // Anything else as the hex of its bytes: nothing in it can end the literal.
  return absl::StrCat("X'", absl::BytesToHexString(text), "'");
}

std::optional<SqlStatement> InsertRowsSql(const std::string& table, const std::string& columns,
                                          std::vector<SqlParams> rows) {
  if (rows.empty()) return std::nullopt;
  SqlStatement st{absl::StrCat("INSERT INTO ", table, " (", columns, ") VALUES "), {}};
  const std::string row = absl::StrCat("(", SqlPlaceholders(rows[0].size()), ")");
  for (size_t i = 0; i < rows.size(); ++i) {
    absl::StrAppend(&st.sql, i == 0 ? "" : ", ", row);
    std::move(rows[i].begin(), rows[i].end(), std::back_inserter(st.params));
  }
  return st;
}

SqlStatement ExpectRowsChanged(size_t n) {
  // A compound statement (MariaDB runs them outside stored programs too), so
  // error 1172 is ours to raise; ExecScript sends it as text.
  return {
      "IF ROW_COUNT() <> ? THEN SIGNAL SQLSTATE '45000' SET MYSQL_ERRNO = 1172, "
      "MESSAGE_TEXT = 'rows changed meanwhile'; END IF",
      {static_cast<int64_t>(n)}};
}

std::string SqlPlaceholders(size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out.append(i == 0 ? "?" : ",?");
  return out;
}

std::string RedactSqlError(std::string_view what_std) {
  absl::string_view what(what_std.data(), what_std.size());
  // MariaDB quotes values ('Duplicate entry '1101…' for key 'x'', 'Incorrect
  // string value: '\xF0…' for column 'y''). Names stay: a quoted part right
  // after the word key, column, table, database, constraint or function.
  std::string out;
  size_t i = 0;
  while (i < what.size()) {
    size_t open = what.find('\'', i);
    if (open == absl::string_view::npos) break;
    size_t close = what.find('\'', open + 1);
    if (close == absl::string_view::npos) break;
    absl::string_view before = absl::StripTrailingAsciiWhitespace(what.substr(i, open - i));
    absl::string_view word = before.substr(before.rfind(' ') == absl::string_view::npos ? 0 : before.rfind(' ') + 1);
    bool name = word == "key" || word == "column" || word == "table" || word == "database" || word == "constraint" ||
                word == "function" || word == "procedure";
    absl::StrAppend(&out, what.substr(i, open - i), name ? what.substr(open, close - open + 1) : "'…'");
    i = close + 1;
  }
  absl::StrAppend(&out, what.substr(std::min(i, what.size())));
  return out;
}

}  // namespace lianxin
