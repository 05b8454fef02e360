// TeamLogic: volunteer teams (volunteerTeams/{id}) and their members
// (volunteerTeams/{team}/members/{member}).
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/auth.h"
#include "common/history.h"
#include "common/idempotency.h"
#include "common/ids.h"
#include "common/names.h"
#include "common/status.h"
#include "common/timestamps.h"
#include "common/validate.h"
#include "services/activity/activity_logic.h"
#include "services/activity/team_logic.h"

namespace lianxin::activity {
namespace {

v1::VolunteerTeam TeamProto(const store::TeamRecord& t) {
  v1::VolunteerTeam p;
  p.set_name(kTeams.Name(t.id));
  p.set_org_unit(kOrgUnits.Name(t.unit_id));
  p.set_display_name(t.display_name);
  if (!t.description.empty()) p.set_description(t.description);
  for (const auto& s : t.skills) p.add_skills(s);
  if (!t.leader_id.empty()) p.set_leader(kMembers.Name(t.leader_id));
  p.set_member_count(t.member_count);
  SetTimestampUs(t.created_us, p.mutable_create_time());
  SetTimestampUs(t.updated_us, p.mutable_update_time());
  p.set_etag(EtagOf(t.version));
  return p;
}

v1::TeamMember MemberProto(const store::TeamMemberRecord& m) {
  v1::TeamMember p;
  p.set_name(absl::StrCat(kTeams.Name(m.team_id), "/members/", m.member_id));
  p.set_member(kMembers.Name(m.member_id));
  p.set_display_name(m.display_name);
  for (const auto& s : m.skills) p.add_skills(s);
  SetTimestampUs(m.joined_us, p.mutable_join_time());
  return p;
}

// At most 20 skills of 1 to 32 characters, each once.
template <typename Range>
std::vector<std::string> Skills(Validator& v, const std::string& field, const Range& skills) {
  v.Check(skills.size() <= 20, field, "at most 20 skills");
  std::set<std::string> seen;
  std::vector<std::string> out;
  for (int i = 0; i < static_cast<int>(skills.size()); ++i) {
    const std::string f = absl::StrCat(field, "[", i, "]");
    v.Text(f, skills[i], 1, 32);
    v.Check(seen.insert(skills[i]).second, f, "is named twice");
    out.push_back(skills[i]);
  }
  return out;
}

void CheckTeam(Validator& v, const v1::VolunteerTeam& t) {
  v.Text("team.display_name", t.display_name(), 1, 100);
  v.LongText("team.description", t.description(), 1000);
  v.Name("team.leader", t.leader(), kMembers, false);
}

}  // namespace

bool TeamLogic::Manages(const CallContext& c, const std::string& path) const {
  return IsStaff(c) && c.principal.HasAnyRole({kRoleOperator, kRoleSecretary}) && c.principal.CoversPath(path);
}

absl::StatusOr<member::v1::Member> TeamLogic::Joinable(const CallContext& c, const store::TeamRecord& team,
                                                       const std::string& member_name, const std::string& field) {
  absl::StatusOr<member::v1::Member> m = dirs_.Member(c, member_name, field);
  if (absl::IsNotFound(m.status()) && !c.principal.IsPlatformWide()) return OutsideSubtree(member_name, field);
  if (!m.ok()) return m.status();
  for (const std::string& unit : {m->branch(), m->group(), m->registered_community()}) {
    if (unit.empty()) continue;
    absl::StatusOr<Unit> u = dirs_.UnitOf(c, kOrgUnits.IdOf(unit), field);
    if (absl::IsUnavailable(u.status())) return u.status();
    if (u.ok() && absl::StartsWith(u->path, team.unit_path)) return m;
  }
  return FieldStatus(absl::StatusCode::kFailedPrecondition, field,
                     "the member belongs to no unit of the team's, nor is registered with it", "NOT_OF_THE_UNIT");
}

absl::StatusOr<store::TeamRecord> TeamLogic::LoadTeam(Db& db, const CallContext& c, const std::string& name,
                                                      const std::string& field, bool manage, bool for_update) {
  ASSIGN_OR_RETURN(std::string id, kTeams.Parse(name, field));
  ASSIGN_OR_RETURN(auto team, store::GetTeam(db, id, for_update));
  if (!team.has_value()) return MissingIn(c.principal.IsPlatformWide(), kTeams, id, field);
  if (manage ? Manages(c, team->unit_path) : (IsStaff(c) && c.principal.CoversPath(team->unit_path))) {
    return *std::move(team);
  }
  if (!manage && c.principal.HasRole(kRoleMember)) {
    if (c.principal.CoversPath(team->unit_path)) return *std::move(team);
    ASSIGN_OR_RETURN(auto mine, store::GetTeamMember(db, id, CallerMemberId(c)));
    if (mine.has_value()) return *std::move(team);
    // A team of a unit the member belongs to (or above it).
    if (Joinable(c, *team, kMembers.Name(CallerMemberId(c)), field).ok()) return *std::move(team);
  }
  return MissingIn(false, kTeams, id, field);
}

absl::Status TeamLogic::CreateVolunteerTeam(const CallContext& c, const v1::CreateVolunteerTeamRequest& req,
                                            v1::VolunteerTeam* out) {
  const v1::VolunteerTeam& t = req.team();
  Validator v;
  const std::string unit_id = v.Name("team.org_unit", t.org_unit(), kOrgUnits);
  CheckTeam(v, t);
  std::vector<std::string> skills = Skills(v, "team.skills", t.skills());
  v.RequestId(req.request_id());
  RETURN_IF_ERROR(v.status());
  absl::StatusOr<Unit> unit = dirs_.UnitOf(c, unit_id, "team.org_unit");
  if (absl::IsUnavailable(unit.status())) return unit.status();
  if (!unit.ok() || !Manages(c, unit->path)) return OutsideSubtree(t.org_unit(), "team.org_unit");
  store::TeamRecord r;
  r.id = NewId();
  r.district_id = unit->district_id;
  r.unit_id = unit_id;
  r.unit_path = unit->path;
  r.display_name = t.display_name();
  r.description = t.description();
  r.skills = skills;
  r.leader_id = kMembers.IdOf(t.leader());
  r.created_us = r.updated_us = NowUs();
  std::optional<member::v1::Member> leader;
  if (!t.leader().empty()) {
    ASSIGN_OR_RETURN(leader, Joinable(c, r, t.leader(), "team.leader"));
  }
  return CreateOnce(
      db_, c, req.request_id(), "CreateVolunteerTeam", r.created_us,
      [&](Db& db, const std::string& name) -> absl::StatusOr<bool> {
        ASSIGN_OR_RETURN(auto found, store::GetTeam(db, kTeams.IdOf(name), false));
        if (!found.has_value()) return false;
        *out = TeamProto(*found);
        return true;
      },
      [&](Db& db, RememberCreated remember) -> absl::Status {
        RETURN_IF_ERROR(remember(r.district_id, kTeams.Name(r.id)));
        RETURN_IF_ERROR(store::InsertTeam(db, r));
        if (leader.has_value()) {
          // The leader is the team's first member.
          RETURN_IF_ERROR(store::InsertTeamMember(db, {r.id, r.leader_id, leader->display_name(), {}, r.created_us}));
          r.member_count = 1;
        }
        ChangeSet changes;
        changes.Set("display_name", r.display_name);
        RETURN_IF_ERROR(RecordHistory(
            db, c, {r.district_id, kOrgUnits.Name(unit_id), kTeams.Name(r.id), "create", changes}, r.created_us));
        *out = TeamProto(r);
        return absl::OkStatus();
      });
}

absl::Status TeamLogic::GetVolunteerTeam(const CallContext& c, const v1::GetVolunteerTeamRequest& req,
                                         v1::VolunteerTeam* out) {
  return db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(store::TeamRecord t, LoadTeam(db, c, req.name(), "name", false, false));
    *out = TeamProto(t);
    return absl::OkStatus();
  });
}

