// The activity service's rules (docs/domain.md "Organizational life"): one
// method per RPC, named as the RPC. No gRPC, no SQL: the org and member
// services through Directories, reads and writes through activity_store.h,
// the rules that need neither in rules.h.
//
// Who may do what: operators and secretaries plan, run and close the
// activities of units in their subtree, record attendance and set their
// units' compliance rules; auditors read. A member (sub = members/{id}) sees
// the activities they are expected at, signs up, asks for leave and checks in
// for themselves, and reads their own study hours.
#ifndef LIANXIN_SERVICES_ACTIVITY_ACTIVITY_LOGIC_H_
#define LIANXIN_SERVICES_ACTIVITY_ACTIVITY_LOGIC_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/call_context.h"
#include "common/clock.h"
#include "common/db.h"
#include "common/page_token.h"
#include "common/todos.h"
#include "lianxin/activity/v1/activity_service.pb.h"
#include "services/activity/activity_store.h"
#include "services/activity/attendance_writer.h"
#include "services/activity/directories.h"

namespace lianxin::activity {

struct ActivitySettings {
  // Members taking part in nothing for this many months are to-dos.
  int drift_months = 3;
  // The early warning's to-dos are worked out at most this often (drift is
  // measured in months; the query reads them all).
  absl::Duration drift_sweep = absl::Minutes(60);
};

class ActivityLogic {
 public:
  // Check-ins are written through `writer`.
  ActivityLogic(DbPool& db, AttendanceWriter& writer, const PageTokens& tokens, Directories& dirs,
                ActivitySettings settings = {}, const Clock& clock = SystemClock::Get())
      : db_(db), writer_(writer), tokens_(tokens), dirs_(dirs), settings_(settings), clock_(clock) {}

  // Activities (activities.cc).
  absl::Status CreateActivity(const CallContext& c, const v1::CreateActivityRequest& req, v1::Activity* out);
  absl::Status GetActivity(const CallContext& c, const v1::GetActivityRequest& req, v1::Activity* out);
  absl::Status UpdateActivity(const CallContext& c, const v1::UpdateActivityRequest& req, v1::Activity* out);
  absl::Status ListActivities(const CallContext& c, const v1::ListActivitiesRequest& req,
                              v1::ListActivitiesResponse* out);
  absl::Status CancelActivity(const CallContext& c, const v1::CancelActivityRequest& req, v1::Activity* out);
  absl::Status HoldActivity(const CallContext& c, const v1::HoldActivityRequest& req, v1::Activity* out);

  // Attendance (attendance.cc).
  absl::Status SignUp(const CallContext& c, const v1::SignUpRequest& req, v1::Attendance* out);
  absl::Status RequestLeave(const CallContext& c, const v1::RequestLeaveRequest& req, v1::Attendance* out);
  absl::Status GetCheckInCode(const CallContext& c, const v1::GetCheckInCodeRequest& req, v1::CheckInCode* out);
  // On the gRPC thread: checks the request and hands it to the writer, whose
  // thread answers through `done`.
  absl::Status CheckIn(const CallContext& c, const v1::CheckInRequest& req, v1::Attendance* out, UnaryDone done);
  absl::Status RecordAttendance(const CallContext& c, const v1::RecordAttendanceRequest& req,
                                v1::RecordAttendanceResponse* out);
  absl::Status ListAttendances(const CallContext& c, const v1::ListAttendancesRequest& req,
                               v1::ListAttendancesResponse* out);

  // Compliance (compliance.cc).
  absl::Status GetComplianceRules(const CallContext& c, const v1::GetComplianceRulesRequest& req,
                                  v1::ComplianceRules* out);
  absl::Status UpdateComplianceRules(const CallContext& c, const v1::UpdateComplianceRulesRequest& req,
                                     v1::ComplianceRules* out);
  absl::Status GetCompliance(const CallContext& c, const v1::GetComplianceRequest& req, v1::UnitCompliance* out);
  absl::Status ListUnitsBehind(const CallContext& c, const v1::ListUnitsBehindRequest& req,
                               v1::ListUnitsBehindResponse* out);

