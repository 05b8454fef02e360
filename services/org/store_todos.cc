// To-dos as SQL: the org service's own (terms), and the feed that gathers
// every service's (migration 0004).
#include "absl/strings/str_cat.h"
#include "common/names.h"
#include "common/sql.h"
#include "common/status.h"
#include "lianxin/org/v1/todo.pb.h"
#include "services/org/org_store.h"

namespace lianxin::org::store {
namespace {

constexpr char kColumns[] = "source, todo_key, unit_id, kind, subject, title, due_date, opened_us";

TodoRecord ReadTodo(const Row& r, bool feed) {
  TodoRecord t;
  t.source = r.Str("source");
  t.todo_key = r.Str("todo_key");
  t.change.item =
      TodoItem{r.Str("unit_id"), static_cast<int>(r.Int("kind")), r.Str("subject"), r.Str("title"), r.Str("due_date")};
  t.change.opened_us = r.Int("opened_us");
  if (feed) {
    t.seq = r.Int("seq");
    t.change.seq = t.seq;
    t.change.opened = r.Int("opened") != 0;
    t.change.at_us = r.Int("at_us");
  } else {
    t.change.opened = true;
    t.change.at_us = t.change.opened_us;
  }
  return t;
}

// "t.unit_id = ?" or the subtree's units, for a query over `t`.
std::string ScopeJoin(const TodoScope& scope, SqlParams& params) {
  if (!scope.subtree) {
    params.push_back(scope.unit_id);
    return " WHERE t.unit_id = ?";
  }
  params.push_back(scope.district_id);
  params.push_back(absl::StrCat(scope.path, "%"));
  return " JOIN org_units u ON u.id = t.unit_id WHERE u.district_id = ? AND u.path LIKE ?";
}

}  // namespace

absl::StatusOr<std::vector<TodoItem>> TermTodos(Db& db, const std::string& today, const std::string& in_30_days,
                                                const std::string& until) {
  std::vector<TodoItem> out;
  RETURN_IF_ERROR(db.Query(
      "SELECT id, unit_id, holder_name, term_end FROM org_positions WHERE term_end IS NOT NULL AND term_end <= ?",
      {until}, [&](const Row& r) {
        const std::string end = r.Str("term_end");
        int kind = end < today         ? v1::TODO_KIND_TERM_ENDED
                   : end <= in_30_days ? v1::TODO_KIND_TERM_ENDS_WITHIN_30_DAYS
                                       : v1::TODO_KIND_TERM_ENDS_WITHIN_90_DAYS;
        out.push_back({r.Str("unit_id"), kind, kPositions.Name(r.Str("id")),
                       absl::StrCat("Term of ", r.Str("holder_name"), end < today ? " ended" : " ends"), end});
      }));
  return out;
}

absl::StatusOr<int64_t> TodoCursor(Db& db, const std::string& source) {
  int64_t after = 0;
  RETURN_IF_ERROR(db.Query("SELECT after_seq FROM todo_cursors WHERE source = ?", {source},
                           [&](const Row& r) { after = r.Int("after_seq"); }));
  return after;
}

absl::StatusOr<int> GatherTodos(Db& db, const std::string& source, int64_t after_seq,
                                const std::vector<TodoChangeRecord>& changes) {
  RETURN_IF_ERROR(db.Query("SELECT after_seq FROM todo_cursors WHERE source = '*' FOR UPDATE", {}, [](const Row&) {}));
  ASSIGN_OR_RETURN(int64_t cursor, TodoCursor(db, source));
  if (cursor != after_seq || changes.empty()) return 0;
  for (const TodoChangeRecord& c : changes) {
    const TodoItem& t = c.item;
    const std::string key = t.Key();
    RETURN_IF_ERROR(db.Exec(absl::StrCat("INSERT INTO todo_feed (source_seq, opened, at_us, ", kColumns,
                                         ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                            {c.seq, int64_t{c.opened ? 1 : 0}, c.at_us, source, key, t.unit_id, int64_t{t.kind},
                             t.subject, t.title, t.due_date, c.opened_us})
                        .status());
    if (c.opened) {
      RETURN_IF_ERROR(db.Exec(absl::StrCat("REPLACE INTO todo_items (", kColumns, ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
                              {source, key, t.unit_id, int64_t{t.kind}, t.subject, t.title, t.due_date, c.opened_us})
                          .status());
    } else {
      RETURN_IF_ERROR(db.Exec("DELETE FROM todo_items WHERE todo_key = ?", {key}).status());
    }
  }
  // A source gathered for the first time (a new service) gets its row here.
  RETURN_IF_ERROR(db.Exec("INSERT INTO todo_cursors (source, after_seq) VALUES (?, ?) "
                          "ON DUPLICATE KEY UPDATE after_seq = VALUES(after_seq)",
                          {source, changes.back().seq})
                      .status());
  return static_cast<int>(changes.size());
}

absl::StatusOr<std::vector<TodoRecord>> OpenTodos(Db& db, const TodoScope& scope, const std::vector<int>& kinds,
                                                  const std::string& after_key, int limit) {
  SqlParams params;
  std::string sql = absl::StrCat(
      "SELECT t.source, t.todo_key, t.unit_id, t.kind, t.subject, t.title, t.due_date, "
      "t.opened_us FROM todo_items t",
      ScopeJoin(scope, params), " AND t.todo_key > ?");
  params.push_back(after_key);
  if (!kinds.empty()) {
    absl::StrAppend(&sql, " AND t.kind IN (", SqlPlaceholders(kinds.size()), ")");
    for (int k : kinds) params.push_back(int64_t{k});
  }
  absl::StrAppend(&sql, " ORDER BY t.todo_key LIMIT ?");
  params.push_back(int64_t{limit});
  std::vector<TodoRecord> out;
  RETURN_IF_ERROR(db.Query(sql, params, [&](const Row& r) { out.push_back(ReadTodo(r, false)); }));
  return out;
}

absl::StatusOr<int64_t> TodoFeedHead(Db& db) {
  int64_t head = 0;
  RETURN_IF_ERROR(
      db.Query("SELECT COALESCE(MAX(seq), 0) AS head FROM todo_feed", {}, [&](const Row& r) { head = r.Int("head"); }));
  return head;
}

absl::StatusOr<std::vector<TodoRecord>> TodoFeedAfter(Db& db, const TodoScope& scope, int64_t after_seq, int64_t upto,
                                                      int limit) {
  SqlParams params;
  std::string sql = absl::StrCat(
      "SELECT t.seq, t.opened, t.at_us, t.source, t.todo_key, t.unit_id, t.kind, "
      "t.subject, t.title, t.due_date, t.opened_us FROM todo_feed t",
      ScopeJoin(scope, params), " AND t.seq > ? AND t.seq <= ? ORDER BY t.seq LIMIT ?");
  params.push_back(after_seq);
  params.push_back(upto);
  params.push_back(int64_t{limit});
  std::vector<TodoRecord> out;
  RETURN_IF_ERROR(db.Query(sql, params, [&](const Row& r) { out.push_back(ReadTodo(r, true)); }));
  return out;
}

}  // namespace lianxin::org::store
