// MemberLogic: the yearly appraisal (年度评议) a community gives the members
// registered with it where they live (双报到), for their employers.
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/names.h"
#include "common/status.h"
#include "common/timestamps.h"
#include "common/validate.h"
#include "services/member/member_logic.h"

namespace lianxin::member {
namespace {

// members/{id}/appraisals/{year}: the member's id and the year, or "" and 0.
std::pair<std::string, int> ParseAppraisalName(const std::string& name) {
  std::vector<std::string> parts = absl::StrSplit(name, '/');
  int year = 0;
  if (parts.size() != 4 || parts[2] != "appraisals" || !absl::SimpleAtoi(parts[3], &year)) return {"", 0};
  std::string id = kMembers.IdOf(absl::StrCat(parts[0], "/", parts[1]));
  return {id, id.empty() ? 0 : year};
}

v1::Appraisal AppraisalProto(const store::AppraisalRecord& a) {
  v1::Appraisal p;
  p.set_name(absl::StrCat(kMembers.Name(a.member_id), "/appraisals/", a.year));
  p.set_community(kOrgUnits.Name(a.community_id));
  p.set_year(a.year);
  p.set_grade(static_cast<v1::AppraisalGrade>(a.grade));
  p.set_comment(a.comment);
  p.set_appraiser(a.appraiser);
  SetTimestampUs(a.updated_us, p.mutable_update_time());
  p.set_etag(EtagOf(a.version));
  if (!a.display_name.empty()) p.set_display_name(a.display_name);
  return p;
}

}  // namespace

absl::Status MemberLogic::AppraiseMember(const CallContext& c, const v1::AppraiseMemberRequest& req,
                                         v1::Appraisal* out) {
  RETURN_IF_ERROR(RequireWriter(c));
  const v1::Appraisal& a = req.appraisal();
  Validator v;
  auto [member_id, year] = ParseAppraisalName(a.name());
  v.Check(!member_id.empty(), "appraisal.name", "must be members/{member}/appraisals/{year}");
  const int this_year = std::stoi(Today().substr(0, 4));
  if (!member_id.empty()) {
    v.Check(year >= 2000 && year <= this_year, "appraisal.name", absl::StrCat("the year must be 2000-", this_year));
  }
  std::string community_id = v.Name("appraisal.community", a.community(), kOrgUnits);
  v.Check(a.grade() != v1::APPRAISAL_GRADE_UNSPECIFIED, "appraisal.grade", "is required");
  v.Text("appraisal.comment", a.comment(), 0, 500);
  RETURN_IF_ERROR(v.status());
  // The community must be the caller's, and the member registered with it.
  ASSIGN_OR_RETURN(UnitInfo community, org_.UnitForCaller(c, community_id, "appraisal.community"));
  ASSIGN_OR_RETURN(store::MemberRecord m, [&]() -> absl::StatusOr<store::MemberRecord> {
    std::optional<store::MemberRecord> found;
    RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
      ASSIGN_OR_RETURN(found, Load(db, c, member_id, "appraisal.name", false));
      return absl::OkStatus();
    }));
    return *std::move(found);
  }());
  if (m.registered_community_id != community_id) {
    return FieldStatus(absl::StatusCode::kFailedPrecondition, "appraisal.community",
                       "the member is not registered with this community", "NOT_REGISTERED_HERE");
  }
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(std::optional<store::AppraisalRecord> current,
                     store::GetAppraisal(db, member_id, community_id, year, true));
    store::AppraisalRecord rec;
    if (current.has_value()) {
      RETURN_IF_ERROR(CheckEtag("appraisal.etag", a.etag(), current->version));
      rec = *current;
      rec.version++;
    } else {
      rec.member_id = member_id;
      rec.community_id = community_id;
      rec.year = year;
      rec.district_id = community.district_id;
    }
    ChangeSet changes;
    changes.Set("year", absl::StrCat(year));
    changes.Changed("appraisal_grade",
                    current.has_value() ? v1::AppraisalGrade_Name(static_cast<v1::AppraisalGrade>(current->grade)) : "",
                    v1::AppraisalGrade_Name(a.grade()));
    rec.grade = a.grade();
    rec.comment = a.comment();
    rec.appraiser = c.principal.subject;
    rec.updated_us = NowUs();
    RETURN_IF_ERROR(store::PutAppraisal(db, rec));
    RETURN_IF_ERROR(
        RecordHistory(db, c, {m.district_id, kMembers.Name(m.id), "", "appraisal", changes}, rec.updated_us));
    rec.display_name = m.display_name;
    *out = AppraisalProto(rec);
    return absl::OkStatus();
  });
}

absl::Status MemberLogic::ListAppraisals(const CallContext& c, const v1::ListAppraisalsRequest& req,
                                         v1::ListAppraisalsResponse* out) {
  Validator v;
  std::string community_id = v.Name("parent", req.parent(), kOrgUnits);
  v.Check(req.year() >= 2000 && req.year() <= 2100, "year", "is required: 2000-2100");
  RETURN_IF_ERROR(v.status());
  RETURN_IF_ERROR(org_.UnitForCaller(c, community_id, "parent").status());
  ASSIGN_OR_RETURN(int size, PageSize(req.page_size(), 100, 1000));
  std::string fp = absl::StrCat("appraisals|", community_id, "|", req.year());
  ASSIGN_OR_RETURN(std::string after, tokens_.Decode(req.page_token(), fp));
  std::vector<store::AppraisalRecord> rows;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(rows, store::ListAppraisals(db, community_id, req.year(), after, size + 1));
    return absl::OkStatus();
  }));
  EmitPage(
      rows, size, tokens_, fp, [&](const store::AppraisalRecord& r) { *out->add_appraisals() = AppraisalProto(r); },
      [](const store::AppraisalRecord& r) { return r.member_id; }, out->mutable_next_page_token());
  return absl::OkStatus();
}

}  // namespace lianxin::member
