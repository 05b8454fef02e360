// SQL for activities: the rows, lists by unit, subtree or member, the counts
// of planned ones, and the held ones compliance counts.
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/sql.h"
#include "common/status.h"
#include "services/activity/activity_store.h"

namespace lianxin::activity::store {
namespace {

constexpr char kCols[] =
    "a.id, a.district_id, a.host_unit_id, a.host_path, a.host_unit_type, a.type, a.state, a.title, a.host, "
    "a.lecturer, a.place, a.start_us, a.end_us, DATE_FORMAT(a.start_date, '%Y-%m-%d') AS start_date, a.agenda, "
    "a.minutes, a.photo_urls, a.open_to_all, a.venue_lat_e6, a.venue_lng_e6, a.radius_m, a.delivered_to, "
    "a.check_in_secret, a.expected_count, a.voting_expected, a.present_count, a.voting_present, a.leave_count, "
    "a.absent_count, a.valid, a.cancel_reason, a.version, a.created_us, a.updated_us";

std::vector<std::string> Lines(const std::string& s) { return absl::StrSplit(s, '\n', absl::SkipEmpty()); }

ActivityRecord Read(const Row& r) {
  ActivityRecord a;
  a.id = r.Str("id");
  a.district_id = r.Str("district_id");
  a.host_unit_id = r.Str("host_unit_id");
  a.host_path = r.Str("host_path");
  a.host_unit_type = static_cast<int>(r.Int("host_unit_type"));
  a.type = static_cast<int>(r.Int("type"));
  a.state = static_cast<int>(r.Int("state"));
  a.title = r.Str("title");
  a.host = r.Str("host");
  a.lecturer = r.Str("lecturer");
  a.place = r.Str("place");
  a.start_us = r.Int("start_us");
  a.end_us = r.Int("end_us");
  a.start_date = r.Str("start_date");
  a.agenda = r.Str("agenda");
  a.minutes = r.Str("minutes");
  a.photo_urls = Lines(r.Str("photo_urls"));
  a.open = r.Int("open_to_all") != 0;
  if (!r.IsNull("venue_lat_e6")) {
    a.venue_e6 = std::make_pair(static_cast<int>(r.Int("venue_lat_e6")), static_cast<int>(r.Int("venue_lng_e6")));
  }
  a.radius_m = static_cast<int>(r.Int("radius_m"));
  a.delivered_to = Lines(r.Str("delivered_to"));
  a.check_in_secret = r.Str("check_in_secret");
  a.expected = static_cast<int>(r.Int("expected_count"));
  a.voting_expected = static_cast<int>(r.Int("voting_expected"));
  a.present = static_cast<int>(r.Int("present_count"));
  a.voting_present = static_cast<int>(r.Int("voting_present"));
  a.leave = static_cast<int>(r.Int("leave_count"));
  a.absent = static_cast<int>(r.Int("absent_count"));
  a.valid = r.Int("valid") != 0;
  a.cancel_reason = r.Str("cancel_reason");
  a.version = r.Int("version");
  a.created_us = r.Int("created_us");
  a.updated_us = r.Int("updated_us");
  return a;
}

SqlParam VenueLat(const ActivityRecord& a) {
  return a.venue_e6 ? SqlParam{int64_t{a.venue_e6->first}} : SqlParam{nullptr};
}
SqlParam VenueLng(const ActivityRecord& a) {
  return a.venue_e6 ? SqlParam{int64_t{a.venue_e6->second}} : SqlParam{nullptr};
}

}  // namespace

absl::Status InsertActivity(Db& db, const ActivityRecord& a) {
  return db
      .Exec(
          "INSERT INTO activities (id, district_id, host_unit_id, host_path, host_unit_type, type, state, title, "
          "host, lecturer, place, start_us, end_us, start_date, agenda, minutes, photo_urls, open_to_all, "
          "venue_lat_e6, venue_lng_e6, radius_m, delivered_to, check_in_secret, version, created_us, updated_us) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {a.id,
           a.district_id,
           a.host_unit_id,
           a.host_path,
           int64_t{a.host_unit_type},
           int64_t{a.type},
           int64_t{a.state},
           a.title,
           a.host,
           a.lecturer,
           a.place,
           a.start_us,
           a.end_us,
           a.start_date,
           a.agenda,
           a.minutes,
           absl::StrJoin(a.photo_urls, "\n"),
           int64_t{a.open ? 1 : 0},
           VenueLat(a),
           VenueLng(a),
           int64_t{a.radius_m},
           absl::StrJoin(a.delivered_to, "\n"),
           a.check_in_secret,
           a.version,
           a.created_us,
           a.updated_us})
      .status();
}

