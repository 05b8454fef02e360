// SQL for members, their skills, history and disclosures.
#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/status.h"
#include "services/member/member_store.h"

namespace lianxin::member::store {
namespace {

constexpr char kCols[] =
    "id, district_id, branch_id, display_name, gender, ethnicity, birth_date, national_id_sealed, "
    "national_id_index, phone_sealed, phone_index, compound_id, building_id, stairwell_id, room, "
    "standing, join_date, full_member_date, lifecycle, lifecycle_since, categories, availability, "
    "residence_community_id, registered_community_id, occupation, hardship, hardship_help, "
    "health_sealed, attitude_sealed, contact_status, lost_since, version, created_us, updated_us, group_id, "
    "education, job_post, professional_title, admission, work_unit, household_registration, branch_since, "
    "probation_until, mobility_destination, mobility_organization, mobility_contact_name, mobility_contact_sealed, "
    "mobility_since";
constexpr int kColCount = 48;

MemberRecord Read(const Row& r) {
  MemberRecord m;
  m.id = r.Str("id");
  m.district_id = r.Str("district_id");
  m.branch_id = r.Str("branch_id");
  m.display_name = r.Str("display_name");
  m.gender = static_cast<int>(r.Int("gender"));
  m.ethnicity = r.Str("ethnicity");
  m.birth_date = r.Str("birth_date");
  m.national_id_sealed = r.Str("national_id_sealed");
  m.national_id_index = r.Str("national_id_index");
  m.phone_sealed = r.Str("phone_sealed");
  m.phone_index = r.Str("phone_index");
  m.compound_id = r.Str("compound_id");
  m.building_id = r.Str("building_id");
  m.stairwell_id = r.Str("stairwell_id");
  m.room = r.Str("room");
  m.standing = static_cast<int>(r.Int("standing"));
  m.join_date = r.Str("join_date");
  m.full_member_date = r.Str("full_member_date");
  m.lifecycle = static_cast<int>(r.Int("lifecycle"));
  m.lifecycle_since = r.Str("lifecycle_since");
  m.categories = r.Int("categories");
  m.availability = r.Int("availability");
  m.residence_community_id = r.Str("residence_community_id");
  m.registered_community_id = r.Str("registered_community_id");
  m.occupation = r.Str("occupation");
  m.hardship = r.Int("hardship") != 0;
  m.hardship_help = r.Str("hardship_help");
  m.health_sealed = r.Str("health_sealed");
  m.attitude_sealed = r.Str("attitude_sealed");
  m.contact_status = static_cast<int>(r.Int("contact_status"));
  m.lost_since = r.Str("lost_since");
  m.version = r.Int("version");
  m.created_us = r.Int("created_us");
  m.updated_us = r.Int("updated_us");
  m.group_id = r.Str("group_id");
  m.education = static_cast<int>(r.Int("education"));
  m.job_post = r.Str("job_post");
  m.professional_title = r.Str("professional_title");
  m.admission = static_cast<int>(r.Int("admission"));
  m.work_unit = r.Str("work_unit");
  m.household_registration = r.Str("household_registration");
  m.branch_since = r.Str("branch_since");
  m.probation_until = r.Str("probation_until");
  m.mobility_destination = r.Str("mobility_destination");
  m.mobility_organization = r.Str("mobility_organization");
  m.mobility_contact_name = r.Str("mobility_contact_name");
  m.mobility_contact_sealed = r.Str("mobility_contact_sealed");
  m.mobility_since = r.Str("mobility_since");
  return m;
}

// Every column after id, in kCols order.
SqlParams Values(const MemberRecord& m) {
  return {m.district_id,
          m.branch_id,
          m.display_name,
          int64_t{m.gender},
          m.ethnicity,
          m.birth_date,
          m.national_id_sealed,
          m.national_id_index,
          NullIfEmpty(m.phone_sealed),
          NullIfEmpty(m.phone_index),
          m.compound_id,
          m.building_id,
          m.stairwell_id,
          m.room,
          int64_t{m.standing},
          NullIfEmpty(m.join_date),
          NullIfEmpty(m.full_member_date),
          int64_t{m.lifecycle},
          NullIfEmpty(m.lifecycle_since),
          m.categories,
          m.availability,
          m.residence_community_id,
          m.registered_community_id,
          m.occupation,
          int64_t{m.hardship ? 1 : 0},
          m.hardship_help,
          NullIfEmpty(m.health_sealed),
          NullIfEmpty(m.attitude_sealed),
          int64_t{m.contact_status},
          NullIfEmpty(m.lost_since),
          m.version,
          m.created_us,
          m.updated_us,
          m.group_id,
          int64_t{m.education},
          m.job_post,
          m.professional_title,
          int64_t{m.admission},
          m.work_unit,
          m.household_registration,
          NullIfEmpty(m.branch_since),
          NullIfEmpty(m.probation_until),
          m.mobility_destination,
          m.mobility_organization,
          m.mobility_contact_name,
          NullIfEmpty(m.mobility_contact_sealed),
          NullIfEmpty(m.mobility_since)};
}

// Loads the skills of `members` in one query.
absl::Status LoadSkills(Db& db, std::vector<MemberRecord>& members) {
  if (members.empty()) return absl::OkStatus();
  SqlParams ids;
  for (const auto& m : members) ids.push_back(m.id);
  RETURN_IF_ERROR(db.Query(
      absl::StrCat("SELECT member_id, skill FROM member_skills WHERE member_id IN (", SqlPlaceholders(ids.size()), ")"),
      ids, [&](const Row& r) {
        std::string id = r.Str("member_id");
        for (auto& m : members) {
          if (m.id == id) m.skills.push_back(r.Str("skill"));
        }
      }));
  for (auto& m : members) std::sort(m.skills.begin(), m.skills.end());  // byte order, not collation order
  return absl::OkStatus();
}

absl::Status WriteSkills(Db& db, const MemberRecord& m) {
  RETURN_IF_ERROR(db.Exec("DELETE FROM member_skills WHERE member_id = ?", {m.id}).status());
  if (m.skills.empty()) return absl::OkStatus();
  SqlParams params;
  std::vector<std::string> rows;
  for (const auto& s : m.skills) {
    rows.push_back("(?, ?, ?)");
    params.push_back(m.id);
    params.push_back(m.district_id);
    params.push_back(s);
  }
  return db
      .Exec(absl::StrCat("INSERT IGNORE INTO member_skills (member_id, district_id, skill) VALUES ",
                         absl::StrJoin(rows, ",")),
            params)
      .status();
}

absl::StatusOr<std::vector<MemberRecord>> Select(Db& db, const std::string& where, const SqlParams& params) {
  std::vector<MemberRecord> out;
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT ", kCols, " FROM members WHERE ", where), params,
                           [&](const Row& r) { out.push_back(Read(r)); }));
  RETURN_IF_ERROR(LoadSkills(db, out));
  return out;
}

}  // namespace