  // Study hours (study_hours.cc).
  absl::Status GetStudyHours(const CallContext& c, const v1::GetStudyHoursRequest& req, v1::StudyHours* out);
  absl::Status ListStudyHours(const CallContext& c, const v1::ListStudyHoursRequest& req,
                              v1::ListStudyHoursResponse* out);

  // The early warning (drifting.cc): members taking part in nothing, as a
  // list and as to-dos of their units.
  absl::Status ListDriftingMembers(const CallContext& c, const v1::ListDriftingMembersRequest& req,
                                   v1::ListDriftingMembersResponse* out);
  absl::Status ListTodoChanges(const CallContext& c, const org::v1::ListTodoChangesRequest& req,
                               org::v1::ListTodoChangesResponse* out);
  // The background task: this service's to-dos — the drifting members and
  // what `also` finds due (the dues') — swept into its outbox.
  absl::Status SweepTodos(const lianxin::DueTodos& also);

 private:
  // The unit, in the caller's subtree (PERMISSION_DENIED naming `field`).
  absl::StatusOr<Unit> UnitInScope(const CallContext& c, const std::string& unit_id, const std::string& field);
  // The activity named, as the caller may see it: staff over its host unit's
  // subtree, a member expected at it or signed up (or any member, if open).
  // `lock` as store::GetActivity's.
  absl::StatusOr<store::ActivityRecord> LoadActivity(Db& db, const CallContext& c, const std::string& name,
                                                     const std::string& field, const char* lock = "");
  // The same, for staff only: changes of the activity itself.
  absl::StatusOr<store::ActivityRecord> LoadForStaff(Db& db, const CallContext& c, const std::string& name,
                                                     const std::string& field, const char* lock = "");
  // Who is expected at a new activity, from the org tree today.
  absl::StatusOr<std::vector<Person>> ExpectedAt(const CallContext& c, const Unit& host, const v1::Activity& a);
  // A change of one member's attendance (SignUp, RequestLeave, CheckIn,
  // RecordAttendance): `change` edits the row (new or as stored).
  absl::StatusOr<store::AttendanceRecord> ChangeAttendance(
      Db& db, const CallContext& c, const store::ActivityRecord& a, const std::string& member_id,
      const std::string& field, absl::FunctionRef<absl::Status(store::AttendanceRecord&)> change);
  // The year asked, or this year in Beijing; INVALID_ARGUMENT naming `field`.
  absl::StatusOr<int> YearOf(int year, const std::string& field) const;
  // One unit's compliance in `year` from the counts of its held activities.
  v1::UnitCompliance Judged(const std::string& unit_id, org::v1::OrgUnitType type,
                            const std::vector<v1::ComplianceRule>& set, int year, const HeldCounts& held) const;
  int64_t NowUs() const { return absl::ToUnixMicros(clock_.Now()); }

  // What is due now (members drifting), worked out at most every
  // settings_.drift_sweep.
  absl::StatusOr<std::vector<TodoItem>> DueTodos(Db& db, absl::Time now);

  DbPool& db_;
  AttendanceWriter& writer_;
  const PageTokens& tokens_;
  Directories& dirs_;
  const ActivitySettings settings_;
  const Clock& clock_;
  absl::Mutex due_mu_;
  std::vector<TodoItem> due_ ABSL_GUARDED_BY(due_mu_);
  absl::Time due_at_ ABSL_GUARDED_BY(due_mu_) = absl::InfinitePast();
};

// The record as a message (activity_view.cc), with what the caller may see.
v1::Activity ActivityProto(const store::ActivityRecord& r);
v1::Attendance AttendanceProto(const store::AttendanceRecord& r);
// The member id a member caller acts as ("" for others).
std::string CallerMemberId(const CallContext& c);
bool IsStaff(const CallContext& c);

}  // namespace lianxin::activity

#endif  // LIANXIN_SERVICES_ACTIVITY_ACTIVITY_LOGIC_H_
