// lianxin-token: mints a development token for local runs and tests.
//
//   build/tools/lianxin-token --sub=operator-1 --roles=operator --org='*'
//
// It signs as the local gateway would (--key_file, the gateway's private key
// the run command made); services accept at most 15 minutes.
//
// Prints the token; pass it as "authorization: Bearer <token>".
#include <cstdio>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_split.h"
#include "common/auth.h"

ABSL_FLAG(std::string, key_file, ".local/run/keys/signing/gateway-1.key", "the gateway's private key (GATEWAY-N.key)");
ABSL_FLAG(std::string, sub, "dev-operator", "subject");
ABSL_FLAG(std::string, roles, "operator", "comma-separated roles");
ABSL_FLAG(std::string, org, "*", "subtree: orgUnits/{id}, or * for the whole platform");
ABSL_FLAG(std::string, aud, "lianxin", "audience");
ABSL_FLAG(int, ttl_minutes, 15, "lifetime (services accept at most 15)");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  auto key = lianxin::ReadSigningKey(absl::GetFlag(FLAGS_key_file));
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
