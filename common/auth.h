// Caller identity. Every RPC carries `authorization: Bearer <JWT>`, minted by
// the gateway after it authenticated the caller (or, in local runs and tests,
// by lianxin-token with the development key). Claims:
//   sub    the caller (a user id or a service account)
//   roles  ["operator", "secretary", ...]
//   org    the subtree it may act in: "orgUnits/{id}", or "*" for the platform
//   aud    must equal the configured audience; exp must be in the future
// Signed HS256. Services calling services pass the caller's token on.
//
//   TokenVerifier v(key, "lianxin");
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

namespace lianxin {

inline constexpr char kRoleOperator[] = "operator";    // platform operators (区委组织部, 街道)
inline constexpr char kRoleSecretary[] = "secretary";  // secretaries and group leaders
inline constexpr char kRoleMember[] = "member";
inline constexpr char kRoleResident[] = "resident";
inline constexpr char kRoleService[] = "service";  // other government systems
inline constexpr char kRoleAuditor[] = "auditor";

struct Principal {
  std::string subject;
  std::vector<std::string> roles;
  // "*" for the whole platform, else the id of the unit at the top of the
  // subtree the caller may act in.
  std::string org_scope;
  // The raw token, passed on when this service calls another.
  std::string token;

  bool HasRole(absl::string_view role) const;
  bool HasAnyRole(std::initializer_list<absl::string_view> roles) const;
  bool IsPlatformWide() const { return org_scope == "*"; }
  // True if a unit whose materialized path is `path` ("/root/.../unit/") lies
  // in the caller's subtree.
  bool CoversPath(absl::string_view path) const;
};

class TokenVerifier {
 public:
  TokenVerifier(std::string key, std::string audience, const Clock& clock = SystemClock::Get());
  // UNAUTHENTICATED for a missing, malformed, forged or expired token, or a
  // wrong audience.
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

  std::string key_;
  std::string audience_;
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
};

absl::StatusOr<std::string> MintToken(absl::string_view key, const TokenClaims& claims, absl::Time now = absl::Now());

// Reads a signing key file (at least 32 bytes).
absl::StatusOr<std::string> ReadKeyFile(const std::string& path);

}  // namespace lianxin

#endif  // LIANXIN_COMMON_AUTH_H_
