// SQL for volunteer teams: teams and their skills, members, and the service
// records with who served in each.
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/sql.h"
#include "common/status.h"
#include "services/activity/team_store.h"

namespace lianxin::activity::store {
namespace {

constexpr char kTeamCols[] =
    "t.id, t.district_id, t.unit_id, t.unit_path, t.display_name, t.description, t.skills, t.leader_id, "
    "t.member_count, t.version, t.created_us, t.updated_us";
constexpr char kRecordCols[] =
    "r.seq, r.id, r.district_id, r.team_id, DATE_FORMAT(r.service_date, '%Y-%m-%d') AS service_date, r.minutes, "
    "r.description, r.recorded_by, r.created_us";

std::vector<std::string> Lines(const std::string& text) { return absl::StrSplit(text, '\n', absl::SkipEmpty()); }

TeamRecord ReadTeam(const Row& r) {
  TeamRecord t;
  t.id = r.Str("id");
  t.district_id = r.Str("district_id");
  t.unit_id = r.Str("unit_id");
  t.unit_path = r.Str("unit_path");
  t.display_name = r.Str("display_name");
  t.description = r.Str("description");
  t.skills = Lines(r.Str("skills"));
  t.leader_id = r.Str("leader_id");
  t.member_count = static_cast<int>(r.Int("member_count"));
  t.version = r.Int("version");
  t.created_us = r.Int("created_us");
  t.updated_us = r.Int("updated_us");
  return t;
}

TeamMemberRecord ReadMember(const Row& r) {
  return {r.Str("team_id"), r.Str("member_id"), r.Str("display_name"), Lines(r.Str("skills")), r.Int("joined_us")};
}

ServiceRecordRow ReadRecord(const Row& r) {
  ServiceRecordRow s;
  s.seq = r.Int("seq");
  s.id = r.Str("id");
  s.district_id = r.Str("district_id");
  s.team_id = r.Str("team_id");
  s.service_date = r.Str("service_date");
  s.minutes = static_cast<int>(r.Int("minutes"));
  s.description = r.Str("description");
  s.recorded_by = r.Str("recorded_by");
  s.created_us = r.Int("created_us");
  return s;
}

absl::Status PutSkills(Db& db, const TeamRecord& t) {
  RETURN_IF_ERROR(db.Exec("DELETE FROM team_skills WHERE team_id = ?", {t.id}).status());
  std::vector<SqlParams> rows;
  for (const auto& s : t.skills) rows.push_back({s, t.id});
  auto st = InsertRowsSql("team_skills", "skill, team_id", std::move(rows));
  if (!st.has_value()) return absl::OkStatus();
  return db.Exec(st->sql, st->params).status();
}

// The members of each record, in member order.
absl::Status FillMembers(Db& db, std::vector<ServiceRecordRow>* records) {
  if (records->empty()) return absl::OkStatus();
  SqlParams p;
  std::map<int64_t, ServiceRecordRow*> by_seq;
  for (auto& r : *records) {
    p.push_back(r.seq);
    by_seq[r.seq] = &r;
  }
  return db.Query(absl::StrCat("SELECT record_seq, member_id FROM service_record_members WHERE record_seq IN (",
                               SqlPlaceholders(p.size()), ") ORDER BY record_seq, member_id"),
                  p, [&](const Row& r) { by_seq[r.Int("record_seq")]->member_ids.push_back(r.Str("member_id")); });
}

}  // namespace

absl::Status InsertTeam(Db& db, const TeamRecord& t) {
  RETURN_IF_ERROR(db.Exec("INSERT INTO volunteer_teams (id, district_id, unit_id, unit_path, display_name, "
                          "description, skills, leader_id, member_count, version, created_us, updated_us) VALUES "
                          "(?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)",
                          {t.id, t.district_id, t.unit_id, t.unit_path, t.display_name, t.description,
                           absl::StrJoin(t.skills, "\n"), t.leader_id, t.version, t.created_us, t.updated_us})
                      .status());
  return PutSkills(db, t);
}

absl::Status UpdateTeam(Db& db, const TeamRecord& t) {
  RETURN_IF_ERROR(db.Exec("UPDATE volunteer_teams SET display_name = ?, description = ?, skills = ?, leader_id = ?, "
                          "version = ?, updated_us = ? WHERE id = ?",
                          {t.display_name, t.description, absl::StrJoin(t.skills, "\n"), t.leader_id, t.version,
                           t.updated_us, t.id})
                      .status());
  return PutSkills(db, t);
}

absl::StatusOr<std::optional<TeamRecord>> GetTeam(Db& db, const std::string& id, bool for_update) {
  std::optional<TeamRecord> out;
  RETURN_IF_ERROR(db.Query(
      absl::StrCat("SELECT ", kTeamCols, " FROM volunteer_teams t WHERE t.id = ?", for_update ? " FOR UPDATE" : ""),
      {id}, [&](const Row& r) { out = ReadTeam(r); }));
  return out;
}

absl::StatusOr<std::vector<TeamRecord>> ListTeams(Db& db, const std::string& district_id,
                                                  const std::string& path_prefix, const std::string& skill,
                                                  const std::string& after, int limit) {
  std::string sql = absl::StrCat("SELECT ", kTeamCols, " FROM volunteer_teams t");
  SqlParams params;
  if (!skill.empty()) {
    absl::StrAppend(&sql, " JOIN team_skills s ON s.team_id = t.id AND s.skill = ?");
    params.push_back(skill);
  }
  absl::StrAppend(&sql, " WHERE t.district_id = ? AND t.unit_path >= ? AND t.unit_path < ? AND t.id > ? ORDER BY t.id",
                  " LIMIT ", limit);
  params.push_back(district_id);
  params.push_back(path_prefix);
  params.push_back(absl::StrCat(path_prefix.substr(0, path_prefix.size() - 1), "0"));
  params.push_back(after);
  std::vector<TeamRecord> out;
  RETURN_IF_ERROR(db.Query(sql, params, [&](const Row& r) { out.push_back(ReadTeam(r)); }));
  return out;
}

absl::Status InsertTeamMember(Db& db, const TeamMemberRecord& m) {
  RETURN_IF_ERROR(db.Exec("INSERT INTO team_members (team_id, member_id, display_name, skills, joined_us) VALUES "
                          "(?, ?, ?, ?, ?)",
                          {m.team_id, m.member_id, m.display_name, absl::StrJoin(m.skills, "\n"), m.joined_us})
                      .status());
  return db.Exec("UPDATE volunteer_teams SET member_count = member_count + 1 WHERE id = ?", {m.team_id}).status();
}

absl::StatusOr<bool> DeleteTeamMember(Db& db, const std::string& team_id, const std::string& member_id) {
  ASSIGN_OR_RETURN(int64_t n,
                   db.Exec("DELETE FROM team_members WHERE team_id = ? AND member_id = ?", {team_id, member_id}));
  if (n == 0) return false;
  RETURN_IF_ERROR(
      db.Exec("UPDATE volunteer_teams SET member_count = member_count - 1 WHERE id = ?", {team_id}).status());
  return true;
}

absl::StatusOr<std::optional<TeamMemberRecord>> GetTeamMember(Db& db, const std::string& team_id,
                                                              const std::string& member_id) {
  std::optional<TeamMemberRecord> out;
  RETURN_IF_ERROR(
      db.Query("SELECT team_id, member_id, display_name, skills, joined_us FROM team_members WHERE "
               "team_id = ? AND member_id = ?",
               {team_id, member_id}, [&](const Row& r) { out = ReadMember(r); }));
  return out;
}

absl::StatusOr<std::vector<TeamMemberRecord>> ListTeamMembers(Db& db, const std::string& team_id,
                                                              const std::string& after, int limit) {
  std::vector<TeamMemberRecord> out;
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT team_id, member_id, display_name, skills, joined_us FROM team_members "
                                        "WHERE team_id = ? AND member_id > ? ORDER BY member_id",
                                        limit > 0 ? absl::StrCat(" LIMIT ", limit) : ""),
                           {team_id, after}, [&](const Row& r) { out.push_back(ReadMember(r)); }));
  return out;
}