absl::StatusOr<std::optional<MemberRecord>> GetMember(Db& db, const std::string& id, bool for_update) {
  ASSIGN_OR_RETURN(auto rows, Select(db, absl::StrCat("id = ?", for_update ? " FOR UPDATE" : ""), {id}));
  if (rows.empty()) return std::optional<MemberRecord>();
  return std::optional<MemberRecord>(std::move(rows[0]));
}

absl::StatusOr<std::optional<std::string>> FindMemberId(Db& db, const std::string& column, const std::string& index) {
  if (column != "national_id_index" && column != "phone_index") return absl::InternalError("bad index column");
  std::optional<std::string> out;
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT id FROM members WHERE ", column, " = ? ORDER BY id LIMIT 1"), {index},
                           [&](const Row& r) { out = r.Str("id"); }));
  return out;
}

absl::Status InsertMember(Db& db, const MemberRecord& m) {
  SqlParams params = {m.id};
  for (auto& v : Values(m)) params.push_back(std::move(v));
  RETURN_IF_ERROR(
      db.Exec(absl::StrCat("INSERT INTO members (", kCols, ") VALUES (", SqlPlaceholders(kColCount), ")"), params)
          .status());
  return WriteSkills(db, m);
}

absl::Status InsertMembers(Db& db, const std::vector<MemberRecord>& members) {
  if (members.empty()) return absl::OkStatus();
  std::vector<std::string> rows;
  SqlParams params;
  SqlParams skill_params;
  std::vector<std::string> skill_rows;
  for (const auto& m : members) {
    rows.push_back(absl::StrCat("(", SqlPlaceholders(kColCount), ")"));
    params.push_back(m.id);
    for (auto& v : Values(m)) params.push_back(std::move(v));
    for (const auto& skill : m.skills) {
      skill_rows.push_back("(?, ?, ?)");
      skill_params.push_back(m.id);
      skill_params.push_back(m.district_id);
      skill_params.push_back(skill);
    }
  }
  RETURN_IF_ERROR(
      db.Exec(absl::StrCat("INSERT INTO members (", kCols, ") VALUES ", absl::StrJoin(rows, ",")), params).status());
  if (skill_rows.empty()) return absl::OkStatus();
  return db
      .Exec(absl::StrCat("INSERT IGNORE INTO member_skills (member_id, district_id, skill) VALUES ",
                         absl::StrJoin(skill_rows, ",")),
            skill_params)
      .status();
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> MembersByNationalId(
    Db& db, const std::vector<std::string>& indexes) {
  std::vector<std::pair<std::string, std::string>> out;
  if (indexes.empty()) return out;
  SqlParams params(indexes.begin(), indexes.end());
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT national_id_index, id FROM members WHERE national_id_index IN (",
                                        SqlPlaceholders(indexes.size()), ")"),
                           params, [&](const Row& r) { out.emplace_back(r.Str("national_id_index"), r.Str("id")); }));
  return out;
}

