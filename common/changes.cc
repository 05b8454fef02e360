#include "common/changes.h"

#include "absl/strings/str_cat.h"
#include "common/log.h"

namespace lianxin {

void ChangeSet::Changed(absl::string_view field, absl::string_view old_value, absl::string_view new_value) {
  if (old_value == new_value) return;
  entries_.push_back({std::string(field), std::string(old_value), std::string(new_value), true});
}

void ChangeSet::Set(absl::string_view field, absl::string_view value) {
  entries_.push_back({std::string(field), "", std::string(value), false});
}

std::string ChangeSet::Json() const {
  std::string out = "{";
  for (size_t i = 0; i < entries_.size(); ++i) {
    const Entry& e = entries_[i];
    if (i > 0) out += ",";
    absl::StrAppend(&out, "\"", JsonEscape(e.field), "\":{");
    if (e.has_old) absl::StrAppend(&out, "\"old\":\"", JsonEscape(e.old_value), "\",");
    absl::StrAppend(&out, "\"new\":\"", JsonEscape(e.new_value), "\"}");
  }
  return out + "}";
}

}  // namespace lianxin
