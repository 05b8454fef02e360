// Crediting members' service hours and points (docs/domain.md "Service hours
// and points"): each credit one double entry from the district's account to
// the member's, in the caller's transaction; points as the district's rules
// give them, never past a rule's cap in its cycle.
#ifndef LIANXIN_SERVICES_ACTIVITY_CREDITS_H_
#define LIANXIN_SERVICES_ACTIVITY_CREDITS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/db.h"
#include "lianxin/activity/v1/ledger.pb.h"
#include "services/activity/activity_store.h"

namespace lianxin::activity {

inline constexpr int kHours = v1::LEDGER_HOURS;
inline constexpr int kPoints = v1::LEDGER_POINTS;

struct Credit {
  std::string district_id, member_id;
  int ledger = kHours;
  int64_t minutes = 0;     // hours: what was served; points come from the rules
  std::string source;      // requests/{id}, activities/{id}
  int point_source = 0;    // a PointSource
  int activity_type = 0;   // for ACTIVITY_ATTENDED
  std::string source_key;  // once per key
  absl::Time at;           // when it was earned: the cycle its points count in
  std::string memo;
};

// A district's rules: the defaults (5 points a closed request, at most 30 a
// month; 3 points an activity attended, at most 12 a month) replaced by what
// it set.
std::vector<v1::PointRule> EffectivePointRules(const std::vector<store::PointRuleRow>& set);
// The rule a source earns by (an activity type's own, else every type's).
std::optional<v1::PointRule> RuleFor(const std::vector<v1::PointRule>& rules, int source, int activity_type);
// "2026-12", "2026-Q4", "2026".
std::string CycleOf(v1::Cadence cycle, absl::Time at);
// The accounts: "members/{id}", "orgUnits/{district}/hours" or "/points".
std::string MemberAccount(const std::string& member_id);
std::string DistrictAccount(const std::string& district_id, int ledger);

// Writes the credits in the caller's transaction; the points of each as its
// district's rules give, within the cap (none once it is reached). How many
// entries were written.
absl::StatusOr<int> WriteCredits(Db& db, const std::vector<Credit>& credits, const std::string& actor, int64_t now_us);

}  // namespace lianxin::activity

#endif  // LIANXIN_SERVICES_ACTIVITY_CREDITS_H_
