// The "what changed" of a history record, as a JSON object:
//   {"display_name":{"old":"学卫","new":"学卫社区"},"parent":{"new":"orgUnits/x"}}
// Sensitive values must be masked by the caller before they are added.
#ifndef LIANXIN_COMMON_CHANGES_H_
#define LIANXIN_COMMON_CHANGES_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace lianxin {

class ChangeSet {
 public:
  // Records a change; nothing if old == new.
  void Changed(absl::string_view field, absl::string_view old_value, absl::string_view new_value);
  // Records a value set on creation.
  void Set(absl::string_view field, absl::string_view value);
  bool empty() const { return entries_.empty(); }
  std::string Json() const;

 private:
  struct Entry {
    std::string field, old_value, new_value;
    bool has_old;
  };
  std::vector<Entry> entries_;
};

}  // namespace lianxin

#endif  // LIANXIN_COMMON_CHANGES_H_
