#include "services/activity/dues_rules.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"

namespace lianxin::activity {

std::optional<MonthIndex> ParseMonth(absl::string_view text) {
  int year = 0, month = 0;
  if (text.size() != 7 || text[4] != '-' || !absl::SimpleAtoi(text.substr(0, 4), &year) ||
      !absl::SimpleAtoi(text.substr(5, 2), &month) || text[5] < '0' || text[5] > '1') {
    return std::nullopt;
  }
  if (year < 2000 || year > 2100 || month < 1 || month > 12) return std::nullopt;
  return year * 12 + (month - 1);
}

std::string MonthText(MonthIndex m) { return absl::StrFormat("%04d-%02d", m / 12, m % 12 + 1); }

MonthIndex MonthOf(absl::CivilDay day) { return static_cast<int>(day.year()) * 12 + (day.month() - 1); }

bool NeedsBase(v1::DuesCategory category) {
  return category == v1::DUES_CATEGORY_EMPLOYED || category == v1::DUES_CATEGORY_RETIRED;
}

DuesRate RateFor(v1::DuesCategory category, int64_t base_fen) {
  int bp = 0;
  switch (category) {
    case v1::DUES_CATEGORY_EMPLOYED:
      bp = base_fen <= 300000 ? 50 : base_fen <= 500000 ? 100 : base_fen <= 1000000 ? 150 : 200;
      break;
    case v1::DUES_CATEGORY_RETIRED:
      bp = base_fen <= 500000 ? 50 : 100;
      break;
    default:
      return {0, 20};
  }
  // base × bp / 10000, half up.
  return {bp, (base_fen * bp + 5000) / 10000};
}

}  // namespace lianxin::activity
