// All of the gateway's SQL (migrations/): accounts, clients, sessions,
// member bindings (store_accounts.cc, store_sessions.cc) and the audit chain
// (store_audit.cc).
#ifndef LIANXIN_SERVICES_GATEWAY_GATEWAY_STORE_H_
#define LIANXIN_SERVICES_GATEWAY_GATEWAY_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/db.h"
#include "common/migrations.h"
#include "lianxin/gateway/v1/account.pb.h"
#include "lianxin/gateway/v1/audit_service.pb.h"

namespace lianxin {
// The service's schema: migrations/*.sql, embedded at build time.
const std::vector<Migration>& GatewayMigrations();
}  // namespace lianxin

namespace lianxin::gateway::store {

namespace v1 = ::lianxin::gateway::v1;

struct AccountRecord {
  std::string id, username, display_name, member, position;
  std::vector<std::string> roles;
  std::string org_scope = "*", org_path = "/";
  std::string password_hash;
  bool must_change_password = true;
  std::string totp_secret, totp_pending;  // sealed (common/crypto.h); "" for none
  int64_t totp_last_step = 0;
  int64_t failed_attempts = 0, locked_until_us = 0;
  bool disabled = false;
  int64_t version = 0, created_us = 0, updated_us = 0;

  v1::Account ToProto() const;
  bool NeedsSecondFactor() const;  // operators and secretaries
};

absl::Status InsertAccount(Db& db, const AccountRecord& a);
// Writes every column; the row must still be at version a.version - 1.
absl::Status UpdateAccount(Db& db, const AccountRecord& a);
absl::StatusOr<std::optional<AccountRecord>> GetAccount(Db& db, const std::string& id, bool for_update);
absl::StatusOr<std::optional<AccountRecord>> GetAccountByUsername(Db& db, const std::string& username, bool for_update);
// Accounts whose org_path starts with `path_prefix`, by id after `after_id`.
absl::StatusOr<std::vector<AccountRecord>> ListAccounts(Db& db, const std::string& path_prefix,
                                                        const std::string& after_id, int limit);

struct ClientRecord {
  std::string id, display_name;
  v1::ClientKind kind = v1::CLIENT_KIND_UNSPECIFIED;
  std::vector<std::string> allowed_roles, methods;
  std::string org_scope = "*", org_path = "/";
  std::string certificate_subject;
  std::string secret_hash;
  bool disabled = false;
  int64_t version = 0, created_us = 0, updated_us = 0;

  v1::Client ToProto() const;
};

absl::Status InsertClient(Db& db, const ClientRecord& c);
absl::Status UpdateClient(Db& db, const ClientRecord& c);
absl::StatusOr<std::optional<ClientRecord>> GetClient(Db& db, const std::string& id, bool for_update);
absl::StatusOr<std::optional<ClientRecord>> GetClientBySubject(Db& db, const std::string& subject);
absl::StatusOr<std::vector<ClientRecord>> ListClients(Db& db, const std::string& after_id, int limit);

struct SessionRecord {
  std::string id, principal;  // accounts/{id} or clients/{id}
  bool restricted = false;
  std::string client_address;
  int64_t created_us = 0, last_seen_us = 0, expires_us = 0;
  bool ended = false;
};

absl::Status InsertSession(Db& db, const SessionRecord& s, const std::string& token_hash);
absl::StatusOr<std::optional<SessionRecord>> FindSession(Db& db, const std::string& token_hash);
absl::StatusOr<std::optional<SessionRecord>> GetSession(Db& db, const std::string& id);
// Ends one session; returns whether it was still open.
absl::StatusOr<bool> EndSession(Db& db, const std::string& id, int64_t now_us);
// Ends every open session of `principal` except `keep` ("" for none).
absl::Status EndSessionsOf(Db& db, const std::string& principal, const std::string& keep, int64_t now_us);
// Moves last_seen_us forward for sessions in use.
absl::Status TouchSessions(Db& db, const std::vector<std::string>& ids, int64_t now_us);

absl::Status InsertBindingCode(Db& db, const std::string& code_hash, const std::string& member,
                               const std::string& issued_by, int64_t expires_us);
// Marks an unused, unexpired code used; returns its member, or nullopt.
absl::StatusOr<std::optional<std::string>> TakeBindingCode(Db& db, const std::string& code_hash, int64_t now_us);
absl::Status InsertBinding(Db& db, const std::string& client_id, const std::string& member, const std::string& app_user,
                           int64_t now_us);
absl::StatusOr<bool> HasBinding(Db& db, const std::string& client_id, const std::string& member);

// ---- The audit chain (store_audit.cc).
struct AuditRow {
  int64_t seq = 0, at_us = 0, latency_us = 0;
  std::string caller, on_behalf, client_address, method, code, request_id;
  std::vector<std::string> resources;
  std::string hash;  // 32 bytes

  // What the hash covers, every field in a fixed order.
  std::string Canonical() const;
  v1::AuditRecord ToProto() const;
};

struct AuditHead {
  int64_t seq = 0;
  std::string hash;
};
// The head row, locked: one batch appends at a time, across replicas.
absl::StatusOr<AuditHead> LockAuditHead(Db& db);
// Appends rows (their seq and hash filled) and moves the head to the last.
absl::Status AppendAudit(Db& db, const std::vector<AuditRow>& rows);

struct AuditFilter {
  std::string caller, resource;
  int64_t start_us = 0, end_us = 0;  // 0: open
};
absl::StatusOr<std::vector<AuditRow>> ListAudit(Db& db, const AuditFilter& f, int64_t after_seq, int limit);
// Rows with seq > after_seq in order, at most `limit`.
absl::StatusOr<std::vector<AuditRow>> AuditRange(Db& db, int64_t after_seq, int limit);
absl::StatusOr<AuditHead> ReadAuditHead(Db& db);

struct AuditCheckpoint {
  int64_t seq = 0, at_us = 0;
  std::string hash, kid, signature;
};
absl::StatusOr<std::optional<AuditCheckpoint>> LastCheckpoint(Db& db);
absl::Status InsertCheckpoint(Db& db, const AuditCheckpoint& cp);
// The last seq recorded before `before_us`; 0 if none.
absl::StatusOr<int64_t> LastSeqBefore(Db& db, int64_t before_us);
absl::StatusOr<std::optional<AuditRow>> GetAudit(Db& db, int64_t seq);
// Deletes records (and their resource rows) with seq <= upto, at most `limit`.
absl::StatusOr<int64_t> DeleteAuditUpTo(Db& db, int64_t upto, int limit);

}  // namespace lianxin::gateway::store

#endif  // LIANXIN_SERVICES_GATEWAY_GATEWAY_STORE_H_
