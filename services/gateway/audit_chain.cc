#include "services/gateway/audit_chain.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace lianxin::gateway {
namespace {

struct Free {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
  void operator()(BIO* b) const { BIO_free(b); }
};

std::string Message(int64_t seq, const std::string& hash) {
  return absl::StrCat("lianxin-audit-checkpoint|", seq, "|", absl::BytesToHexString(hash));
}

std::unique_ptr<EVP_PKEY, Free> ReadKey(const std::string& pem, bool is_private) {
  std::unique_ptr<BIO, Free> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (bio == nullptr) return nullptr;
  return std::unique_ptr<EVP_PKEY, Free>(is_private ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr)
                                                    : PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
}

}  // namespace

std::string Sm3(const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  const EVP_MD* sm3 = EVP_get_digestbyname("SM3");
  if (sm3 == nullptr || EVP_Digest(data.data(), data.size(), out, &len, sm3, nullptr) != 1) return "";
  return std::string(reinterpret_cast<const char*>(out), len);
}

std::string ChainHash(const std::string& previous, const store::AuditRow& row) {
  return Sm3(absl::StrCat(previous, row.Canonical()));
}

absl::StatusOr<store::AuditCheckpoint> SignCheckpoint(const SigningKey& key, int64_t seq, const std::string& hash,
                                                      int64_t at_us) {
  auto pkey = ReadKey(key.pem, true);
  std::unique_ptr<EVP_MD_CTX, Free> ctx(EVP_MD_CTX_new());
  if (pkey == nullptr || ctx == nullptr) return absl::InternalError("cannot read the gateway's signing key");
  const std::string msg = Message(seq, hash);
  size_t len = 0;
  if (EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pkey.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(msg.data()), msg.size()) != 1) {
    return absl::InternalError("cannot sign the audit checkpoint");
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                     reinterpret_cast<const unsigned char*>(msg.data()), msg.size()) != 1) {
    return absl::InternalError("cannot sign the audit checkpoint");
  }
  sig.resize(len);
  return store::AuditCheckpoint{seq, at_us, hash, key.kid, sig};
}

absl::Status VerifyCheckpoint(const TrustedKeys& trusted, const store::AuditCheckpoint& cp) {
  auto it = trusted.find(cp.kid);
  if (it == trusted.end() || it->second.issuer != kGatewayIssuer) {
    return absl::DataLossError(absl::StrCat("the checkpoint at seq ", cp.seq, " names an unknown key ", cp.kid));
  }
  auto pkey = ReadKey(it->second.pem, false);
  std::unique_ptr<EVP_MD_CTX, Free> ctx(EVP_MD_CTX_new());
  const std::string msg = Message(cp.seq, cp.hash);
  if (pkey == nullptr || ctx == nullptr ||
      EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pkey.get()) != 1 ||
      EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(cp.signature.data()), cp.signature.size(),
                       reinterpret_cast<const unsigned char*>(msg.data()), msg.size()) != 1) {
    return absl::DataLossError(absl::StrCat("the checkpoint at seq ", cp.seq, " is not signed by ", cp.kid));
  }
  return absl::OkStatus();
}

}  // namespace lianxin::gateway