absl::Status UpdateMember(Db& db, const MemberRecord& m) {
  std::vector<std::string> cols = absl::StrSplit(kCols, ", ");
  std::vector<std::string> sets;
  for (size_t i = 1; i < cols.size(); ++i) {
    if (cols[i] != "created_us") sets.push_back(absl::StrCat(cols[i], " = ?"));
  }
  SqlParams all = Values(m);
  SqlParams params;
  for (size_t i = 0; i < all.size(); ++i) {
    if (cols[i + 1] != "created_us") params.push_back(all[i]);
  }
  params.push_back(m.id);
  RETURN_IF_ERROR(
      db.Exec(absl::StrCat("UPDATE members SET ", absl::StrJoin(sets, ", "), " WHERE id = ?"), params).status());
  return WriteSkills(db, m);
}

absl::StatusOr<std::vector<MemberRecord>> ListMembers(Db& db, const MemberFilter& f, const std::string& after_id,
                                                      int limit) {
  std::string where;
  SqlParams params;
  if (!f.registered_id.empty()) {
    where = "registered_community_id = ? AND id > ?";
    params = {f.registered_id, after_id};
  } else {
    if (f.branch_ids.empty()) return std::vector<MemberRecord>();
    where = absl::StrCat("branch_id IN (", SqlPlaceholders(f.branch_ids.size()), ") AND id > ?");
    params.assign(f.branch_ids.begin(), f.branch_ids.end());
    params.push_back(after_id);
  }
  if (f.category_bit != 0) {
    where += " AND (categories & ?) <> 0";
    params.push_back(f.category_bit);
  }
  if (!f.skill.empty()) {
    where += " AND EXISTS (SELECT 1 FROM member_skills s WHERE s.member_id = members.id AND s.skill = ?)";
    params.push_back(f.skill);
  }
  if (!f.group_id.empty()) {
    where += " AND group_id = ?";
    params.push_back(f.group_id);
  }
  if (!f.building_id.empty()) {
    where += " AND building_id = ?";
    params.push_back(f.building_id);
  }
  if (!f.name_prefix.empty()) {
    std::string escaped;
    for (char c : f.name_prefix) {
      if (c == '%' || c == '_' || c == '\\') escaped.push_back('\\');
      escaped.push_back(c);
    }
    where += " AND display_name LIKE ?";
    params.push_back(escaped + "%");
  }
  if (!f.probation_ends_by.empty()) {
    where += " AND standing = 1 AND COALESCE(probation_until, DATE_ADD(join_date, INTERVAL 1 YEAR)) <= ?";
    params.push_back(f.probation_ends_by);
  }
  for (auto [col, value] : {std::pair<const char*, int>{"standing", f.standing},
                            {"contact_status", f.contact_status},
                            {"lifecycle", f.lifecycle}}) {
    if (value != 0) {
      absl::StrAppend(&where, " AND ", col, " = ?");
      params.push_back(int64_t{value});
    }
  }
  where += " ORDER BY id LIMIT ?";
  params.push_back(int64_t{limit});
  return Select(db, where, params);
}

