// ES256 (ECDSA P-256 with SHA-256, RFC 7518 §3.4) signature checks with a
// public key parsed once. Parsing a PEM key costs far more than checking a
// signature with it (OpenSSL 3's decoders take global locks), so a verifier
// parses each trusted key when it is made, not per token.
#ifndef LIANXIN_COMMON_ES256_H_
#define LIANXIN_COMMON_ES256_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace lianxin {

class Es256PublicKey {
 public:
  // INVALID_ARGUMENT unless `pem` is a P-256 public key.
  static absl::StatusOr<Es256PublicKey> FromPem(absl::string_view pem);

  // True if `signature` — JWS form: R and S, 32 bytes each, big-endian — is
  // this key's signature of `message`. Safe from many threads at once.
  bool Verify(absl::string_view message, absl::string_view signature) const;

 private:
  struct Key;
  explicit Es256PublicKey(std::shared_ptr<const Key> key) : key_(std::move(key)) {}
  std::shared_ptr<const Key> key_;
};

}  // namespace lianxin

#endif  // LIANXIN_COMMON_ES256_H_
