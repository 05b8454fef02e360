// To-dos a service raises for a unit's secretaries (proto/lianxin/org/v1/
// todo.proto; docs/domain.md "To-dos"). A to-do is derived from the records
// — a transfer waits on a unit, a term ends within 90 days — so a service
// does not raise and close them along every path that changes a record: a
// sweep computes what is due now, compares it with what it holds open
// (todo_open, common/migrations/0004_todos.sql) and writes the difference
// to its outbox (todo_changes), one transaction under a lock row so that
// replicas sweep one at a time and the outbox's rows commit in seq order.
// The organization service reads each service's outbox with
// ListTodoChanges and gathers them into one feed per district.
//
//   host.AddBackgroundTask("todos", config.todo_interval, [&] {
//     return SweepTodos(host.db(), clock.Now(), [&](Db& db, absl::Time now) { return logic.DueTodos(db, now); })
//         .status();
//   });
#ifndef LIANXIN_COMMON_TODOS_H_
#define LIANXIN_COMMON_TODOS_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/db.h"
#include "lianxin/org/v1/todo.pb.h"

namespace lianxin {

// One to-do as a service computes it. Its key — unit, kind, subject —
// names it while it stays open; a change of title or due date under the
// same key is written as an opening again.
struct TodoItem {
  std::string unit_id;
  int kind = 0;             // org::v1::TodoKind
  std::string subject;      // a resource name: transfers/{id}, ...
  std::string title;        // names only, never personal data
  std::string due_date;     // YYYY-MM-DD or ""
  std::string Key() const;  // unit|kind|subject
};

struct TodoChangeRecord {
  int64_t seq = 0;
  bool opened = false;
  TodoItem item;
  int64_t opened_us = 0;
  int64_t at_us = 0;
};

// The to-dos due now, computed inside the sweep's transaction.
using DueTodos = std::function<absl::StatusOr<std::vector<TodoItem>>(Db& db, absl::Time now)>;

// One sweep: what `due` returns becomes what is open. Returns the number
// of changes written.
absl::StatusOr<int> SweepTodos(DbPool& pool, absl::Time now, const DueTodos& due);

// The outbox after `after_seq`, at most `limit` rows, in seq order.
absl::StatusOr<std::vector<TodoChangeRecord>> TodoChangesAfter(Db& db, int64_t after_seq, int limit);

// The answer of a service's ListTodoChanges (peers only): the same in
// every service that raises to-dos.
absl::Status ListTodoChanges(DbPool& pool, const org::v1::ListTodoChangesRequest& req,
                             org::v1::ListTodoChangesResponse* out);
// One change as the proto carries it (unit as orgUnits/{id}, no name).
org::v1::TodoChange ToTodoChange(const TodoChangeRecord& r);

}  // namespace lianxin

#endif  // LIANXIN_COMMON_TODOS_H_