absl::Status UpdateActivity(Db& db, const ActivityRecord& a) {
  return db
      .Exec(
          "UPDATE activities SET state = ?, title = ?, host = ?, lecturer = ?, place = ?, start_us = ?, end_us = ?, "
          "start_date = ?, agenda = ?, minutes = ?, photo_urls = ?, open_to_all = ?, venue_lat_e6 = ?, "
          "venue_lng_e6 = ?, radius_m = ?, expected_count = ?, voting_expected = ?, present_count = ?, "
          "voting_present = ?, leave_count = ?, absent_count = ?, valid = ?, cancel_reason = ?, version = ?, "
          "updated_us = ? WHERE id = ?",
          {int64_t{a.state},
           a.title,
           a.host,
           a.lecturer,
           a.place,
           a.start_us,
           a.end_us,
           a.start_date,
           a.agenda,
           a.minutes,
           absl::StrJoin(a.photo_urls, "\n"),
           int64_t{a.open ? 1 : 0},
           VenueLat(a),
           VenueLng(a),
           int64_t{a.radius_m},
           int64_t{a.expected},
           int64_t{a.voting_expected},
           int64_t{a.present},
           int64_t{a.voting_present},
           int64_t{a.leave},
           int64_t{a.absent},
           int64_t{a.valid ? 1 : 0},
           a.cancel_reason,
           a.version,
           a.updated_us,
           a.id})
      .status();
}

absl::StatusOr<std::optional<ActivityRecord>> GetActivity(Db& db, const std::string& id, const char* lock) {
  std::optional<ActivityRecord> out;
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT ", kCols, " FROM activities a WHERE a.id = ?", lock), {id},
                           [&](const Row& r) { out = Read(r); }));
  return out;
}

absl::StatusOr<std::vector<ActivityRecord>> GetActivities(Db& db, const std::vector<std::string>& ids,
                                                          const char* lock) {
  std::vector<ActivityRecord> out;
  if (ids.empty()) return out;
  SqlParams params(ids.begin(), ids.end());
  RETURN_IF_ERROR(db.Query(
      absl::StrCat("SELECT ", kCols, " FROM activities a WHERE a.id IN (", SqlPlaceholders(ids.size()), ")", lock),
      params, [&](const Row& r) { out.push_back(Read(r)); }));
  return out;
}

std::string ActivityCursor(const ActivityRecord& a) { return absl::StrCat(a.start_us, "/", a.id); }

absl::StatusOr<std::vector<ActivityRecord>> ListActivities(Db& db, const ActivityFilter& f, const std::string& after,
                                                           int limit) {
  std::string sql = absl::StrCat("SELECT ", kCols, " FROM activities a");
  SqlParams params;
  std::vector<std::string> where;
  if (!f.member_id.empty()) {
    absl::StrAppend(&sql, " JOIN attendances t ON t.activity_id = a.id AND t.member_id = ?");
    params.push_back(f.member_id);
  }
  if (!f.unit_id.empty()) {
    where.push_back("a.host_unit_id = ?");
    params.push_back(f.unit_id);
  }
  if (!f.path_prefix.empty()) {
    // A prefix range on the path (ids are [a-z0-9-], '/' sorts before them).
    where.push_back("a.host_path >= ? AND a.host_path < ?");
    params.push_back(f.path_prefix);
    params.push_back(absl::StrCat(f.path_prefix.substr(0, f.path_prefix.size() - 1), "0"));
  }
  if (f.type != 0) {
    where.push_back("a.type = ?");
    params.push_back(int64_t{f.type});
  }
  if (f.state != 0) {
    where.push_back("a.state = ?");
    params.push_back(int64_t{f.state});
  }
  if (f.start_after_us != 0) {
    where.push_back("a.start_us >= ?");
    params.push_back(f.start_after_us);
  }
  if (f.start_before_us != 0) {
    where.push_back("a.start_us < ?");
    params.push_back(f.start_before_us);
  }
  if (!after.empty()) {
    std::pair<std::string, std::string> parts = absl::StrSplit(after, absl::MaxSplits('/', 1));
    int64_t start_us = 0;
    if (!absl::SimpleAtoi(parts.first, &start_us)) return absl::InvalidArgumentError("bad cursor");
    where.push_back("(a.start_us < ? OR (a.start_us = ? AND a.id < ?))");
    params.push_back(start_us);
    params.push_back(start_us);
    params.push_back(parts.second);
  }
  if (!where.empty()) absl::StrAppend(&sql, " WHERE ", absl::StrJoin(where, " AND "));
  absl::StrAppend(&sql, " ORDER BY a.start_us DESC, a.id DESC LIMIT ", limit);
  std::vector<ActivityRecord> out;
  RETURN_IF_ERROR(db.Query(sql, params, [&](const Row& r) { out.push_back(Read(r)); }));
  return out;
}

