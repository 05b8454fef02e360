// Checks of identity data: the national ID number (GB 11643: 18 characters,
// a known province, a real birth date, the check character) and mainland
// mobile numbers. Pure functions, no I/O.
#ifndef LIANXIN_SERVICES_CLIENTS_MEMBER_IDENTITY_H_
#define LIANXIN_SERVICES_CLIENTS_MEMBER_IDENTITY_H_

#include <string>

#include "absl/strings/string_view.h"
#include "common/validate.h"

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

// Phones are checked as every service checks them (common/validate.h).
using ::lianxin::CheckPhone;
using ::lianxin::NormalizePhone;

}  // namespace lianxin::member

#endif  // LIANXIN_SERVICES_CLIENTS_MEMBER_IDENTITY_H_
