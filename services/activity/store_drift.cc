// SQL for the early warning: members expected at held activities who took
// part in none.
#include "absl/strings/str_cat.h"
#include "common/sql.h"
#include "common/status.h"
#include "services/activity/activity_store.h"

namespace lianxin::activity::store {

absl::StatusOr<std::vector<DriftRow>> Drifting(Db& db, const std::string& district_id, const std::string& path_prefix,
                                               int64_t since_us, const std::string& after, int limit) {
  // The unit: that of the latest activity they were expected at by a branch
  // (or general branch, community), else by anyone.
  std::string sql =
      "SELECT t.member_id, MAX(t.display_name) AS display_name, a.district_id, "
      "SUBSTRING_INDEX(GROUP_CONCAT(CASE WHEN a.host_unit_type IN (3, 4, 5) THEN a.host_unit_id END "
      "ORDER BY a.start_us DESC), ',', 1) AS branch_unit, "
      "SUBSTRING_INDEX(GROUP_CONCAT(a.host_unit_id ORDER BY a.start_us DESC), ',', 1) AS any_unit, "
      "COUNT(*) AS expected, SUM(t.status = 3) AS on_leave, SUM(a.type = 10) AS home_study, "
      "SUM(a.type = 11) AS online_study "
      "FROM activities a JOIN attendances t ON t.activity_id = a.id "
      "WHERE a.state = 2 AND a.start_us >= ? AND t.expected = 1";
  SqlParams params = {since_us};
  if (!path_prefix.empty()) {
    absl::StrAppend(&sql, " AND a.district_id = ? AND a.host_path >= ? AND a.host_path < ?");
    params.push_back(district_id);
    params.push_back(path_prefix);
    params.push_back(absl::StrCat(path_prefix.substr(0, path_prefix.size() - 1), "0"));
  }
  if (!after.empty()) {
    absl::StrAppend(&sql, " AND t.member_id > ?");
    params.push_back(after);
  }
  absl::StrAppend(&sql, " GROUP BY t.member_id, a.district_id HAVING SUM(t.status = 4) = 0 ORDER BY t.member_id");
  if (limit > 0) absl::StrAppend(&sql, " LIMIT ", limit);
  std::vector<DriftRow> out;
  RETURN_IF_ERROR(db.Query(sql, params, [&](const Row& r) {
    DriftRow d;
    d.member_id = r.Str("member_id");
    d.display_name = r.Str("display_name");
    d.district_id = r.Str("district_id");
    d.unit_id = r.IsNull("branch_unit") ? r.Str("any_unit") : r.Str("branch_unit");
    d.expected = static_cast<int>(r.Int("expected"));
    d.leave = static_cast<int>(r.Int("on_leave"));
    d.home_study = static_cast<int>(r.Int("home_study"));
    d.online_study = static_cast<int>(r.Int("online_study"));
    out.push_back(std::move(d));
  }));
  return out;
}

absl::StatusOr<std::map<std::string, int64_t>> LastPresent(Db& db, const std::vector<std::string>& member_ids) {
  std::map<std::string, int64_t> out;
  if (member_ids.empty()) return out;
  SqlParams params(member_ids.begin(), member_ids.end());
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT t.member_id, MAX(a.start_us) AS last_us FROM attendances t "
                                        "JOIN activities a ON a.id = t.activity_id WHERE t.member_id IN (",
                                        SqlPlaceholders(member_ids.size()), ") AND t.status = 4 GROUP BY t.member_id"),
                           params, [&](const Row& r) { out[r.Str("member_id")] = r.Int("last_us"); }));
  return out;
}

}  // namespace lianxin::activity::store
