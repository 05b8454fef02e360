#include "common/history.h"

#include "common/ids.h"

namespace lianxin {

absl::Status RecordHistory(Db& db, const CallContext& c, const HistoryEntry& entry, int64_t at_us) {
  std::optional<SqlStatement> st = HistorySql(c, {entry}, at_us);
  return db.Exec(st->sql, st->params).status();
}

absl::Status RecordHistory(Db& db, const CallContext& c, const std::vector<HistoryEntry>& entries, int64_t at_us) {
  std::optional<SqlStatement> st = HistorySql(c, entries, at_us);
  if (!st.has_value()) return absl::OkStatus();
  return db.Exec(st->sql, st->params).status();
}

std::optional<SqlStatement> HistorySql(const CallContext& c, const std::vector<HistoryEntry>& entries, int64_t at_us) {
  std::vector<SqlParams> rows;
  for (const HistoryEntry& e : entries) {
    rows.push_back({NewId(), e.district_id, e.owner, e.resource.empty() ? e.owner : e.resource, e.action,
                    c.principal.subject, c.request_id, at_us, e.changes.Json()});
  }
  return InsertRowsSql("history", "id, district_id, owner, resource, action, actor, request_id, at_us, changes",
                       std::move(rows));
}

absl::StatusOr<std::vector<HistoryRecord>> ListHistory(Db& db, const std::string& owner, int64_t after_seq, int limit) {
  std::vector<HistoryRecord> out;
  RETURN_IF_ERROR(
      db.Query("SELECT seq, id, district_id, owner, resource, action, actor, request_id, at_us, changes FROM history "
               "WHERE owner = ? AND seq > ? ORDER BY seq LIMIT ?",
               {owner, after_seq, int64_t{limit}}, [&](const Row& r) {
                 HistoryRecord h;
                 h.seq = r.Int("seq");
                 h.id = r.Str("id");
                 h.district_id = r.Str("district_id");
                 h.owner = r.Str("owner");
                 h.resource = r.Str("resource");
                 h.action = r.Str("action");
                 h.actor = r.Str("actor");
                 h.request_id = r.Str("request_id");
                 h.at_us = r.Int("at_us");
                 h.changes = r.Str("changes");
                 out.push_back(std::move(h));
               }));
  return out;
}

}  // namespace lianxin
