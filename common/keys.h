// Key files: the ES256 key pairs tokens are signed with, and the rule every
// secret file follows (readable by its owner only).
//
// A key's id ("kid") is "<issuer>-<version>", e.g. "gateway-1" or "org-2":
// the issuer is the process that holds the private key. A signer's private
// key is the file KID.key; the public keys a process trusts are the KID.pub
// files of one directory (--trust_dir). Rotating a key adds "org-2" beside
// "org-1" in every trust directory first, then switches the signer.
//
//   ASSIGN_OR_RETURN(SigningKey mine, ReadSigningKey("/keys/org-1.key"));
//   ASSIGN_OR_RETURN(TrustedKeys trusted, ReadTrustDir("/keys/trust"));
#ifndef LIANXIN_COMMON_KEYS_H_
#define LIANXIN_COMMON_KEYS_H_

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace lianxin {

// The issuer that signs people's tokens; every other issuer is a service.
inline constexpr char kGatewayIssuer[] = "gateway";

// Reads a file holding a secret. One that its group or others may read is
// refused (FAILED_PRECONDITION naming the file and its mode): a key that has
// been readable by others is no longer secret.
absl::StatusOr<std::string> ReadSecretFile(const std::string& path);

struct SigningKey {
  std::string kid;     // "org-1"
  std::string issuer;  // "org"
  std::string pem;     // the private key
};
// DIR/KID.key → the key, its kid and issuer taken from the file name.
absl::StatusOr<SigningKey> ReadSigningKey(const std::string& path);

struct TrustedKey {
  std::string issuer;
  std::string pem;  // the public key
};
using TrustedKeys = absl::flat_hash_map<std::string, TrustedKey>;  // by kid
// Every DIR/KID.pub; an empty directory is an error.
absl::StatusOr<TrustedKeys> ReadTrustDir(const std::string& dir);

// "org-1" → "org"; "" when the id is not issuer-version.
std::string IssuerOfKid(absl::string_view kid);

// Makes a P-256 key pair for ES256: DIR/KID.key (mode 0600) and DIR/KID.pub.
absl::Status MakeKeyPair(const std::string& dir, const std::string& kid);

}  // namespace lianxin

#endif  // LIANXIN_COMMON_KEYS_H_
