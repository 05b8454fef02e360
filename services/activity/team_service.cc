// TeamLogic: the service a team records (serviceRecords/{id}), each member
// listed credited its minutes in the hours ledger, once.
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/idempotency.h"
#include "common/ids.h"
#include "common/names.h"
#include "common/status.h"
#include "common/timestamps.h"
#include "common/validate.h"
#include "services/activity/activity_logic.h"
#include "services/activity/credits.h"
#include "services/activity/team_logic.h"

namespace lianxin::activity {
namespace {

v1::ServiceRecord RecordProto(const store::ServiceRecordRow& r) {
  v1::ServiceRecord p;
  p.set_name(kServiceRecords.Name(r.id));
  p.set_team(kTeams.Name(r.team_id));
  for (const auto& m : r.member_ids) p.add_members(kMembers.Name(m));
  p.set_service_date(r.service_date);
  p.set_minutes(r.minutes);
  p.set_description(r.description);
  p.set_recorded_by(r.recorded_by);
  SetTimestampUs(r.created_us, p.mutable_create_time());
  return p;
}

}  // namespace

absl::Status TeamLogic::RecordService(const CallContext& c, const v1::RecordServiceRequest& req,
                                      v1::ServiceRecord* out) {
  const v1::ServiceRecord& s = req.record();
  Validator v;
  v.Name("record.team", s.team(), kTeams);
  v.RequestId(req.request_id());
  v.Check(s.members_size() >= 1 && s.members_size() <= 100, "record.members", "1 to 100 members");
  std::set<std::string> ids;
  for (int i = 0; i < s.members_size(); ++i) {
    const std::string field = absl::StrCat("record.members[", i, "]");
    const std::string id = v.Name(field, s.members(i), kMembers);
    if (!id.empty()) v.Check(ids.insert(id).second, field, "is named twice");
  }
  const absl::CivilDay today = BeijingDay(clock_.Now());
  absl::CivilDay day;
  v.Date("record.service_date", s.service_date(), true);
  if (absl::ParseCivilTime(s.service_date(), &day)) {
    v.Check(day <= today && day > today - 366, "record.service_date", "must be within the last year, not ahead");
  }
  v.Check(s.minutes() >= 1 && s.minutes() <= 1440, "record.minutes", "must be 1 to 1440");
  v.Text("record.description", s.description(), 1, 1000);
  RETURN_IF_ERROR(v.status());
  const int64_t now = NowUs();
  return CreateOnce(
      db_, c, req.request_id(), "RecordService", now,
      [&](Db& db, const std::string& name) -> absl::StatusOr<bool> {
        ASSIGN_OR_RETURN(auto r, store::GetServiceRecord(db, kServiceRecords.IdOf(name)));
        if (!r.has_value()) return false;
        *out = RecordProto(*r);
        return true;
      },
      [&](Db& db, RememberCreated remember) -> absl::Status {
        ASSIGN_OR_RETURN(store::TeamRecord team, LoadTeam(db, c, s.team(), "record.team", false, false));
        const bool leader = !team.leader_id.empty() && CallerMemberId(c) == team.leader_id;
        if (!leader && !Manages(c, team.unit_path)) {
          return WithReason(
              absl::PermissionDeniedError("a team's leader and its unit's secretaries record its service"),
              "NOT_THE_LEADER");
        }
        std::vector<std::string> wanted(ids.begin(), ids.end());
        ASSIGN_OR_RETURN(std::vector<std::string> in, store::InTeam(db, team.id, wanted));
        const std::set<std::string> in_team(in.begin(), in.end());
        for (int i = 0; i < s.members_size(); ++i) {
          if (in_team.count(kMembers.IdOf(s.members(i))) == 0) {
            return FieldStatus(absl::StatusCode::kFailedPrecondition, absl::StrCat("record.members[", i, "]"),
                               "is not in the team", "NOT_IN_TEAM");
          }
        }
        store::ServiceRecordRow r;
        r.id = NewId();
        r.district_id = team.district_id;
        r.team_id = team.id;
        r.member_ids = wanted;
        r.service_date = s.service_date();
        r.minutes = s.minutes();
        r.description = s.description();
        r.recorded_by = c.principal.subject;
        r.created_us = now;
        RETURN_IF_ERROR(remember(r.district_id, kServiceRecords.Name(r.id)));
        RETURN_IF_ERROR(store::InsertServiceRecord(db, r));
        const std::string source = kServiceRecords.Name(r.id);
        const absl::Time at = absl::FromCivil(day, BeijingTime()) + absl::Hours(12);
        std::vector<Credit> credits;
        for (const auto& m : wanted) {
          Credit credit;
          credit.district_id = r.district_id;
          credit.member_id = m;
          credit.ledger = kHours;
          credit.minutes = r.minutes;
          credit.source = source;
          credit.source_key = absl::StrCat(source, "/", m);
          credit.at = at;
          credit.memo = team.display_name;
          credits.push_back(std::move(credit));
        }
        RETURN_IF_ERROR(WriteCredits(db, credits, c.principal.subject, now).status());
        *out = RecordProto(r);
        return absl::OkStatus();
      });
}

absl::Status TeamLogic::ListServiceRecords(const CallContext& c, const v1::ListServiceRecordsRequest& req,
                                           v1::ListServiceRecordsResponse* out) {
  ASSIGN_OR_RETURN(int size, PageSize(req.page_size(), 50, 500));
  const std::string fp = absl::StrCat("serviceRecords|", req.parent());
  ASSIGN_OR_RETURN(std::string before, tokens_.Decode(req.page_token(), fp));
  int64_t before_seq = 0;
  if (!before.empty() && !absl::SimpleAtoi(before, &before_seq)) return FieldError("page_token", "is not valid");
  std::string team_id, member_id = kMembers.IdOf(req.parent());
  if (!member_id.empty() && CallerMemberId(c) != member_id) {
    // Staff over the member's branch read the service they gave.
    absl::StatusOr<member::v1::Member> m = dirs_.Member(c, req.parent(), "parent");
    if (absl::IsUnavailable(m.status())) return m.status();
    if (!m.ok() || !IsStaff(c) || m->branch().empty()) return OutsideSubtree(req.parent(), "parent");
    absl::StatusOr<Unit> branch = dirs_.UnitOf(c, kOrgUnits.IdOf(m->branch()), "parent");
    if (absl::IsUnavailable(branch.status())) return branch.status();
    if (!branch.ok() || !c.principal.CoversPath(branch->path)) return OutsideSubtree(req.parent(), "parent");
  } else if (member_id.empty() && kTeams.IdOf(req.parent()).empty()) {
    return FieldError("parent", "must be volunteerTeams/{id} or members/{id}");
  }
  return db_.Run([&](Db& db) -> absl::Status {
    if (member_id.empty()) {
      ASSIGN_OR_RETURN(store::TeamRecord team, LoadTeam(db, c, req.parent(), "parent", false, false));
      team_id = team.id;
    }
    ASSIGN_OR_RETURN(auto rows, store::ListServiceRecords(db, team_id, member_id, before_seq, size + 1));
    for (size_t i = 0; i < rows.size() && i < static_cast<size_t>(size); ++i)
      *out->add_records() = RecordProto(rows[i]);
    if (rows.size() > static_cast<size_t>(size)) {
      out->set_next_page_token(tokens_.Encode(fp, absl::StrCat(rows[static_cast<size_t>(size) - 1].seq)));
    }
    return absl::OkStatus();
  });
}

}  // namespace lianxin::activity
