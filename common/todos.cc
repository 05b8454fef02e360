#include "common/todos.h"

#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/names.h"
#include "common/status.h"
#include "common/timestamps.h"

namespace lianxin {

std::string TodoItem::Key() const { return absl::StrCat(unit_id, "|", kind, "|", subject); }

namespace {

struct Held {
  TodoItem item;
  int64_t opened_us;
};

absl::Status Append(Db& db, const TodoItem& t, bool opened, int64_t opened_us, int64_t at_us) {
  return db
      .Exec(
          "INSERT INTO todo_changes (todo_key, unit_id, kind, subject, title, due_date, opened, opened_us, at_us) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {t.Key(), t.unit_id, int64_t{t.kind}, t.subject, t.title, t.due_date, int64_t{opened ? 1 : 0}, opened_us,
           at_us})
      .status();
}

}  // namespace

absl::StatusOr<int> SweepTodos(DbPool& pool, absl::Time now, const DueTodos& due) {
  const int64_t now_us = absl::ToUnixMicros(now);
  int written = 0;
  RETURN_IF_ERROR(pool.Transact([&](Db& db) -> absl::Status {
    written = 0;
    RETURN_IF_ERROR(db.Query("SELECT swept_us FROM todo_sweeps WHERE id = 1 FOR UPDATE", {}, [](const Row&) {}));
    ASSIGN_OR_RETURN(std::vector<TodoItem> items, due(db, now));
    absl::flat_hash_map<std::string, Held> held;
    RETURN_IF_ERROR(db.Query("SELECT todo_key, unit_id, kind, subject, title, due_date, opened_us FROM todo_open", {},
                             [&](const Row& r) {
                               TodoItem t{r.Str("unit_id"), static_cast<int>(r.Int("kind")), r.Str("subject"),
                                          r.Str("title"), r.Str("due_date")};
                               held.emplace(r.Str("todo_key"), Held{std::move(t), r.Int("opened_us")});
                             }));
    absl::flat_hash_map<std::string, bool> seen;
    for (const TodoItem& t : items) {
      const std::string key = t.Key();
      if (!seen.emplace(key, true).second) continue;  // the first of a key counts
      auto it = held.find(key);
      if (it == held.end()) {
        RETURN_IF_ERROR(db.Exec("INSERT INTO todo_open (todo_key, unit_id, kind, subject, title, due_date, opened_us) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                                {key, t.unit_id, int64_t{t.kind}, t.subject, t.title, t.due_date, now_us})
                            .status());
        RETURN_IF_ERROR(Append(db, t, true, now_us, now_us));
        ++written;
      } else if (it->second.item.title != t.title || it->second.item.due_date != t.due_date) {
        RETURN_IF_ERROR(
            db.Exec("UPDATE todo_open SET title = ?, due_date = ? WHERE todo_key = ?", {t.title, t.due_date, key})
                .status());
        RETURN_IF_ERROR(Append(db, t, true, it->second.opened_us, now_us));
        ++written;
      }
    }
    for (const auto& [key, h] : held) {
      if (seen.contains(key)) continue;
      RETURN_IF_ERROR(db.Exec("DELETE FROM todo_open WHERE todo_key = ?", {key}).status());
      RETURN_IF_ERROR(Append(db, h.item, false, h.opened_us, now_us));
      ++written;
    }
    return db.Exec("UPDATE todo_sweeps SET swept_us = ? WHERE id = 1", {now_us}).status();
  }));
  return written;
}

absl::StatusOr<std::vector<TodoChangeRecord>> TodoChangesAfter(Db& db, int64_t after_seq, int limit) {
  std::vector<TodoChangeRecord> out;
  RETURN_IF_ERROR(
      db.Query("SELECT seq, unit_id, kind, subject, title, due_date, opened, opened_us, at_us FROM todo_changes "
               "WHERE seq > ? ORDER BY seq LIMIT ?",
               {after_seq, int64_t{limit}}, [&](const Row& r) {
                 TodoChangeRecord c;
                 c.seq = r.Int("seq");
                 c.opened = r.Int("opened") != 0;
                 c.item = TodoItem{r.Str("unit_id"), static_cast<int>(r.Int("kind")), r.Str("subject"), r.Str("title"),
                                   r.Str("due_date")};
                 c.opened_us = r.Int("opened_us");
                 c.at_us = r.Int("at_us");
                 out.push_back(std::move(c));
               }));
  return out;
}

org::v1::TodoChange ToTodoChange(const TodoChangeRecord& r) {
  org::v1::TodoChange c;
  c.set_seq(r.seq);
  c.set_action(r.opened ? org::v1::TODO_ACTION_OPENED : org::v1::TODO_ACTION_CLOSED);
  SetTimestampUs(r.at_us, c.mutable_time());
  org::v1::Todo* t = c.mutable_todo();
  t->set_unit(kOrgUnits.Name(r.item.unit_id));
  t->set_kind(static_cast<org::v1::TodoKind>(r.item.kind));
  t->set_subject(r.item.subject);
  t->set_title(r.item.title);
  if (!r.item.due_date.empty()) t->set_due_date(r.item.due_date);
  SetTimestampUs(r.opened_us, t->mutable_open_time());
  return c;
}

absl::Status ListTodoChanges(DbPool& pool, const org::v1::ListTodoChangesRequest& req,
                             org::v1::ListTodoChangesResponse* out) {
  if (req.after_seq() < 0) return FieldError("after_seq", "must not be negative");
  int size = req.has_page_size() ? req.page_size() : 500;
  if (size < 1 || size > 1000) return FieldError("page_size", "must be 1-1000");
  std::vector<TodoChangeRecord> rows;
  RETURN_IF_ERROR(pool.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(rows, TodoChangesAfter(db, req.after_seq(), size));
    return absl::OkStatus();
  }));
  for (const TodoChangeRecord& r : rows) *out->add_changes() = ToTodoChange(r);
  return absl::OkStatus();
}

}  // namespace lianxin
