// Identifiers that do not depend on AUTO_INCREMENT, so rows can move between
// shards: 16 characters of lowercase base32 (80 random bits).
#ifndef LIANXIN_COMMON_IDS_H_
#define LIANXIN_COMMON_IDS_H_

#include <string>

#include "absl/strings/string_view.h"

namespace lianxin {

std::string NewId();
// For request ids and event ids made up by the platform itself.
std::string NewRequestId();
// A request id a caller may send (x-request-id): 1-64 of [A-Za-z0-9._-].
bool ValidRequestId(absl::string_view id);

}  // namespace lianxin

#endif  // LIANXIN_COMMON_IDS_H_