absl::StatusOr<std::vector<std::string>> InTeam(Db& db, const std::string& team_id,
                                                const std::vector<std::string>& member_ids) {
  std::vector<std::string> out;
  if (member_ids.empty()) return out;
  SqlParams p = {team_id};
  for (const auto& m : member_ids) p.push_back(m);
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT member_id FROM team_members WHERE team_id = ? AND member_id IN (",
                                        SqlPlaceholders(member_ids.size()), ")"),
                           p, [&](const Row& r) { out.push_back(r.Str("member_id")); }));
  return out;
}

absl::Status InsertServiceRecord(Db& db, const ServiceRecordRow& r) {
  RETURN_IF_ERROR(db.Exec("INSERT INTO service_records (id, district_id, team_id, service_date, minutes, description, "
                          "recorded_by, created_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                          {r.id, r.district_id, r.team_id, r.service_date, int64_t{r.minutes}, r.description,
                           r.recorded_by, r.created_us})
                      .status());
  SqlParams p;
  std::string values;
  for (const auto& m : r.member_ids) {
    absl::StrAppend(&values, values.empty() ? "" : " UNION ALL ", "SELECT ? AS member_id");
    p.push_back(m);
  }
  p.push_back(r.id);
  return db
      .Exec(absl::StrCat("INSERT INTO service_record_members (record_seq, member_id) SELECT r.seq, m.member_id FROM (",
                         values, ") m JOIN service_records r ON r.id = ?"),
            p)
      .status();
}

absl::StatusOr<std::optional<ServiceRecordRow>> GetServiceRecord(Db& db, const std::string& id) {
  std::vector<ServiceRecordRow> rows;
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT ", kRecordCols, " FROM service_records r WHERE r.id = ?"), {id},
                           [&](const Row& r) { rows.push_back(ReadRecord(r)); }));
  RETURN_IF_ERROR(FillMembers(db, &rows));
  if (rows.empty()) return std::optional<ServiceRecordRow>();
  return std::optional<ServiceRecordRow>(std::move(rows[0]));
}

absl::StatusOr<std::vector<ServiceRecordRow>> ListServiceRecords(Db& db, const std::string& team_id,
                                                                 const std::string& member_id, int64_t before_seq,
                                                                 int limit) {
  std::string sql = absl::StrCat("SELECT ", kRecordCols, " FROM service_records r");
  SqlParams params;
  if (!member_id.empty()) {
    absl::StrAppend(&sql, " JOIN service_record_members m ON m.record_seq = r.seq AND m.member_id = ?");
    params.push_back(member_id);
  }
  absl::StrAppend(&sql, " WHERE r.seq < ?");
  params.push_back(before_seq == 0 ? INT64_MAX : before_seq);
  if (!team_id.empty()) {
    absl::StrAppend(&sql, " AND r.team_id = ?");
    params.push_back(team_id);
  }
  absl::StrAppend(&sql, " ORDER BY r.seq DESC LIMIT ", limit);
  std::vector<ServiceRecordRow> out;
  RETURN_IF_ERROR(db.Query(sql, params, [&](const Row& r) { out.push_back(ReadRecord(r)); }));
  RETURN_IF_ERROR(FillMembers(db, &out));
  return out;
}

}  // namespace lianxin::activity::store
