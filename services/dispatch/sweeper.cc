// DispatchLogic: what time moves on its own. A dispatched request nobody
// answered within the acceptance limit returns to its unit; a request past
// its deadline escalates one level up its unit's path (group → branch →
// community → street), and again after each further limit, until the street;
// a resolved request its resident has not confirmed within --confirm_days
// closes, "confirmed without rating", and tells the outbox as a confirmation
// does; a request nobody has taken up within --unanswered_days is flagged
// unanswered and escalated one level (once).
//
// Each move is a change like any other (Change, transitions.cc), made by the
// system: checked on the row as it is when its batch writes it, so that an
// answer that came first, or another replica's sweeper, leaves nothing to do.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/blocking_counter.h"
#include "common/log.h"
#include "common/names.h"
#include "common/status.h"
#include "services/dispatch/dispatch_logic.h"

namespace lianxin::dispatch {
namespace {

// The move is not (or no longer) due: nothing changes.
absl::Status NothingToDo() { return WithReason(absl::FailedPreconditionError("not due"), "NOT_DUE"); }

// Moves `r` one level up its unit's path (group → branch → community →
// street). False at the street, where nothing changes; `*at_street` says
// whether the move reached it.
bool UpOneLevel(store::RequestRecord& r, bool* at_street) {
  std::vector<std::string> path = absl::StrSplit(r.unit_path, '/', absl::SkipEmpty());
  // path[0] is the district, path[1] the street; the responsible unit last.
  const int target = static_cast<int>(path.size()) - 1 - (r.escalation_level + 1);
  if (target < 1) return false;
  r.escalation_level++;
  r.escalated_to = path[static_cast<size_t>(target)];
  *at_street = target == 1;
  return true;
}

}  // namespace

absl::StatusOr<int> DispatchLogic::SweepOnce() {
  std::vector<std::string> overdue, unconfirmed, unanswered;
  std::vector<store::RequestRecord> escalate;  // with their categories, for the next deadline
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(overdue, store::AcceptanceOverdue(db, NowUs(), 200));
    ASSIGN_OR_RETURN(unconfirmed, store::ConfirmOverdue(db, NowUs() - ConfirmWithinUs(), 200));
    ASSIGN_OR_RETURN(unanswered, store::UnansweredDue(db, NowUs() - UnansweredWithinUs(), 100));
    ASSIGN_OR_RETURN(std::vector<std::string> due, store::EscalationDue(db, NowUs(), 200));
    ASSIGN_OR_RETURN(escalate, store::GetRequests(db, due, /*for_update=*/false));
    return absl::OkStatus();
  }));
  CallContext system;
  system.principal.subject = "system";
  system.request_id = "sweep";
  std::atomic<int> moved{0};
  absl::Mutex mu;
  absl::Status first_error;
  absl::BlockingCounter pending(
      static_cast<int>(overdue.size() + escalate.size() + unconfirmed.size() + unanswered.size()));
  auto done = [&](const absl::Status& s, const store::RequestRecord&) {
    if (s.ok()) {
      moved.fetch_add(1);
    } else if (ReasonOf(s) != "NOT_DUE" && ReasonOf(s) != "ILLEGAL_TRANSITION") {
      absl::MutexLock lock(&mu);
      if (first_error.ok()) first_error = s;
    }
    pending.DecrementCount();
  };
  for (const auto& id : overdue) ExpireAcceptance(system, id, done);
  for (const auto& r : escalate) Escalate(system, r, done);
  for (const auto& id : unconfirmed) CloseUnconfirmed(system, id, done);
  for (const auto& id : unanswered) FlagUnanswered(system, id, done);
  pending.Wait();
  absl::MutexLock lock(&mu);
  if (!first_error.ok() && moved.load() == 0) return first_error;
  return moved.load();
}

absl::Status DispatchLogic::Sweep() {
  ASSIGN_OR_RETURN(int moved, SweepOnce());
  if (moved > 0) Log(LogLevel::kInfo, "sweep", {{"moved", absl::StrCat(moved)}});
  return absl::OkStatus();
}

void DispatchLogic::ExpireAcceptance(const CallContext& system, const std::string& id, Changed done) {
  absl::Status s = Change(
      system, Party::kSystem, id, "", {v1::REQUEST_STATE_DISPATCHED}, "timeout",
      [](store::RequestRecord& r, Effects& fx) -> absl::Status {
        // Answered meanwhile, or another replica got there first.
        if (r.accept_due_us == 0 || r.accept_due_us > fx.now_us) return NothingToDo();
        fx.detail = absl::StrCat(kMembers.Name(r.assignee), " did not answer in time");
        r.state = v1::REQUEST_STATE_PENDING;
        r.assignee.clear();
        return absl::OkStatus();
      },
      done);
  if (!s.ok()) done(s, {});
}

