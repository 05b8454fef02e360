// The gateway's secrets: password hashes (Argon2id, libsodium), TOTP second
// factors (RFC 6238, liboath), and the random tokens and codes it hands out,
// kept only as their SHA-256.
#ifndef LIANXIN_SERVICES_GATEWAY_SECRETS_H_
#define LIANXIN_SERVICES_GATEWAY_SECRETS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace lianxin::gateway {

// Argon2id with libsodium's interactive limits (64 MiB, 2 passes): about
// 0.1 s of one core per hash, so at most a few run at once (see
// kConcurrentHashes).
absl::StatusOr<std::string> HashPassword(absl::string_view password);
bool VerifyPassword(absl::string_view hash, absl::string_view password);
// Password hashes computed at once in one process, each holding 64 MiB.
inline constexpr int kConcurrentHashes = 4;
// A hash to verify against when the username is unknown, so that an unknown
// name takes as long as a wrong password.
const std::string& DecoyPasswordHash();

// INVALID_ARGUMENT naming `field` for a password under 12 characters or over
// 256 bytes, or the same as the username.
absl::Status CheckNewPassword(absl::string_view password, absl::string_view username, absl::string_view field);

// 20 random bytes, base32 (32 characters), for an authenticator app.
std::string NewTotpSecret();
// otpauth://totp/Lianxin:USER?secret=...&issuer=Lianxin
std::string TotpUri(absl::string_view username, absl::string_view secret_base32);
// The 30-second step of a valid code for `secret_base32` at `now`, one step
// of drift allowed either way, and later than `last_step` (a code is good
// once); nullopt otherwise.
std::optional<int64_t> CheckTotp(absl::string_view secret_base32, absl::string_view code, absl::Time now,
                                 int64_t last_step);
// The code for a step (tests and the demo's instructions).
std::string TotpCode(absl::string_view secret_base32, absl::Time at);

// A bearer token: prefix + 43 characters of base64url (32 random bytes).
std::string NewBearerToken(absl::string_view prefix);
// Eight random digits.
std::string NewDigitsCode(int digits = 8);
// SHA-256 of a token or code, as kept in the database.
std::string TokenHash(absl::string_view token);

}  // namespace lianxin::gateway

#endif  // LIANXIN_SERVICES_GATEWAY_SECRETS_H_
