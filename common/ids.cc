#include "common/ids.h"

#include "absl/random/random.h"

namespace lianxin {

std::string NewId() {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  thread_local absl::BitGen gen;
  std::string id(16, 'a');
  for (char& c : id) c = kAlphabet[absl::Uniform(gen, 0, 32)];
  return id;
}

std::string NewRequestId() { return NewId(); }

}  // namespace lianxin
