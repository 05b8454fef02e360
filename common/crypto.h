// Field encryption for personal data (national ID, phone, health and attitude
// notes), with the national algorithms Chinese government systems are held to:
// SM4-CTR encryption with an HMAC-SM3 tag, encrypt-then-MAC (OpenSSL 3 has no
// SM4-GCM); AES-256-GCM is selectable per key. Every sealed value names its
// key, so keys rotate: new values use the active key, old ones stay readable
// until re-sealed (see the rotation command of each service).
//
// Lookups never decrypt the table: BlindIndex() is a keyed hash (HMAC-SM3 with
// an index key that does not rotate) of the normalized value, stored beside it.
//
// Two files, one entry per line ('#' starts a comment), each readable by its
// owner only:
//   the data keys:      key <id> <sm4|aes256gcm> <64 hex digits>  (the first one is active)
//   the index key file: index <64 hex digits>                     (the blind-index key)
// FromText() reads both kinds of line from one text (tests, tools).
//
//   ASSIGN_OR_RETURN(auto cipher, FieldCipher::FromFiles("/etc/lianxin/member.keys", "/etc/lianxin/member.index"));
//   ASSIGN_OR_RETURN(std::string sealed, cipher->Seal("13812345678", "members/x/phone"));
//   ASSIGN_OR_RETURN(std::string phone, cipher->Open(sealed, "members/x/phone"));
#ifndef LIANXIN_COMMON_CRYPTO_H_
#define LIANXIN_COMMON_CRYPTO_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace lianxin {

class FieldCipher {
 public:
  enum class Algorithm { kSm4CtrHmacSm3 = 1, kAes256Gcm = 2 };

  // The data keys' file ('key' lines) and the blind-index key's own file
  // (one 'index' line), both readable by their owner only.
  static absl::StatusOr<std::unique_ptr<FieldCipher>> FromFiles(const std::string& keys_path,
                                                                const std::string& index_path);
  static absl::StatusOr<std::unique_ptr<FieldCipher>> FromText(absl::string_view text);
  // A new key file's text: an index key and one data key, random.
  static absl::StatusOr<std::string> GenerateKeyFile(Algorithm algorithm, const std::string& key_id);
  // A new index key file's text ("" if the random generator failed).
  static std::string GenerateIndexKeyFile();

  // `context` (e.g. "members/x/phone") is authenticated with the value, so a
  // sealed value copied to another row or field does not open.
  absl::StatusOr<std::string> Seal(absl::string_view plaintext, absl::string_view context) const;
  absl::StatusOr<std::string> Open(absl::string_view sealed, absl::string_view context) const;
  // The id of the key that sealed `sealed` ("" if malformed).
  static std::string KeyIdOf(absl::string_view sealed);
  const std::string& active_key_id() const { return keys_.front().id; }

  // 32 bytes; `field` separates indexes of different fields.
  std::string BlindIndex(absl::string_view field, absl::string_view normalized_value) const;

 private:
  struct Key {
    std::string id;
    Algorithm algorithm;
    std::string enc_key;  // 16 bytes for SM4, 32 for AES
    std::string mac_key;  // 32 bytes (SM4 only)
  };
  FieldCipher() = default;
  const Key* FindKey(absl::string_view id) const;

  std::vector<Key> keys_;
  std::string index_key_;
};

// Masks for display: "110***********1234", "138****5678", notes → "***".
std::string MaskNationalId(absl::string_view id);
// A birth date as masked answers show it: "1960-05-01" → "1960".
std::string BirthYear(absl::string_view date);
std::string MaskPhone(absl::string_view phone);

// Tests only: replaces RAND_bytes (nullptr restores it).
void SetRandomSourceForTest(int (*source)(unsigned char*, int));

}  // namespace lianxin

#endif  // LIANXIN_COMMON_CRYPTO_H_
