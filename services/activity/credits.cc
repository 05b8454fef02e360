#include "services/activity/credits.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/clock.h"
#include "common/ids.h"
#include "common/names.h"
#include "common/status.h"

namespace lianxin::activity {
namespace {

v1::PointRule Rule(int source, int activity_type, int points, int cap, v1::Cadence cycle, bool is_default) {
  v1::PointRule r;
  r.set_source(static_cast<v1::PointSource>(source));
  r.set_activity_type(static_cast<v1::ActivityType>(activity_type));
  r.set_points(points);
  r.set_cap(cap);
  r.set_cycle(cycle);
  r.set_default_(is_default);
  return r;
}

std::string RuleKey(const v1::PointRule& r) { return absl::StrCat(r.source(), ".", r.activity_type()); }

}  // namespace

std::vector<v1::PointRule> EffectivePointRules(const std::vector<store::PointRuleRow>& set) {
  std::map<std::pair<int, int>, v1::PointRule> rules;
  rules[{v1::POINT_SOURCE_REQUEST_CLOSED, 0}] =
      Rule(v1::POINT_SOURCE_REQUEST_CLOSED, 0, 5, 30, v1::CADENCE_MONTHLY, true);
  rules[{v1::POINT_SOURCE_ACTIVITY_ATTENDED, 0}] =
      Rule(v1::POINT_SOURCE_ACTIVITY_ATTENDED, 0, 3, 12, v1::CADENCE_MONTHLY, true);
  for (const auto& r : set) {
    rules[{r.source, r.activity_type}] =
        Rule(r.source, r.activity_type, r.points, r.cap, static_cast<v1::Cadence>(r.cycle), false);
  }
  std::vector<v1::PointRule> out;
  for (auto& [key, r] : rules) out.push_back(std::move(r));
  return out;
}

std::optional<v1::PointRule> RuleFor(const std::vector<v1::PointRule>& rules, int source, int activity_type) {
  std::optional<v1::PointRule> any;
  for (const auto& r : rules) {
    if (r.source() != source) continue;
    if (r.activity_type() == activity_type && activity_type != 0) return r;
    if (r.activity_type() == 0) any = r;
  }
  return any;
}

std::string CycleOf(v1::Cadence cycle, absl::Time at) {
  const absl::CivilDay day = BeijingDay(at);
  switch (cycle) {
    case v1::CADENCE_MONTHLY:
      return absl::StrFormat("%04d-%02d", day.year(), day.month());
    case v1::CADENCE_QUARTERLY:
      return absl::StrCat(day.year(), "-Q", (day.month() - 1) / 3 + 1);
    case v1::CADENCE_HALF_YEARLY:
      return absl::StrCat(day.year(), "-H", (day.month() - 1) / 6 + 1);
    default:
      return absl::StrCat(day.year());
  }
}

std::string MemberAccount(const std::string& member_id) { return kMembers.Name(member_id); }

std::string DistrictAccount(const std::string& district_id, int ledger) {
  return absl::StrCat(kOrgUnits.Name(district_id), ledger == kHours ? "/hours" : "/points");
}

absl::StatusOr<int> WriteCredits(Db& db, const std::vector<Credit>& credits, const std::string& actor, int64_t now_us) {
  std::map<std::string, std::vector<v1::PointRule>> rules_of;  // by district
  std::vector<store::EntryRecord> entries;
  for (const Credit& c : credits) {
    store::EntryRecord e;
    e.id = NewId();
    e.district_id = c.district_id;
    e.ledger = c.ledger;
    e.debit_account = DistrictAccount(c.district_id, c.ledger);
    e.credit_account = MemberAccount(c.member_id);
    e.member_id = c.member_id;
    e.source = c.source;
    e.point_source = c.point_source;
    e.source_key = c.source_key;
    e.memo = c.memo;
    e.actor = actor;
    e.year = static_cast<int>(BeijingDay(c.at).year());
    e.created_us = now_us;
    if (c.ledger == kHours) {
      if (c.minutes <= 0) continue;
      e.amount = c.minutes;
    } else {
      auto it = rules_of.find(c.district_id);
      if (it == rules_of.end()) {
        ASSIGN_OR_RETURN(auto set, store::GetPointRules(db, c.district_id, false));
        it = rules_of.emplace(c.district_id, EffectivePointRules(set.first)).first;
      }
      std::optional<v1::PointRule> rule = RuleFor(it->second, c.point_source, c.activity_type);
      if (!rule.has_value() || rule->points() <= 0) continue;
      e.cycle = CycleOf(rule->cycle(), c.at);
      ASSIGN_OR_RETURN(int used, store::LockCap(db, c.member_id, RuleKey(*rule), e.cycle));
      const int granted = std::min(rule->points(), rule->cap() - used);
      if (granted <= 0) continue;  // the cap is reached: nothing more this cycle
      RETURN_IF_ERROR(store::AddToCap(db, c.member_id, RuleKey(*rule), e.cycle, granted));
      e.amount = granted;
    }
    entries.push_back(std::move(e));
  }
  RETURN_IF_ERROR(store::InsertEntries(db, entries));
  return static_cast<int>(entries.size());
}

}  // namespace lianxin::activity
