// MemberLogic: the to-dos the member records raise (proto/lianxin/org/v1/
// todo.proto), swept by common/todos.h and gathered by the organization
// service through ListTodoChanges.
#include "absl/time/civil_time.h"
#include "services/member/member_logic.h"

namespace lianxin::member {

absl::StatusOr<std::vector<TodoItem>> MemberLogic::DueTodos(Db& db, absl::Time now) const {
  store::TodoDays d;
  d.today = BeijingDate(now);
  d.lost_before = DaysBefore(d.today, 6, 0);       // docs/domain.md "Members": 6 months lost
  d.suspended_before = DaysBefore(d.today, 0, 2);  // 2 years suspended
  d.probation_by = absl::FormatCivilTime(BeijingDay(now) + 30);
  d.returned_since_us = absl::ToUnixMicros(now - absl::Hours(24 * 30));
  return store::DueTodos(db, d);
}

absl::Status MemberLogic::ListTodoChanges(const CallContext&, const org::v1::ListTodoChangesRequest& req,
                                          org::v1::ListTodoChangesResponse* out) {
  return lianxin::ListTodoChanges(db_, req, out);
}

}  // namespace lianxin::member
