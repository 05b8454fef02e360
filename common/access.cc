#include "common/access.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace lianxin {
namespace {

constexpr absl::string_view kHeader = "# method";

}  // namespace

const AccessTable& AccessTable::Builtin() {
  static const AccessTable* table = [] {
    auto parsed = Parse(BuiltinAccessText());
    // The table is part of the build; a test parses it, so this never fails
    // in a binary that passed its tests. Deny everything if it does.
    return new AccessTable(parsed.ok() ? *std::move(parsed) : AccessTable());
  }();
  return *table;
}

absl::StatusOr<AccessTable> AccessTable::Parse(absl::string_view text) {
  AccessTable t;
  int line_no = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_no;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty()) continue;
    std::vector<std::string> cols = absl::StrSplit(line, ' ', absl::SkipWhitespace());
    if (absl::StartsWith(line, kHeader)) {
      // "# method ROLE... peers"
      if (cols.size() < 4 || cols.back() != "peers") {
        return absl::InvalidArgumentError(absl::StrCat("access table line ", line_no, ": header must end in peers"));
      }
      t.roles_.assign(cols.begin() + 2, cols.end() - 1);
      continue;
    }
    if (line.front() == '#') continue;
    if (t.roles_.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("access table line ", line_no, ": a row before the header"));
    }
    if (cols.size() != t.roles_.size() + 2) {
      return absl::InvalidArgumentError(
          absl::StrCat("access table line ", line_no, ": expected ", t.roles_.size() + 2, " columns"));
    }
    Row row;
    row.method = cols[0];
    for (size_t i = 0; i < t.roles_.size(); ++i) {
      const std::string& cell = cols[i + 1];
      if (cell == "yes") {
        row.cells.push_back(Access::kFull);
      } else if (cell == "own") {
        row.cells.push_back(Access::kOwn);
      } else if (cell == "-") {
        row.cells.push_back(Access::kNone);
      } else {
        return absl::InvalidArgumentError(
            absl::StrCat("access table line ", line_no, ": '", cell, "' is not yes, own or -"));
      }
    }
    if (cols.back() != "-") row.peers = absl::StrSplit(cols.back(), ',');
    if (!t.index_.emplace(row.method, t.rows_.size()).second) {
      return absl::InvalidArgumentError(absl::StrCat("access table line ", line_no, ": ", row.method, " again"));
    }
    t.rows_.push_back(std::move(row));
  }
  return t;
}

absl::StatusOr<Access> AccessTable::Check(const Principal& p, absl::string_view method) const {
  auto it = index_.find(method);
  if (it == index_.end()) {
    return absl::PermissionDeniedError(absl::StrCat(method, " has no entry in the access table"));
  }
  const Row& row = rows_[it->second];
  if (!p.peer.empty()) {
    if (std::find(row.peers.begin(), row.peers.end(), p.peer) != row.peers.end()) return Access::kFull;
    return absl::PermissionDeniedError(absl::StrCat("the ", p.peer, " service may not call ", method));
  }
  Access best = Access::kNone;
  for (size_t i = 0; i < roles_.size(); ++i) {
    if (p.HasRole(roles_[i])) best = std::max(best, row.cells[i]);
  }
  if (best == Access::kNone) {
    return absl::PermissionDeniedError(
        absl::StrCat("the role(s) ", absl::StrJoin(p.roles, ", "), " may not call ", method));
  }
  return best;
}

std::vector<std::string> AccessTable::Methods() const {
  std::vector<std::string> out;
  for (const Row& r : rows_) out.push_back(r.method);
  return out;
}

std::string AccessTable::Markdown() const {
  std::string out = absl::StrCat("| method | ", absl::StrJoin(roles_, " | "), " | peers |\n|---|");
  for (size_t i = 0; i <= roles_.size(); ++i) absl::StrAppend(&out, "---|");
  out += "\n";
  for (const Row& r : rows_) {
    absl::string_view method = r.method;
    absl::ConsumePrefix(&method, "lianxin.");
    absl::StrAppend(&out, "| `", method, "` |");
    for (Access a : r.cells) {
      absl::StrAppend(&out, " ", a == Access::kFull ? "yes" : a == Access::kOwn ? "own" : "", " |");
    }
    absl::StrAppend(&out, " ", absl::StrJoin(r.peers, ", "), " |\n");
  }
  return out;
}

}  // namespace lianxin