absl::Status TeamLogic::UpdateVolunteerTeam(const CallContext& c, const v1::UpdateVolunteerTeamRequest& req,
                                            v1::VolunteerTeam* out) {
  const v1::VolunteerTeam& t = req.team();
  Validator v;
  v.Name("team.name", t.name(), kTeams);
  CheckTeam(v, t);
  std::vector<std::string> skills = Skills(v, "team.skills", t.skills());
  v.Check(!t.etag().empty(), "team.etag", "is required");
  RETURN_IF_ERROR(v.status());
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(store::TeamRecord r, LoadTeam(db, c, t.name(), "team.name", true, true));
    RETURN_IF_ERROR(CheckEtag("team.etag", t.etag(), r.version));
    const std::string leader = kMembers.IdOf(t.leader());
    if (!leader.empty() && leader != r.leader_id) {
      ASSIGN_OR_RETURN(auto in, store::GetTeamMember(db, r.id, leader));
      if (!in.has_value()) {
        return FieldStatus(absl::StatusCode::kFailedPrecondition, "team.leader", "the leader must be in the team",
                           "NOT_IN_TEAM");
      }
    }
    ChangeSet changes;
    if (r.display_name != t.display_name()) changes.Set("display_name", t.display_name());
    if (r.leader_id != leader) changes.Set("leader", t.leader());
    r.display_name = t.display_name();
    r.description = t.description();
    r.skills = skills;
    r.leader_id = leader;
    r.version++;
    r.updated_us = NowUs();
    RETURN_IF_ERROR(store::UpdateTeam(db, r));
    RETURN_IF_ERROR(RecordHistory(
        db, c, {r.district_id, kOrgUnits.Name(r.unit_id), kTeams.Name(r.id), "update", changes}, r.updated_us));
    *out = TeamProto(r);
    return absl::OkStatus();
  });
}

