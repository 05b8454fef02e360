// The activity service's rules that need no database and no other service
// (docs/domain.md "Organizational life"): which types count for what, the
// default compliance rules and their periods, when a meeting is valid, the
// rotating check-in code, and distances.
#ifndef LIANXIN_SERVICES_ACTIVITY_RULES_H_
#define LIANXIN_SERVICES_ACTIVITY_RULES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "lianxin/activity/v1/compliance.pb.h"
#include "lianxin/org/v1/org_unit.pb.h"

namespace lianxin::activity {

namespace v1 = ::lianxin::activity::v1;

// Whether attending counts as study hours (every type but volunteer service).
bool CountsForStudy(v1::ActivityType type);
// Whether it is valid only with more than half of its voting members present.
bool NeedsQuorum(v1::ActivityType type);
// Held: valid if a quorum type had more than half of its voting members
// present, any other type if anyone came.
bool IsValid(v1::ActivityType type, int voting_expected, int voting_present, int present);

// Study hours a year: 32, or 56 for a secretary.
inline constexpr double kStudyHours = 32;
inline constexpr double kSecretaryStudyHours = 56;

// The unit types held to branch rules (member meeting, committee meeting,
// party lecture, theme day, organizational life meeting) and to group rules
// (group meeting).
bool IsBranchLike(org::v1::OrgUnitType type);
bool IsGroup(org::v1::OrgUnitType type);

// The rules a unit of `unit_type` is held to by default (the regulation's):
// none for units above a community.
std::vector<v1::ComplianceRule> DefaultRules(org::v1::OrgUnitType unit_type);
// The unit's rules: its defaults, replaced type by type by what it set
// (`set`), in type order; those still default say so.
std::vector<v1::ComplianceRule> EffectiveRules(org::v1::OrgUnitType unit_type,
                                               const std::vector<v1::ComplianceRule>& set);

// One period of a cadence in a year: [first, last] days.
struct Period {
  absl::CivilDay first, last;
};
// The periods of `year` for a cadence (none for CADENCE_NONE).
std::vector<Period> PeriodsOf(v1::Cadence cadence, int year);

// Held activities of one type, by the month (1-12) of their start date.
struct MonthCounts {
  int valid[13] = {0};
  int invalid[13] = {0};
};
// Held activities by host unit id, then by type.
using HeldCounts = absl::flat_hash_map<std::string, absl::flat_hash_map<int, MonthCounts>>;
// One type's compliance in `year` as of `today` (periods ending before today
// and short are missed; the others met or open).
v1::TypeCompliance Judge(const v1::ComplianceRule& rule, int year, const MonthCounts& counts, absl::CivilDay today);
// Judge's count of missed periods alone, with nothing built: for judging
// thousands of units when only those behind are shown.
int MissedPeriods(const v1::ComplianceRule& rule, int year, const MonthCounts& counts, absl::CivilDay today);

// The rotating check-in code: six digits from HMAC-SHA256 of the activity's
// secret (hex) and the 30-second window; a code is accepted in its window and
// the next, so no code is good for more than 60 seconds.
inline constexpr int64_t kCodeWindowSeconds = 30;
std::string CheckInCodeAt(const std::string& secret_hex, int64_t window);
int64_t CodeWindow(absl::Time t);
// Whether `code` is the code of `now`'s window or the one before it.
bool CheckInCodeValid(const std::string& secret_hex, const std::string& code, absl::Time now);
// A new secret: 32 random bytes, hex.
std::string NewCheckInSecret();

// Metres between two points (haversine, WGS-84 mean radius).
double DistanceMeters(double lat1, double lng1, double lat2, double lng2);

}  // namespace lianxin::activity

#endif  // LIANXIN_SERVICES_ACTIVITY_RULES_H_
