#include "common/page_token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/status.h"

namespace lianxin {

std::string PageTokens::Mac(absl::string_view data) const {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), 16);  // 128 bits is plenty here
}

std::string PageTokens::Encode(absl::string_view fingerprint, absl::string_view cursor) const {
  std::string signed_part = absl::StrCat(fingerprint, "\n", cursor);
  std::string raw = absl::StrCat(Mac(signed_part), cursor);
  std::string out;
  absl::WebSafeBase64Escape(raw, &out);
  return out;
}

absl::StatusOr<std::string> PageTokens::Decode(absl::string_view token, absl::string_view fingerprint) const {
  if (token.empty()) return std::string();
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw) || raw.size() < 16) {
    return FieldError("page_token", "is not a token this list returned");
  }
  std::string cursor = raw.substr(16);
  std::string expected = Mac(absl::StrCat(fingerprint, "\n", cursor));
  if (CRYPTO_memcmp(expected.data(), raw.data(), 16) != 0) {
    return FieldError("page_token", "is not a token this list returned, or the query changed");
  }
  return cursor;
}

absl::StatusOr<int> PageSize(int requested, int default_size, int max_size) {
  if (requested < 0) return FieldError("page_size", "must not be negative");
  if (requested == 0) return default_size;
  return requested > max_size ? max_size : requested;
}

}  // namespace lianxin
