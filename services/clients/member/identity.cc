#include "services/clients/member/identity.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"

namespace lianxin::member {
namespace {

bool KnownProvince(int code) {
  static const int kCodes[] = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42,
                               43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82};
  for (int c : kCodes) {
    if (c == code) return true;
  }
  return false;
}

}  // namespace

char NationalIdCheckChar(absl::string_view first17) {
  static const int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static const char kChecks[] = "10X98765432";
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (first17[static_cast<size_t>(i)] - '0') * kWeights[i];
  return kChecks[sum % 11];
}

std::string NormalizeNationalId(absl::string_view id) {
  std::string out(absl::StripAsciiWhitespace(id));
  if (!out.empty() && out.back() == 'x') out.back() = 'X';
  return out;
}

std::string CheckNationalId(absl::string_view id, NationalIdFacts* facts) {
  if (id.size() != 18) return "must be 18 characters";
  for (size_t i = 0; i < 17; ++i) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(id[i]))) return "must be 17 digits and a check character";
  }
  if (!absl::ascii_isdigit(static_cast<unsigned char>(id[17])) && id[17] != 'X') {
    return "must end in a digit or X";
  }
  int province = (id[0] - '0') * 10 + (id[1] - '0');
  if (!KnownProvince(province)) return "has an unknown region code";
  int year = 0, month = 0, day = 0;
  (void)absl::SimpleAtoi(id.substr(6, 4), &year);
  (void)absl::SimpleAtoi(id.substr(10, 2), &month);
  (void)absl::SimpleAtoi(id.substr(12, 2), &day);
  absl::CivilDay birth(year, month, day);
  if (year < 1900 || birth.year() != year || birth.month() != month || birth.day() != day) {
    return "holds an impossible birth date";
  }
  if (NationalIdCheckChar(id.substr(0, 17)) != id[17]) return "has a wrong check character";
  if (facts != nullptr) {
    facts->birth_date = absl::FormatCivilTime(birth);
    facts->male = (id[16] - '0') % 2 == 1;
  }
  return "";
}

}  // namespace lianxin::member
