// GatewayLogic: signing in and out, passwords, second factors, app bindings.
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/history.h"
#include "common/ids.h"
#include "common/names.h"
#include "common/status.h"
#include "common/timestamps.h"
#include "common/validate.h"
#include "services/gateway/gateway_logic.h"
#include "services/gateway/secrets.h"

namespace lianxin::gateway {
namespace {

// One answer for every way a sign-in's credentials can be wrong, so that it
// never says which part was.
absl::Status WrongCredentials() {
  return WithReason(absl::UnauthenticatedError("wrong username, password or code"), "WRONG_CREDENTIALS");
}

std::string ClientAddress(const CallContext& c) {
  absl::string_view act = c.principal.actor;
  return absl::ConsumePrefix(&act, "address:") ? std::string(act) : "";
}

HistoryEntry Event(const std::string& resource, const char* action, ChangeSet changes = {}) {
  return HistoryEntry{"", "gateway", resource, action, std::move(changes)};
}

}  // namespace

GatewayLogic::GatewayLogic(DbPool& db, const PageTokens& tokens, const FieldCipher& cipher, SigningKey signing_key,
                           TrustedKeys trusted, std::shared_ptr<grpc::Channel> org,
                           std::shared_ptr<grpc::Channel> member, GatewaySettings settings, const Clock& clock)
    : db_(db),
      tokens_(tokens),
      cipher_(cipher),
      signing_key_(std::move(signing_key)),
      trusted_(std::move(trusted)),
      org_(org ? std::make_unique<org::OrgClient>(std::move(org)) : nullptr),
      member_(member ? std::make_unique<member::MemberClient>(std::move(member)) : nullptr),
      settings_(settings),
      clock_(clock) {}

// At most kConcurrentHashes Argon2id computations at once: each holds 64 MiB.
class GatewayLogic::HashSlot {
 public:
  explicit HashSlot(GatewayLogic& logic) : logic_(logic) {
    absl::MutexLock l(&logic_.hash_mu_);
    auto room = [this]() ABSL_SHARED_LOCKS_REQUIRED(logic_.hash_mu_) { return logic_.hashing_ < kConcurrentHashes; };
    logic_.hash_mu_.Await(absl::Condition(&room));
    ++logic_.hashing_;
  }
  ~HashSlot() {
    absl::MutexLock l(&logic_.hash_mu_);
    --logic_.hashing_;
  }

