// Democratic appraisal (民主评议党员, docs/domain.md "Organizational life"):
// one method per RPC of AppraisalService (appraisal.cc). No gRPC, no SQL:
// the org and member services through Directories, the database through
// appraisal_store.h.
//
// Who may do what: a branch's secretaries (and operators over it) open the
// year's round, move it from stage to stage and enter the grades the branch
// meeting decided; its members write their self-assessment and of each other,
// and full members vote; a member reads their own grades.
#ifndef LIANXIN_SERVICES_ACTIVITY_APPRAISAL_LOGIC_H_
#define LIANXIN_SERVICES_ACTIVITY_APPRAISAL_LOGIC_H_

#include <string>

#include "absl/status/statusor.h"
#include "common/call_context.h"
#include "common/clock.h"
#include "common/db.h"
#include "common/page_token.h"
#include "lianxin/activity/v1/appraisal.pb.h"
#include "services/activity/appraisal_store.h"
#include "services/activity/directories.h"

namespace lianxin::activity {

class AppraisalLogic {
 public:
  AppraisalLogic(DbPool& db, const PageTokens& tokens, Directories& dirs, const Clock& clock = SystemClock::Get())
      : db_(db), tokens_(tokens), dirs_(dirs), clock_(clock) {}

  absl::Status CreateAppraisalRound(const CallContext& c, const v1::CreateAppraisalRoundRequest& req,
                                    v1::AppraisalRound* out);
  absl::Status GetAppraisalRound(const CallContext& c, const v1::GetAppraisalRoundRequest& req,
                                 v1::AppraisalRound* out);
  absl::Status AdvanceAppraisalRound(const CallContext& c, const v1::AdvanceAppraisalRoundRequest& req,
                                     v1::AppraisalRound* out);
  absl::Status SubmitAssessment(const CallContext& c, const v1::SubmitAssessmentRequest& req, v1::MemberAppraisal* out);
  absl::Status CastAppraisalVotes(const CallContext& c, const v1::CastAppraisalVotesRequest& req,
                                  v1::CastAppraisalVotesResponse* out);
  absl::Status DecideAppraisal(const CallContext& c, const v1::DecideAppraisalRequest& req, v1::AppraisalRound* out);
  absl::Status ListMemberAppraisals(const CallContext& c, const v1::ListMemberAppraisalsRequest& req,
                                    v1::ListMemberAppraisalsResponse* out);

 private:
  // The round, for staff over its branch (`staff`), or for staff and its
  // members.
  absl::StatusOr<store::RoundRecord> LoadRound(Db& db, const CallContext& c, const std::string& name,
                                               const std::string& field, bool staff, bool for_update);
  int64_t NowUs() const { return absl::ToUnixMicros(clock_.Now()); }

  DbPool& db_;
  const PageTokens& tokens_;
  Directories& dirs_;
  const Clock& clock_;
};

}  // namespace lianxin::activity

#endif  // LIANXIN_SERVICES_ACTIVITY_APPRAISAL_LOGIC_H_
