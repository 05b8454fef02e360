#include "services/activity/rules.h"

#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <cmath>
#include <map>

#include "absl/strings/escaping.h"
#include "absl/strings/str_format.h"

namespace lianxin::activity {

bool CountsForStudy(v1::ActivityType type) {
  return type != v1::ACTIVITY_TYPE_VOLUNTEER_SERVICE && type != v1::ACTIVITY_TYPE_UNSPECIFIED;
}

bool NeedsQuorum(v1::ActivityType type) {
  return type == v1::ACTIVITY_TYPE_MEMBER_MEETING || type == v1::ACTIVITY_TYPE_COMMITTEE_MEETING;
}

bool IsValid(v1::ActivityType type, int voting_expected, int voting_present, int present) {
  if (NeedsQuorum(type)) return voting_expected > 0 && voting_present * 2 > voting_expected;
  return present > 0;
}

bool IsBranchLike(org::v1::OrgUnitType type) {
  return type == org::v1::ORG_UNIT_TYPE_BRANCH || type == org::v1::ORG_UNIT_TYPE_GENERAL_BRANCH ||
         type == org::v1::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE;
}

bool IsGroup(org::v1::OrgUnitType type) {
  return type == org::v1::ORG_UNIT_TYPE_PARTY_GROUP || type == org::v1::ORG_UNIT_TYPE_BUILDING_PARTY_GROUP;
}

namespace {

v1::ComplianceRule Rule(v1::ActivityType type, v1::Cadence cadence) {
  v1::ComplianceRule r;
  r.set_type(type);
  r.set_cadence(cadence);
  r.set_min_count(1);
  r.set_default_(true);
  return r;
}

int MonthsOf(v1::Cadence cadence) {
  switch (cadence) {
    case v1::CADENCE_MONTHLY:
      return 1;
    case v1::CADENCE_QUARTERLY:
      return 3;
    case v1::CADENCE_HALF_YEARLY:
      return 6;
    case v1::CADENCE_YEARLY:
      return 12;
    default:
      return 0;
  }
}

}  // namespace

std::vector<v1::ComplianceRule> DefaultRules(org::v1::OrgUnitType unit_type) {
  if (IsBranchLike(unit_type)) {
    return {Rule(v1::ACTIVITY_TYPE_MEMBER_MEETING, v1::CADENCE_QUARTERLY),
            Rule(v1::ACTIVITY_TYPE_COMMITTEE_MEETING, v1::CADENCE_MONTHLY),
            Rule(v1::ACTIVITY_TYPE_PARTY_LECTURE, v1::CADENCE_QUARTERLY),
            Rule(v1::ACTIVITY_TYPE_THEME_DAY, v1::CADENCE_MONTHLY),
            Rule(v1::ACTIVITY_TYPE_ORG_LIFE_MEETING, v1::CADENCE_YEARLY)};
  }
  if (IsGroup(unit_type)) return {Rule(v1::ACTIVITY_TYPE_GROUP_MEETING, v1::CADENCE_MONTHLY)};
  return {};
}

std::vector<v1::ComplianceRule> EffectiveRules(org::v1::OrgUnitType unit_type,
                                               const std::vector<v1::ComplianceRule>& set) {
  std::map<int, v1::ComplianceRule> by_type;
  for (const auto& r : DefaultRules(unit_type)) by_type[r.type()] = r;
  for (v1::ComplianceRule r : set) {
    r.set_default_(false);
    by_type[r.type()] = r;
  }
  std::vector<v1::ComplianceRule> out;
  for (auto& [type, r] : by_type) out.push_back(std::move(r));
  return out;
}

std::vector<Period> PeriodsOf(v1::Cadence cadence, int year) {
  const int months = MonthsOf(cadence);
  std::vector<Period> out;
  if (months == 0) return out;
  for (int m = 1; m <= 12; m += months) {
    absl::CivilMonth first(year, m);
    out.push_back({absl::CivilDay(first), absl::CivilDay(first + months) - 1});
  }
  return out;
}

namespace {

// Calls `f(period, valid, invalid, state)` for each period of the rule's
// cadence in `year`.
template <typename F>
void ForEachPeriod(const v1::ComplianceRule& rule, int year, const MonthCounts& counts, absl::CivilDay today, F f) {
  const int months = MonthsOf(rule.cadence());
  if (months == 0) return;
  for (int first = 1; first <= 12; first += months) {
    int valid = 0, invalid = 0;
    for (int m = first; m < first + months; ++m) {
      valid += counts.valid[m];
      invalid += counts.invalid[m];
    }
    const absl::CivilDay last = absl::CivilDay(absl::CivilMonth(year, first) + months) - 1;
    const v1::PeriodState state = valid >= rule.min_count() ? v1::PERIOD_STATE_MET
                                  : last < today            ? v1::PERIOD_STATE_MISSED
                                                            : v1::PERIOD_STATE_OPEN;
    f(Period{absl::CivilDay(absl::CivilMonth(year, first)), last}, valid, invalid, state);
  }
}

}  // namespace

v1::TypeCompliance Judge(const v1::ComplianceRule& rule, int year, const MonthCounts& counts, absl::CivilDay today) {
  v1::TypeCompliance out;
  out.set_type(rule.type());
  out.set_cadence(rule.cadence());
  int missed = 0;
  ForEachPeriod(rule, year, counts, today, [&](const Period& p, int valid, int invalid, v1::PeriodState state) {
    v1::PeriodCompliance* pc = out.add_periods();
    pc->set_start_date(absl::FormatCivilTime(p.first));
    pc->set_end_date(absl::FormatCivilTime(p.last));
    pc->set_required(rule.min_count());
    pc->set_held(valid);
    pc->set_invalid(invalid);
    pc->set_state(state);
    if (state == v1::PERIOD_STATE_MISSED) ++missed;
  });
  out.set_missed(missed);
  return out;
}

int MissedPeriods(const v1::ComplianceRule& rule, int year, const MonthCounts& counts, absl::CivilDay today) {
  int missed = 0;
  ForEachPeriod(rule, year, counts, today, [&](const Period&, int, int, v1::PeriodState state) {
    if (state == v1::PERIOD_STATE_MISSED) ++missed;
  });
  return missed;
}

int64_t CodeWindow(absl::Time t) { return absl::ToUnixSeconds(t) / kCodeWindowSeconds; }

std::string CheckInCodeAt(const std::string& secret_hex, int64_t window) {
  const std::string key = absl::HexStringToBytes(secret_hex);
  unsigned char msg[8];
  for (int i = 0; i < 8; ++i) msg[i] = static_cast<unsigned char>(window >> (8 * (7 - i)));
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), msg, sizeof(msg), mac, &len);
  // Dynamic truncation, as HOTP (RFC 4226) does.
  const int offset = mac[len - 1] & 0x0f;
  const uint32_t bin =
      ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
  return absl::StrFormat("%06d", bin % 1000000);
}

bool CheckInCodeValid(const std::string& secret_hex, const std::string& code, absl::Time now) {
  const int64_t w = CodeWindow(now);
  return code.size() == 6 && (code == CheckInCodeAt(secret_hex, w) || code == CheckInCodeAt(secret_hex, w - 1));
}

std::string NewCheckInSecret() {
  unsigned char bytes[32];
  RAND_bytes(bytes, sizeof(bytes));
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(bytes), sizeof(bytes)));
}

double DistanceMeters(double lat1, double lng1, double lat2, double lng2) {
  constexpr double kEarthRadius = 6371008.8;
  constexpr double kRad = M_PI / 180;
  const double dlat = (lat2 - lat1) * kRad, dlng = (lng2 - lng1) * kRad;
  const double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(lat1 * kRad) * std::cos(lat2 * kRad) * std::sin(dlng / 2) * std::sin(dlng / 2);
  return 2 * kEarthRadius * std::asin(std::min(1.0, std::sqrt(a)));
}

}  // namespace lianxin::activity
