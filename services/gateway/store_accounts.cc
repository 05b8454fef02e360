// SQL for accounts and clients.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/auth.h"
#include "common/names.h"
#include "common/sql.h"
#include "common/status.h"
#include "common/timestamps.h"
#include "services/gateway/gateway_store.h"

namespace lianxin::gateway::store {
namespace {

std::vector<std::string> SplitList(const std::string& s) { return absl::StrSplit(s, ',', absl::SkipEmpty()); }

std::string ScopeName(const std::string& scope) { return scope == "*" ? "*" : kOrgUnits.Name(scope); }

constexpr char kAccountCols[] =
    "id, username, display_name, member, position, roles, org_scope, org_path, password_hash, "
    "must_change_password, totp_secret, totp_pending, totp_last_step, failed_attempts, locked_until_us, "
    "disabled, version, created_us, updated_us";

AccountRecord ReadAccount(const Row& r) {
  AccountRecord a;
  a.id = r.Str("id");
  a.username = r.Str("username");
  a.display_name = r.Str("display_name");
  a.member = r.Str("member");
  a.position = r.Str("position");
  a.roles = SplitList(r.Str("roles"));
  a.org_scope = r.Str("org_scope");
  a.org_path = r.Str("org_path");
  a.password_hash = r.Str("password_hash");
  a.must_change_password = r.Int("must_change_password") != 0;
  a.totp_secret = r.Str("totp_secret");
  a.totp_pending = r.Str("totp_pending");
  a.totp_last_step = r.Int("totp_last_step");
  a.failed_attempts = r.Int("failed_attempts");
  a.locked_until_us = r.Int("locked_until_us");
  a.disabled = r.Int("disabled") != 0;
  a.version = r.Int("version");
  a.created_us = r.Int("created_us");
  a.updated_us = r.Int("updated_us");
  return a;
}

SqlParams AccountValues(const AccountRecord& a) {
  return {a.username,
          a.display_name,
          NullIfEmpty(a.member),
          NullIfEmpty(a.position),
          absl::StrJoin(a.roles, ","),
          a.org_scope,
          a.org_path,
          a.password_hash,
          int64_t{a.must_change_password},
          NullIfEmpty(a.totp_secret),
          NullIfEmpty(a.totp_pending),
          a.totp_last_step,
          a.failed_attempts,
          a.locked_until_us,
          int64_t{a.disabled},
          a.version,
          a.created_us,
          a.updated_us};
}

constexpr char kClientCols[] =
    "id, display_name, kind, allowed_roles, org_scope, org_path, methods, certificate_subject, secret_hash, "
    "disabled, version, created_us, updated_us";

ClientRecord ReadClient(const Row& r) {
  ClientRecord c;
  c.id = r.Str("id");
  c.display_name = r.Str("display_name");
  c.kind = static_cast<v1::ClientKind>(r.Int("kind"));
  c.allowed_roles = SplitList(r.Str("allowed_roles"));
  c.org_scope = r.Str("org_scope");
  c.org_path = r.Str("org_path");
  c.methods = SplitList(r.Str("methods"));
  c.certificate_subject = r.Str("certificate_subject");
  c.secret_hash = r.Str("secret_hash");
  c.disabled = r.Int("disabled") != 0;
  c.version = r.Int("version");
  c.created_us = r.Int("created_us");
  c.updated_us = r.Int("updated_us");
  return c;
}

SqlParams ClientValues(const ClientRecord& c) {
  return {c.display_name,
          int64_t{c.kind},
          absl::StrJoin(c.allowed_roles, ","),
          c.org_scope,
          c.org_path,
          absl::StrJoin(c.methods, ","),
          NullIfEmpty(c.certificate_subject),
          c.secret_hash,
          int64_t{c.disabled},
          c.version,
          c.created_us,
          c.updated_us};
}

template <typename Record>
absl::StatusOr<std::optional<Record>> One(Db& db, const std::string& sql, const SqlParams& params,
                                          Record (*read)(const Row&)) {
  std::optional<Record> out;
  RETURN_IF_ERROR(db.Query(sql, params, [&](const Row& r) { out = read(r); }));
  return out;
}

}  // namespace

bool AccountRecord::NeedsSecondFactor() const {
  for (const std::string& r : roles) {
    if (r == kRoleOperator || r == kRoleSecretary) return true;
  }
  return false;
}

v1::Account AccountRecord::ToProto() const {
  v1::Account p;
  p.set_name(kAccounts.Name(id));
  p.set_username(username);
  p.set_display_name(display_name);
  if (!member.empty()) p.set_member(member);
  if (!position.empty()) p.set_position(position);
  for (const auto& r : roles) p.add_roles(r);
  p.set_org_unit(ScopeName(org_scope));
  p.set_totp_enrolled(!totp_secret.empty());
  p.set_disabled(disabled);
  if (locked_until_us > 0) SetTimestampUs(locked_until_us, p.mutable_locked_until());
  SetTimestampUs(created_us, p.mutable_create_time());
  SetTimestampUs(updated_us, p.mutable_update_time());
  p.set_etag(EtagOf(version));
  return p;
}

v1::Client ClientRecord::ToProto() const {
  v1::Client p;
  p.set_name(kClients.Name(id));
  p.set_display_name(display_name);
  p.set_kind(kind);
  for (const auto& r : allowed_roles) p.add_allowed_roles(r);
  p.set_org_unit(ScopeName(org_scope));
  for (const auto& m : methods) p.add_methods(m);
  if (!certificate_subject.empty()) p.set_certificate_subject(certificate_subject);
  p.set_disabled(disabled);
  SetTimestampUs(created_us, p.mutable_create_time());
  SetTimestampUs(updated_us, p.mutable_update_time());
  p.set_etag(EtagOf(version));
  return p;
}

absl::Status InsertAccount(Db& db, const AccountRecord& a) {
  SqlParams params = {a.id};
  for (auto& v : AccountValues(a)) params.push_back(std::move(v));
  return db.Exec(absl::StrCat("INSERT INTO accounts (", kAccountCols, ") VALUES (", SqlPlaceholders(19), ")"), params)
      .status();
}

absl::Status UpdateAccount(Db& db, const AccountRecord& a) {
  SqlParams params = AccountValues(a);
  params.push_back(a.id);
  params.push_back(a.version - 1);
  ASSIGN_OR_RETURN(int64_t n,
                   db.Exec("UPDATE accounts SET username=?, display_name=?, member=?, position=?, roles=?, "
                           "org_scope=?, org_path=?, password_hash=?, must_change_password=?, totp_secret=?, "
                           "totp_pending=?, totp_last_step=?, failed_attempts=?, locked_until_us=?, disabled=?, "
                           "version=?, created_us=?, updated_us=? WHERE id=? AND version=?",
                           params));
  if (n != 1) return absl::AbortedError("the account changed meanwhile");
  return absl::OkStatus();
}

absl::StatusOr<std::optional<AccountRecord>> GetAccount(Db& db, const std::string& id, bool for_update) {
  return One(db, absl::StrCat("SELECT ", kAccountCols, " FROM accounts WHERE id=?", for_update ? " FOR UPDATE" : ""),
             {id}, &ReadAccount);
}

absl::StatusOr<std::optional<AccountRecord>> GetAccountByUsername(Db& db, const std::string& username,
                                                                  bool for_update) {
  return One(db,
             absl::StrCat("SELECT ", kAccountCols, " FROM accounts WHERE username=?", for_update ? " FOR UPDATE" : ""),
             {username}, &ReadAccount);
}

absl::StatusOr<std::vector<AccountRecord>> ListAccounts(Db& db, const std::string& path_prefix,
                                                        const std::string& after_id, int limit) {
  std::vector<AccountRecord> out;
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT ", kAccountCols,
                                        " FROM accounts WHERE org_path LIKE CONCAT(?, '%') AND id > ? "
                                        "ORDER BY id LIMIT ?"),
                           {path_prefix, after_id, int64_t{limit}},
                           [&](const Row& r) { out.push_back(ReadAccount(r)); }));
  return out;
}

