// SQL for the compliance rules units set for themselves.
#include "absl/strings/str_cat.h"
#include "common/sql.h"
#include "common/status.h"
#include "services/activity/activity_store.h"

namespace lianxin::activity::store {

absl::StatusOr<std::pair<std::vector<RuleRow>, int64_t>> GetRules(Db& db, const std::string& unit_id, bool for_update) {
  int64_t version = 0;
  RETURN_IF_ERROR(db.Query(
      absl::StrCat("SELECT version FROM compliance_rule_sets WHERE unit_id = ?", for_update ? " FOR UPDATE" : ""),
      {unit_id}, [&](const Row& r) { version = r.Int("version"); }));
  std::vector<RuleRow> rules;
  RETURN_IF_ERROR(
      db.Query("SELECT unit_id, type, cadence, min_count FROM compliance_rules WHERE unit_id = ? ORDER BY type",
               {unit_id}, [&](const Row& r) {
                 rules.push_back({r.Str("unit_id"), static_cast<int>(r.Int("type")), static_cast<int>(r.Int("cadence")),
                                  static_cast<int>(r.Int("min_count"))});
               }));
  return std::make_pair(std::move(rules), version);
}

absl::Status PutRules(Db& db, const std::string& district_id, const std::string& unit_id,
                      const std::vector<RuleRow>& rules, int64_t version, int64_t now_us) {
  RETURN_IF_ERROR(
      db.Exec("DELETE FROM compliance_rules WHERE district_id = ? AND unit_id = ?", {district_id, unit_id}).status());
  std::vector<SqlParams> rows;
  for (const auto& r : rules) {
    rows.push_back({district_id, unit_id, int64_t{r.type}, int64_t{r.cadence}, int64_t{r.min_count}});
  }
  if (auto st = InsertRowsSql("compliance_rules", "district_id, unit_id, type, cadence, min_count", std::move(rows))) {
    RETURN_IF_ERROR(db.Exec(st->sql, st->params).status());
  }
  return db
      .Exec(
          "INSERT INTO compliance_rule_sets (unit_id, district_id, version, updated_us) VALUES (?, ?, ?, ?) "
          "ON DUPLICATE KEY UPDATE version = VALUES(version), updated_us = VALUES(updated_us)",
          {unit_id, district_id, version, now_us})
      .status();
}

absl::StatusOr<std::vector<RuleRow>> DistrictRules(Db& db, const std::string& district_id) {
  std::vector<RuleRow> out;
  RETURN_IF_ERROR(db.Query("SELECT unit_id, type, cadence, min_count FROM compliance_rules WHERE district_id = ?",
                           {district_id}, [&](const Row& r) {
                             out.push_back({r.Str("unit_id"), static_cast<int>(r.Int("type")),
                                            static_cast<int>(r.Int("cadence")), static_cast<int>(r.Int("min_count"))});
                           }));
  return out;
}

}  // namespace lianxin::activity::store
