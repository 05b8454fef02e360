// lianxin-token: mints a development token for local runs and tests.
//
//   build/tools/lianxin-token --key_file=.local/dev-jwt.key
//       --sub=operator-1 --roles=operator --org='*' --ttl_minutes=60
//
// Prints the token; pass it as "authorization: Bearer <token>".
#include <cstdio>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_split.h"
#include "common/auth.h"

ABSL_FLAG(std::string, key_file, ".local/dev-jwt.key", "HS256 key file (>= 32 bytes)");
ABSL_FLAG(std::string, sub, "dev-operator", "subject");
ABSL_FLAG(std::string, roles, "operator", "comma-separated roles");
ABSL_FLAG(std::string, org, "*", "subtree: orgUnits/{id}, or * for the whole platform");
ABSL_FLAG(std::string, aud, "lianxin", "audience");
ABSL_FLAG(int, ttl_minutes, 60, "lifetime");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  auto key = lianxin::ReadKeyFile(absl::GetFlag(FLAGS_key_file));
  if (!key.ok()) {
    std::fprintf(stderr, "lianxin-token: %s\n", std::string(key.status().message()).c_str());
    return 2;
  }
  lianxin::TokenClaims claims;
  claims.subject = absl::GetFlag(FLAGS_sub);
  claims.roles = absl::StrSplit(absl::GetFlag(FLAGS_roles), ',', absl::SkipEmpty());
  claims.org_scope = absl::GetFlag(FLAGS_org);
  claims.audience = absl::GetFlag(FLAGS_aud);
  claims.ttl = absl::Minutes(absl::GetFlag(FLAGS_ttl_minutes));
  auto token = lianxin::MintToken(*key, claims);
  if (!token.ok()) {
    std::fprintf(stderr, "lianxin-token: %s\n", std::string(token.status().message()).c_str());
    return 1;
  }
  std::printf("%s\n", token->c_str());
  return 0;
}
