// SQL for attendance: who is expected, who signed up, asked for leave, came,
// and the study hours it gives.
#include "absl/strings/str_cat.h"
#include "common/sql.h"
#include "common/status.h"
#include "services/activity/activity_store.h"

namespace lianxin::activity::store {
namespace {

constexpr char kCols[] =
    "activity_id, member_id, district_id, display_name, status, expected, voting, leave_reason, check_in_us, "
    "check_in_method, lat_e6, lng_e6, recorded_by, year, study_minutes, version";

AttendanceRecord Read(const Row& r) {
  AttendanceRecord a;
  a.activity_id = r.Str("activity_id");
  a.member_id = r.Str("member_id");
  a.district_id = r.Str("district_id");
  a.display_name = r.Str("display_name");
  a.status = static_cast<int>(r.Int("status"));
  a.expected = r.Int("expected") != 0;
  a.voting = r.Int("voting") != 0;
  a.leave_reason = r.Str("leave_reason");
  a.check_in_us = r.Int("check_in_us");
  a.check_in_method = static_cast<int>(r.Int("check_in_method"));
  if (!r.IsNull("lat_e6")) {
    a.location_e6 = std::make_pair(static_cast<int>(r.Int("lat_e6")), static_cast<int>(r.Int("lng_e6")));
  }
  a.recorded_by = r.Str("recorded_by");
  a.year = static_cast<int>(r.Int("year"));
  a.study_minutes = static_cast<int>(r.Int("study_minutes"));
  a.version = r.Int("version");
  return a;
}

SqlParams Values(const AttendanceRecord& a) {
  return {a.activity_id,
          a.member_id,
          a.district_id,
          a.display_name,
          int64_t{a.status},
          int64_t{a.expected ? 1 : 0},
          int64_t{a.voting ? 1 : 0},
          a.leave_reason,
          a.check_in_us,
          int64_t{a.check_in_method},
          a.location_e6 ? SqlParam{int64_t{a.location_e6->first}} : SqlParam{nullptr},
          a.location_e6 ? SqlParam{int64_t{a.location_e6->second}} : SqlParam{nullptr},
          a.recorded_by,
          int64_t{a.year},
          int64_t{a.study_minutes},
          a.version};
}

}  // namespace

absl::Status InsertAttendances(Db& db, const std::vector<AttendanceRecord>& rows) {
  for (size_t i = 0; i < rows.size(); i += 500) {
    std::vector<SqlParams> values;
    for (size_t j = i; j < rows.size() && j < i + 500; ++j) values.push_back(Values(rows[j]));
    std::optional<SqlStatement> st = InsertRowsSql("attendances", kCols, std::move(values));
    RETURN_IF_ERROR(db.Exec(st->sql, st->params).status());
  }
  return absl::OkStatus();
}

absl::Status PutAttendance(Db& db, const AttendanceRecord& a) {
  return db.Exec(absl::StrCat("REPLACE INTO attendances (", kCols, ") VALUES (", SqlPlaceholders(16), ")"), Values(a))
      .status();
}

absl::StatusOr<std::vector<AttendanceRecord>> LockAttendances(
    Db& db, const std::vector<std::pair<std::string, std::string>>& keys) {
  std::vector<AttendanceRecord> out;
  if (keys.empty()) return out;
  // Equalities on the whole primary key, OR'd: one range each.
  std::string sql = absl::StrCat("SELECT ", kCols, " FROM attendances WHERE ");
  SqlParams params;
  for (size_t i = 0; i < keys.size(); ++i) {
    absl::StrAppend(&sql, i == 0 ? "" : " OR ", "(activity_id = ? AND member_id = ?)");
    params.push_back(keys[i].first);
    params.push_back(keys[i].second);
  }
  sql += " FOR UPDATE";
  RETURN_IF_ERROR(db.Query(sql, params, [&](const Row& r) { out.push_back(Read(r)); }));
  return out;
}

std::optional<SqlStatement> PutAttendancesSql(const std::vector<const AttendanceRecord*>& rows) {
  std::vector<SqlParams> values;
  values.reserve(rows.size());
  for (const AttendanceRecord* r : rows) values.push_back(Values(*r));
  std::optional<SqlStatement> st = InsertRowsSql("attendances", kCols, std::move(values));
  if (!st.has_value()) return st;
  // The keys, district and year of a row never change.
  st->sql +=
      " ON DUPLICATE KEY UPDATE display_name = VALUES(display_name), status = VALUES(status), "
      "expected = VALUES(expected), voting = VALUES(voting), leave_reason = VALUES(leave_reason), "
      "check_in_us = VALUES(check_in_us), check_in_method = VALUES(check_in_method), lat_e6 = VALUES(lat_e6), "
      "lng_e6 = VALUES(lng_e6), recorded_by = VALUES(recorded_by), study_minutes = VALUES(study_minutes), "
      "version = VALUES(version)";
  return st;
}

absl::StatusOr<std::optional<AttendanceRecord>> GetAttendance(Db& db, const std::string& activity_id,
                                                              const std::string& member_id, bool for_update) {
  std::optional<AttendanceRecord> out;
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT ", kCols, " FROM attendances WHERE activity_id = ? AND member_id = ?",
                                        for_update ? " FOR UPDATE" : ""),
                           {activity_id, member_id}, [&](const Row& r) { out = Read(r); }));
  return out;
}

