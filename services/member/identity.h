// Checks of identity data: the national ID number (GB 11643: 18 characters,
// a known province, a real birth date, the check character) and mainland
// mobile numbers. Pure functions, no I/O.
#ifndef LIANXIN_SERVICES_MEMBER_IDENTITY_H_
#define LIANXIN_SERVICES_MEMBER_IDENTITY_H_

#include <string>

#include "absl/strings/string_view.h"

namespace lianxin::member {

struct NationalIdFacts {
  std::string birth_date;  // YYYY-MM-DD
  bool male = false;       // the 17th digit is odd
};

// "" when valid (and fills `facts`), else why not.
std::string CheckNationalId(absl::string_view id, NationalIdFacts* facts);
// Upper-cases a trailing x.
std::string NormalizeNationalId(absl::string_view id);
// The check character for the first 17 digits.
char NationalIdCheckChar(absl::string_view first17);

// "" when `phone` is a mainland mobile number (11 digits, 1[3-9]...), else why not.
std::string CheckPhone(absl::string_view phone);
// Drops spaces, dashes and a +86 / 86 prefix.
std::string NormalizePhone(absl::string_view phone);

}  // namespace lianxin::member

#endif  // LIANXIN_SERVICES_MEMBER_IDENTITY_H_
