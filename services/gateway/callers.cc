#include "services/gateway/callers.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/access.h"
#include "common/names.h"
#include "common/status.h"
#include "services/gateway/secrets.h"

namespace lianxin::gateway {
namespace {

// Tokens minted for services live this long, and are minted again when less
// than a minute is left.
constexpr absl::Duration kTokenLife = absl::Minutes(5);
constexpr absl::Duration kBindingFreshFor = absl::Seconds(30);
constexpr size_t kMaxCached = 100000;

absl::Status Denied(std::string message, const char* reason) {
  return WithReason(absl::PermissionDeniedError(std::move(message)), reason);
}

}  // namespace

Callers::Callers(GatewayLogic& logic, SigningKey key, std::string audience, absl::Duration fresh_for,
                 const Clock& clock)
    : logic_(logic), key_(std::move(key)), audience_(std::move(audience)), fresh_for_(fresh_for), clock_(clock) {}

absl::StatusOr<SessionView> Callers::Session(const Credentials& creds, absl::Time now) {
  const std::string key = creds.bearer.empty() ? absl::StrCat("cert:", creds.cert_subject) : TokenHash(creds.bearer);
  {
    absl::MutexLock l(&mu_);
    auto it = sessions_.find(key);
    if (it != sessions_.end() && now - it->second.read_at < fresh_for_) return it->second.view;
  }
  // A miss: the database (WouldBlock on a gRPC thread; nothing kept then).
  absl::StatusOr<SessionView> view =
      creds.bearer.empty() ? logic_.ClientByCertificate(creds.cert_subject) : logic_.OpenSession(creds.bearer);
  if (IsWouldBlock(view.status()) || absl::IsUnavailable(view.status()) || absl::IsInternal(view.status())) {
    return view;
  }
  absl::MutexLock l(&mu_);
  if (sessions_.size() > kMaxCached) sessions_.clear();
  sessions_[key] = Cached{view, now};
  return view;
}

absl::StatusOr<bool> Callers::Bound(const std::string& client_id, const std::string& member, absl::Time now) {
  const std::string key = absl::StrCat(client_id, "|", member);
  {
    absl::MutexLock l(&mu_);
    auto it = bindings_.find(key);
    if (it != bindings_.end() && now - it->second.second < kBindingFreshFor) return it->second.first;
  }
  ASSIGN_OR_RETURN(bool bound, logic_.MemberBound(client_id, member));
  // Only a binding is kept: one made a moment ago (BindMember) counts at once.
  if (!bound) return false;
  absl::MutexLock l(&mu_);
  if (bindings_.size() > kMaxCached) bindings_.clear();
  bindings_[key] = {bound, now};
  return bound;
}

absl::StatusOr<std::string> Callers::Mint(const TokenClaims& claims, absl::Time now) {
  const std::string key = absl::StrCat(claims.subject, "|", absl::StrJoin(claims.roles, ","), "|", claims.org_scope,
                                       "|", claims.session, "|", claims.actor);
  {
    absl::MutexLock l(&mu_);
    auto it = minted_.find(key);
    if (it != minted_.end() && now < it->second.refresh_at) return it->second.token;
  }
  TokenClaims c = claims;
  c.audience = audience_;
  c.ttl = kTokenLife;
  ASSIGN_OR_RETURN(std::string token, MintToken(key_, c, now));
  absl::MutexLock l(&mu_);
  if (minted_.size() > kMaxCached) minted_.clear();
  minted_[key] = Minted{token, now + kTokenLife - absl::Minutes(1)};
  return token;
}

absl::StatusOr<Identity> Callers::Resolve(const Route& route, const Credentials& creds) {
  const absl::Time now = clock_.Now();
  Identity id;
  TokenClaims claims;
  if (creds.bearer.empty() && creds.cert_subject.empty()) {
    if (!route.public_method) {
      return WithReason(absl::UnauthenticatedError("sign in first: no 'authorization: Bearer <session>'"),
                        "SIGN_IN_REQUIRED");
    }
    if (!creds.on_behalf.empty()) return absl::InvalidArgumentError("no one signs in on behalf of another");
    id.caller = "anonymous";
    id.limit_key = absl::StrCat("address:", creds.client_address);
    claims.subject = "anonymous";
    claims.roles = {kRolePublic};
    claims.org_scope = "*";
    claims.actor = absl::StrCat("address:", creds.client_address);
    ASSIGN_OR_RETURN(id.token, Mint(claims, now));
    return id;
  }
  ASSIGN_OR_RETURN(SessionView s, Session(creds, now));
  if (now >= absl::FromUnixMicros(s.expires_us)) {
    return WithReason(absl::UnauthenticatedError("the session reached its limit: sign in again"), "SESSION_ENDED");
  }
  if (s.restricted && !AllowedWhileRestricted(route.method)) {
    return Denied("change the initial password and enrol a second factor (TOTP) first, then sign in again",
                  "SESSION_RESTRICTED");
  }
  id.caller = s.principal;
  id.limit_key = s.principal;
  claims.session = s.id;
  claims.actor = s.principal;
  claims.org_scope = s.org_scope == "*" ? "*" : kOrgUnits.Name(s.org_scope);
  const bool app = s.client_kind == v1::CLIENT_KIND_APP_BACKEND;
  if (!creds.on_behalf.empty() && !app) {
    return Denied("only an app backend calls on behalf of its users (x-lianxin-on-behalf-of)", "NOT_AN_APP_BACKEND");
  }
  if (app && !creds.on_behalf.empty()) {
    const auto allowed = [&](const char* role) {
      return std::find(s.allowed_roles.begin(), s.allowed_roles.end(), role) != s.allowed_roles.end();
    };
    if (!kResidents.IdOf(creds.on_behalf).empty()) {
      if (!allowed(kRoleResident)) return Denied("this app backend may not call for residents", "ROLE_NOT_ALLOWED");
      claims.roles = {kRoleResident};
    } else if (std::string member = kMembers.IdOf(creds.on_behalf); !member.empty()) {
      if (!allowed(kRoleMember)) return Denied("this app backend may not call for members", "ROLE_NOT_ALLOWED");
      ASSIGN_OR_RETURN(bool bound, Bound(kClients.IdOf(s.principal), creds.on_behalf, now));
      if (!bound) {
        return Denied(absl::StrCat(creds.on_behalf, " has not bound an account of this app (BindMember)"),
                      "MEMBER_NOT_BOUND");
      }
      claims.roles = {kRoleMember};
    } else {
      return FieldError(kOnBehalfHeader, "must be residents/{id} or members/{id}");
    }
    claims.subject = creds.on_behalf;
    id.on_behalf = creds.on_behalf;
  } else {
    claims.subject = s.subject;
    claims.roles = s.roles;
    if (s.subject != s.principal) id.on_behalf = s.subject;
  }
  if (s.client_kind == v1::CLIENT_KIND_SYSTEM && !AllowedWhileRestricted(route.method) &&
      std::find(s.methods.begin(), s.methods.end(), route.method) == s.methods.end()) {
    return Denied(absl::StrCat(route.method, " is not among the methods this system may call"), "METHOD_NOT_ALLOWED");
  }
  // The access table, here first: a call the service would refuse never
  // leaves the gateway.
  Principal p;
  p.subject = claims.subject;
  p.roles = claims.roles;
  p.org_scope = claims.org_scope;
  RETURN_IF_ERROR(AccessTable::Builtin().Check(p, route.method).status());
  if (!s.id.empty()) {
    absl::MutexLock l(&mu_);
    used_.insert(s.id);
  }
  ASSIGN_OR_RETURN(id.token, Mint(claims, now));
  return id;
}

void Callers::Forget(const std::string& bearer) {
  absl::MutexLock l(&mu_);
  sessions_.erase(TokenHash(bearer));
}

absl::Status Callers::FlushLastUse() {
  std::vector<std::string> ids;
  {
    absl::MutexLock l(&mu_);
    ids.assign(used_.begin(), used_.end());
    used_.clear();
  }
  return logic_.TouchSessions(ids, clock_.Now());
}

}  // namespace lianxin::gateway
