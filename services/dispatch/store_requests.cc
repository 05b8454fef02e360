// SQL for requests (their timeline, phone reads and the outbox: store_timeline.cc).
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <iterator>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/clock.h"
#include "common/log.h"
#include "common/names.h"
#include "common/status.h"
#include "services/dispatch/dispatch_store.h"

namespace lianxin::dispatch::store {
namespace {

constexpr char kCols[] =
    "id, district_id, category, description, place_id, address, phone_sealed, urgency, photo_urls, state, "
    "resident, responsible_unit, community_id, unit_path, escalated_to, escalation_level, next_escalation_us, "
    "assignee, due_us, accept_due_us, me_too_count, resolution, department, department_reference, minutes_spent, "
    "result_photo_urls, rating, created_us, updated_us, resolved_us, version, phone_masked, unanswered_us";
constexpr int kColCount = 33;

// A list of links is kept as a JSON array, so that no value can split into
// two (rows written before kept them one per line, and are read so still).
std::string EncodeList(const std::vector<std::string>& values) {
  std::vector<std::string> quoted;
  for (const auto& v : values) quoted.push_back(absl::StrCat("\"", JsonEscape(v), "\""));
  return absl::StrCat("[", absl::StrJoin(quoted, ","), "]");
}

std::vector<std::string> DecodeList(const std::string& s) {
  if (s.empty() || s.front() != '[') return absl::StrSplit(s, '\n', absl::SkipEmpty());
  google::protobuf::ListValue list;
  std::vector<std::string> out;
  if (!google::protobuf::util::JsonStringToMessage(s, &list).ok()) return out;
  for (const auto& v : list.values()) out.push_back(v.string_value());
  return out;
}

RequestRecord Read(const Row& r) {
  RequestRecord q;
  q.id = r.Str("id");
  q.district_id = r.Str("district_id");
  q.category = r.Str("category");
  q.description = r.Str("description");
  q.place_id = r.Str("place_id");
  q.address = r.Str("address");
  q.phone_sealed = r.Str("phone_sealed");
  q.urgency = static_cast<int>(r.Int("urgency"));
  q.photo_urls = DecodeList(r.Str("photo_urls"));
  q.state = static_cast<int>(r.Int("state"));
  q.resident = r.Str("resident");
  q.responsible_unit = r.Str("responsible_unit");
  q.community_id = r.Str("community_id");
  q.unit_path = r.Str("unit_path");
  q.escalated_to = r.Str("escalated_to");
  q.escalation_level = static_cast<int>(r.Int("escalation_level"));
  q.next_escalation_us = r.Int("next_escalation_us");
  q.assignee = r.Str("assignee");
  q.due_us = r.Int("due_us");
  q.accept_due_us = r.Int("accept_due_us");
  q.me_too_count = static_cast<int>(r.Int("me_too_count"));
  q.resolution = r.Str("resolution");
  q.department = r.Str("department");
  q.department_reference = r.Str("department_reference");
  q.minutes_spent = static_cast<int>(r.Int("minutes_spent"));
  q.result_photo_urls = DecodeList(r.Str("result_photo_urls"));
  q.rating = static_cast<int>(r.Int("rating"));
  q.created_us = r.Int("created_us");
  q.updated_us = r.Int("updated_us");
  q.resolved_us = r.Int("resolved_us");
  q.version = r.Int("version");
  q.phone_masked = r.Str("phone_masked");
  q.unanswered_us = r.Int("unanswered_us");
  return q;
}

// Every column in kCols order.
SqlParams Values(const RequestRecord& q) {
  return {q.id,
          q.district_id,
          q.category,
          q.description,
          q.place_id,
          q.address,
          q.phone_sealed,
          int64_t{q.urgency},
          EncodeList(q.photo_urls),
          int64_t{q.state},
          q.resident,
          q.responsible_unit,
          q.community_id,
          q.unit_path,
          q.escalated_to,
          int64_t{q.escalation_level},
          q.next_escalation_us,
          q.assignee,
          q.due_us,
          q.accept_due_us,
          int64_t{q.me_too_count},
          q.resolution,
          q.department,
          q.department_reference,
          int64_t{q.minutes_spent},
          EncodeList(q.result_photo_urls),
          int64_t{q.rating},
          q.created_us,
          q.updated_us,
          q.resolved_us,
          q.version,
          q.phone_masked,
          q.unanswered_us};
}

}  // namespace

absl::Status InsertRequest(Db& db, const RequestRecord& q) {
  SqlStatement st = *InsertRequestsSql({&q});
  return db.Exec(st.sql, st.params).status();
}

std::optional<SqlStatement> InsertRequestsSql(const std::vector<const RequestRecord*>& rows) {
  std::vector<SqlParams> values;
  for (const RequestRecord* r : rows) values.push_back(Values(*r));
  return InsertRowsSql("requests", kCols, std::move(values));
}

absl::Status UpdateRequest(Db& db, const RequestRecord& q) {
  std::vector<std::string> cols = absl::StrSplit(kCols, ", ");
  SqlParams all = Values(q);
  std::vector<std::string> sets;
  SqlParams params;
  for (size_t i = 0; i < cols.size(); ++i) {
    if (cols[i] == "id" || cols[i] == "district_id" || cols[i] == "created_us") continue;
    sets.push_back(absl::StrCat(cols[i], " = ?"));
    params.push_back(all[i]);
  }
  params.push_back(q.id);
  return db.Exec(absl::StrCat("UPDATE requests SET ", absl::StrJoin(sets, ", "), " WHERE id = ?"), params).status();
}

std::optional<SqlStatement> UpdateRequestsSql(const std::vector<RequestChange>& changes) {
  if (changes.empty()) return std::nullopt;
  // Each column any of the rows changed: `col = ?` when every row takes the
  // same value (a batch of one kind of step mostly does), else set per row,
  //   col = CASE id WHEN ? THEN ? ... END
  // so that the statement carries only what changed, as briefly as it can.
  static const std::vector<std::string> cols = absl::StrSplit(kCols, ", ");
  std::vector<SqlParams> before, after;
  for (const auto& [old_row, new_row] : changes) {
    before.push_back(Values(*old_row));
    after.push_back(Values(*new_row));
  }
  std::vector<std::string> sets;
  SqlParams params;
  // `col = value` if all of `values` are equal, else `col = CASE id WHEN ?
  // THEN value ... END`; `value` is `?` or an expression of it.
  auto set_column = [&](const std::string& col, const std::vector<SqlParam>& values, absl::string_view value = "?") {
    if (std::all_of(values.begin(), values.end(), [&](const SqlParam& v) { return v == values.front(); })) {
      params.push_back(values.front());
      return absl::StrCat(col, " = ", value);
    }
    std::string set = absl::StrCat(col, " = CASE id");
    for (size_t i = 0; i < changes.size(); ++i) {
      absl::StrAppend(&set, " WHEN ? THEN ", value);
      params.push_back(changes[i].second->id);
      params.push_back(values[i]);
    }
    return set + " END";
  };
  for (size_t c = 0; c < cols.size(); ++c) {
    if (cols[c] == "id" || cols[c] == "district_id" || cols[c] == "created_us" || cols[c] == "version") continue;
    bool changed = false;
    for (size_t i = 0; i < changes.size() && !changed; ++i) changed = before[i][c] != after[i][c];
    if (!changed) continue;
    std::vector<SqlParam> values;
    for (const auto& row : after) values.push_back(row[c]);
    sets.push_back(set_column(cols[c], values));
  }
  // Every change moves the version, even one that left the columns as they were.
  std::vector<SqlParam> steps, versions;
  for (const auto& [old_row, new_row] : changes) {
    steps.push_back(new_row->version - old_row->version);
    versions.push_back(old_row->version);
  }
  sets.push_back(set_column("version", steps, "version + ?"));
  for (const auto& change : changes) params.push_back(change.second->id);
  // Only rows still at the version they were read at (the batch may have
  // read them from memory, unlocked: ExpectRowsChanged follows).
  std::string where = absl::StrCat(" WHERE id IN (", SqlPlaceholders(changes.size()), ") AND ");
  where += set_column("version", versions);
  return SqlStatement{absl::StrCat("UPDATE requests SET ", absl::StrJoin(sets, ", "), where), std::move(params)};
}

absl::StatusOr<std::vector<RequestRecord>> GetRequests(Db& db, const std::vector<std::string>& ids, bool for_update) {
  std::vector<RequestRecord> out;
  if (ids.empty()) return out;
  SqlParams params(ids.begin(), ids.end());
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT ", kCols, " FROM requests WHERE id IN (", SqlPlaceholders(ids.size()),
                                        ")", for_update ? " FOR UPDATE" : ""),
                           params, [&](const Row& r) { out.push_back(Read(r)); }));
  return out;
}

