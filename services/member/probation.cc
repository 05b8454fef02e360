// MemberLogic: the probation (预备期) — becoming a full member on time (转正)
// and its one extension of up to a year (延长预备期).
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/history.h"
#include "common/names.h"
#include "common/status.h"
#include "common/validate.h"
#include "services/member/member_logic.h"

namespace lianxin::member {

std::string ProbationEnd(const store::MemberRecord& m) {
  if (m.standing != v1::STANDING_PROBATIONARY || m.join_date.empty()) return "";
  if (!m.probation_until.empty()) return m.probation_until;
  return YearsAfter(m.join_date, 1);
}

absl::Status MemberLogic::ChangeProbation(const CallContext& c, const std::string& name, const std::string& etag,
                                          const char* method,
                                          absl::FunctionRef<absl::Status(store::MemberRecord&, ChangeSet&)> change,
                                          v1::Member* out) {
  Validator v;
  std::string id = v.Name("name", name, kMembers);
  RETURN_IF_ERROR(v.status());
  RETURN_IF_ERROR(LoadInScope(c, id, "name").status());
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(store::MemberRecord m, Load(db, c, id, "name", true));
    RETURN_IF_ERROR(RequireOnPlatform(m, "name"));
    RETURN_IF_ERROR(CheckEtag("etag", etag, m.version));
    if (m.standing != v1::STANDING_PROBATIONARY) {
      return FieldStatus(absl::StatusCode::kFailedPrecondition, "name", "the member is not probationary",
                         "NOT_PROBATIONARY");
    }
    if (m.lifecycle != v1::LIFECYCLE_ACTIVE) {
      return FieldStatus(absl::StatusCode::kFailedPrecondition, "name", "the member is not active",
                         "LIFECYCLE_NOT_ALLOWED");
    }
    if (m.join_date.empty()) {
      return FieldStatus(absl::StatusCode::kFailedPrecondition, "name",
                         "the member's join_date is not on file: the probation's end is unknown", "JOIN_DATE_MISSING");
    }
    ChangeSet changes;
    RETURN_IF_ERROR(change(m, changes));
    RETURN_IF_ERROR(
        SaveChange(db, c, NowUs(), m, store::UpdateMember, {m.district_id, kMembers.Name(m.id), "", method, changes}));
    return Respond(db, c, m, false, method, out);
  });
}

absl::Status MemberLogic::CompleteProbation(const CallContext& c, const v1::CompleteProbationRequest& req,
                                            v1::Member* out) {
  RETURN_IF_ERROR(RequireWriter(c));
  Validator v;
  v.Text("reason", req.reason(), 1, 200);
  v.Date("effective_date", req.effective_date(), false);
  RETURN_IF_ERROR(v.status());
  const std::string today = Today();
  return ChangeProbation(
      c, req.name(), req.etag(), "complete_probation",
      [&](store::MemberRecord& m, ChangeSet& changes) -> absl::Status {
        // Full from the day the probation ends (预备期满之日), decided once it
        // has ended; a later day only when the decision says so.
        std::string end = ProbationEnd(m);
        if (today < end) {
          return FieldStatus(absl::StatusCode::kFailedPrecondition, "name",
                             absl::StrCat("the probation ends on ", end, ": no full membership before it"),
                             "PROBATION_NOT_OVER");
        }
        std::string date = req.effective_date().empty() ? end : req.effective_date();
        if (date < end || date > today) {
          return FieldError("effective_date", absl::StrCat("must lie between ", end, " and today"));
        }
        changes.Changed("standing", "STANDING_PROBATIONARY", "STANDING_FULL");
        changes.Changed("full_member_date", m.full_member_date, date);
        changes.Set("reason", req.reason());
        m.standing = v1::STANDING_FULL;
        m.full_member_date = date;
        return absl::OkStatus();
      },
      out);
}

absl::Status MemberLogic::ExtendProbation(const CallContext& c, const v1::ExtendProbationRequest& req,
                                          v1::Member* out) {
  RETURN_IF_ERROR(RequireWriter(c));
  Validator v;
  v.Date("until", req.until(), true);
  v.Text("reason", req.reason(), 1, 200);
  RETURN_IF_ERROR(v.status());
  return ChangeProbation(
      c, req.name(), req.etag(), "extend_probation",
      [&](store::MemberRecord& m, ChangeSet& changes) -> absl::Status {
        if (!m.probation_until.empty()) {
          return FieldStatus(absl::StatusCode::kFailedPrecondition, "name",
                             absl::StrCat("the probation was extended already, to ", m.probation_until),
                             "ALREADY_EXTENDED");
        }
        std::string end = ProbationEnd(m);
        std::string latest = YearsAfter(end, 1);
        if (req.until() <= end || req.until() > latest) {
          return FieldError("until", absl::StrCat("must be after ", end, " and at most a year later (", latest, ")"));
        }
        changes.Changed("probation_end", end, req.until());
        changes.Set("reason", req.reason());
        m.probation_until = req.until();
        return absl::OkStatus();
      },
      out);
}

}  // namespace lianxin::member
