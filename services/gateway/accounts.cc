// GatewayLogic: people's accounts, as operators manage them, and members'
// binding codes.
#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/auth.h"
#include "common/field_mask.h"
#include "common/history.h"
#include "common/idempotency.h"
#include "common/ids.h"
#include "common/names.h"
#include "common/status.h"
#include "common/timestamps.h"
#include "common/validate.h"
#include "services/gateway/gateway_logic.h"
#include "services/gateway/secrets.h"

namespace lianxin::gateway {
namespace {

constexpr absl::string_view kPeopleRoles[] = {kRoleOperator, kRoleSecretary, kRoleAuditor, kRoleMember};

bool IsUsername(absl::string_view u) {
  if (u.size() < 3 || u.size() > 64) return false;
  return std::all_of(u.begin(), u.end(), [](char ch) {
    return absl::ascii_islower(static_cast<unsigned char>(ch)) || absl::ascii_isdigit(static_cast<unsigned char>(ch)) ||
           ch == '.' || ch == '_' || ch == '-';
  });
}

void CheckRoles(Validator& v, const google::protobuf::RepeatedPtrField<std::string>& roles, const char* field) {
  v.Check(!roles.empty(), field, "must name at least one role");
  for (const auto& r : roles) {
    v.Check(std::find(std::begin(kPeopleRoles), std::end(kPeopleRoles), r) != std::end(kPeopleRoles), field,
            "each must be operator, secretary, auditor or member");
  }
}

HistoryEntry Event(const std::string& resource, const char* action, ChangeSet changes) {
  return HistoryEntry{"", "gateway", resource, action, std::move(changes)};
}

// What an operator hears of an account outside their subtree, or missing.
absl::Status AccountMissing(const CallContext& c, const std::string& id, const char* field) {
  return MissingIn(c.principal.IsPlatformWide(), kAccounts, id, field);
}

}  // namespace

absl::StatusOr<std::string> GatewayLogic::OrgPath(const CallContext& c, const std::string& org_unit,
                                                  const std::string& field, std::string* scope) {
  if (org_unit == "*") {
    if (!c.principal.IsPlatformWide()) return OutsideSubtree("*", field);
    *scope = "*";
    return std::string("/");
  }
  ASSIGN_OR_RETURN(std::string id, kOrgUnits.Parse(org_unit, field));
  if (org_ == nullptr) return absl::FailedPreconditionError("the gateway has no --org_target to place accounts");
  ASSIGN_OR_RETURN(std::vector<std::string> ancestors, org_->AncestorIds(c, c.principal.token, id, field));
  ancestors.push_back(id);
  std::string path = absl::StrCat("/", absl::StrJoin(ancestors, "/"), "/");
  if (!c.principal.CoversPath(path)) return OutsideSubtree(org_unit, field);
  *scope = id;
  return path;
}

absl::Status GatewayLogic::CreateAccount(const CallContext& c, const v1::CreateAccountRequest& req, v1::Account* out) {
  const v1::Account& a = req.account();
  Validator v;
  v.Check(IsUsername(a.username()), "account.username", "must be 3-64 of a-z 0-9 . _ -");
  v.Text("account.display_name", a.display_name(), 1, 100);
  v.Name("account.member", a.member(), kMembers, false);
  v.Name("account.position", a.position(), kPositions, false);
  CheckRoles(v, a.roles(), "account.roles");
  v.Check(!a.org_unit().empty(), "account.org_unit", "must be orgUnits/{id} or *");
  v.RequestId(req.request_id());
  RETURN_IF_ERROR(v.status());
  RETURN_IF_ERROR(CheckNewPassword(req.initial_password(), a.username(), "initial_password"));
  store::AccountRecord rec;
  ASSIGN_OR_RETURN(rec.org_path, OrgPath(c, a.org_unit(), "account.org_unit", &rec.org_scope));
  ASSIGN_OR_RETURN(rec.password_hash, Hash(req.initial_password()));
  rec.id = NewId();
  rec.username = a.username();
  rec.display_name = a.display_name();
  rec.member = a.member();
  rec.position = a.position();
  rec.roles.assign(a.roles().begin(), a.roles().end());
  rec.must_change_password = true;
  rec.version = 1;
  rec.created_us = rec.updated_us = NowUs();
  return CreateOnce(
      db_, c, req.request_id(), "CreateAccount", rec.created_us,
      [&](Db& db, const std::string& name) -> absl::StatusOr<bool> {
        ASSIGN_OR_RETURN(auto got, store::GetAccount(db, kAccounts.IdOf(name), false));
        if (!got.has_value()) return false;
        *out = got->ToProto();
        return true;
      },
      [&](Db& db, RememberCreated remember) -> absl::Status {
        ASSIGN_OR_RETURN(auto taken, store::GetAccountByUsername(db, rec.username, false));
        if (taken.has_value()) {
          return FieldStatus(absl::StatusCode::kAlreadyExists, "account.username", "is taken", "USERNAME_TAKEN");
        }
        RETURN_IF_ERROR(remember("", kAccounts.Name(rec.id)));
        RETURN_IF_ERROR(store::InsertAccount(db, rec));
        ChangeSet changes;
        changes.Set("username", rec.username);
        changes.Set("roles", absl::StrJoin(rec.roles, ","));
        changes.Set("org_unit", a.org_unit());
        RETURN_IF_ERROR(RecordHistory(db, c, Event(kAccounts.Name(rec.id), "create", changes), rec.created_us));
        *out = rec.ToProto();
        return absl::OkStatus();
      });
}

absl::Status GatewayLogic::GetAccount(const CallContext& c, const v1::GetAccountRequest& req, v1::Account* out) {
  ASSIGN_OR_RETURN(std::string id, kAccounts.Parse(req.name(), "name"));
  return db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto a, store::GetAccount(db, id, false));
    if (!a.has_value() || !c.principal.CoversPath(a->org_path)) return AccountMissing(c, id, "name");
    *out = a->ToProto();
    return absl::OkStatus();
  });
}

