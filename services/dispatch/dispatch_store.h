// The dispatch service's SQL: every statement is in store_*.cc, behind these
// functions, each taking the Db of the caller's transaction — or, for the
// writes of a batch (transitions.cc), building the statement for
// Db::ExecScript.
#ifndef LIANXIN_SERVICES_DISPATCH_DISPATCH_STORE_H_
#define LIANXIN_SERVICES_DISPATCH_DISPATCH_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "common/db.h"
#include "common/migrations.h"
#include "common/todos.h"

namespace lianxin {
// The service's schema: migrations/*.sql, embedded at build time.
const std::vector<Migration>& DispatchMigrations();
}  // namespace lianxin

namespace lianxin::dispatch::store {

// store_catalog.cc
struct CategoryRecord {
  std::string district_id, code, display_name;
  int limit_hours = 0, limit_working_days = 0;
  std::vector<std::string> skills;
  bool grabbable = false;
  int64_t version = 1;
};
absl::Status InsertCategory(Db& db, const CategoryRecord& c);
absl::Status UpdateCategory(Db& db, const CategoryRecord& c);
absl::StatusOr<std::optional<CategoryRecord>> GetCategory(Db& db, const std::string& district_id,
                                                          const std::string& code, bool for_update);
absl::StatusOr<std::vector<CategoryRecord>> ListCategories(Db& db, const std::string& district_id);

struct CalendarDayRecord {
  std::string date;  // YYYY-MM-DD
  int kind = 0;      // 1 holiday, 2 make-up working day
  std::string label;
};
// kind 0 deletes the date.
absl::Status SetCalendarDay(Db& db, const std::string& district_id, const CalendarDayRecord& d);
absl::StatusOr<std::vector<CalendarDayRecord>> ListCalendarDays(Db& db, const std::string& district_id,
                                                                const std::string& from, const std::string& to);

// store_requests.cc
struct RequestRecord {
  std::string id, district_id, category, description, place_id, address, phone_sealed;
  std::string phone_masked;  // as anyone may see it; '' on rows from before it was kept
  int urgency = 0, state = 0;
  std::vector<std::string> photo_urls;
  std::string resident, responsible_unit, community_id, unit_path, escalated_to;
  int escalation_level = 0;
  int64_t next_escalation_us = 0;
  std::string assignee;
  int64_t due_us = 0, accept_due_us = 0;
  int me_too_count = 0;
  std::string resolution, department, department_reference;
  int minutes_spent = 0;
  std::vector<std::string> result_photo_urls;
  int rating = 0;
  int64_t created_us = 0, updated_us = 0, resolved_us = 0, version = 1;
  int64_t unanswered_us = 0;  // when nobody had taken it up in time (0: not flagged)
};
absl::Status InsertRequest(Db& db, const RequestRecord& r);
std::optional<SqlStatement> InsertRequestsSql(const std::vector<const RequestRecord*>& rows);  // none if empty
// Writes every column but id, district and creation time.
absl::Status UpdateRequest(Db& db, const RequestRecord& r);
// A row as read (and locked) in this transaction, and as it is to be.
using RequestChange = std::pair<const RequestRecord*, const RequestRecord*>;
// Many changed rows in one UPDATE, only the columns that changed (less for
// MariaDB to do on every step) and the version, each only if still at the
// version of `first`. None for no changes.
std::optional<SqlStatement> UpdateRequestsSql(const std::vector<RequestChange>& changes);
absl::StatusOr<std::optional<RequestRecord>> GetRequest(Db& db, const std::string& id, bool for_update);
// The requests with these ids that exist, locked if `for_update`.
absl::StatusOr<std::vector<RequestRecord>> GetRequests(Db& db, const std::vector<std::string>& ids, bool for_update);
// Open requests (not resolved, closed or cancelled) of these categories about
// these places, created at or after `since_us`: "place\ncategory" → the
// oldest such request's id.
absl::StatusOr<absl::flat_hash_map<std::string, std::string>> FindOpenDuplicates(
    Db& db, const std::vector<std::pair<std::string, std::string>>& places_and_categories, int64_t since_us);

struct RequestFilter {
  std::string district_id, path_prefix;  // a subtree, or
  std::string assignee;                  // one member's, or
  std::string resident;                  // one resident's
  int state = 0;
};
absl::StatusOr<std::vector<RequestRecord>> ListRequests(Db& db, const RequestFilter& f, const std::string& after_id,
                                                        int limit);
// Ids of requests waiting past their acceptance limit, or past their next
// escalation time, as of `now_us`.
absl::StatusOr<std::vector<std::string>> AcceptanceOverdue(Db& db, int64_t now_us, int limit);
// Pending or offered requests made at or before `created_before_us` and not
// flagged unanswered yet, oldest first (up to `limit` of each state).
absl::StatusOr<std::vector<std::string>> UnansweredDue(Db& db, int64_t created_before_us, int limit);
// Resolved requests resolved at or before `resolved_before_us`, oldest first.
absl::StatusOr<std::vector<std::string>> ConfirmOverdue(Db& db, int64_t resolved_before_us, int limit);
absl::StatusOr<std::vector<std::string>> EscalationDue(Db& db, int64_t now_us, int limit);

// A member's open requests and past ratings, for ranking candidates.
struct MemberLoad {
  int open = 0, rated = 0;
  double rating_sum = 0;
};
absl::StatusOr<std::vector<std::pair<std::string, MemberLoad>>> LoadOf(Db& db, const std::vector<std::string>& members);

// store_timeline.cc
struct TimelineRecord {
  int64_t seq = 0;
  std::string request_id, district_id, action, actor;
  int64_t at_us = 0;
  int from_state = 0, to_state = 0;
  std::string detail;
  std::string resident, member, community_id;  // who hears of it
  std::vector<std::string> joined;             // and the residents who said "me too" (TimelineAfter)
};
absl::Status InsertTimeline(Db& db, const TimelineRecord& t);
std::optional<SqlStatement> TimelineSql(const std::vector<TimelineRecord>& rows);  // one INSERT; none if empty
absl::StatusOr<std::vector<TimelineRecord>> ListTimeline(Db& db, const std::string& request_id, int64_t after_seq,
                                                         int limit);

// Every change after `after_seq` up to `upto_seq`, in seq order (the shared poll).
absl::StatusOr<std::vector<TimelineRecord>> TimelineAfter(Db& db, int64_t after_seq, int64_t upto_seq, int limit);
// A subscriber's changes after `after_seq` up to `upto_seq` (common/settled_seq.h):
// a resident's own requests, or a member's (concerning them, or offers in
// `communities`).
absl::StatusOr<std::vector<TimelineRecord>> ChangesFor(Db& db, const std::string& resident, const std::string& member,
                                                       const std::vector<std::string>& communities, int64_t after_seq,
                                                       int64_t upto_seq, int limit);

absl::Status InsertPhoneDisclosure(Db& db, const std::string& district_id, const std::string& request_id,
                                   const std::string& reader, const std::string& method, int64_t at_us);

struct PhoneReadRecord {
  std::string reader, method;
  int64_t at_us = 0;
};
absl::StatusOr<std::vector<PhoneReadRecord>> ListPhoneDisclosures(Db& db, const std::string& request_id);

struct OutboxRecord {
  int64_t seq = 0;
  std::string id, district_id, type, payload;
  int64_t created_us = 0;
};
std::optional<SqlStatement> OutboxSql(const std::vector<OutboxRecord>& events);  // one INSERT; none if empty
// Events after `after_seq` up to `upto_seq` (common/settled_seq.h).
absl::StatusOr<std::vector<OutboxRecord>> ListOutbox(Db& db, int64_t after_seq, int64_t upto_seq, int limit);

// Counts over the requests of a subtree created in [from_us, to_us), per
// (category, assignee).
struct FigureRow {
  std::string category, assignee;
  int64_t submitted = 0, dispatched = 0, accepted = 0, resolved = 0, on_time = 0, escalated = 0, rated = 0,
          rating_sum = 0, minutes = 0;
};
// The statement behind Figures (its parameters: district, path prefix with
// "%", from, to), for a test of its plan.
const std::string& FiguresSql();
absl::StatusOr<std::vector<FigureRow>> Figures(Db& db, const std::string& district_id, const std::string& path_prefix,
                                               int64_t from_us, int64_t to_us);

// Requests escalated to a unit that nobody has taken up (pending or
// offered): to-dos of the unit they were escalated to (store_requests.cc).
absl::StatusOr<std::vector<TodoItem>> EscalatedTodos(Db& db);

}  // namespace lianxin::dispatch::store

#endif  // LIANXIN_SERVICES_DISPATCH_DISPATCH_STORE_H_