absl::StatusOr<std::vector<AttendanceRecord>> ListAttendances(Db& db, const std::string& activity_id, int status,
                                                              const std::string& after, int limit) {
  std::string sql = absl::StrCat("SELECT ", kCols, " FROM attendances WHERE activity_id = ? AND member_id > ?");
  SqlParams params = {activity_id, after};
  if (status != 0) {
    absl::StrAppend(&sql, " AND status = ?");
    params.push_back(int64_t{status});
  }
  absl::StrAppend(&sql, " ORDER BY member_id LIMIT ", limit);
  std::vector<AttendanceRecord> out;
  RETURN_IF_ERROR(db.Query(sql, params, [&](const Row& r) { out.push_back(Read(r)); }));
  return out;
}

absl::Status CloseAttendances(Db& db, const std::string& activity_id, int study_minutes) {
  RETURN_IF_ERROR(db.Exec("UPDATE attendances SET status = 5, version = version + 1 "
                          "WHERE activity_id = ? AND status IN (1, 2)",
                          {activity_id})
                      .status());
  return db
      .Exec("UPDATE attendances SET study_minutes = ?, version = version + 1 WHERE activity_id = ? AND status = 4",
            {int64_t{study_minutes}, activity_id})
      .status();
}

absl::StatusOr<std::vector<std::string>> PresentMembers(Db& db, const std::string& activity_id) {
  std::vector<std::string> out;
  RETURN_IF_ERROR(db.Query("SELECT member_id FROM attendances WHERE activity_id = ? AND status = 4 ORDER BY member_id",
                           {activity_id}, [&](const Row& r) { out.push_back(r.Str("member_id")); }));
  return out;
}

absl::StatusOr<std::map<std::string, StudyTotal>> StudyTotals(Db& db, const std::vector<std::string>& member_ids,
                                                              int year) {
  std::map<std::string, StudyTotal> out;
  for (size_t i = 0; i < member_ids.size(); i += 500) {
    SqlParams params;
    for (size_t j = i; j < member_ids.size() && j < i + 500; ++j) params.push_back(member_ids[j]);
    const size_t n = params.size();
    params.push_back(int64_t{year});
    RETURN_IF_ERROR(
        db.Query(absl::StrCat("SELECT member_id, SUM(study_minutes) AS minutes, COUNT(*) AS n FROM attendances "
                              "WHERE member_id IN (",
                              SqlPlaceholders(n), ") AND year = ? AND study_minutes > 0 GROUP BY member_id"),
                 params, [&](const Row& r) {
                   out[r.Str("member_id")] = {r.Int("minutes"), static_cast<int>(r.Int("n"))};
                 }));
  }
  return out;
}

}  // namespace lianxin::activity::store