absl::Status TeamLogic::ListVolunteerTeams(const CallContext& c, const v1::ListVolunteerTeamsRequest& req,
                                           v1::ListVolunteerTeamsResponse* out) {
  Validator v;
  const std::string unit_id = v.Name("parent", req.parent(), kOrgUnits);
  if (!req.skill().empty()) v.Text("skill", req.skill(), 1, 32);
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(int size, PageSize(req.page_size(), 50, 200));
  const std::string fp = absl::StrCat("volunteerTeams|", unit_id, "|", req.skill());
  ASSIGN_OR_RETURN(std::string after, tokens_.Decode(req.page_token(), fp));
  absl::StatusOr<Unit> unit = dirs_.UnitOf(c, unit_id, "parent");
  if (absl::IsUnavailable(unit.status())) return unit.status();
  if (!unit.ok()) return OutsideSubtree(req.parent(), "parent");
  bool may = c.principal.CoversPath(unit->path) && (IsStaff(c) || c.principal.HasRole(kRoleMember));
  if (!may && c.principal.HasRole(kRoleMember)) {
    // A member lists the teams of the units they belong to and above.
    store::TeamRecord probe;
    probe.unit_path = unit->path;
    may = Joinable(c, probe, kMembers.Name(CallerMemberId(c)), "parent").ok();
  }
  if (!may) return OutsideSubtree(req.parent(), "parent");
  return db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto rows, store::ListTeams(db, unit->district_id, unit->path, req.skill(), after, size + 1));
    for (size_t i = 0; i < rows.size() && i < static_cast<size_t>(size); ++i) *out->add_teams() = TeamProto(rows[i]);
    if (rows.size() > static_cast<size_t>(size)) {
      out->set_next_page_token(tokens_.Encode(fp, rows[static_cast<size_t>(size) - 1].id));
    }
    return absl::OkStatus();
  });
}

