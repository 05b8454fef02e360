// SQL for units and community settings.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/names.h"
#include "common/status.h"
#include "services/org/org_store.h"

namespace lianxin::org::store {
namespace {

constexpr char kUnitCols[] =
    "id, district_id, parent_id, path, depth, type, code, display_name, state, merged_into, "
    "version, created_us, updated_us";

UnitRecord ReadUnit(const Row& r) {
  UnitRecord u;
  u.id = r.Str("id");
  u.district_id = r.Str("district_id");
  u.parent_id = r.Str("parent_id");
  u.path = r.Str("path");
  u.depth = static_cast<int32_t>(r.Int("depth"));
  u.type = static_cast<v1::OrgUnitType>(r.Int("type"));
  u.code = r.Str("code");
  u.display_name = r.Str("display_name");
  u.state = static_cast<v1::OrgUnit::State>(r.Int("state"));
  u.merged_into = r.Str("merged_into");
  u.version = r.Int("version");
  u.created_us = r.Int("created_us");
  u.updated_us = r.Int("updated_us");
  return u;
}

}  // namespace

v1::OrgUnit UnitRecord::ToProto() const {
  v1::OrgUnit p;
  p.set_name(kOrgUnits.Name(id));
  if (!parent_id.empty()) p.set_parent(kOrgUnits.Name(parent_id));
  p.set_type(type);
  p.set_code(code);
  p.set_display_name(display_name);
  p.set_state(state);
  if (!merged_into.empty()) p.set_merged_into(kOrgUnits.Name(merged_into));
  p.set_district(kOrgUnits.Name(district_id));
  p.set_depth(depth);
  SetTimestampUs(created_us, p.mutable_create_time());
  SetTimestampUs(updated_us, p.mutable_update_time());
  p.set_etag(EtagOf(version));
  return p;
}

absl::StatusOr<std::optional<UnitRecord>> GetUnit(Db& db, const std::string& id, bool for_update) {
  std::optional<UnitRecord> out;
  RETURN_IF_ERROR(
      db.Query(absl::StrCat("SELECT ", kUnitCols, " FROM org_units WHERE id = ?", for_update ? " FOR UPDATE" : ""),
               {id}, [&](const Row& r) { out = ReadUnit(r); }));
  return out;
}

absl::StatusOr<std::vector<UnitRecord>> GetUnits(Db& db, const std::vector<std::string>& ids) {
  std::vector<UnitRecord> out;
  if (ids.empty()) return out;
  SqlParams params(ids.begin(), ids.end());
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT ", kUnitCols, " FROM org_units WHERE id IN (",
                                        SqlPlaceholders(ids.size()), ") ORDER BY depth"),
                           params, [&](const Row& r) { out.push_back(ReadUnit(r)); }));
  return out;
}

absl::Status InsertUnit(Db& db, const UnitRecord& u) {
  return db
      .Exec(absl::StrCat("INSERT INTO org_units (", kUnitCols, ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            {u.id, u.district_id, NullIfEmpty(u.parent_id), u.path, int64_t{u.depth}, int64_t{u.type}, u.code,
             u.display_name, int64_t{u.state}, NullIfEmpty(u.merged_into), u.version, u.created_us, u.updated_us})
      .status();
}

absl::Status UpdateUnit(Db& db, const UnitRecord& u) {
  return db
      .Exec(
          "UPDATE org_units SET parent_id = ?, path = ?, depth = ?, code = ?, display_name = ?, "
          "state = ?, merged_into = ?, version = ?, updated_us = ? WHERE id = ?",
          {NullIfEmpty(u.parent_id), u.path, int64_t{u.depth}, u.code, u.display_name, int64_t{u.state},
           NullIfEmpty(u.merged_into), u.version, u.updated_us, u.id})
      .status();
}

absl::StatusOr<std::vector<UnitRecord>> ListChildren(Db& db, const std::string& parent_id, const std::string& after_id,
                                                     int limit, bool show_inactive) {
  std::vector<UnitRecord> out;
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT ", kUnitCols, " FROM org_units WHERE parent_id = ? AND id > ?",
                                        show_inactive ? "" : " AND state = 1", " ORDER BY id LIMIT ?"),
                           {parent_id, after_id, int64_t{limit}}, [&](const Row& r) { out.push_back(ReadUnit(r)); }));
  return out;
}

