#include "common/auth.h"

#include <jwt.h>

#include <fstream>
#include <memory>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/log.h"
#include "common/names.h"
#include "common/validate.h"

namespace lianxin {
namespace {

struct JwtDeleter {
  void operator()(jwt_t* j) const { jwt_free(j); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtDeleter>;

absl::Status Unauthenticated(absl::string_view why) {
  return absl::UnauthenticatedError(absl::StrCat("invalid credentials: ", why));
}

// Parses the small JSON array of role strings libjwt hands back.
std::vector<std::string> ParseRoleArray(absl::string_view json) {
  std::vector<std::string> roles;
  json = absl::StripAsciiWhitespace(json);
  if (!absl::ConsumePrefix(&json, "[") || !absl::ConsumeSuffix(&json, "]")) return roles;
  for (absl::string_view part : absl::StrSplit(json, ',', absl::SkipWhitespace())) {
    part = absl::StripAsciiWhitespace(part);
    if (absl::ConsumePrefix(&part, "\"") && absl::ConsumeSuffix(&part, "\"")) {
      roles.emplace_back(part);
    }
  }
  return roles;
}

}  // namespace

bool Principal::HasRole(absl::string_view role) const {
  for (const auto& r : roles) {
    if (r == role) return true;
  }
  return false;
}

bool Principal::HasAnyRole(std::initializer_list<absl::string_view> wanted) const {
  for (auto r : wanted) {
    if (HasRole(r)) return true;
  }
  return false;
}

bool Principal::CoversPath(absl::string_view path) const {
  if (IsPlatformWide()) return true;
  if (org_scope.empty()) return false;
  return absl::StrContains(path, absl::StrCat("/", org_scope, "/"));
}

TokenVerifier::TokenVerifier(std::string key, std::string audience, const Clock& clock)
    : key_(std::move(key)), audience_(std::move(audience)), clock_(clock) {}

absl::StatusOr<Principal> TokenVerifier::Verify(absl::string_view token) const {
  if (token.empty()) return Unauthenticated("no bearer token in metadata 'authorization'");
  // A token is immutable: once its signature has verified, only its expiry
  // needs checking again (an app sends the same token on every call).
  {
    absl::MutexLock lock(&mu_);
    auto it = verified_.find(token);
    if (it != verified_.end()) {
      if (it->second.expires > clock_.Now()) return it->second.principal;
      verified_.erase(it);
      return Unauthenticated("token has expired");
    }
  }
  absl::Time expires;
  absl::StatusOr<Principal> p = VerifySignature(token, &expires);
  if (p.ok()) {
    absl::MutexLock lock(&mu_);
    if (verified_.size() >= kMaxVerified) verified_.clear();  // bounded; refills as calls come
    verified_[token] = {*p, expires};
  }
  return p;
}

absl::StatusOr<Principal> TokenVerifier::VerifySignature(absl::string_view token, absl::Time* expires) const {
  std::string t(token);
  jwt_t* raw = nullptr;
  if (jwt_decode(&raw, t.c_str(), reinterpret_cast<const unsigned char*>(key_.data()), static_cast<int>(key_.size())) !=
          0 ||
      raw == nullptr) {
    return Unauthenticated("token is malformed or its signature does not verify");
  }
  JwtPtr jwt(raw);
  if (jwt_get_alg(jwt.get()) != JWT_ALG_HS256) return Unauthenticated("token must be signed HS256");
  long exp = jwt_get_grant_int(jwt.get(), "exp");
  if (exp <= 0 || absl::FromUnixSeconds(exp) <= clock_.Now()) {
    return Unauthenticated("token has expired");
  }
  *expires = absl::FromUnixSeconds(exp);
  const char* aud = jwt_get_grant(jwt.get(), "aud");
  if (aud == nullptr || audience_ != aud) return Unauthenticated("token is for another audience");
  const char* sub = jwt_get_grant(jwt.get(), "sub");
  if (sub == nullptr || *sub == '\0') return Unauthenticated("token has no subject");
  Principal p;
  p.subject = sub;
  p.token = t;
  if (char* roles = jwt_get_grants_json(jwt.get(), "roles"); roles != nullptr) {
    p.roles = ParseRoleArray(roles);
    free(roles);
  }
  const char* org = jwt_get_grant(jwt.get(), "org");
  if (org != nullptr) {
    absl::string_view o(org);
    if (o == "*") {
      p.org_scope = "*";
    } else {
      p.org_scope = kOrgUnits.IdOf(o);
    }
  }
  if (p.org_scope.empty()) return Unauthenticated("token has no valid 'org' scope");
  return p;
}

absl::StatusOr<std::string> MintToken(absl::string_view key, const TokenClaims& claims, absl::Time now) {
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) return absl::InternalError("jwt_new failed");
  JwtPtr jwt(raw);
  std::vector<std::string> quoted;
  for (const auto& r : claims.roles) quoted.push_back(absl::StrCat("\"", JsonEscape(r), "\""));
  std::string roles_json = absl::StrCat("{\"roles\":[", absl::StrJoin(quoted, ","), "]}");
  if (jwt_add_grant(jwt.get(), "sub", claims.subject.c_str()) != 0 ||
      jwt_add_grant(jwt.get(), "aud", claims.audience.c_str()) != 0 ||
      jwt_add_grant(jwt.get(), "org", claims.org_scope.c_str()) != 0 ||
      jwt_add_grant_int(jwt.get(), "iat", static_cast<long>(absl::ToUnixSeconds(now))) != 0 ||
      jwt_add_grant_int(jwt.get(), "exp", static_cast<long>(absl::ToUnixSeconds(now + claims.ttl))) != 0 ||
      jwt_add_grants_json(jwt.get(), roles_json.c_str()) != 0 ||
      jwt_set_alg(jwt.get(), JWT_ALG_HS256, reinterpret_cast<const unsigned char*>(key.data()),
                  static_cast<int>(key.size())) != 0) {
    return absl::InternalError("cannot build token");
  }
  char* out = jwt_encode_str(jwt.get());
  if (out == nullptr) return absl::InternalError("cannot sign token");
  std::string token(out);
  free(out);
  return token;
}

absl::StatusOr<std::string> ReadKeyFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::InvalidArgumentError(absl::StrCat("cannot read key file ", path));
  std::stringstream ss;
  ss << in.rdbuf();
  std::string key(absl::StripTrailingAsciiWhitespace(ss.str()));
  if (key.size() < 32) {
    return absl::InvalidArgumentError(absl::StrCat("key file ", path, " holds fewer than 32 bytes"));
  }
  return key;
}

}  // namespace lianxin
