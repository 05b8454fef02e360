// SQL for sessions, binding codes and members' app bindings.
#include "absl/strings/str_cat.h"
#include "common/sql.h"
#include "common/status.h"
#include "services/gateway/gateway_store.h"

namespace lianxin::gateway::store {
namespace {

constexpr char kSessionCols[] =
    "id, principal, restricted, client_address, created_us, last_seen_us, expires_us, ended_us";

SessionRecord ReadSession(const Row& r) {
  SessionRecord s;
  s.id = r.Str("id");
  s.principal = r.Str("principal");
  s.restricted = r.Int("restricted") != 0;
  s.client_address = r.Str("client_address");
  s.created_us = r.Int("created_us");
  s.last_seen_us = r.Int("last_seen_us");
  s.expires_us = r.Int("expires_us");
  s.ended = !r.IsNull("ended_us");
  return s;
}

absl::StatusOr<std::optional<SessionRecord>> OneSession(Db& db, const char* where, const std::string& value) {
  std::optional<SessionRecord> out;
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT ", kSessionCols, " FROM sessions WHERE ", where), {value},
                           [&](const Row& r) { out = ReadSession(r); }));
  return out;
}

}  // namespace

absl::Status InsertSession(Db& db, const SessionRecord& s, const std::string& token_hash) {
  return db
      .Exec(
          "INSERT INTO sessions (id, token_hash, principal, restricted, client_address, created_us, last_seen_us, "
          "expires_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          {s.id, token_hash, s.principal, int64_t{s.restricted}, s.client_address, s.created_us, s.last_seen_us,
           s.expires_us})
      .status();
}

absl::StatusOr<std::optional<SessionRecord>> FindSession(Db& db, const std::string& token_hash) {
  return OneSession(db, "token_hash=?", token_hash);
}

absl::StatusOr<std::optional<SessionRecord>> GetSession(Db& db, const std::string& id) {
  return OneSession(db, "id=?", id);
}

absl::StatusOr<bool> EndSession(Db& db, const std::string& id, int64_t now_us) {
  ASSIGN_OR_RETURN(int64_t n, db.Exec("UPDATE sessions SET ended_us=? WHERE id=? AND ended_us IS NULL", {now_us, id}));
  return n == 1;
}

absl::Status EndSessionsOf(Db& db, const std::string& principal, const std::string& keep, int64_t now_us) {
  return db
      .Exec("UPDATE sessions SET ended_us=? WHERE principal=? AND id<>? AND ended_us IS NULL",
            {now_us, principal, keep})
      .status();
}

absl::Status TouchSessions(Db& db, const std::vector<std::string>& ids, int64_t now_us) {
  if (ids.empty()) return absl::OkStatus();
  SqlParams params = {now_us};
  for (const auto& id : ids) params.push_back(id);
  return db
      .Exec(absl::StrCat("UPDATE sessions SET last_seen_us=GREATEST(last_seen_us, ?) WHERE id IN (",
                         SqlPlaceholders(ids.size()), ")"),
            params)
      .status();
}

absl::Status InsertBindingCode(Db& db, const std::string& code_hash, const std::string& member,
                               const std::string& issued_by, int64_t expires_us) {
  return db
      .Exec("INSERT INTO binding_codes (code_hash, member, issued_by, expires_us) VALUES (?, ?, ?, ?)",
            {code_hash, member, issued_by, expires_us})
      .status();
}

absl::StatusOr<std::optional<std::string>> TakeBindingCode(Db& db, const std::string& code_hash, int64_t now_us) {
  ASSIGN_OR_RETURN(int64_t n, db.Exec("UPDATE binding_codes SET used_us=? WHERE code_hash=? AND used_us IS NULL "
                                      "AND expires_us > ?",
                                      {now_us, code_hash, now_us}));
  if (n != 1) return std::optional<std::string>();
  std::optional<std::string> member;
  RETURN_IF_ERROR(db.Query("SELECT member FROM binding_codes WHERE code_hash=?", {code_hash},
                           [&](const Row& r) { member = r.Str("member"); }));
  return member;
}

absl::Status InsertBinding(Db& db, const std::string& client_id, const std::string& member, const std::string& app_user,
                           int64_t now_us) {
  return db
      .Exec(
          "INSERT INTO member_bindings (client_id, member, app_user, created_us) VALUES (?, ?, ?, ?) "
          "ON DUPLICATE KEY UPDATE created_us=created_us",
          {client_id, member, app_user, now_us})
      .status();
}

absl::StatusOr<bool> HasBinding(Db& db, const std::string& client_id, const std::string& member) {
  bool found = false;
  RETURN_IF_ERROR(db.Query("SELECT 1 AS x FROM member_bindings WHERE client_id=? AND member=? LIMIT 1",
                           {client_id, member}, [&](const Row&) { found = true; }));
  return found;
}

}  // namespace lianxin::gateway::store
