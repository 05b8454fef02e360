#include "common/auth.h"

#include <jansson.h>
#include <jwt.h>

#include <algorithm>
#include <memory>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/log.h"
#include "common/names.h"
#include "common/status.h"
#include "common/validate.h"

namespace lianxin {
namespace {

struct JwtDeleter {
  void operator()(jwt_t* j) const { jwt_free(j); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtDeleter>;

struct JsonDeleter {
  void operator()(json_t* j) const { json_decref(j); }
};
using JsonPtr = std::unique_ptr<json_t, JsonDeleter>;

// A token's header or claims: one JSON object, no key twice. Jansson reads
// one in about a seventh of the time protobuf's JSON parser took into a
// Struct (docs/benchmarks.md), and every token a service has not seen is
// read so.
JsonPtr ParseObject(const std::string& json) {
  json_error_t error;
  JsonPtr object(json_loadb(json.data(), json.size(), JSON_REJECT_DUPLICATES, &error));
  if (object != nullptr && !json_is_object(object.get())) object.reset();
  return object;
}

// A member of a kind other than expected counts as absent.
const char* TextOf(const json_t* object, const char* name) {
  const json_t* v = json_object_get(object, name);
  return json_is_string(v) ? json_string_value(v) : nullptr;
}

// A time in seconds: an integer, or a real within ±2^53 (beyond it, absent).
int64_t NumberOf(const json_t* object, const char* name) {
  const json_t* v = json_object_get(object, name);
  if (json_is_integer(v)) return static_cast<int64_t>(json_integer_value(v));
  constexpr double kExact = 9007199254740992.0;
  const double d = json_is_real(v) ? json_real_value(v) : 0;
  return d > -kExact && d < kExact ? static_cast<int64_t>(d) : 0;
}

absl::Status Unauthenticated(absl::string_view why) {
  return absl::UnauthenticatedError(absl::StrCat("invalid credentials: ", why));
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

TokenVerifier::TokenVerifier(TrustedKeys keys, std::string audience, std::vector<std::string> peers, const Clock& clock)
    : keys_(std::move(keys)), audience_(std::move(audience)), peers_(std::move(peers)), clock_(clock) {
  for (const auto& [kid, key] : keys_) {
    absl::StatusOr<Es256PublicKey> parsed = Es256PublicKey::FromPem(key.pem);
    if (parsed.ok()) {
      parsed_.emplace(kid, *std::move(parsed));
    } else {
      Log(LogLevel::kError, "trusted_key_unusable", {{"kid", kid}, {"error", std::string(parsed.status().message())}});
    }
  }
}

absl::StatusOr<Principal> TokenVerifier::Verify(absl::string_view token) const {
  if (token.empty()) return Unauthenticated("no bearer token in metadata 'authorization'");
  // A token is immutable: once its signature has verified, only its expiry
  // needs checking again (an app sends the same token on every call).
  {
    absl::MutexLock lock(&mu_);
    auto it = verified_.find(token);
    if (it != verified_.end()) {
      if (it->second.expires + kClockSkew > clock_.Now()) return it->second.principal;
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
  // The header is read before the signature is checked, to choose the key —
  // and to refuse every algorithm but ES256 before a public key could be
  // used as an HMAC secret.
  std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  std::string header_json;
  JsonPtr header;
  if (parts.size() != 3 || parts[2].empty() || !absl::WebSafeBase64Unescape(parts[0], &header_json) ||
      (header = ParseObject(header_json)) == nullptr) {
    return Unauthenticated("token is malformed");
  }
  const char* alg = TextOf(header.get(), "alg");
  if (alg == nullptr || absl::string_view(alg) != "ES256") return Unauthenticated("token must be signed ES256");
  const char* kid = TextOf(header.get(), "kid");
  auto key = keys_.find(kid == nullptr ? "" : kid);
  if (key == keys_.end()) return Unauthenticated("token is signed with a key this service does not trust (kid)");
  const TrustedKey& trusted = key->second;

  auto parsed = parsed_.find(key->first);
  if (parsed == parsed_.end()) return Unauthenticated("token is signed with a key this service cannot read (kid)");
  std::string signature, claims_json;
  const absl::string_view signed_part = token.substr(0, parts[0].size() + 1 + parts[1].size());
  if (!absl::WebSafeBase64Unescape(parts[2], &signature) || !parsed->second.Verify(signed_part, signature)) {
    return Unauthenticated("token is malformed or its signature does not verify");
  }
  JsonPtr claims;
  if (!absl::WebSafeBase64Unescape(parts[1], &claims_json) || (claims = ParseObject(claims_json)) == nullptr) {
    return Unauthenticated("token is malformed");
  }
  const json_t* c = claims.get();
  const char* iss = TextOf(c, "iss");
  if (iss == nullptr || trusted.issuer != iss) return Unauthenticated("token's issuer (iss) is not its key's");

  absl::Time now = clock_.Now();
  const int64_t iat = NumberOf(c, "iat");
  const int64_t exp = NumberOf(c, "exp");
  const int64_t nbf = NumberOf(c, "nbf");
  if (iat <= 0 || exp <= 0) return Unauthenticated("token lacks iat or exp");
  if (absl::FromUnixSeconds(iat) > now + kClockSkew) return Unauthenticated("token is issued in the future (iat)");
  if (nbf > 0 && absl::FromUnixSeconds(nbf) > now + kClockSkew) return Unauthenticated("token is not valid yet (nbf)");
  if (absl::FromUnixSeconds(exp) + kClockSkew <= now) return Unauthenticated("token has expired");
  *expires = absl::FromUnixSeconds(exp);

  const char* aud = TextOf(c, "aud");
  if (aud == nullptr || audience_ != aud) return Unauthenticated("token is for another audience");
  const char* sub = TextOf(c, "sub");
  if (sub == nullptr || *sub == '\0') return Unauthenticated("token has no subject");
  Principal p;
  p.subject = sub;
  p.token = std::string(token);
  p.issuer = iss;
  if (const json_t* roles = json_object_get(c, "roles"); json_is_array(roles)) {
    for (size_t i = 0; i < json_array_size(roles); ++i) {
      if (const json_t* r = json_array_get(roles, i); json_is_string(r)) p.roles.emplace_back(json_string_value(r));
    }
  }
  if (const char* org = TextOf(c, "org"); org != nullptr) {
    p.org_scope = absl::string_view(org) == "*" ? "*" : kOrgUnits.IdOf(org);
  }
  if (p.org_scope.empty()) return Unauthenticated("token has no valid 'org' scope");
  if (const char* sid = TextOf(c, "sid"); sid != nullptr) p.session = sid;
  if (const char* act = TextOf(c, "act"); act != nullptr) p.actor = act;
  RETURN_IF_ERROR(CheckKind(p, absl::Seconds(exp - iat)));
  return p;
}

// People's tokens come from the gateway and never claim to be a service; a
// service's token comes from a peer this process names, for itself only.
absl::Status TokenVerifier::CheckKind(Principal& p, absl::Duration lifetime) const {
  if (p.issuer == kGatewayIssuer) {
    if (p.HasRole(kRoleService)) return Unauthenticated("a person's token cannot hold the role 'service'");
    if (lifetime > kMaxUserTokenLifetime) return Unauthenticated("token lives longer than 15 minutes");
    return absl::OkStatus();
  }
  if (std::find(peers_.begin(), peers_.end(), p.issuer) == peers_.end()) {
    return Unauthenticated(absl::StrCat("service '", p.issuer, "' is not a peer of this service"));
  }
  if (p.roles != std::vector<std::string>{kRoleService} || p.subject != absl::StrCat("service:", p.issuer) ||
      !p.IsPlatformWide()) {
    return Unauthenticated("a service token speaks for its own service only (sub, roles, org)");
  }
  if (lifetime > kMaxServiceTokenLifetime) return Unauthenticated("service token lives longer than 10 minutes");
  p.peer = p.issuer;
  return absl::OkStatus();
}

absl::StatusOr<std::string> MintToken(const SigningKey& key, const TokenClaims& claims, absl::Time now) {
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) return absl::InternalError("jwt_new failed");
  JwtPtr jwt(raw);
  std::vector<std::string> quoted;
  for (const auto& r : claims.roles) quoted.push_back(absl::StrCat("\"", JsonEscape(r), "\""));
  std::string roles_json = absl::StrCat("{\"roles\":[", absl::StrJoin(quoted, ","), "]}");
  bool ok = jwt_add_header(jwt.get(), "kid", key.kid.c_str()) == 0 &&
            jwt_add_grant(jwt.get(), "iss", key.issuer.c_str()) == 0 &&
            jwt_add_grant(jwt.get(), "sub", claims.subject.c_str()) == 0 &&
            jwt_add_grant(jwt.get(), "aud", claims.audience.c_str()) == 0 &&
            jwt_add_grant(jwt.get(), "org", claims.org_scope.c_str()) == 0 &&
            jwt_add_grant_int(jwt.get(), "iat", static_cast<long>(absl::ToUnixSeconds(now))) == 0 &&
            jwt_add_grant_int(jwt.get(), "exp", static_cast<long>(absl::ToUnixSeconds(now + claims.ttl))) == 0 &&
            jwt_add_grants_json(jwt.get(), roles_json.c_str()) == 0;
  if (ok && !claims.session.empty()) ok = jwt_add_grant(jwt.get(), "sid", claims.session.c_str()) == 0;
  if (ok && !claims.actor.empty()) ok = jwt_add_grant(jwt.get(), "act", claims.actor.c_str()) == 0;
  if (ok && claims.not_before != absl::ZeroDuration()) {
    ok = jwt_add_grant_int(jwt.get(), "nbf", static_cast<long>(absl::ToUnixSeconds(now + claims.not_before))) == 0;
  }
  if (!ok || jwt_set_alg(jwt.get(), JWT_ALG_ES256, reinterpret_cast<const unsigned char*>(key.pem.data()),
                         static_cast<int>(key.pem.size())) != 0) {
    return absl::InternalError("cannot build token");
  }
  char* out = jwt_encode_str(jwt.get());
  if (out == nullptr) return absl::InternalError("cannot sign token");
  std::string token(out);
  free(out);
  return token;
}

}  // namespace lianxin