absl::Status TeamLogic::AddTeamMember(const CallContext& c, const v1::AddTeamMemberRequest& req, v1::TeamMember* out) {
  Validator v;
  v.Name("parent", req.parent(), kTeams);
  const std::string member_id = v.Name("member", req.member(), kMembers);
  std::vector<std::string> skills = Skills(v, "skills", req.skills());
  RETURN_IF_ERROR(v.status());
  const bool self = CallerMemberId(c) == member_id;
  store::TeamRecord team;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(team, LoadTeam(db, c, req.parent(), "parent", !self, false));
    return absl::OkStatus();
  }));
  ASSIGN_OR_RETURN(member::v1::Member m, Joinable(c, team, req.member(), "member"));
  const int64_t now = NowUs();
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto locked, store::GetTeam(db, team.id, true));  // the count, one change at a time
    if (!locked.has_value()) return MissingIn(c.principal.IsPlatformWide(), kTeams, team.id, "parent");
    store::TeamMemberRecord r{team.id, member_id, m.display_name(), skills, now};
    absl::Status added = store::InsertTeamMember(db, r);
    if (absl::IsAlreadyExists(added)) {
      return FieldStatus(absl::StatusCode::kAlreadyExists, "member", "is in the team", "ALREADY_IN_TEAM");
    }
    RETURN_IF_ERROR(added);
    ChangeSet changes;
    changes.Set("member", req.member());
    RETURN_IF_ERROR(
        RecordHistory(db, c, {team.district_id, kOrgUnits.Name(team.unit_id), req.parent(), "join", changes}, now));
    *out = MemberProto(r);
    return absl::OkStatus();
  });
}

absl::Status TeamLogic::RemoveTeamMember(const CallContext& c, const v1::RemoveTeamMemberRequest& req,
                                         v1::RemoveTeamMemberResponse*) {
  std::vector<std::string> parts = absl::StrSplit(req.name(), "/members/");
  const std::string team_name = parts.size() == 2 ? parts[0] : "";
  const std::string member_id = parts.size() == 2 ? parts[1] : "";
  if (kTeams.IdOf(team_name).empty() || kMembers.IdOf(kMembers.Name(member_id)).empty() ||
      absl::StrContains(member_id, '/')) {
    return FieldError("name", "must be volunteerTeams/{team}/members/{member}");
  }
  const bool self = CallerMemberId(c) == member_id;
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(store::TeamRecord team, LoadTeam(db, c, team_name, "name", !self, true));
    if (team.leader_id == member_id) {
      return FieldStatus(absl::StatusCode::kFailedPrecondition, "name",
                         "the team's leader leaves after another is named", "IS_LEADER");
    }
    ASSIGN_OR_RETURN(bool removed, store::DeleteTeamMember(db, team.id, member_id));
    if (!removed) {
      return WithReason(absl::NotFoundError(absl::StrCat(req.name(), " is not in the team")), "NOT_IN_TEAM");
    }
    ChangeSet changes;
    changes.Set("member", kMembers.Name(member_id));
    return RecordHistory(db, c, {team.district_id, kOrgUnits.Name(team.unit_id), team_name, "leave", changes}, NowUs());
  });
}

absl::Status TeamLogic::ListTeamMembers(const CallContext& c, const v1::ListTeamMembersRequest& req,
                                        v1::ListTeamMembersResponse* out) {
  ASSIGN_OR_RETURN(int size, PageSize(req.page_size(), 50, 500));
  const std::string fp = absl::StrCat("teamMembers|", req.parent());
  ASSIGN_OR_RETURN(std::string after, tokens_.Decode(req.page_token(), fp));
  return db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(store::TeamRecord team, LoadTeam(db, c, req.parent(), "parent", false, false));
    ASSIGN_OR_RETURN(auto rows, store::ListTeamMembers(db, team.id, after, size + 1));
    for (size_t i = 0; i < rows.size() && i < static_cast<size_t>(size); ++i)
      *out->add_members() = MemberProto(rows[i]);
    if (rows.size() > static_cast<size_t>(size)) {
      out->set_next_page_token(tokens_.Encode(fp, rows[static_cast<size_t>(size) - 1].member_id));
    }
    return absl::OkStatus();
  });
}

}  // namespace lianxin::activity
