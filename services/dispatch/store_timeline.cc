// SQL for what follows a request: its timeline and who hears of each change
// (WatchRequests), the reads of residents' phones, and the outbox.
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "services/dispatch/dispatch_store.h"

namespace lianxin::dispatch::store {
namespace {

// A timeline row as its readers see it (not who hears of it).
constexpr char kTimelineCols[] = "seq, request_id, district_id, action, actor, at_us, from_state, to_state, detail";

TimelineRecord ReadTimeline(const Row& r) {
  return {r.Int("seq"),
          r.Str("request_id"),
          r.Str("district_id"),
          r.Str("action"),
          r.Str("actor"),
          r.Int("at_us"),
          static_cast<int>(r.Int("from_state")),
          static_cast<int>(r.Int("to_state")),
          r.Str("detail"),
          "",
          "",
          "",
          {}};
}

}  // namespace

absl::Status InsertTimeline(Db& db, const TimelineRecord& t) {
  SqlStatement st = *TimelineSql({t});
  return db.Exec(st.sql, st.params).status();
}

std::optional<SqlStatement> TimelineSql(const std::vector<TimelineRecord>& rows) {
  std::vector<SqlParams> values;
  for (const TimelineRecord& t : rows) {
    values.push_back({t.request_id, t.district_id, t.action, t.actor, t.at_us, int64_t{t.from_state},
                      int64_t{t.to_state}, t.detail, t.resident, t.member, t.community_id});
  }
  return InsertRowsSql("request_timeline",
                       "request_id, district_id, action, actor, at_us, from_state, to_state, detail, resident, member, "
                       "community_id",
                       std::move(values));
}

absl::StatusOr<std::vector<TimelineRecord>> ListTimeline(Db& db, const std::string& request_id, int64_t after_seq,
                                                         int limit) {
  std::vector<TimelineRecord> out;
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT ", kTimelineCols,
                                        " FROM request_timeline WHERE request_id = ? AND seq > ? ORDER BY seq LIMIT ?"),
                           {request_id, after_seq, int64_t{limit}},
                           [&](const Row& r) { out.push_back(ReadTimeline(r)); }));
  return out;
}

absl::StatusOr<std::vector<TimelineRecord>> TimelineAfter(Db& db, int64_t after_seq, int64_t upto_seq, int limit) {
  std::vector<TimelineRecord> out;
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT ", kTimelineCols, ", resident, member, community_id ",
                                        "FROM request_timeline WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?"),
                           {after_seq, upto_seq, int64_t{limit}}, [&](const Row& r) {
                             TimelineRecord t = ReadTimeline(r);
                             t.resident = r.Str("resident");  // who hears of it: the feed's fan-out
                             t.member = r.Str("member");
                             t.community_id = r.Str("community_id");
                             out.push_back(std::move(t));
                           }));
  if (out.empty()) return out;
  // The residents who said "me too" to these requests hear of them as well.
  absl::flat_hash_map<std::string, std::vector<std::string>> joined;
  for (const auto& t : out) joined.try_emplace(t.request_id);
  SqlParams ids;
  for (const auto& [id, residents] : joined) ids.push_back(id);
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT request_id, resident FROM request_me_too WHERE request_id IN (",
                                        SqlPlaceholders(ids.size()), ")"),
                           ids, [&](const Row& r) { joined[r.Str("request_id")].push_back(r.Str("resident")); }));
  for (auto& t : out) t.joined = joined[t.request_id];
  return out;
}

absl::StatusOr<std::vector<TimelineRecord>> ChangesFor(Db& db, const std::string& resident, const std::string& member,
                                                       const std::vector<std::string>& communities, int64_t after_seq,
                                                       int64_t upto_seq, int limit) {
  const std::string select = absl::StrCat("SELECT ", kTimelineCols, ", resident FROM request_timeline WHERE ");
  std::string sql;
  SqlParams params;
  if (!resident.empty()) {
    // Their own requests (by resident), and those they said "me too" to (by
    // request): two index ranges, not one OR that would read every seq.
    sql = absl::StrCat("(", select, "resident = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?) UNION ALL (", select,
                       "request_id IN (SELECT request_id FROM request_me_too WHERE resident = ?) AND resident <> ? ",
                       "AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?) ORDER BY seq LIMIT ?");
    params = {resident, after_seq, upto_seq, int64_t{limit}, resident, resident, after_seq, upto_seq, int64_t{limit}};
  } else {
    std::string where = "seq > ? AND seq <= ? AND (member = ?";
    params = {after_seq, upto_seq, member};
    if (!communities.empty()) {
      absl::StrAppend(&where, " OR (action = 'offer' AND community_id IN (", SqlPlaceholders(communities.size()), "))");
      params.insert(params.end(), communities.begin(), communities.end());
    }
    sql = absl::StrCat(select, where, ") ORDER BY seq LIMIT ?");
  }
  params.push_back(int64_t{limit});
  std::vector<TimelineRecord> out;
  RETURN_IF_ERROR(db.Query(sql, params, [&](const Row& r) {
    out.push_back(ReadTimeline(r));
    out.back().resident = r.Str("resident");
  }));
  return out;
}

absl::Status InsertPhoneDisclosure(Db& db, const std::string& district_id, const std::string& request_id,
                                   const std::string& reader, const std::string& method, int64_t at_us) {
  return db
      .Exec("INSERT INTO phone_disclosures (district_id, request_id, reader, method, at_us) VALUES (?, ?, ?, ?, ?)",
            {district_id, request_id, reader, method, at_us})
      .status();
}

absl::StatusOr<std::vector<PhoneReadRecord>> ListPhoneDisclosures(Db& db, const std::string& request_id) {
  std::vector<PhoneReadRecord> out;
  RETURN_IF_ERROR(
      db.Query("SELECT reader, method, at_us FROM phone_disclosures WHERE request_id = ? ORDER BY seq "
               "LIMIT 1000",
               {request_id}, [&](const Row& r) {
                 out.push_back({r.Str("reader"), r.Str("method"), r.Int("at_us")});
               }));
  return out;
}

std::optional<SqlStatement> OutboxSql(const std::vector<OutboxRecord>& events) {
  std::vector<SqlParams> values;
  for (const OutboxRecord& e : events) values.push_back({e.id, e.district_id, e.type, e.payload, e.created_us});
  return InsertRowsSql("outbox", "id, district_id, type, payload, created_us", std::move(values));
}

absl::StatusOr<std::vector<OutboxRecord>> ListOutbox(Db& db, int64_t after_seq, int64_t upto_seq, int limit) {
  std::vector<OutboxRecord> out;
  RETURN_IF_ERROR(
      db.Query("SELECT seq, id, district_id, type, payload, created_us FROM outbox WHERE seq > ? "
               "AND seq <= ? ORDER BY seq LIMIT ?",
               {after_seq, upto_seq, int64_t{limit}}, [&](const Row& r) {
                 out.push_back({r.Int("seq"), r.Str("id"), r.Str("district_id"), r.Str("type"), r.Str("payload"),
                                r.Int("created_us")});
               }));
  return out;
}

}  // namespace lianxin::dispatch::store
