// Update masks (AIP-134): which fields an update names — checked against what
// may be updated — and copying those fields into the resource as stored.
//
//   Validator v;
//   std::vector<std::string> paths =
//       MaskPaths(v, req.update_mask(), {"display_name", "address"}, "the kind and parent stay");
//   RETURN_IF_ERROR(v.status());
//   v1::Place next = stored.proto;
//   ApplyMask(req.place(), paths, &next);  // the named fields as the request has them
#ifndef LIANXIN_COMMON_FIELD_MASK_H_
#define LIANXIN_COMMON_FIELD_MASK_H_

#include <google/protobuf/field_mask.pb.h>
#include <google/protobuf/message.h>

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "common/validate.h"

namespace lianxin {

// The mask's paths. Violations on update_mask when it is empty or names a
// path not in `updatable` (the message lists what is, and `note` if given).
std::vector<std::string> MaskPaths(Validator& v, const google::protobuf::FieldMask& mask,
                                   absl::Span<const absl::string_view> updatable, absl::string_view note = "");

// Whether `paths` name `field`.
bool Masks(const std::vector<std::string>& paths, absl::string_view field);

// Copies the top-level fields `paths` name from `from` into `to` (the same
// message type): a field `from` lacks is cleared in `to`; repeated and message
// fields are replaced whole, not merged.
void ApplyMask(const google::protobuf::Message& from, const std::vector<std::string>& paths,
               google::protobuf::Message* to);

}  // namespace lianxin

#endif  // LIANXIN_COMMON_FIELD_MASK_H_
