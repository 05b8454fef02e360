#include "common/es256.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdint>
#include <vector>

#include "absl/status/status.h"

namespace lianxin {

struct Es256PublicKey::Key {
  ~Key() { EVP_PKEY_free(pkey); }
  EVP_PKEY* pkey = nullptr;
};

absl::StatusOr<Es256PublicKey> Es256PublicKey::FromPem(absl::string_view pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (bio == nullptr) return absl::InternalError("BIO_new_mem_buf failed");
  auto key = std::make_shared<Key>();
  key->pkey = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (key->pkey == nullptr) return absl::InvalidArgumentError("not a PEM public key");
  char group[32] = {0};
  size_t group_len = 0;
  if (EVP_PKEY_get_base_id(key->pkey) != EVP_PKEY_EC ||
      EVP_PKEY_get_utf8_string_param(key->pkey, "group", group, sizeof(group), &group_len) != 1 ||
      absl::string_view(group, group_len) != "prime256v1") {
    return absl::InvalidArgumentError("not a P-256 key");
  }
  return Es256PublicKey(std::move(key));
}

bool Es256PublicKey::Verify(absl::string_view message, absl::string_view signature) const {
  if (key_ == nullptr || signature.size() != 64) return false;
  // OpenSSL wants DER: SEQUENCE { INTEGER r, INTEGER s }.
  const auto* raw = reinterpret_cast<const unsigned char*>(signature.data());
  ECDSA_SIG* sig = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(raw, 32, nullptr);
  BIGNUM* s = BN_bin2bn(raw + 32, 32, nullptr);
  if (sig == nullptr || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig, r, s) != 1) {
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(sig);
    return false;
  }
  unsigned char* der = nullptr;
  const int der_len = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  if (der_len <= 0) return false;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = ctx != nullptr && EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key_->pkey) == 1 &&
            EVP_DigestVerify(ctx, der, static_cast<size_t>(der_len),
                             reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  OPENSSL_free(der);
  return ok;
}

}  // namespace lianxin
