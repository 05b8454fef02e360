// Request checking shared by every service: collects one violation per bad
// field, then returns them together as INVALID_ARGUMENT with BadRequest.
//
//   Validator v;
//   v.Text("org_unit.display_name", req.display_name(), 1, 100);
//   std::string parent = v.Name("org_unit.parent", req.parent(), kOrgUnits);
//   RETURN_IF_ERROR(v.status());
#ifndef LIANXIN_COMMON_VALIDATE_H_
#define LIANXIN_COMMON_VALIDATE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/names.h"
#include "common/status.h"

namespace lianxin {

// True if `s` is well-formed UTF-8 (no overlongs, no surrogates).
bool IsValidUtf8(absl::string_view s);
// Number of code points in valid UTF-8.
size_t Utf8Length(absl::string_view s);

// Mainland mobile numbers. NormalizePhone drops spaces, dashes and a +86 / 86
// prefix; CheckPhone says "" for 11 digits 1[3-9]..., else why not.
std::string NormalizePhone(absl::string_view phone);
std::string CheckPhone(absl::string_view phone);

class Validator {
 public:
  // Display text: valid UTF-8, no control characters, min..max code points.
  void Text(absl::string_view field, absl::string_view value, size_t min_len, size_t max_len);
  // A resource name of `collection` (common/names.h); returns the id ("" and
  // a violation if malformed; "" without a violation if empty and !required).
  std::string Name(absl::string_view field, absl::string_view value, const Collection& collection,
                   bool required = true);
  // A calendar date YYYY-MM-DD; empty allowed unless required.
  void Date(absl::string_view field, absl::string_view value, bool required);
  // A create's request_id (AIP-155): at most 64 characters of UTF-8; empty
  // for none.
  void RequestId(absl::string_view value);
  // Links to photos: at most `max_count`, each https, at most 500
  // characters, without spaces, quotes or control characters.
  template <typename Range>
  void HttpsLinks(absl::string_view field, const Range& urls, int max_count) {
    Check(static_cast<int>(urls.size()) <= max_count, field, absl::StrCat("at most ", max_count, " links"));
    for (const auto& u : urls) HttpsLink(field, u);
  }
  void HttpsLink(absl::string_view field, absl::string_view url);
  // Text of several lines (minutes, an agenda): valid UTF-8, no control
  // characters but newlines and tabs, at most max_len code points.
  void LongText(absl::string_view field, absl::string_view value, size_t max_len);
  void Check(bool ok, absl::string_view field, absl::string_view description);
  void Add(absl::string_view field, absl::string_view description);

  bool ok() const { return violations_.empty(); }
  absl::Status status() const;

 private:
  std::vector<FieldViolation> violations_;
};

}  // namespace lianxin

#endif  // LIANXIN_COMMON_VALIDATE_H_
