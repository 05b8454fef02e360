// The activity service's SQL: every statement is in store_*.cc, behind these
// functions, each taking the Db of the caller's transaction.
#ifndef LIANXIN_SERVICES_ACTIVITY_ACTIVITY_STORE_H_
#define LIANXIN_SERVICES_ACTIVITY_ACTIVITY_STORE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/db.h"
#include "common/migrations.h"
#include "services/activity/rules.h"

namespace lianxin {
// The service's schema: migrations/*.sql, embedded at build time.
const std::vector<Migration>& ActivityMigrations();
}  // namespace lianxin

namespace lianxin::activity::store {

// store_activities.cc
struct ActivityRecord {
  std::string id, district_id, host_unit_id, host_path;
  int host_unit_type = 0, type = 0, state = 0;
  std::string title, host, lecturer, place;
  int64_t start_us = 0, end_us = 0;
  std::string start_date;  // YYYY-MM-DD, Beijing
  std::string agenda, minutes;
  std::vector<std::string> photo_urls;
  bool open = false;
  std::optional<std::pair<int, int>> venue_e6;  // latitude, longitude in millionths of a degree
  int radius_m = 0;
  std::vector<std::string> delivered_to;  // member ids
  std::string check_in_secret;            // hex
  // Counted from attendances while planned (Tally), frozen when held.
  int expected = 0, voting_expected = 0, present = 0, voting_present = 0, leave = 0, absent = 0;
  bool valid = false;
  std::string cancel_reason;
  int64_t version = 1, created_us = 0, updated_us = 0;
};
absl::Status InsertActivity(Db& db, const ActivityRecord& a);
// Every column but the ids, host unit, type and secret.
absl::Status UpdateActivity(Db& db, const ActivityRecord& a);
// `lock`: "" (a plain read), " FOR UPDATE" or " LOCK IN SHARE MODE".
absl::StatusOr<std::optional<ActivityRecord>> GetActivity(Db& db, const std::string& id, const char* lock = "");
// The activities of `ids` that exist, in no particular order; `lock` as above.
absl::StatusOr<std::vector<ActivityRecord>> GetActivities(Db& db, const std::vector<std::string>& ids,
                                                          const char* lock);

struct ActivityFilter {
  std::string unit_id;      // the host unit; or
  std::string path_prefix;  // a subtree's; or
  std::string member_id;    // activities with the member's attendance row
  int type = 0, state = 0;
  int64_t start_after_us = 0, start_before_us = 0;  // 0: unbounded
};
// Latest start first; the cursor is "start_us/id" of the last row before.
absl::StatusOr<std::vector<ActivityRecord>> ListActivities(Db& db, const ActivityFilter& f, const std::string& after,
                                                           int limit);
std::string ActivityCursor(const ActivityRecord& a);

// Fills the counts of planned activities from their attendances.
absl::Status Tally(Db& db, std::vector<ActivityRecord*> activities);

// Held activities of a subtree in [first, last], by unit, type and month:
// unit -> type -> month counts of valid and not valid ones.
absl::StatusOr<HeldCounts> HeldByUnit(Db& db, const std::string& district_id, const std::string& path_prefix,
                                      const std::string& first, const std::string& last);

// store_attendance.cc
struct AttendanceRecord {
  std::string activity_id, member_id, district_id, display_name;
  int status = 0;
  bool expected = false, voting = false;
  std::string leave_reason;
  int64_t check_in_us = 0;
  int check_in_method = 0;
  std::optional<std::pair<int, int>> location_e6;
  std::string recorded_by;
  int year = 0, study_minutes = 0;
  int64_t version = 1;
};
// The expected members of a new activity, in one statement per 500.
absl::Status InsertAttendances(Db& db, const std::vector<AttendanceRecord>& rows);
// Inserts or replaces one member's row (its version moves on).
absl::Status PutAttendance(Db& db, const AttendanceRecord& a);
absl::StatusOr<std::optional<AttendanceRecord>> GetAttendance(Db& db, const std::string& activity_id,
                                                              const std::string& member_id, bool for_update);
// The rows of (activity id, member id) `keys` that exist, locked FOR UPDATE
// (one statement; rows are locked in key order, whatever the order asked).
absl::StatusOr<std::vector<AttendanceRecord>> LockAttendances(
    Db& db, const std::vector<std::pair<std::string, std::string>>& keys);
// One statement writing every row of `rows`: inserted, or over the row of the
// same key (for Db::ExecScript); none for no rows.
std::optional<SqlStatement> PutAttendancesSql(const std::vector<const AttendanceRecord*>& rows);
// In member order; the cursor is the member id of the row before.
absl::StatusOr<std::vector<AttendanceRecord>> ListAttendances(Db& db, const std::string& activity_id, int status,
                                                              const std::string& after, int limit);
// Holding: whoever is still expected or signed up is absent; present members
// get `study_minutes`.
absl::Status CloseAttendances(Db& db, const std::string& activity_id, int study_minutes);
// The members present (their ids).
absl::StatusOr<std::vector<std::string>> PresentMembers(Db& db, const std::string& activity_id);

// A member's study minutes and activities counted in a year; and of many
// members at once.
struct StudyTotal {
  int64_t minutes = 0;
  int activities = 0;
};
absl::StatusOr<std::map<std::string, StudyTotal>> StudyTotals(Db& db, const std::vector<std::string>& member_ids,
                                                              int year);

// store_drift.cc
// Members expected at held activities since `since_us` and present at none:
// in a subtree (`path_prefix`, after the member id `after`, at most `limit`),
// or, with an empty prefix, in every district.
struct DriftRow {
  std::string member_id, display_name, unit_id, district_id;
  int expected = 0, leave = 0, home_study = 0, online_study = 0;
};
absl::StatusOr<std::vector<DriftRow>> Drifting(Db& db, const std::string& district_id, const std::string& path_prefix,
                                               int64_t since_us, const std::string& after, int limit);
// When each member was last present at a held activity.
absl::StatusOr<std::map<std::string, int64_t>> LastPresent(Db& db, const std::vector<std::string>& member_ids);

// store_compliance.cc
struct RuleRow {
  std::string unit_id;
  int type = 0, cadence = 0, min_count = 0;
};
// The rules the unit set, and their version (0: none set yet).
absl::StatusOr<std::pair<std::vector<RuleRow>, int64_t>> GetRules(Db& db, const std::string& unit_id, bool for_update);
// Replaces the unit's rules, at `version`.
absl::Status PutRules(Db& db, const std::string& district_id, const std::string& unit_id,
                      const std::vector<RuleRow>& rules, int64_t version, int64_t now_us);
// Every rule set in the district (units with their own rules are few).
absl::StatusOr<std::vector<RuleRow>> DistrictRules(Db& db, const std::string& district_id);

// store_ledger.cc
struct EntryRecord {
  std::string id, district_id;
  int ledger = 0;  // 1 hours (minutes), 2 points
  std::string debit_account, credit_account;
  int64_t amount = 0;
  std::string member_id, source;
  int point_source = 0;
  std::string cycle, source_key, reverses, memo, actor;
  int year = 0;
  int64_t created_us = 0;
};
absl::Status InsertEntries(Db& db, const std::vector<EntryRecord>& entries);
absl::StatusOr<std::optional<EntryRecord>> GetEntry(Db& db, const std::string& id);
// Whether an entry with this source key exists.
absl::StatusOr<bool> HasSourceKey(Db& db, const std::string& source_key);
// Newest first; the cursor is "created_us/id" of the row before.
absl::StatusOr<std::vector<EntryRecord>> ListEntries(Db& db, const std::string& member_id, int ledger,
                                                     const std::string& after, int limit);
std::string EntryCursor(const EntryRecord& e);
// The member's balance of each ledger (1, 2), all time and in `year`.
struct Balance {
  int64_t all[3] = {0, 0, 0};
  int64_t year[3] = {0, 0, 0};
};
absl::StatusOr<Balance> BalanceOf(Db& db, const std::string& account, int year);
// Locks the member's cap row for the rule and cycle; the points used so far.
absl::StatusOr<int> LockCap(Db& db, const std::string& member_id, const std::string& rule_key,
                            const std::string& cycle);
absl::Status AddToCap(Db& db, const std::string& member_id, const std::string& rule_key, const std::string& cycle,
                      int points);

struct PointRuleRow {
  int source = 0, activity_type = 0, points = 0, cap = 0, cycle = 0;
};
// The rules the district set, and their version (0: none set yet).
absl::StatusOr<std::pair<std::vector<PointRuleRow>, int64_t>> GetPointRules(Db& db, const std::string& district_id,
                                                                            bool for_update);
absl::Status PutPointRules(Db& db, const std::string& district_id, const std::vector<PointRuleRow>& rules,
                           int64_t version, int64_t now_us);

// The cursor of an outbox read ("dispatch").
absl::StatusOr<int64_t> GetCursor(Db& db, const std::string& source, bool for_update);
absl::Status SetCursor(Db& db, const std::string& source, int64_t after_seq, int64_t now_us);

}  // namespace lianxin::activity::store

#endif  // LIANXIN_SERVICES_ACTIVITY_ACTIVITY_STORE_H_