absl::StatusOr<std::optional<RequestRecord>> GetRequest(Db& db, const std::string& id, bool for_update) {
  ASSIGN_OR_RETURN(std::vector<RequestRecord> found, GetRequests(db, {id}, for_update));
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

absl::StatusOr<absl::flat_hash_map<std::string, std::string>> FindOpenDuplicates(
    Db& db, const std::vector<std::pair<std::string, std::string>>& places_and_categories, int64_t since_us) {
  absl::flat_hash_map<std::string, std::string> out;
  std::string where;
  SqlParams params;
  for (const auto& [place, category] : places_and_categories) {
    absl::StrAppend(&where, where.empty() ? "" : " OR ", "(place_id = ? AND category = ?)");
    params.push_back(place);
    params.push_back(category);
  }
  if (where.empty()) return out;
  params.push_back(since_us);
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT place_id, category, id FROM requests WHERE (", where,
                                        ") AND state IN (1, 2, 3, 4, 5) AND created_us >= ? ORDER BY created_us"),
                           params, [&](const Row& r) {
                             out.try_emplace(absl::StrCat(r.Str("place_id"), "\n", r.Str("category")), r.Str("id"));
                           }));
  return out;
}

absl::StatusOr<std::vector<RequestRecord>> ListRequests(Db& db, const RequestFilter& f, const std::string& after_id,
                                                        int limit) {
  std::string where;
  SqlParams params;
  if (!f.path_prefix.empty()) {
    where = "district_id = ? AND unit_path LIKE ?";
    params = {f.district_id, absl::StrCat(f.path_prefix, "%")};
  } else if (!f.assignee.empty()) {
    where = "assignee = ?";
    params = {f.assignee};
  } else {
    where = "resident = ?";
    params = {f.resident};
  }
  if (f.state != 0) {
    where += " AND state = ?";
    params.push_back(int64_t{f.state});
  }
  where += " AND id > ? ORDER BY id LIMIT ?";
  params.push_back(after_id);
  params.push_back(int64_t{limit});
  std::vector<RequestRecord> out;
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT ", kCols, " FROM requests WHERE ", where), params,
                           [&](const Row& r) { out.push_back(Read(r)); }));
  return out;
}

