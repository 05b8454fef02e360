// Party dues (党费, docs/domain.md "Party dues"): one method per RPC of
// DuesService — assessments and payments in dues.cc, where a member stands,
// arrears, totals, disclosures and the dues to-dos in dues_standing.cc. No
// gRPC, no SQL: members and units through Directories, the database through
// dues_store.h, the brackets in dues_rules.h.
//
// Who may do what: the secretaries of a member's branch (and operators over
// it) set the member's assessment, record payments and reasons, and list
// arrears and totals; auditors read, masked, and read the disclosures; a
// member reads their own. The base pay and the reason are sealed at rest and
// answered in clear only to operators, secretaries and the member
// themselves when they ask to reveal them; each such reading is recorded.
#ifndef LIANXIN_SERVICES_ACTIVITY_DUES_LOGIC_H_
#define LIANXIN_SERVICES_ACTIVITY_DUES_LOGIC_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/call_context.h"
#include "common/clock.h"
#include "common/crypto.h"
#include "common/db.h"
#include "common/page_token.h"
#include "common/todos.h"
#include "lianxin/activity/v1/dues.pb.h"
#include "services/activity/directories.h"
#include "services/activity/dues_rules.h"
#include "services/activity/dues_store.h"

namespace lianxin::activity {

class DuesLogic {
 public:
  // The to-dos are worked out again when a dues record changed (on any
  // replica: store::DuesWatermark), the month turned, or `sweep_every`
  // passed.
  DuesLogic(DbPool& db, const PageTokens& tokens, Directories& dirs, const FieldCipher& cipher,
            absl::Duration sweep_every, const Clock& clock = SystemClock::Get())
      : db_(db), tokens_(tokens), dirs_(dirs), cipher_(cipher), sweep_every_(sweep_every), clock_(clock) {}

  // dues.cc
  absl::Status SetDuesAssessment(const CallContext& c, const v1::SetDuesAssessmentRequest& req,
                                 v1::DuesAssessment* out);
  absl::Status ListDuesAssessments(const CallContext& c, const v1::ListDuesAssessmentsRequest& req,
                                   v1::ListDuesAssessmentsResponse* out);
  absl::Status RecordDuesPayment(const CallContext& c, const v1::RecordDuesPaymentRequest& req, v1::DuesPayment* out);
  absl::Status ListDuesPayments(const CallContext& c, const v1::ListDuesPaymentsRequest& req,
                                v1::ListDuesPaymentsResponse* out);
  // dues_standing.cc
  absl::Status GetDuesStanding(const CallContext& c, const v1::GetDuesStandingRequest& req, v1::DuesStanding* out);
  absl::Status SetDuesReason(const CallContext& c, const v1::SetDuesReasonRequest& req, v1::DuesStanding* out);
  absl::Status ListDuesArrears(const CallContext& c, const v1::ListDuesArrearsRequest& req,
                               v1::ListDuesArrearsResponse* out);
  absl::Status GetDuesTotals(const CallContext& c, const v1::GetDuesTotalsRequest& req, v1::DuesTotals* out);
  absl::Status ListDuesDisclosures(const CallContext& c, const v1::ListDuesDisclosuresRequest& req,
                                   v1::ListDuesDisclosuresResponse* out);

  // The to-dos of dues now: 3 months or more unpaid (DUES_UNPAID), and 6 in
  // a row with no reason (DUES_LAPSED), for the member's branch.
  absl::StatusOr<std::vector<TodoItem>> DueTodos(Db& db, absl::Time now);

 private:
  // Whom a call is about: the member, their district and the unit their
  // dues are kept in (the account's, else their branch today).
  struct Subject {
    std::string member_id, district_id, unit_id, unit_path, display_name;
  };
  // The member named, if the caller may act on them: staff over the unit
  // (`manage`: operators and secretaries only), or the member themself
  // (reads only).
  absl::StatusOr<Subject> SubjectOf(Db* db, const CallContext& c, const std::string& member_name,
                                    const std::string& field, bool manage);
  // The unit named, for staff over it (PERMISSION_DENIED naming `field`).
  absl::StatusOr<Unit> StaffUnit(const CallContext& c, const std::string& unit_name, const std::string& field);
  // PERMISSION_DENIED unless the caller may see sealed fields in clear.
  absl::Status RequireReveal(const CallContext& c, const std::string& member_id) const;
  // The standing of `a` from its assessments and paid months.
  // `paid` holds the months paid from the account's first month on (later
  // ones too); the reason is answered masked.
  static v1::DuesStanding Standing(const store::DuesAccount& a, const std::vector<store::AssessmentRecord>& assessed,
                                   const std::map<int, int64_t>& paid, MonthIndex current);
  // The standings of `accounts` now; the reasons opened (and each reading
  // recorded) when `reveal`.
  absl::StatusOr<std::vector<v1::DuesStanding>> StandingsOf(Db& db, const CallContext& c,
                                                            const std::vector<store::DuesAccount>& accounts,
                                                            bool reveal, const char* method);
  // The current month (Beijing time): months before it have ended.
  MonthIndex CurrentMonth() const;
  int64_t NowUs() const { return absl::ToUnixMicros(clock_.Now()); }

  DbPool& db_;
  const PageTokens& tokens_;
  Directories& dirs_;
  const FieldCipher& cipher_;
  const absl::Duration sweep_every_;
  const Clock& clock_;
  absl::Mutex due_mu_;
  std::vector<TodoItem> due_ ABSL_GUARDED_BY(due_mu_);
  absl::Time due_at_ ABSL_GUARDED_BY(due_mu_) = absl::InfinitePast();
  std::string due_mark_ ABSL_GUARDED_BY(due_mu_);
};

// The monthly dues in force in `month` (0 when none): `assessed` latest first.
int64_t DuesIn(const std::vector<store::AssessmentRecord>& assessed, MonthIndex month);

}  // namespace lianxin::activity

#endif  // LIANXIN_SERVICES_ACTIVITY_DUES_LOGIC_H_
