// The member records' to-dos (proto/lianxin/org/v1/todo.proto), as SQL.
#include "absl/strings/str_cat.h"
#include "common/names.h"
#include "common/status.h"
#include "lianxin/org/v1/todo.pb.h"
#include "services/member/member_store.h"

namespace lianxin::member::store {

namespace ov1 = ::lianxin::org::v1;

absl::StatusOr<std::vector<TodoItem>> DueTodos(Db& db, const TodoDays& d) {
  std::vector<TodoItem> out;
  RETURN_IF_ERROR(
      db.Query("SELECT id, community_id, display_name FROM registrations WHERE state = 1", {}, [&](const Row& r) {
        out.push_back({r.Str("community_id"), ov1::TODO_KIND_REGISTRATION_WAITING, kRegistrations.Name(r.Str("id")),
                       absl::StrCat("Registration of ", r.Str("display_name"), " waits"), ""});
      }));
  RETURN_IF_ERROR(
      db.Query("SELECT t.id, t.waiting_unit, t.valid_until, m.display_name FROM transfers t "
               "JOIN members m ON m.id = t.member_id "
               "WHERE t.state = 1 AND t.valid_until >= ? AND t.waiting_unit <> ''",
               {d.today}, [&](const Row& r) {
                 out.push_back({r.Str("waiting_unit"), ov1::TODO_KIND_TRANSFER_WAITING, kTransfers.Name(r.Str("id")),
                                absl::StrCat("Transfer of ", r.Str("display_name"), " waits for this unit"),
                                r.Str("valid_until")});
               }));
  // Returned lately, and the member has not been sent again since.
  RETURN_IF_ERROR(
      db.Query("SELECT t.id, t.from_unit, t.to_unit, m.display_name FROM transfers t "
               "JOIN members m ON m.id = t.member_id "
               "WHERE t.state = 3 AND t.updated_us >= ? AND NOT EXISTS "
               "(SELECT 1 FROM transfers l WHERE l.member_id = t.member_id AND l.created_us > t.created_us)",
               {d.returned_since_us}, [&](const Row& r) {
                 std::string unit = r.Str("from_unit").empty() ? r.Str("to_unit") : r.Str("from_unit");
                 out.push_back({unit, ov1::TODO_KIND_TRANSFER_RETURNED, kTransfers.Name(r.Str("id")),
                                absl::StrCat("Transfer of ", r.Str("display_name"), " was returned"), ""});
               }));
  // Lost 6+ months and still in good standing; suspended 2+ years and still lost.
  RETURN_IF_ERROR(db.Query(
      "SELECT id, branch_id, display_name, lifecycle FROM members WHERE contact_status = 2 AND "
      "((lifecycle IN (1, 3) AND lost_since <= ?) OR (lifecycle = 2 AND lifecycle_since <= ?))",
      {d.lost_before, d.suspended_before}, [&](const Row& r) {
        const bool suspended = r.Int("lifecycle") == 2;
        out.push_back({r.Str("branch_id"), suspended ? ov1::TODO_KIND_REMOVAL_DUE : ov1::TODO_KIND_SUSPENSION_DUE,
                       kMembers.Name(r.Str("id")),
                       absl::StrCat(r.Str("display_name"),
                                    suspended ? ": suspended 2 years and still lost" : ": lost for 6 months"),
                       ""});
      }));
  RETURN_IF_ERROR(
      db.Query("SELECT id, branch_id, display_name, "
               "COALESCE(probation_until, DATE_ADD(join_date, INTERVAL 1 YEAR)) AS ends FROM members "
               "WHERE standing = 1 AND lifecycle IN (1, 3) AND "
               "COALESCE(probation_until, DATE_ADD(join_date, INTERVAL 1 YEAR)) <= ?",
               {d.probation_by}, [&](const Row& r) {
                 out.push_back({r.Str("branch_id"), ov1::TODO_KIND_PROBATION_DUE, kMembers.Name(r.Str("id")),
                                absl::StrCat("Probation of ", r.Str("display_name"), " ends"), r.Str("ends")});
               }));
  return out;
}

}  // namespace lianxin::member::store