 private:
  GatewayLogic& logic_;
};

absl::StatusOr<std::string> GatewayLogic::Hash(absl::string_view password) {
  HashSlot slot(*this);
  return HashPassword(password);
}

bool GatewayLogic::Verify(absl::string_view hash, absl::string_view password) {
  HashSlot slot(*this);
  return VerifyPassword(hash, password);
}

absl::StatusOr<std::string> GatewayLogic::NewSession(const std::string& principal, bool restricted,
                                                     const CallContext& c, v1::Session* out) {
  const int64_t now = NowUs();
  store::SessionRecord s;
  s.id = NewId();
  s.principal = principal;
  s.restricted = restricted;
  s.client_address = ClientAddress(c);
  s.created_us = s.last_seen_us = now;
  s.expires_us = now + absl::ToInt64Microseconds(settings_.session_max);
  std::string token = NewBearerToken(kSessionTokenPrefix);
  out->set_name(kSessions.Name(s.id));
  out->set_token(token);
  out->set_principal(principal);
  SetTimestampUs(s.expires_us, out->mutable_expire_time());
  out->set_idle_timeout_minutes(static_cast<int32_t>(absl::ToInt64Minutes(settings_.session_idle)));
  RETURN_IF_ERROR(db_.Run([&](Db& db) { return store::InsertSession(db, s, TokenHash(token)); }));
  return s.id;
}

absl::Status GatewayLogic::SignIn(const CallContext& c, const v1::SignInRequest& req, v1::Session* out) {
  Validator v;
  v.Check(!req.username().empty() && req.username().size() <= 64, "username", "must be 1-64 characters");
  v.Check(!req.password().empty() && req.password().size() <= 256, "password", "must be 1-256 bytes");
  v.Check(req.totp_code().size() <= 6, "totp_code", "must be six digits");
  RETURN_IF_ERROR(v.status());
  std::optional<store::AccountRecord> found;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(found, store::GetAccountByUsername(db, req.username(), false));
    return absl::OkStatus();
  }));
  const int64_t now = NowUs();
  if (!found.has_value()) {
    Verify(DecoyPasswordHash(), req.password());  // as long as a wrong password takes
    return WrongCredentials();
  }
  if (found->locked_until_us > now) {
    return WithReason(absl::UnauthenticatedError("the account is locked after too many failed sign-ins; try later"),
                      "ACCOUNT_LOCKED",
                      {{"retry_after_seconds", absl::StrCat((found->locked_until_us - now) / 1000000 + 1)}});
  }
  bool good = Verify(found->password_hash, req.password());
  const bool second_factor = found->NeedsSecondFactor() && !found->totp_secret.empty();
  if (good && second_factor && req.totp_code().empty()) {
    // The password was right: ask for the code, counting nothing.
    return WithReason(absl::UnauthenticatedError("a code from the authenticator app is needed (totp_code)"),
                      "TOTP_REQUIRED");
  }
  std::optional<int64_t> step;
  if (good && second_factor) {
    auto secret = cipher_.Open(found->totp_secret, kAccounts.Name(found->id) + "/totp");
    if (!secret.ok()) return secret.status();
    step = CheckTotp(*secret, req.totp_code(), clock_.Now(), found->totp_last_step);
    good = step.has_value();
  }
  bool locked_now = false;
  bool disabled = false;
  RETURN_IF_ERROR(db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto a, store::GetAccount(db, found->id, true));
    if (!a.has_value()) return absl::OkStatus();
    if (good && step.has_value() && *step <= a->totp_last_step) good = false;  // the same code, twice at once
    ChangeSet changes;
    const char* action = "sign_in_failed";
    if (good) {
      disabled = a->disabled;
      if (a->failed_attempts == 0 && !step.has_value()) return absl::OkStatus();  // nothing to write
      a->failed_attempts = 0;
      if (step.has_value()) a->totp_last_step = *step;
      action = "signed_in";
    } else if (++a->failed_attempts >= settings_.max_failed_sign_ins) {
      a->failed_attempts = 0;
      a->locked_until_us = now + absl::ToInt64Microseconds(settings_.lockout);
      locked_now = true;
      action = "locked";
      changes.Set("locked_until", absl::FormatTime(absl::FromUnixMicros(a->locked_until_us)));
    }
    // Quiet bookkeeping is saved without history; a lockout is recorded.
    if (!locked_now) {
      ++a->version;
      return store::UpdateAccount(db, *a);
    }
    return SaveChange(db, c, now, *a, store::UpdateAccount, Event(kAccounts.Name(a->id), action, changes));
  }));
  if (!good) {
    if (locked_now) {
      return WithReason(absl::UnauthenticatedError("too many failed sign-ins: the account is locked for a while"),
                        "ACCOUNT_LOCKED",
                        {{"retry_after_seconds", absl::StrCat(absl::ToInt64Seconds(settings_.lockout))}});
    }
    return WrongCredentials();
  }
  if (disabled) return WithReason(absl::UnauthenticatedError("the account is disabled"), "ACCOUNT_DISABLED");
  const bool restricted = found->must_change_password || (found->NeedsSecondFactor() && found->totp_secret.empty());
  RETURN_IF_ERROR(NewSession(kAccounts.Name(found->id), restricted, c, out).status());
  for (const auto& r : found->roles) out->add_roles(r);
  out->set_org_unit(found->org_scope == "*" ? "*" : kOrgUnits.Name(found->org_scope));
  return absl::OkStatus();
}

absl::Status GatewayLogic::SignInClient(const CallContext& c, const v1::SignInClientRequest& req, v1::Session* out) {
  Validator v;
  v.Check(IsValidId(req.client_id()), "client_id", "must be a client id");
  v.Check(!req.client_secret().empty() && req.client_secret().size() <= 256, "client_secret", "must be 1-256 bytes");
  RETURN_IF_ERROR(v.status());
  std::optional<store::ClientRecord> client;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(client, store::GetClient(db, req.client_id(), false));
    return absl::OkStatus();
  }));
  if (!client.has_value()) {
    Verify(DecoyPasswordHash(), req.client_secret());
    return WrongCredentials();
  }
  if (!Verify(client->secret_hash, req.client_secret())) return WrongCredentials();
  if (client->disabled) return WithReason(absl::UnauthenticatedError("the client is disabled"), "ACCOUNT_DISABLED");
  RETURN_IF_ERROR(NewSession(kClients.Name(client->id), false, c, out).status());
  if (client->kind == v1::CLIENT_KIND_SYSTEM) {
    out->add_roles(kRoleSystem);
  } else {
    out->add_roles(kRoleApp);
  }
  out->set_org_unit(client->org_scope == "*" ? "*" : kOrgUnits.Name(client->org_scope));
  return absl::OkStatus();
}

absl::Status GatewayLogic::SignOut(const CallContext& c, const v1::SignOutRequest&, v1::SignOutResponse*) {
  if (c.principal.session.empty()) {
    return absl::FailedPreconditionError("this call came without a session (a client certificate): nothing to end");
  }
  return db_.Run([&](Db& db) { return store::EndSession(db, c.principal.session, NowUs()).status(); });
}

absl::StatusOr<std::string> GatewayLogic::OwnAccountId(const CallContext& c) const {
  std::string id = kAccounts.IdOf(c.principal.actor);
  if (id.empty() || c.principal.session.empty()) {
    return absl::PermissionDeniedError("only a person signed in with an account can do this");
  }
  return id;
}

