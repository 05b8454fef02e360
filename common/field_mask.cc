#include "common/field_mask.h"

#include <algorithm>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace lianxin {

std::vector<std::string> MaskPaths(Validator& v, const google::protobuf::FieldMask& mask,
                                   absl::Span<const absl::string_view> updatable, absl::string_view note) {
  const std::string what = absl::StrCat("updatable: ", absl::StrJoin(updatable, ", "), note.empty() ? "" : "; ", note);
  std::vector<std::string> paths(mask.paths().begin(), mask.paths().end());
  if (paths.empty()) v.Add("update_mask", absl::StrCat("is required (", what, ")"));
  for (const std::string& p : paths) {
    if (std::find(updatable.begin(), updatable.end(), p) == updatable.end()) {
      v.Add("update_mask", absl::StrCat("cannot update '", p, "' (", what, ")"));
    }
  }
  return paths;
}

bool Masks(const std::vector<std::string>& paths, absl::string_view field) {
  return std::find(paths.begin(), paths.end(), field) != paths.end();
}

void ApplyMask(const google::protobuf::Message& from, const std::vector<std::string>& paths,
               google::protobuf::Message* to) {
  for (const std::string& path : paths) {
    const auto* field = to->GetDescriptor()->FindFieldByName(path);
    if (field == nullptr) continue;  // MaskPaths lets only known paths through
    // The one field of `from` alone, merged onto `to` with that field cleared:
    // singular values set (or left cleared), repeated and messages replaced.
    std::unique_ptr<google::protobuf::Message> only(from.New());
    only->CopyFrom(from);
    std::vector<const google::protobuf::FieldDescriptor*> set;
    only->GetReflection()->ListFields(*only, &set);
    for (const auto* f : set) {
      if (f != field) only->GetReflection()->ClearField(only.get(), f);
    }
    to->GetReflection()->ClearField(to, field);
    to->MergeFrom(*only);
  }
}

}  // namespace lianxin
