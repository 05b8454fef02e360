// GatewayLogic: what the front door asks on a call — the session behind a
// bearer token, the client behind a certificate, a member's app binding.
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/auth.h"
#include "common/names.h"
#include "common/status.h"
#include "services/gateway/gateway_logic.h"
#include "services/gateway/secrets.h"

namespace lianxin::gateway {
namespace {

absl::Status SessionOver(const char* why) {
  return WithReason(absl::UnauthenticatedError(absl::StrCat("the session ", why, ": sign in again")), "SESSION_ENDED");
}

void FromClient(const store::ClientRecord& c, SessionView* v) {
  v->principal = kClients.Name(c.id);
  v->subject = v->principal;
  v->client_kind = c.kind;
  v->roles = {c.kind == v1::CLIENT_KIND_SYSTEM ? kRoleSystem : kRoleApp};
  v->org_scope = c.org_scope;
  v->allowed_roles = c.allowed_roles;
  v->methods = c.methods;
}

}  // namespace

absl::StatusOr<SessionView> GatewayLogic::OpenSession(const std::string& token) {
  if (!absl::StartsWith(token, kSessionTokenPrefix)) {
    return absl::UnauthenticatedError("the bearer token is not a gateway session (sign in first)");
  }
  const int64_t now = NowUs();
  SessionView view;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto s, store::FindSession(db, TokenHash(token)));
    if (!s.has_value()) return absl::UnauthenticatedError("unknown session token");
    if (s->ended) return SessionOver("was ended");
    if (now >= s->expires_us) return SessionOver("reached its 12-hour limit");
    if (now - s->last_seen_us >= absl::ToInt64Microseconds(settings_.session_idle))
      return SessionOver("sat idle too long");
    view.id = s->id;
    view.principal = s->principal;
    view.restricted = s->restricted;
    view.last_seen_us = s->last_seen_us;
    view.expires_us = s->expires_us;
    if (std::string id = kAccounts.IdOf(s->principal); !id.empty()) {
      ASSIGN_OR_RETURN(auto a, store::GetAccount(db, id, false));
      if (!a.has_value() || a->disabled) return SessionOver("belongs to a disabled account");
      view.subject = a->member.empty() ? s->principal : a->member;
      view.roles = a->roles;
      view.org_scope = a->org_scope;
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(auto c, store::GetClient(db, kClients.IdOf(s->principal), false));
    if (!c.has_value() || c->disabled) return SessionOver("belongs to a disabled client");
    FromClient(*c, &view);
    return absl::OkStatus();
  }));
  return view;
}

absl::StatusOr<SessionView> GatewayLogic::ClientByCertificate(const std::string& subject) {
  SessionView view;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto c, store::GetClientBySubject(db, subject));
    if (!c.has_value()) {
      return absl::UnauthenticatedError(absl::StrCat("no client signs in with the certificate of '", subject, "'"));
    }
    if (c->disabled) return absl::UnauthenticatedError("the client of this certificate is disabled");
    FromClient(*c, &view);
    return absl::OkStatus();
  }));
  view.expires_us = NowUs() + absl::ToInt64Microseconds(settings_.session_max);
  view.last_seen_us = NowUs();
  return view;
}

absl::StatusOr<bool> GatewayLogic::MemberBound(const std::string& client_id, const std::string& member) {
  bool bound = false;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(bound, store::HasBinding(db, client_id, member));
    return absl::OkStatus();
  }));
  return bound;
}

absl::Status GatewayLogic::TouchSessions(const std::vector<std::string>& ids, absl::Time at) {
  return db_.Run([&](Db& db) { return store::TouchSessions(db, ids, absl::ToUnixMicros(at)); });
}

}  // namespace lianxin::gateway
