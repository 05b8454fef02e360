// Caller identity. Every RPC carries `authorization: Bearer <JWT>`, signed
// ES256 with a key whose id ("kid", header) selects one of the public keys
// this process trusts (common/keys.h). Two kinds of token:
//   - people's and outside systems' tokens, signed by the gateway (issuer
//     "gateway"; locally lianxin-token holds its key): at most 15 minutes;
//   - a service's own token, signed with that service's key (issuer "org",
//     subject "service:org", role "service", org "*"): at most 10 minutes,
//     and accepted only from the peers this process names (--peers).
// Claims: iss (the signer; must be the kid's issuer), sub, roles, org
// ("orgUnits/{id}" or "*"), aud, iat, exp, optional nbf, sid and act; iat and nbf may lie
// at most 60 s in the future, exp at most 60 s in the past. Anything else is
// UNAUTHENTICATED. Services never mint people's tokens: no service holds the
// gateway's private key.
//
//   TokenVerifier v(trusted_keys, "lianxin", {"org", "dispatch"});
//   absl::StatusOr<Principal> p = v.Verify(bearer_token);
#ifndef LIANXIN_COMMON_AUTH_H_
#define LIANXIN_COMMON_AUTH_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "common/es256.h"
#include "common/keys.h"

namespace lianxin {

inline constexpr char kRoleOperator[] = "operator";    // platform operators (区委组织部, 街道)
inline constexpr char kRoleSecretary[] = "secretary";  // secretaries and group leaders
inline constexpr char kRoleMember[] = "member";
inline constexpr char kRoleResident[] = "resident";
inline constexpr char kRoleAuditor[] = "auditor";
inline constexpr char kRoleSystem[] = "system";    // other government systems, through the gateway
inline constexpr char kRoleService[] = "service";  // Lianxin's own services, on their own keys
inline constexpr char kRoleApp[] = "app";          // an app backend as itself, through the gateway
inline constexpr char kRolePublic[] = "public";    // a caller with no credentials (signing in)

struct Principal {
  std::string subject;
  std::vector<std::string> roles;
  // "*" for the whole platform, else the id of the unit at the top of the
  // subtree the caller may act in.
  std::string org_scope;
  // The raw token, passed on when this service calls another.
  std::string token;
  // Who signed the token: "gateway", or the calling service ("org").
  std::string issuer;
  // For a service token, the calling service ("org"); else empty.
  std::string peer;
  // Gateway tokens only: the session the call came through ("sid"), and who
  // acts for the subject ("act": an app backend "clients/{id}" acting for a
  // resident, a person's account "accounts/{id}"); empty otherwise.
  std::string session;
  std::string actor;

  bool HasRole(absl::string_view role) const;
  bool HasAnyRole(std::initializer_list<absl::string_view> roles) const;
  bool IsPlatformWide() const { return org_scope == "*"; }
  // True if a unit whose materialized path is `path` ("/root/.../unit/") lies
  // in the caller's subtree.
  bool CoversPath(absl::string_view path) const;
};

inline constexpr absl::Duration kMaxUserTokenLifetime = absl::Minutes(15);
inline constexpr absl::Duration kMaxServiceTokenLifetime = absl::Minutes(10);
inline constexpr absl::Duration kClockSkew = absl::Seconds(60);

class TokenVerifier {
 public:
  // `peers`: the services whose own tokens this process accepts.
  TokenVerifier(TrustedKeys keys, std::string audience, std::vector<std::string> peers,
                const Clock& clock = SystemClock::Get());
  // UNAUTHENTICATED for a missing, malformed, forged or expired token, an
  // unknown key, a wrong issuer, audience or lifetime, or a peer not named.
  // Tokens that verified are remembered until they expire (at most
  // kMaxVerified of them), so a repeated token costs a lookup.
  absl::StatusOr<Principal> Verify(absl::string_view token) const;
  const std::string& audience() const { return audience_; }

 private:
  struct Verified {
    Principal principal;
    absl::Time expires;
  };
  static constexpr size_t kMaxVerified = 20000;
  absl::StatusOr<Principal> VerifySignature(absl::string_view token, absl::Time* expires) const;
  absl::Status CheckKind(Principal& p, absl::Duration lifetime) const;

  TrustedKeys keys_;
  absl::flat_hash_map<std::string, Es256PublicKey> parsed_;  // by kid; a key that would not parse is absent
  std::string audience_;
  std::vector<std::string> peers_;
  const Clock& clock_;
  mutable absl::Mutex mu_;
  mutable absl::flat_hash_map<std::string, Verified> verified_ ABSL_GUARDED_BY(mu_);
};

struct TokenClaims {
  std::string subject;
  std::vector<std::string> roles;
  std::string org_scope;  // "orgUnits/{id}" or "*"
  std::string audience = "lianxin";
  absl::Duration ttl = absl::Minutes(15);
  absl::Duration not_before = absl::ZeroDuration();  // nbf = now + this, when set
  std::string session{};                             // "sid", when set
  std::string actor{};                               // "act", when set
};

// Signs with `key`: header kid = key.kid, claim iss = key.issuer.
absl::StatusOr<std::string> MintToken(const SigningKey& key, const TokenClaims& claims, absl::Time now = absl::Now());

}  // namespace lianxin

#endif  // LIANXIN_COMMON_AUTH_H_
