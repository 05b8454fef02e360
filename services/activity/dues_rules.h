// The rules of party dues that need neither the database nor other services
// (中组发〔2008〕3号, docs/domain.md "Party dues"): the brackets, and months
// as numbers.
#ifndef LIANXIN_SERVICES_ACTIVITY_DUES_RULES_H_
#define LIANXIN_SERVICES_ACTIVITY_DUES_RULES_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "lianxin/activity/v1/dues.pb.h"

namespace lianxin::activity {

// A month as one number: year * 12 + (month - 1).
using MonthIndex = int;
// "2026-03" → its index; nullopt unless YYYY-MM with a year 2000-2100.
std::optional<MonthIndex> ParseMonth(absl::string_view text);
std::string MonthText(MonthIndex m);
MonthIndex MonthOf(absl::CivilDay day);

struct DuesRate {
  int rate_basis_points = 0;  // 0 for the fixed amounts
  int64_t monthly_fen = 0;
};
// The bracket of `category` for a monthly after-tax pay or pension of
// `base_fen`: the rate applies to the whole base, each bound counted in the
// lower bracket, rounded half up to the fen. Students, laid-off workers and
// those on relief pay 20 fen whatever their base.
DuesRate RateFor(v1::DuesCategory category, int64_t base_fen);
// Whether the category's dues follow a base pay (employed, retired).
bool NeedsBase(v1::DuesCategory category);

}  // namespace lianxin::activity

#endif  // LIANXIN_SERVICES_ACTIVITY_DUES_RULES_H_
