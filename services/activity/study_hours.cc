// ActivityLogic: study hours — what members attended in a year against the
// 32 hours (56 for secretaries) they owe.
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/auth.h"
#include "common/names.h"
#include "common/status.h"
#include "common/validate.h"
#include "services/activity/activity_logic.h"
#include "services/activity/rules.h"

namespace lianxin::activity {
namespace {

v1::StudyHours Hours(const Person& p, bool secretary, int year, const store::StudyTotal& t) {
  v1::StudyHours h;
  h.set_member(kMembers.Name(p.member_id));
  h.set_display_name(p.display_name);
  h.set_year(year);
  h.set_hours(t.minutes / 60.0);
  h.set_secretary(secretary);
  h.set_required_hours(secretary ? kSecretaryStudyHours : kStudyHours);
  h.set_activities(t.activities);
  return h;
}

}  // namespace

absl::Status ActivityLogic::GetStudyHours(const CallContext& c, const v1::GetStudyHoursRequest& req,
                                          v1::StudyHours* out) {
  Validator v;
  std::string id = v.Name("member", req.member(), kMembers);
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(int year, YearOf(req.year(), "year"));
  const bool own = CallerMemberId(c) == id && c.principal.HasRole(kRoleMember);
  if (!own && !IsStaff(c)) return OutsideSubtree(req.member(), "member");
  ASSIGN_OR_RETURN(member::v1::Member m, dirs_.Member(c, req.member(), "member"));
  const std::string branch = kOrgUnits.IdOf(m.branch());
  if (!own) RETURN_IF_ERROR(UnitInScope(c, branch, "member").status());
  ASSIGN_OR_RETURN(std::set<std::string> secretaries, dirs_.SecretariesAround(c, branch));
  return db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto totals, store::StudyTotals(db, {id}, year));
    *out = Hours({id, m.display_name(), m.standing() == member::v1::STANDING_FULL}, secretaries.count(id) > 0, year,
                 totals[id]);
    return absl::OkStatus();
  });
}

absl::Status ActivityLogic::ListStudyHours(const CallContext& c, const v1::ListStudyHoursRequest& req,
                                           v1::ListStudyHoursResponse* out) {
  Validator v;
  std::string unit_id = v.Name("parent", req.parent(), kOrgUnits);
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(int year, YearOf(req.year(), "year"));
  ASSIGN_OR_RETURN(int size, PageSize(req.page_size(), 100, 1000));
  const std::string fp = absl::StrCat("hours|", unit_id, "|", year, "|", req.behind_only());
  ASSIGN_OR_RETURN(std::string after, tokens_.Decode(req.page_token(), fp));
  size_t skip = 0;
  if (!after.empty() && !absl::SimpleAtoi(after, &skip)) return FieldError("page_token", "is not a token of this list");
  RETURN_IF_ERROR(UnitInScope(c, unit_id, "parent").status());
  ASSIGN_OR_RETURN(std::vector<Person> people, dirs_.Members(c, unit_id, false));
  ASSIGN_OR_RETURN(std::set<std::string> secretaries, dirs_.SecretariesAround(c, unit_id));
  std::vector<std::string> ids;
  for (const auto& p : people) ids.push_back(p.member_id);
  return db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto totals, store::StudyTotals(db, ids, year));
    size_t index = 0;
    for (const auto& p : people) {
      v1::StudyHours h = Hours(p, secretaries.count(p.member_id) > 0, year, totals[p.member_id]);
      if (req.behind_only() && h.hours() >= h.required_hours()) continue;
      const size_t at = index++;
      if (at < skip) continue;
      if (out->members_size() == size) {
        out->set_next_page_token(tokens_.Encode(fp, absl::StrCat(at)));
        break;
      }
      *out->add_members() = std::move(h);
    }
    return absl::OkStatus();
  });
}

}  // namespace lianxin::activity