absl::Status GatewayLogic::ListAccounts(const CallContext& c, const v1::ListAccountsRequest& req,
                                        v1::ListAccountsResponse* out) {
  ASSIGN_OR_RETURN(int size, PageSize(req.page_size()));
  std::string prefix = "/";
  if (!req.org_unit().empty()) {
    std::string scope;
    ASSIGN_OR_RETURN(prefix, OrgPath(c, req.org_unit(), "org_unit", &scope));
  } else if (!c.principal.IsPlatformWide()) {
    return FieldError("org_unit", "must name a unit of the caller's subtree");
  }
  const std::string fp = absl::StrCat("accounts|", prefix);
  ASSIGN_OR_RETURN(std::string after, tokens_.Decode(req.page_token(), fp));
  return db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto rows, store::ListAccounts(db, prefix, after, size + 1));
    EmitPage(
        rows, size, tokens_, fp, [&](const store::AccountRecord& a) { *out->add_accounts() = a.ToProto(); },
        [](const store::AccountRecord& a) { return a.id; }, out->mutable_next_page_token());
    return absl::OkStatus();
  });
}

absl::Status GatewayLogic::UpdateAccount(const CallContext& c, const v1::UpdateAccountRequest& req, v1::Account* out) {
  const v1::Account& a = req.account();
  Validator v;
  std::string id = v.Name("account.name", a.name(), kAccounts);
  std::vector<std::string> paths =
      MaskPaths(v, req.update_mask(), {"display_name", "member", "position", "roles", "org_unit", "disabled"});
  if (Masks(paths, "display_name")) v.Text("account.display_name", a.display_name(), 1, 100);
  if (Masks(paths, "member")) v.Name("account.member", a.member(), kMembers, false);
  if (Masks(paths, "position")) v.Name("account.position", a.position(), kPositions, false);
  if (Masks(paths, "roles")) CheckRoles(v, a.roles(), "account.roles");
  if (Masks(paths, "org_unit")) v.Check(!a.org_unit().empty(), "account.org_unit", "must be orgUnits/{id} or *");
  RETURN_IF_ERROR(v.status());
  std::string scope, path;
  if (Masks(paths, "org_unit")) {
    ASSIGN_OR_RETURN(path, OrgPath(c, a.org_unit(), "account.org_unit", &scope));
  }
  const int64_t now = NowUs();
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto rec, store::GetAccount(db, id, true));
    if (!rec.has_value() || !c.principal.CoversPath(rec->org_path)) return AccountMissing(c, id, "account.name");
    RETURN_IF_ERROR(CheckEtag("account.etag", a.etag(), rec->version));
    ChangeSet changes;
    if (Masks(paths, "display_name")) {
      changes.Changed("display_name", rec->display_name, a.display_name());
      rec->display_name = a.display_name();
    }
    if (Masks(paths, "member")) {
      changes.Changed("member", rec->member, a.member());
      rec->member = a.member();
    }
    if (Masks(paths, "position")) {
      changes.Changed("position", rec->position, a.position());
      rec->position = a.position();
    }
    if (Masks(paths, "roles")) {
      std::vector<std::string> roles(a.roles().begin(), a.roles().end());
      changes.Changed("roles", absl::StrJoin(rec->roles, ","), absl::StrJoin(roles, ","));
      rec->roles = roles;
    }
    if (Masks(paths, "org_unit")) {
      changes.Changed("org_unit", rec->org_scope, scope);
      rec->org_scope = scope;
      rec->org_path = path;
    }
    if (Masks(paths, "disabled")) {
      changes.Changed("disabled", rec->disabled ? "true" : "false", a.disabled() ? "true" : "false");
      rec->disabled = a.disabled();
    }
    // A change of who the person is, or what they may do, ends their sessions.
    if (!changes.empty()) RETURN_IF_ERROR(store::EndSessionsOf(db, kAccounts.Name(id), "", now));
    RETURN_IF_ERROR(SaveChange(db, c, now, *rec, store::UpdateAccount, Event(kAccounts.Name(id), "update", changes)));
    *out = rec->ToProto();
    return absl::OkStatus();
  });
}