absl::StatusOr<std::vector<MemberRecord>> ListLost(Db& db, const std::vector<std::string>& branch_ids,
                                                   const std::string& lost_before, const std::vector<int>& lifecycles,
                                                   const std::string& lifecycle_before, const std::string& after_id,
                                                   int limit) {
  if (branch_ids.empty() || lifecycles.empty()) return std::vector<MemberRecord>();
  SqlParams params(branch_ids.begin(), branch_ids.end());
  std::string where = absl::StrCat("branch_id IN (", SqlPlaceholders(branch_ids.size()),
                                   ") AND contact_status = 2 AND lost_since <= ? AND lifecycle IN (",
                                   SqlPlaceholders(lifecycles.size()), ")");
  params.push_back(lost_before);
  for (int l : lifecycles) params.push_back(int64_t{l});
  if (!lifecycle_before.empty()) {
    where += " AND lifecycle_since <= ?";
    params.push_back(lifecycle_before);
  }
  where += " AND id > ? ORDER BY id LIMIT ?";
  params.push_back(after_id);
  params.push_back(int64_t{limit});
  return Select(db, where, params);
}

absl::StatusOr<int64_t> CountInUnit(Db& db, const std::string& unit_id, bool active_only) {
  int64_t n = 0;
  // A branch's members, or a group's (a unit is never both).
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT COUNT(*) AS n FROM members WHERE (branch_id = ? OR group_id = ?)",
                                        active_only ? " AND lifecycle IN (1, 3)" : " AND lifecycle <> 7"),
                           {unit_id, unit_id}, [&](const Row& r) { n = r.Int("n"); }));
  return n;
}

absl::StatusOr<std::vector<int64_t>> CountInUnits(Db& db, const std::vector<std::string>& unit_ids, bool active_only) {
  std::vector<int64_t> out(unit_ids.size(), 0);
  if (unit_ids.empty()) return out;
  absl::flat_hash_map<std::string, int64_t> counts;
  const char* standing = active_only ? " AND lifecycle IN (1, 3)" : " AND lifecycle <> 7";
  SqlParams ids(unit_ids.begin(), unit_ids.end());
  // A unit is a branch (members' relation) or a group (their group), never
  // both: one count per column, added up.
  for (const char* col : {"branch_id", "group_id"}) {
    RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT ", col, " AS unit, COUNT(*) AS n FROM members WHERE ", col, " IN (",
                                          SqlPlaceholders(ids.size()), ")", standing, " GROUP BY ", col),
                             ids, [&](const Row& r) { counts[r.Str("unit")] += r.Int("n"); }));
  }
  for (size_t i = 0; i < unit_ids.size(); ++i) {
    auto it = counts.find(unit_ids[i]);
    if (it != counts.end()) out[i] = it->second;
  }
  return out;
}

absl::StatusOr<int64_t> CountInPlaces(Db& db, const std::vector<std::string>& place_ids, bool active_only) {
  if (place_ids.empty()) return int64_t{0};
  std::string in = SqlPlaceholders(place_ids.size());
  SqlParams params;
  for (int i = 0; i < 3; ++i) params.insert(params.end(), place_ids.begin(), place_ids.end());
  int64_t n = 0;
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT COUNT(*) AS n FROM members WHERE (building_id IN (", in,
                                        ") OR compound_id IN (", in, ") OR stairwell_id IN (", in, "))",
                                        active_only ? " AND lifecycle IN (1, 3)" : " AND lifecycle <> 7"),
                           params, [&](const Row& r) { n = r.Int("n"); }));
  return n;
}

absl::StatusOr<std::vector<MemberRecord>> MoveBranch(Db& db, const std::string& from, const std::string& to,
                                                     int64_t now_us) {
  // `from` is a branch (members' relation) or a party group (their group).
  ASSIGN_OR_RETURN(std::vector<MemberRecord> rows,
                   Select(db, "(branch_id = ? OR group_id = ?) FOR UPDATE", {from, from}));
  RETURN_IF_ERROR(db.Exec("UPDATE members SET branch_id = IF(branch_id = ?, ?, branch_id), group_id = IF(group_id = ?, "
                          "?, group_id), version = version + 1, updated_us = ? WHERE branch_id = ? OR group_id = ?",
                          {from, to, from, to, now_us, from, from})
                      .status());
  for (auto& m : rows) {
    if (m.branch_id == from) m.branch_id = to;
    if (m.group_id == from) m.group_id = to;
    m.version++;
    m.updated_us = now_us;
  }
  return rows;
}

}  // namespace lianxin::member::store
