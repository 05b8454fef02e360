#include "common/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/keys.h"
#include "common/status.h"

namespace lianxin {
namespace {

constexpr unsigned char kVersion = 1;
constexpr size_t kSm4Iv = 16, kSm3Tag = 32, kGcmIv = 12, kGcmTag = 16;

std::string Hmac(const EVP_MD* md, absl::string_view key, absl::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(md, key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()), data.size(),
       out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

int (*random_source)(unsigned char*, int) = RAND_bytes;

// Random bytes, or an error: a failed RAND_bytes is refused, never used as if
// the buffer held randomness (a zero IV would repeat under the same key).
absl::StatusOr<std::string> Random(size_t n) {
  std::string out(n, '\0');
  if (random_source(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    return absl::InternalError("crypto: the random generator failed; nothing was sealed");
  }
  return out;
}

struct CtxDeleter {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CtxDeleter>;

const unsigned char* U(absl::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

absl::Status CryptoError(absl::string_view what) { return absl::InternalError(absl::StrCat("crypto: ", what)); }

}  // namespace

void SetRandomSourceForTest(int (*source)(unsigned char*, int)) { random_source = source ? source : RAND_bytes; }

absl::StatusOr<std::string> FieldCipher::GenerateKeyFile(Algorithm algorithm, const std::string& key_id) {
  ASSIGN_OR_RETURN(std::string index_key, Random(32));
  ASSIGN_OR_RETURN(std::string key, Random(32));
  return absl::StrCat("# Lianxin field keys: the first 'key' line is active.\n", "index ",
                      absl::BytesToHexString(index_key), "\n", "key ", key_id, " ",
                      algorithm == Algorithm::kSm4CtrHmacSm3 ? "sm4" : "aes256gcm", " ", absl::BytesToHexString(key),
                      "\n");
}

absl::StatusOr<std::unique_ptr<FieldCipher>> FieldCipher::FromFiles(const std::string& keys_path,
                                                                    const std::string& index_path) {
  ASSIGN_OR_RETURN(std::string keys, ReadSecretFile(keys_path));
  ASSIGN_OR_RETURN(std::string index, ReadSecretFile(index_path));
  auto lines_starting = [](absl::string_view text, absl::string_view word) {
    int n = 0;
    for (absl::string_view line : absl::StrSplit(text, '\n')) {
      n += absl::StartsWith(absl::StripLeadingAsciiWhitespace(line), absl::StrCat(word, " "));
    }
    return n;
  };
  // Apart: whoever holds the data keys does not also hold the key that
  // links a person's rows across tables, and the two rotate on their own.
  if (lines_starting(keys, "index") > 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        keys_path, ": the blind-index key lives in its own file (the index key file), not with the data keys"));
  }
  if (lines_starting(index, "index") != 1 || lines_starting(index, "key") > 0) {
    return absl::InvalidArgumentError(absl::StrCat(index_path, ": must hold exactly one 'index' line and no data key"));
  }
  return FromText(absl::StrCat(index, "\n", keys));
}

absl::StatusOr<std::unique_ptr<FieldCipher>> FieldCipher::FromText(absl::string_view text) {
  std::unique_ptr<FieldCipher> c(new FieldCipher());
  int line_no = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_no;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f = absl::StrSplit(line, ' ', absl::SkipEmpty());
    auto bad = [&](absl::string_view why) {
      return absl::InvalidArgumentError(absl::StrCat("key file line ", line_no, ": ", why));
    };
    const std::string& hex = f.back();
    if (hex.size() != 64 || !std::all_of(hex.begin(), hex.end(), [](char ch) {
          return absl::ascii_isxdigit(static_cast<unsigned char>(ch));
        })) {
      return bad("a key must be 64 hex digits");
    }
    std::string secret = absl::HexStringToBytes(hex);
    if (f[0] == "index" && f.size() == 2) {
      c->index_key_ = secret;
    } else if (f[0] == "key" && f.size() == 4) {
      if (f[1].empty() || f[1].size() > 32) return bad("a key id must be 1..32 characters");
      if (c->FindKey(f[1]) != nullptr) return bad("duplicate key id");
      Key k;
      k.id = f[1];
      if (f[2] == "sm4") {
        k.algorithm = Algorithm::kSm4CtrHmacSm3;
        k.enc_key = Hmac(EVP_sm3(), secret, "lianxin sm4 encryption").substr(0, 16);
        k.mac_key = Hmac(EVP_sm3(), secret, "lianxin sm3 authentication");
      } else if (f[2] == "aes256gcm") {
        k.algorithm = Algorithm::kAes256Gcm;
        k.enc_key = secret;
      } else {
        return bad("algorithm must be sm4 or aes256gcm");
      }
      c->keys_.push_back(std::move(k));
    } else {
      return bad("expected 'index <hex>' or 'key <id> <sm4|aes256gcm> <hex>'");
    }
  }
  if (c->index_key_.empty()) return absl::InvalidArgumentError("key file has no 'index' line");
  if (c->keys_.empty()) return absl::InvalidArgumentError("key file has no 'key' line");
  return c;
}

const FieldCipher::Key* FieldCipher::FindKey(absl::string_view id) const {
  for (const auto& k : keys_) {
    if (k.id == id) return &k;
  }
  return nullptr;
}

std::string FieldCipher::KeyIdOf(absl::string_view sealed) {
  if (sealed.size() < 3 || static_cast<unsigned char>(sealed[0]) != kVersion) return "";
  size_t n = static_cast<unsigned char>(sealed[2]);
  return sealed.size() < 3 + n ? "" : std::string(sealed.substr(3, n));
}

absl::StatusOr<std::string> FieldCipher::Seal(absl::string_view plaintext, absl::string_view context) const {
  const Key& k = keys_.front();
  std::string header;
  header.push_back(static_cast<char>(kVersion));
  header.push_back(static_cast<char>(k.algorithm));
  header.push_back(static_cast<char>(k.id.size()));
  header += k.id;
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  std::string ct(plaintext.size() + 16, '\0');
  int len = 0, fin = 0;
  if (k.algorithm == Algorithm::kSm4CtrHmacSm3) {
    ASSIGN_OR_RETURN(std::string iv, Random(kSm4Iv));
    if (EVP_EncryptInit_ex(ctx.get(), EVP_sm4_ctr(), nullptr, U(k.enc_key), U(iv)) != 1 ||
        EVP_EncryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(ct.data()), &len, U(plaintext),
                          static_cast<int>(plaintext.size())) != 1 ||
        EVP_EncryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(ct.data()) + len, &fin) != 1) {
      return CryptoError("SM4 encryption failed");
    }
    ct.resize(static_cast<size_t>(len + fin));
    std::string body = absl::StrCat(header, iv, ct);
    // Encrypt-then-MAC: the tag covers header, IV, ciphertext and context.
    std::string tag = Hmac(EVP_sm3(), k.mac_key, absl::StrCat(body, context));
    return absl::StrCat(body, tag);
  }
  ASSIGN_OR_RETURN(std::string iv, Random(kGcmIv));
  if (EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, U(k.enc_key), U(iv)) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, U(header), static_cast<int>(header.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, U(context), static_cast<int>(context.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(ct.data()), &len, U(plaintext),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(ct.data()) + len, &fin) != 1) {
    return CryptoError("AES-GCM encryption failed");
  }
  ct.resize(static_cast<size_t>(len + fin));
  std::string tag(kGcmTag, '\0');
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kGcmTag), tag.data()) != 1) {
    return CryptoError("AES-GCM tag failed");
  }
  return absl::StrCat(header, iv, ct, tag);
}

