// DispatchLogic: what time moves on its own. A dispatched request nobody
// answered within the acceptance limit returns to its unit; a request past
// its deadline escalates one level up its unit's path (group → branch →
// community → street), and again after each further limit, until the street.
// Each move is one conditional transaction, so replicas sweeping at once do
// each move once.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/names.h"
#include "common/status.h"
#include "services/dispatch/dispatch_logic.h"

namespace lianxin::dispatch {

absl::StatusOr<int> DispatchLogic::SweepOnce() {
  int moved = 0;
  std::vector<std::string> overdue, escalate;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(overdue, store::AcceptanceOverdue(db, NowUs(), 200));
    ASSIGN_OR_RETURN(escalate, store::EscalationDue(db, NowUs(), 200));
    return absl::OkStatus();
  }));
  for (const auto& id : overdue) {
    ASSIGN_OR_RETURN(bool done, ExpireAcceptance(id));
    moved += done;
  }
  for (const auto& id : escalate) {
    ASSIGN_OR_RETURN(bool done, Escalate(id));
    moved += done;
  }
  return moved;
}

absl::StatusOr<bool> DispatchLogic::ExpireAcceptance(const std::string& id) {
  bool moved = false;
  rows_.Erase(id);  // changed here, not through a batch
  RETURN_IF_ERROR(db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto r, store::GetRequest(db, id, true));
    const int64_t now = NowUs();
    if (!r.has_value() || r->state != v1::REQUEST_STATE_DISPATCHED || r->accept_due_us == 0 || r->accept_due_us > now) {
      return absl::OkStatus();  // answered, or another replica got there first
    }
    std::string who = kMembers.Name(r->assignee);
    r->state = v1::REQUEST_STATE_PENDING;
    r->assignee.clear();
    r->accept_due_us = 0;
    r->version++;
    r->updated_us = now;
    RETURN_IF_ERROR(store::UpdateRequest(db, *r));
    RETURN_IF_ERROR(store::InsertTimeline(
        db, {0, r->id, r->district_id, "timeout", "system", now, v1::REQUEST_STATE_DISPATCHED, r->state,
             absl::StrCat(who, " did not answer in time"), r->resident, kMembers.IdOf(who), r->community_id}));
    moved = true;
    return absl::OkStatus();
  }));
  return moved;
}

absl::StatusOr<bool> DispatchLogic::Escalate(const std::string& id) {
  bool moved = false;
  rows_.Erase(id);  // changed here, not through a batch
  RETURN_IF_ERROR(db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto r, store::GetRequest(db, id, true));
    const int64_t now = NowUs();
    if (!r.has_value() || r->next_escalation_us == 0 || r->next_escalation_us > now) return absl::OkStatus();
    std::vector<std::string> path = absl::StrSplit(r->unit_path, '/', absl::SkipEmpty());
    // path[0] is the district, path[1] the street; the responsible unit last.
    int target = static_cast<int>(path.size()) - 1 - (r->escalation_level + 1);
    bool open = r->state != v1::REQUEST_STATE_RESOLVED && r->state != v1::REQUEST_STATE_CLOSED &&
                r->state != v1::REQUEST_STATE_CANCELLED;
    if (!open || target < 1) {
      r->next_escalation_us = 0;  // nothing above the street: it stays there, overdue and visible
      r->version++;               // every change moves the version (rows kept in memory rely on it)
      RETURN_IF_ERROR(store::UpdateRequest(db, *r));
      return absl::OkStatus();
    }
    r->escalation_level++;
    r->escalated_to = path[static_cast<size_t>(target)];
    if (target == 1) {
      r->next_escalation_us = 0;
    } else {
      ASSIGN_OR_RETURN(store::CategoryRecord cat, CategoryOf(db, r->district_id, r->category, "name"));
      ASSIGN_OR_RETURN(CalendarExceptions days, Exceptions(db, r->district_id, absl::FromUnixMicros(now)));
      r->next_escalation_us =
          absl::ToUnixMicros(DueTime(absl::FromUnixMicros(now), cat.limit_hours, cat.limit_working_days, days));
    }
    r->version++;
    r->updated_us = now;
    RETURN_IF_ERROR(store::UpdateRequest(db, *r));
    RETURN_IF_ERROR(store::InsertTimeline(
        db, {0, r->id, r->district_id, "escalate", "system", now, r->state, r->state,
             absl::StrCat("overdue: level ", r->escalation_level, ", to orgUnits/", r->escalated_to), r->resident,
             r->assignee, r->community_id}));
    moved = true;
    return absl::OkStatus();
  }));
  return moved;
}

}  // namespace lianxin::dispatch