absl::StatusOr<std::vector<UnitRecord>> ListSubtree(Db& db, const std::string& district_id,
                                                    const std::string& path_prefix, const std::string& after_path,
                                                    const std::vector<int>& types, int limit, bool show_inactive) {
  // Paths are ASCII and '/' + 1 == '0', so [prefix, prefix-with-'0') is the subtree.
  std::string upper = path_prefix.substr(0, path_prefix.size() - 1) + "0";
  std::string lower = after_path.empty() ? path_prefix : after_path;
  SqlParams params = {district_id, lower, upper};
  std::string type_clause;
  if (!types.empty()) {
    type_clause = absl::StrCat(" AND type IN (", SqlPlaceholders(types.size()), ")");
    for (int t : types) params.push_back(int64_t{t});
  }
  params.push_back(int64_t{limit});
  std::vector<UnitRecord> out;
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT ", kUnitCols, " FROM org_units WHERE district_id = ? AND path ",
                                        after_path.empty() ? ">=" : ">", " ? AND path < ?", type_clause,
                                        show_inactive ? "" : " AND state = 1", " ORDER BY path LIMIT ?"),
                           params, [&](const Row& r) { out.push_back(ReadUnit(r)); }));
  return out;
}

absl::StatusOr<int64_t> CountActiveChildren(Db& db, const std::string& id) {
  int64_t n = 0;
  RETURN_IF_ERROR(db.Query("SELECT COUNT(*) AS n FROM org_units WHERE parent_id = ? AND state = 1", {id},
                           [&](const Row& r) { n = r.Int("n"); }));
  return n;
}

absl::StatusOr<std::vector<std::string>> ActiveChildIds(Db& db, const std::string& id) {
  std::vector<std::string> out;
  RETURN_IF_ERROR(db.Query("SELECT id FROM org_units WHERE parent_id = ? AND state = 1 ORDER BY id", {id},
                           [&](const Row& r) { out.push_back(r.Str("id")); }));
  return out;
}

absl::Status RewritePaths(Db& db, const std::string& district_id, const std::string& old_prefix,
                          const std::string& new_prefix, int depth_delta, int64_t now_us) {
  std::string upper = old_prefix.substr(0, old_prefix.size() - 1) + "0";
  return db
      .Exec(
          "UPDATE org_units SET path = CONCAT(?, SUBSTRING(path, ?)), depth = depth + ?, "
          "version = version + 1, updated_us = ? "
          "WHERE district_id = ? AND path >= ? AND path < ?",
          {new_prefix, static_cast<int64_t>(old_prefix.size() + 1), int64_t{depth_delta}, now_us, district_id,
           old_prefix, upper})
      .status();
}

absl::StatusOr<SettingsRecord> GetSettings(Db& db, const std::string& community_id, bool for_update) {
  SettingsRecord s;
  s.community_id = community_id;
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT district_id, building_group_min_residents, version FROM "
                                        "org_community_settings WHERE community_id = ?",
                                        for_update ? " FOR UPDATE" : ""),
                           {community_id}, [&](const Row& r) {
                             s.district_id = r.Str("district_id");
                             s.building_group_min_residents =
                                 static_cast<int32_t>(r.Int("building_group_min_residents"));
                             s.version = r.Int("version");
                           }));
  return s;
}

absl::Status UpsertSettings(Db& db, const SettingsRecord& s) {
  return db
      .Exec(
          "INSERT INTO org_community_settings (community_id, district_id, "
          "building_group_min_residents, version) VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE "
          "building_group_min_residents = VALUES(building_group_min_residents), "
          "version = VALUES(version)",
          {s.community_id, s.district_id, int64_t{s.building_group_min_residents}, s.version})
      .status();
}

}  // namespace lianxin::org::store
