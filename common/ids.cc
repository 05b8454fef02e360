#include "common/ids.h"

#include "absl/random/random.h"
#include "absl/strings/ascii.h"

namespace lianxin {

std::string NewId() {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  thread_local absl::BitGen gen;
  std::string id(16, 'a');
  for (char& c : id) c = kAlphabet[absl::Uniform(gen, 0, 32)];
  return id;
}

std::string NewRequestId() { return NewId(); }

bool ValidRequestId(absl::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!(absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
  }
  return true;
}

}  // namespace lianxin