absl::Status InsertClient(Db& db, const ClientRecord& c) {
  SqlParams params = {c.id};
  for (auto& v : ClientValues(c)) params.push_back(std::move(v));
  return db.Exec(absl::StrCat("INSERT INTO clients (", kClientCols, ") VALUES (", SqlPlaceholders(13), ")"), params)
      .status();
}

absl::Status UpdateClient(Db& db, const ClientRecord& c) {
  SqlParams params = ClientValues(c);
  params.push_back(c.id);
  params.push_back(c.version - 1);
  ASSIGN_OR_RETURN(int64_t n, db.Exec("UPDATE clients SET display_name=?, kind=?, allowed_roles=?, org_scope=?, "
                                      "org_path=?, methods=?, certificate_subject=?, secret_hash=?, disabled=?, "
                                      "version=?, created_us=?, updated_us=? WHERE id=? AND version=?",
                                      params));
  if (n != 1) return absl::AbortedError("the client changed meanwhile");
  return absl::OkStatus();
}

absl::StatusOr<std::optional<ClientRecord>> GetClient(Db& db, const std::string& id, bool for_update) {
  return One(db, absl::StrCat("SELECT ", kClientCols, " FROM clients WHERE id=?", for_update ? " FOR UPDATE" : ""),
             {id}, &ReadClient);
}

absl::StatusOr<std::optional<ClientRecord>> GetClientBySubject(Db& db, const std::string& subject) {
  return One(db, absl::StrCat("SELECT ", kClientCols, " FROM clients WHERE certificate_subject=?"), {subject},
             &ReadClient);
}

absl::StatusOr<std::vector<ClientRecord>> ListClients(Db& db, const std::string& after_id, int limit) {
  std::vector<ClientRecord> out;
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT ", kClientCols, " FROM clients WHERE id > ? ORDER BY id LIMIT ?"),
                           {after_id, int64_t{limit}}, [&](const Row& r) { out.push_back(ReadClient(r)); }));
  return out;
}

}  // namespace lianxin::gateway::store