absl::StatusOr<std::string> FieldCipher::Open(absl::string_view sealed, absl::string_view context) const {
  std::string key_id = KeyIdOf(sealed);
  const Key* k = FindKey(key_id);
  if (k == nullptr) return absl::DataLossError(absl::StrCat("sealed value names unknown key '", key_id, "'"));
  size_t header_len = 3 + key_id.size();
  if (static_cast<unsigned char>(sealed[1]) != static_cast<unsigned char>(k->algorithm)) {
    return absl::DataLossError("sealed value's algorithm does not match its key");
  }
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0, fin = 0;
  if (k->algorithm == Algorithm::kSm4CtrHmacSm3) {
    if (sealed.size() < header_len + kSm4Iv + kSm3Tag) return absl::DataLossError("sealed value is truncated");
    absl::string_view body = sealed.substr(0, sealed.size() - kSm3Tag);
    absl::string_view tag = sealed.substr(sealed.size() - kSm3Tag);
    std::string expected = Hmac(EVP_sm3(), k->mac_key, absl::StrCat(body, context));
    if (CRYPTO_memcmp(expected.data(), tag.data(), kSm3Tag) != 0) {
      return absl::DataLossError("sealed value failed authentication");
    }
    absl::string_view iv = body.substr(header_len, kSm4Iv);
    absl::string_view ct = body.substr(header_len + kSm4Iv);
    std::string pt(ct.size() + 16, '\0');
    if (EVP_DecryptInit_ex(ctx.get(), EVP_sm4_ctr(), nullptr, U(k->enc_key), U(iv)) != 1 ||
        EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(pt.data()), &len, U(ct),
                          static_cast<int>(ct.size())) != 1 ||
        EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(pt.data()) + len, &fin) != 1) {
      return CryptoError("SM4 decryption failed");
    }
    pt.resize(static_cast<size_t>(len + fin));
    return pt;
  }
  if (sealed.size() < header_len + kGcmIv + kGcmTag) return absl::DataLossError("sealed value is truncated");
  absl::string_view header = sealed.substr(0, header_len);
  absl::string_view iv = sealed.substr(header_len, kGcmIv);
  absl::string_view ct = sealed.substr(header_len + kGcmIv, sealed.size() - header_len - kGcmIv - kGcmTag);
  std::string tag(sealed.substr(sealed.size() - kGcmTag));
  std::string pt(ct.size() + 16, '\0');
  if (EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, U(k->enc_key), U(iv)) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, U(header), static_cast<int>(header.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, U(context), static_cast<int>(context.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(pt.data()), &len, U(ct),
                        static_cast<int>(ct.size())) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kGcmTag), tag.data()) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(pt.data()) + len, &fin) != 1) {
    return absl::DataLossError("sealed value failed authentication");
  }
  pt.resize(static_cast<size_t>(len + fin));
  return pt;
}

std::string FieldCipher::GenerateIndexKeyFile() {
  auto key = Random(32);
  if (!key.ok()) return "";
  return absl::StrCat("# Lianxin blind-index key: kept apart from the data keys.\nindex ", absl::BytesToHexString(*key),
                      "\n");
}

std::string FieldCipher::BlindIndex(absl::string_view field, absl::string_view normalized_value) const {
  return Hmac(EVP_sm3(), index_key_, absl::StrCat(field, std::string(1, '\0'), normalized_value));
}

std::string MaskNationalId(absl::string_view id) {
  if (id.size() <= 7) return std::string(id.size(), '*');
  return absl::StrCat(id.substr(0, 3), std::string(id.size() - 7, '*'), id.substr(id.size() - 4));
}

std::string BirthYear(absl::string_view date) { return std::string(date.substr(0, 4)); }

std::string MaskPhone(absl::string_view phone) {
  if (phone.size() <= 7) return std::string(phone.size(), '*');
  return absl::StrCat(phone.substr(0, 3), std::string(phone.size() - 7, '*'), phone.substr(phone.size() - 4));
}

}  // namespace lianxin