absl::Status GatewayLogic::ChangePassword(const CallContext& c, const v1::ChangePasswordRequest& req,
                                          v1::ChangePasswordResponse*) {
  ASSIGN_OR_RETURN(std::string id, OwnAccountId(c));
  std::optional<store::AccountRecord> a;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(a, store::GetAccount(db, id, false));
    return absl::OkStatus();
  }));
  if (!a.has_value()) return absl::UnauthenticatedError("the account is gone");
  Validator v;
  v.Check(!req.old_password().empty(), "old_password", "must be given");
  RETURN_IF_ERROR(v.status());
  RETURN_IF_ERROR(CheckNewPassword(req.new_password(), a->username, "new_password"));
  if (req.new_password() == req.old_password()) return FieldError("new_password", "must differ from the old one");
  if (!Verify(a->password_hash, req.old_password())) return FieldError("old_password", "is not the current password");
  ASSIGN_OR_RETURN(std::string hash, Hash(req.new_password()));
  const int64_t now = NowUs();
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto cur, store::GetAccount(db, id, true));
    if (!cur.has_value()) return absl::UnauthenticatedError("the account is gone");
    cur->password_hash = hash;
    cur->must_change_password = false;
    RETURN_IF_ERROR(store::EndSessionsOf(db, kAccounts.Name(id), c.principal.session, now));
    ChangeSet changes;
    changes.Set("password", "(changed)");
    return SaveChange(db, c, now, *cur, store::UpdateAccount, Event(kAccounts.Name(id), "password_changed", changes));
  });
}

absl::Status GatewayLogic::BeginTotpEnrollment(const CallContext& c, const v1::BeginTotpEnrollmentRequest&,
                                               v1::TotpEnrollment* out) {
  ASSIGN_OR_RETURN(std::string id, OwnAccountId(c));
  const std::string secret = NewTotpSecret();
  ASSIGN_OR_RETURN(std::string sealed, cipher_.Seal(secret, kAccounts.Name(id) + "/totp"));
  std::string username;
  RETURN_IF_ERROR(db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto a, store::GetAccount(db, id, true));
    if (!a.has_value()) return absl::UnauthenticatedError("the account is gone");
    username = a->username;
    a->totp_pending = sealed;
    ++a->version;
    return store::UpdateAccount(db, *a);
  }));
  out->set_secret(secret);
  out->set_otpauth_uri(TotpUri(username, secret));
  return absl::OkStatus();
}

absl::Status GatewayLogic::ConfirmTotpEnrollment(const CallContext& c, const v1::ConfirmTotpEnrollmentRequest& req,
                                                 v1::Account* out) {
  ASSIGN_OR_RETURN(std::string id, OwnAccountId(c));
  const int64_t now = NowUs();
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto a, store::GetAccount(db, id, true));
    if (!a.has_value()) return absl::UnauthenticatedError("the account is gone");
    if (a->totp_pending.empty()) {
      return absl::FailedPreconditionError("no enrolment under way: call BeginTotpEnrollment first");
    }
    ASSIGN_OR_RETURN(std::string secret, cipher_.Open(a->totp_pending, kAccounts.Name(id) + "/totp"));
    auto step = CheckTotp(secret, req.totp_code(), clock_.Now(), 0);
    if (!step.has_value()) return FieldError("totp_code", "is not the current code of the new secret");
    a->totp_secret = a->totp_pending;
    a->totp_pending.clear();
    a->totp_last_step = *step;
    ChangeSet changes;
    changes.Set("totp", "(enrolled)");
    RETURN_IF_ERROR(
        SaveChange(db, c, now, *a, store::UpdateAccount, Event(kAccounts.Name(id), "totp_enrolled", changes)));
    *out = a->ToProto();
    return absl::OkStatus();
  });
}

absl::Status GatewayLogic::BindMember(const CallContext& c, const v1::BindMemberRequest& req, v1::MemberBinding* out) {
  const std::string client_id = kClients.IdOf(c.principal.actor);
  if (client_id.empty()) return absl::PermissionDeniedError("only an app backend binds members");
  Validator v;
  v.Check(req.code().size() == 8, "code", "must be the eight digits the secretary gave");
  v.Text("app_user", req.app_user(), 1, 128);
  RETURN_IF_ERROR(v.status());
  const int64_t now = NowUs();
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto member, store::TakeBindingCode(db, TokenHash(req.code()), now));
    if (!member.has_value()) return FieldError("code", "is unknown, used or expired");
    RETURN_IF_ERROR(store::InsertBinding(db, client_id, *member, req.app_user(), now));
    ChangeSet changes;
    changes.Set("member", *member);
    changes.Set("app_user", req.app_user());
    RETURN_IF_ERROR(RecordHistory(db, c, Event(kClients.Name(client_id), "member_bound", changes), now));
    out->set_member(*member);
    out->set_client(kClients.Name(client_id));
    out->set_app_user(req.app_user());
    SetTimestampUs(now, out->mutable_create_time());
    return absl::OkStatus();
  });
}

}  // namespace lianxin::gateway
