// OrgLogic: to-dos (proto/lianxin/org/v1/todo.proto). The org service raises
// its own (terms ending, common/todos.h) and gathers every service's outbox
// — its own, the member service's, the dispatch service's — into one feed:
// todo_items holds what is open, todo_feed every opening and closing in one
// order, for ListTodos and WatchTodos (todo_watch.h).
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "common/names.h"
#include "common/status.h"
#include "common/timestamps.h"
#include "common/validate.h"
#include "services/org/org_logic.h"

namespace lianxin::org {
namespace {

constexpr int kGatherPage = 500;

// orgUnits/{unit}/todos/{kind}.{subject id}: "transfer_waiting.t123".
v1::Todo ToTodo(const store::TodoRecord& r) {
  const TodoItem& t = r.change.item;
  v1::Todo out;
  std::string kind = absl::AsciiStrToLower(v1::TodoKind_Name(static_cast<v1::TodoKind>(t.kind)));
  absl::string_view slug = absl::StripPrefix(kind, "todo_kind_");
  absl::string_view subject_id = t.subject;
  if (size_t slash = subject_id.find('/'); slash != absl::string_view::npos) subject_id.remove_prefix(slash + 1);
  out.set_name(absl::StrCat(kOrgUnits.Name(t.unit_id), "/todos/", slug, ".", subject_id));
  out.set_unit(kOrgUnits.Name(t.unit_id));
  out.set_kind(static_cast<v1::TodoKind>(t.kind));
  out.set_subject(t.subject);
  out.set_title(t.title);
  if (!t.due_date.empty()) out.set_due_date(t.due_date);
  SetTimestampUs(r.change.opened_us, out.mutable_open_time());
  out.set_source(r.source);
  return out;
}

}  // namespace

absl::Status OrgLogic::SweepTodos() {
  return lianxin::SweepTodos(db_, clock_.Now(),
                             [](Db& db, absl::Time now) {
                               absl::CivilDay today = BeijingDay(now);
                               return store::TermTodos(db, absl::FormatCivilTime(today),
                                                       absl::FormatCivilTime(today + 30),
                                                       absl::FormatCivilTime(today + 90));
                             })
      .status();
}

absl::Status OrgLogic::GatherTodos() {
  // This service's own outbox is read from its own schema; the others'
  // through their ListTodoChanges. One that is away does not hold up the rest.
  auto own = [this](int64_t after, int limit) -> absl::StatusOr<std::vector<TodoChangeRecord>> {
    std::vector<TodoChangeRecord> rows;
    RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
      ASSIGN_OR_RETURN(rows, TodoChangesAfter(db, after, limit));
      return absl::OkStatus();
    }));
    return rows;
  };
  auto gather = [this](const std::string& source, auto read) -> absl::Status {
    for (;;) {
      int64_t after = 0;
      RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
        ASSIGN_OR_RETURN(after, store::TodoCursor(db, source));
        return absl::OkStatus();
      }));
      ASSIGN_OR_RETURN(std::vector<TodoChangeRecord> changes, read(after, kGatherPage));
      if (changes.empty()) return absl::OkStatus();
      int added = 0;
      RETURN_IF_ERROR(db_.Transact([&](Db& db) -> absl::Status {
        ASSIGN_OR_RETURN(added, store::GatherTodos(db, source, after, changes));
        return absl::OkStatus();
      }));
      if (added == 0 || static_cast<int>(changes.size()) < kGatherPage) return absl::OkStatus();
    }
  };
  absl::Status status = gather("org", own);
  for (auto& [name, source] : todo_sources_) {
    status.Update(gather(name, [source](int64_t after, int limit) { return source->ChangesAfter(after, limit); }));
  }
  return status;
}

absl::Status OrgLogic::ListTodos(const CallContext& c, const v1::ListTodosRequest& req, v1::ListTodosResponse* out) {
  Validator v;
  std::string unit_id = v.Name("parent", req.parent(), kOrgUnits);
  std::vector<int> kinds;
  for (int i = 0; i < req.kinds_size(); ++i) {
    int k = req.kinds(i);
    v.Check(k != v1::TODO_KIND_UNSPECIFIED && v1::TodoKind_IsValid(k), absl::StrCat("kinds[", i, "]"),
            "is no to-do kind");
    kinds.push_back(k);
  }
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(int size, PageSize(req.page_size(), 100, 500));
  std::string fp = absl::StrCat("todos|", unit_id, "|", req.include_subtree(), "|", absl::StrJoin(kinds, ","));
  ASSIGN_OR_RETURN(std::string after, tokens_.Decode(req.page_token(), fp));
  return db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(store::UnitRecord unit, LoadUnit(db, c, unit_id, "parent", false));
    store::TodoScope scope{unit.id, unit.district_id, unit.path, req.include_subtree()};
    if (req.page_token().empty()) {
      // The head first: a change after it is heard by a watch from it, even
      // if the items below already show it.
      ASSIGN_OR_RETURN(int64_t head, store::TodoFeedHead(db));
      out->set_watch_after_seq(head);
    }
    ASSIGN_OR_RETURN(auto rows, store::OpenTodos(db, scope, kinds, after, size + 1));
    EmitPage(
        rows, size, tokens_, fp, [&](const store::TodoRecord& r) { *out->add_todos() = ToTodo(r); },
        [](const store::TodoRecord& r) { return r.todo_key; }, out->mutable_next_page_token());
    return absl::OkStatus();
  });
}

absl::StatusOr<store::TodoScope> OrgLogic::WatchScope(const CallContext& c, const v1::WatchTodosRequest& req) {
  Validator v;
  std::string unit_id = v.Name("parent", req.parent(), kOrgUnits);
  v.Check(req.after_seq() >= 0, "after_seq", "must not be negative");
  RETURN_IF_ERROR(v.status());
  store::TodoScope scope;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(store::UnitRecord unit, LoadUnit(db, c, unit_id, "parent", false));
    scope = {unit.id, unit.district_id, unit.path, req.include_subtree()};
    return absl::OkStatus();
  }));
  return scope;
}

absl::StatusOr<OrgLogic::TodoRead> OrgLogic::TodoChangesFor(const store::TodoScope& scope, int64_t after_seq,
                                                            int limit) {
  TodoRead read;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t head, store::TodoFeedHead(db));
    read.covered = std::max(head, after_seq);
    if (head <= after_seq) return absl::OkStatus();
    ASSIGN_OR_RETURN(auto rows, store::TodoFeedAfter(db, scope, after_seq, head, limit));
    if (static_cast<int>(rows.size()) == limit) read.covered = rows.back().seq;  // a full page: up to its last
    for (const store::TodoRecord& r : rows) {
      v1::TodoChange& c = read.changes.emplace_back();
      c.set_seq(r.seq);
      c.set_action(r.change.opened ? v1::TODO_ACTION_OPENED : v1::TODO_ACTION_CLOSED);
      SetTimestampUs(r.change.at_us, c.mutable_time());
      *c.mutable_todo() = ToTodo(r);
    }
    return absl::OkStatus();
  }));
  return read;
}

absl::StatusOr<int64_t> OrgLogic::TodoFeedHead() {
  int64_t head = 0;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(head, store::TodoFeedHead(db));
    return absl::OkStatus();
  }));
  return head;
}

}  // namespace lianxin::org