absl::Status GatewayLogic::ResetAccount(const CallContext& c, const v1::ResetAccountRequest& req, v1::Account* out) {
  ASSIGN_OR_RETURN(std::string id, kAccounts.Parse(req.name(), "name"));
  std::optional<store::AccountRecord> found;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(found, store::GetAccount(db, id, false));
    return absl::OkStatus();
  }));
  if (!found.has_value() || !c.principal.CoversPath(found->org_path)) return AccountMissing(c, id, "name");
  RETURN_IF_ERROR(CheckNewPassword(req.new_password(), found->username, "new_password"));
  ASSIGN_OR_RETURN(std::string hash, Hash(req.new_password()));
  const int64_t now = NowUs();
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto rec, store::GetAccount(db, id, true));
    if (!rec.has_value() || !c.principal.CoversPath(rec->org_path)) return AccountMissing(c, id, "name");
    RETURN_IF_ERROR(CheckEtag("etag", req.etag(), rec->version));
    rec->password_hash = hash;
    rec->must_change_password = true;
    rec->totp_secret.clear();
    rec->totp_pending.clear();
    rec->totp_last_step = 0;
    rec->failed_attempts = 0;
    rec->locked_until_us = 0;
    RETURN_IF_ERROR(store::EndSessionsOf(db, kAccounts.Name(id), "", now));
    ChangeSet changes;
    changes.Set("password", "(reset)");
    changes.Set("totp", "(cleared)");
    RETURN_IF_ERROR(SaveChange(db, c, now, *rec, store::UpdateAccount, Event(kAccounts.Name(id), "reset", changes)));
    *out = rec->ToProto();
    return absl::OkStatus();
  });
}

absl::Status GatewayLogic::IssueBindingCode(const CallContext& c, const v1::IssueBindingCodeRequest& req,
                                            v1::BindingCode* out) {
  RETURN_IF_ERROR(kMembers.Parse(req.member(), "member").status());
  if (member_ == nullptr) return absl::FailedPreconditionError("the gateway has no --member_target to check members");
  // The member service answers only for members in the caller's subtree.
  RETURN_IF_ERROR(member_->GetMember(c, c.principal.token, req.member(), "member").status());
  const std::string code = NewDigitsCode(8);
  const int64_t now = NowUs();
  const int64_t expires = now + absl::ToInt64Microseconds(settings_.binding_code_ttl);
  RETURN_IF_ERROR(db_.Transact([&](Db& db) -> absl::Status {
    RETURN_IF_ERROR(store::InsertBindingCode(db, TokenHash(code), req.member(), c.principal.subject, expires));
    ChangeSet changes;
    changes.Set("member", req.member());
    return RecordHistory(db, c, Event(req.member(), "binding_code_issued", changes), now);
  }));
  out->set_member(req.member());
  out->set_code(code);
  SetTimestampUs(expires, out->mutable_expire_time());
  return absl::OkStatus();
}

absl::Status GatewayLogic::ListAccountEvents(const CallContext&, const v1::ListAccountEventsRequest& req,
                                             v1::ListAccountEventsResponse* out) {
  ASSIGN_OR_RETURN(int size, PageSize(req.page_size()));
  ASSIGN_OR_RETURN(std::string after, tokens_.Decode(req.page_token(), "account-events"));
  int64_t after_seq = 0;
  if (!after.empty() && !absl::SimpleAtoi(after, &after_seq)) return FieldError("page_token", "is malformed");
  return db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto rows, ListHistory(db, "gateway", after_seq, size + 1));
    EmitPage(
        rows, size, tokens_, "account-events",
        [&](const HistoryRecord& h) {
          v1::AccountEvent* e = out->add_events();
          e->set_resource(h.resource);
          e->set_action(h.action);
          e->set_actor(h.actor);
          SetTimestampUs(h.at_us, e->mutable_time());
          e->set_changes(h.changes);
          e->set_request_id(h.request_id);
        },
        [](const HistoryRecord& h) { return absl::StrCat(h.seq); }, out->mutable_next_page_token());
    return absl::OkStatus();
  });
}

}  // namespace lianxin::gateway
