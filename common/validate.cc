#include "common/validate.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"

namespace lianxin {

bool IsValidUtf8(absl::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size(), i = 0;
  while (i < n) {
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else
      return false;
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += len;
  }
  return true;
}

size_t Utf8Length(absl::string_view s) {
  size_t count = 0;
  for (unsigned char c : s) count += (c & 0xC0) != 0x80;
  return count;
}

void Validator::Add(absl::string_view field, absl::string_view description) {
  violations_.push_back({std::string(field), std::string(description)});
}

void Validator::RequestId(absl::string_view value) {
  Check(value.size() <= 64 && IsValidUtf8(value), "request_id", "must be at most 64 characters");
}

void Validator::Check(bool ok, absl::string_view field, absl::string_view description) {
  if (!ok) Add(field, description);
}

void Validator::Text(absl::string_view field, absl::string_view value, size_t min_len, size_t max_len) {
  if (!IsValidUtf8(value)) return Add(field, "must be valid UTF-8");
  for (unsigned char c : value) {
    if (c < 0x20 || c == 0x7F) return Add(field, "must not contain control characters");
  }
  size_t len = Utf8Length(value);
  if (len < min_len) {
    return Add(field, min_len == 1 ? std::string("must not be empty")
                                   : absl::StrCat("must be at least ", min_len, " characters"));
  }
  if (len > max_len) Add(field, absl::StrCat("must be at most ", max_len, " characters"));
}

void Validator::HttpsLink(absl::string_view field, absl::string_view u) {
  // https only; no control character, space or quote can hide a second link
  // or break out of a stored list.
  bool clean = std::none_of(u.begin(), u.end(), [](char ch) {
    auto b = static_cast<unsigned char>(ch);
    return b < 0x21 || b == 0x7f || ch == '"' || ch == '\\';
  });
  Check(absl::StartsWith(u, "https://") && u.size() > 8 && u.size() <= 500 && clean && IsValidUtf8(u), field,
        "must be https links of at most 500 characters, without spaces or control characters");
}

void Validator::LongText(absl::string_view field, absl::string_view value, size_t max_len) {
  if (!IsValidUtf8(value)) return Add(field, "must be valid UTF-8");
  for (unsigned char c : value) {
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) return Add(field, "must not contain control characters");
  }
  if (Utf8Length(value) > max_len) Add(field, absl::StrCat("must be at most ", max_len, " characters"));
}

std::string Validator::Name(absl::string_view field, absl::string_view value, const Collection& collection,
                            bool required) {
  if (value.empty() && !required) return "";
  absl::StatusOr<std::string> id = collection.Parse(value, field);
  if (id.ok()) return *id;
  for (const FieldViolation& fv : ViolationsOf(id.status())) Add(fv.field, fv.description);
  return "";
}

void Validator::Date(absl::string_view field, absl::string_view value, bool required) {
  if (value.empty()) {
    if (required) Add(field, "is required (YYYY-MM-DD)");
    return;
  }
  absl::CivilDay day;
  if (value.size() != 10 || !absl::ParseCivilTime(value, &day) || absl::FormatCivilTime(day) != value) {
    Add(field, "must be a date YYYY-MM-DD");
  }
}

absl::Status Validator::status() const { return violations_.empty() ? absl::OkStatus() : InvalidFields(violations_); }

std::string NormalizePhone(absl::string_view phone) {
  std::string digits;
  for (char c : phone) {
    if (c != ' ' && c != '-') digits.push_back(c);
  }
  absl::string_view d(digits);
  if (!absl::ConsumePrefix(&d, "+86")) {
    if (d.size() == 13) absl::ConsumePrefix(&d, "86");
  }
  return std::string(d);
}

std::string CheckPhone(absl::string_view phone) {
  if (phone.size() != 11) return "must be an 11-digit mobile number";
  for (char c : phone) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return "must hold digits only";
  }
  if (phone[0] != '1' || phone[1] < '3') return "is not a mainland mobile number (1[3-9]xxxxxxxxx)";
  return "";
}

}  // namespace lianxin
