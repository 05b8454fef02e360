#include "services/gateway/secrets.h"

#include <liboath/oath.h>
#include <openssl/sha.h>
#include <sodium.h>

#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/status.h"

namespace lianxin::gateway {
namespace {

constexpr int kTotpStepSeconds = 30;

bool Init() {
  static const bool ok = sodium_init() >= 0 && oath_init() == OATH_OK;
  return ok;
}

std::string RandomBytes(size_t n) {
  Init();
  std::string out(n, '\0');
  randombytes_buf(out.data(), n);
  return out;
}

std::string DecodeBase32(absl::string_view secret) {
  char* out = nullptr;
  size_t len = 0;
  if (oath_base32_decode(secret.data(), secret.size(), &out, &len) != OATH_OK) return "";
  std::string bytes(out, len);
  free(out);
  return bytes;
}

}  // namespace

absl::StatusOr<std::string> HashPassword(absl::string_view password) {
  if (!Init()) return absl::InternalError("libsodium did not start");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return absl::ResourceExhaustedError("not enough memory to hash a password");
  }
  return std::string(out);
}

bool VerifyPassword(absl::string_view hash, absl::string_view password) {
  if (!Init() || hash.empty()) return false;
  std::string h(hash);  // NUL-terminated
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

const std::string& DecoyPasswordHash() {
  static const std::string* decoy = [] {
    auto h = HashPassword(absl::BytesToHexString(RandomBytes(16)));
    return new std::string(h.ok() ? *h : "");
  }();
  return *decoy;
}

absl::Status CheckNewPassword(absl::string_view password, absl::string_view username, absl::string_view field) {
  if (password.size() < 12) return FieldError(field, "must be at least 12 characters");
  if (password.size() > 256) return FieldError(field, "must be at most 256 bytes");
  if (absl::AsciiStrToLower(password) == absl::AsciiStrToLower(username)) {
    return FieldError(field, "must not be the username");
  }
  return absl::OkStatus();
}

std::string NewTotpSecret() {
  std::string raw = RandomBytes(20);
  char* out = nullptr;
  size_t len = 0;
  if (oath_base32_encode(raw.data(), raw.size(), &out, &len) != OATH_OK) return "";
  std::string b32(out, len);
  free(out);
  return b32;
}

std::string TotpUri(absl::string_view username, absl::string_view secret_base32) {
  return absl::StrCat("otpauth://totp/Lianxin:", username, "?secret=", secret_base32,
                      "&issuer=Lianxin&algorithm=SHA1&digits=6&period=30");
}

std::optional<int64_t> CheckTotp(absl::string_view secret_base32, absl::string_view code, absl::Time now,
                                 int64_t last_step) {
  if (!Init() || code.size() != 6) return std::nullopt;
  for (char ch : code) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(ch))) return std::nullopt;
  }
  std::string secret = DecodeBase32(secret_base32);
  if (secret.empty()) return std::nullopt;
  std::string otp(code);
  int pos = 0;
  const time_t t = static_cast<time_t>(absl::ToUnixSeconds(now));
  if (oath_totp_validate2(secret.data(), secret.size(), t, kTotpStepSeconds, 0, 1, &pos, otp.c_str()) < 0) {
    return std::nullopt;
  }
  const int64_t step = t / kTotpStepSeconds + pos;
  if (step <= last_step) return std::nullopt;  // used already
  return step;
}

std::string TotpCode(absl::string_view secret_base32, absl::Time at) {
  Init();
  std::string secret = DecodeBase32(secret_base32);
  char otp[7] = {0};
  if (oath_totp_generate(secret.data(), secret.size(), static_cast<time_t>(absl::ToUnixSeconds(at)), kTotpStepSeconds,
                         0, 6, otp) != OATH_OK) {
    return "";
  }
  return otp;
}

std::string NewBearerToken(absl::string_view prefix) {
  return absl::StrCat(prefix, absl::WebSafeBase64Escape(RandomBytes(32)));
}

std::string NewDigitsCode(int digits) {
  Init();
  std::string out;
  for (int i = 0; i < digits; ++i) out.push_back(static_cast<char>('0' + randombytes_uniform(10)));
  return out;
}

std::string TokenHash(absl::string_view token) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(), digest);
  return std::string(reinterpret_cast<const char*>(digest), sizeof digest);
}

}  // namespace lianxin::gateway