namespace {

// The ids a sweeper query finds, in its order.
absl::StatusOr<std::vector<std::string>> Ids(Db& db, const std::string& sql, const SqlParams& params,
                                             std::vector<std::string> out = {}) {
  RETURN_IF_ERROR(db.Query(sql, params, [&](const Row& r) { out.push_back(r.Str("id")); }));
  return out;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> AcceptanceOverdue(Db& db, int64_t now_us, int limit) {
  return Ids(db,
             "SELECT id FROM requests WHERE state = 3 AND accept_due_us > 0 AND accept_due_us <= ? "
             "ORDER BY accept_due_us LIMIT ?",
             {now_us, int64_t{limit}});
}

absl::StatusOr<std::vector<std::string>> ConfirmOverdue(Db& db, int64_t resolved_before_us, int limit) {
  return Ids(db,
             "SELECT id FROM requests WHERE state = 6 AND resolved_us > 0 AND resolved_us <= ? "
             "ORDER BY resolved_us LIMIT ?",
             {resolved_before_us, int64_t{limit}});
}

absl::StatusOr<std::vector<std::string>> UnansweredDue(Db& db, int64_t created_before_us, int limit) {
  constexpr char kSql[] =
      "SELECT id FROM requests WHERE state = ? AND unanswered_us = 0 AND created_us <= ? ORDER BY created_us LIMIT ?";
  ASSIGN_OR_RETURN(std::vector<std::string> pending, Ids(db, kSql, {int64_t{1}, created_before_us, int64_t{limit}}));
  return Ids(db, kSql, {int64_t{2}, created_before_us, int64_t{limit}}, std::move(pending));  // and offered
}

absl::StatusOr<std::vector<std::string>> EscalationDue(Db& db, int64_t now_us, int limit) {
  return Ids(db,
             "SELECT id FROM requests WHERE next_escalation_us > 0 AND next_escalation_us <= ? "
             "ORDER BY next_escalation_us LIMIT ?",
             {now_us, int64_t{limit}});
}

absl::StatusOr<std::vector<std::pair<std::string, MemberLoad>>> LoadOf(Db& db,
                                                                       const std::vector<std::string>& members) {
  std::vector<std::pair<std::string, MemberLoad>> out;
  if (members.empty()) return out;
  for (const auto& m : members) out.push_back({m, {}});
  SqlParams params(members.begin(), members.end());
  RETURN_IF_ERROR(db.Query(
      absl::StrCat(
          "SELECT assignee, SUM(state IN (3, 4, 5)) AS open, SUM(rating > 0) AS rated, SUM(rating) AS rating_sum "
          "FROM requests WHERE assignee IN (",
          SqlPlaceholders(members.size()), ") GROUP BY assignee"),
      params, [&](const Row& r) {
        for (auto& [id, load] : out) {
          if (id != r.Str("assignee")) continue;
          load.open = static_cast<int>(r.Int("open"));
          load.rated = static_cast<int>(r.Int("rated"));
          load.rating_sum = static_cast<double>(r.Int("rating_sum"));
        }
      }));
  return out;
}

const std::string& FiguresSql() {
  static const std::string sql =
      "SELECT category, assignee, COUNT(*) AS submitted, "
      "SUM(EXISTS(SELECT 1 FROM request_timeline t WHERE t.request_id = r.id AND t.action IN ('dispatch', 'offer'))) "
      "AS dispatched, "
      "SUM(EXISTS(SELECT 1 FROM request_timeline t WHERE t.request_id = r.id AND t.action IN ('accept', 'grab'))) "
      "AS accepted, "
      "SUM(resolved_us > 0) AS resolved, SUM(resolved_us > 0 AND resolved_us <= due_us) AS on_time, "
      "SUM(escalation_level > 0) AS escalated, SUM(rating > 0) AS rated, SUM(rating) AS rating_sum, "
      "SUM(minutes_spent) AS minutes "
      "FROM requests r WHERE district_id = ? AND unit_path LIKE ? AND created_us >= ? AND created_us < ? "
      "GROUP BY category, assignee";
  return sql;
}

absl::StatusOr<std::vector<FigureRow>> Figures(Db& db, const std::string& district_id, const std::string& path_prefix,
                                               int64_t from_us, int64_t to_us) {
  std::vector<FigureRow> out;
  RETURN_IF_ERROR(
      db.Query(FiguresSql(), {district_id, absl::StrCat(path_prefix, "%"), from_us, to_us}, [&](const Row& r) {
        out.push_back({r.Str("category"), r.Str("assignee"), r.Int("submitted"), r.Int("dispatched"), r.Int("accepted"),
                       r.Int("resolved"), r.Int("on_time"), r.Int("escalated"), r.Int("rated"), r.Int("rating_sum"),
                       r.Int("minutes")});
      }));
  return out;
}

absl::StatusOr<std::vector<TodoItem>> EscalatedTodos(Db& db) {
  std::vector<TodoItem> out;
  RETURN_IF_ERROR(db.Query(
      "SELECT r.id, r.escalated_to, r.escalation_level, r.due_us, c.display_name FROM requests r "
      "LEFT JOIN categories c ON c.district_id = r.district_id AND c.code = r.category "
      "WHERE r.escalated_to > '' AND r.state IN (1, 2)",
      {}, [&](const Row& r) {
        out.push_back(
            {r.Str("escalated_to"), org::v1::TODO_KIND_REQUEST_ESCALATED, kRequests.Name(r.Str("id")),
             absl::StrCat("Request (", r.Str("display_name"), ") escalated here, level ", r.Int("escalation_level")),
             BeijingDate(absl::FromUnixMicros(r.Int("due_us")))});
      }));
  return out;
}

}  // namespace lianxin::dispatch::store