void DispatchLogic::CloseUnconfirmed(const CallContext& system, const std::string& id, Changed done) {
  absl::Status s = Change(
      system, Party::kSystem, id, "", {v1::REQUEST_STATE_RESOLVED}, "auto_confirm",
      [this](store::RequestRecord& r, Effects& fx) -> absl::Status {
        // Reopened and resolved again meanwhile: its days start anew.
        if (r.resolved_us == 0 || r.resolved_us > fx.now_us - ConfirmWithinUs()) return NothingToDo();
        r.state = v1::REQUEST_STATE_CLOSED;
        r.rating = 0;
        fx.detail = absl::StrCat("confirmed without rating: not confirmed within ", settings_.confirm_days, " days");
        fx.event = ClosedEvent(r, fx.now_us);
        return absl::OkStatus();
      },
      done);
  if (!s.ok()) done(s, {});
}

void DispatchLogic::FlagUnanswered(const CallContext& system, const std::string& id, Changed done) {
  absl::Status s = Change(
      system, Party::kSystem, id, "", {v1::REQUEST_STATE_PENDING, v1::REQUEST_STATE_OFFERED}, "unanswered",
      [this](store::RequestRecord& r, Effects& fx) -> absl::Status {
        if (r.unanswered_us != 0 || r.created_us > fx.now_us - UnansweredWithinUs()) return NothingToDo();
        r.unanswered_us = fx.now_us;
        fx.detail = absl::StrCat("nobody took it up within ", settings_.unanswered_days, " days");
        bool at_street = false;
        if (UpOneLevel(r, &at_street)) absl::StrAppend(&fx.detail, ": to ", kOrgUnits.Name(r.escalated_to));
        return absl::OkStatus();
      },
      done);
  if (!s.ok()) done(s, {});
}

void DispatchLogic::Escalate(const CallContext& system, const store::RequestRecord& seen, Changed done) {
  // The request's category and calendar, for its next deadline: read here,
  // outside the batch (a limit changed meanwhile applies from the next one).
  absl::StatusOr<store::CategoryRecord> cat = CachedCategory(seen.district_id, seen.category, "name");
  absl::StatusOr<CalendarExceptions> days = CachedExceptions(seen.district_id, clock_.Now());
  if (!cat.ok() || !days.ok()) return done(!cat.ok() ? cat.status() : days.status(), {});
  absl::Status s = Change(
      system, Party::kSystem, seen.id, "",
      {v1::REQUEST_STATE_PENDING, v1::REQUEST_STATE_OFFERED, v1::REQUEST_STATE_DISPATCHED,
       v1::REQUEST_STATE_IN_PROGRESS, v1::REQUEST_STATE_HANDED_OFF, v1::REQUEST_STATE_RESOLVED,
       v1::REQUEST_STATE_CLOSED, v1::REQUEST_STATE_CANCELLED, v1::REQUEST_STATE_REJECTED},
      "escalate",
      [cat = *cat, days = *days](store::RequestRecord& r, Effects& fx) -> absl::Status {
        if (r.next_escalation_us == 0 || r.next_escalation_us > fx.now_us) return NothingToDo();
        bool open = r.state != v1::REQUEST_STATE_RESOLVED && r.state != v1::REQUEST_STATE_CLOSED &&
                    r.state != v1::REQUEST_STATE_CANCELLED && r.state != v1::REQUEST_STATE_REJECTED;
        bool at_street = false;
        if (!open || !UpOneLevel(r, &at_street)) {
          // Closed, or nothing above the street: it stays there, overdue and visible.
          r.next_escalation_us = 0;
          fx.quiet = true;
          return absl::OkStatus();
        }
        r.next_escalation_us = at_street ? 0
                                         : absl::ToUnixMicros(DueTime(absl::FromUnixMicros(fx.now_us), cat.limit_hours,
                                                                      cat.limit_working_days, days));
        fx.detail = absl::StrCat("overdue: level ", r.escalation_level, ", to ", kOrgUnits.Name(r.escalated_to));
        return absl::OkStatus();
      },
      done);
  if (!s.ok()) done(s, {});
}

absl::Status DispatchLogic::SweepTodos() {
  return lianxin::SweepTodos(db_, clock_.Now(), [](Db& db, absl::Time) { return store::EscalatedTodos(db); }).status();
}

absl::Status DispatchLogic::ListTodoChanges(const CallContext&, const org::v1::ListTodoChangesRequest& req,
                                            org::v1::ListTodoChangesResponse* out) {
  return lianxin::ListTodoChanges(db_, req, out);
}

}  // namespace lianxin::dispatch