absl::Status Tally(Db& db, std::vector<ActivityRecord*> activities) {
  std::map<std::string, ActivityRecord*> planned;
  for (ActivityRecord* a : activities) {
    if (a->state == 1) planned[a->id] = a;  // PLANNED; held ones keep their frozen counts
  }
  if (planned.empty()) return absl::OkStatus();
  SqlParams ids;
  for (auto& [id, a] : planned) {
    ids.push_back(id);
    a->expected = a->voting_expected = a->present = a->voting_present = a->leave = a->absent = 0;
  }
  return db.Query(
      absl::StrCat(
          "SELECT activity_id, status, expected, voting, COUNT(*) AS n FROM attendances WHERE activity_id IN (",
          SqlPlaceholders(ids.size()), ") GROUP BY activity_id, status, expected, voting"),
      ids, [&](const Row& r) {
        ActivityRecord* a = planned[r.Str("activity_id")];
        const int n = static_cast<int>(r.Int("n")), status = static_cast<int>(r.Int("status"));
        const bool expected = r.Int("expected") != 0, voting = r.Int("voting") != 0;
        if (expected) a->expected += n;
        if (expected && voting) a->voting_expected += n;
        if (status == 4) a->present += n;
        if (status == 4 && voting) a->voting_present += n;
        if (status == 3) a->leave += n;
        if (status == 5) a->absent += n;
      });
}

absl::StatusOr<HeldCounts> HeldByUnit(Db& db, const std::string& district_id, const std::string& path_prefix,
                                      const std::string& first, const std::string& last) {
  HeldCounts out;
  // One row per activity, read from the index alone in path order and
  // counted here: MariaDB's GROUP BY over (unit, type, month) builds a
  // temporary table and took seven times as long for a district's year
  // (2.1 s against 0.3 s for 258,000 activities; docs/benchmarks.md). The
  // host unit is the path's last id.
  std::string path;
  absl::flat_hash_map<int, MonthCounts>* unit = nullptr;
  RETURN_IF_ERROR(db.Query(
      "SELECT host_path, type, MONTH(start_date) AS m, valid FROM activities "
      "WHERE district_id = ? AND host_path >= ? AND host_path < ? AND start_date >= ? AND start_date <= ? "
      "AND state = 2",
      {district_id, path_prefix, absl::StrCat(path_prefix.substr(0, path_prefix.size() - 1), "0"), first, last},
      [&](const Row& r) {
        std::string p = r.Str("host_path");
        if (unit == nullptr || p != path) {
          path = std::move(p);
          const absl::string_view id = absl::string_view(path).substr(0, path.size() - 1);
          unit = &out[id.substr(id.rfind('/') + 1)];
        }
        MonthCounts& c = (*unit)[static_cast<int>(r.Int("type"))];
        const int64_t m = r.Int("m");
        if (m < 1 || m > 12) return;
        (r.Int("valid") != 0 ? c.valid : c.invalid)[m] += 1;
      }));
  return out;
}

}  // namespace lianxin::activity::store
