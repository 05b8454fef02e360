// ActivityLogic: compliance — each unit's rules (orgUnits/{id}/complianceRules),
// a unit's year type by type, and the units of a subtree that are behind.
#include <future>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/auth.h"
#include "common/history.h"
#include "common/names.h"
#include "common/status.h"
#include "common/validate.h"
#include "services/activity/activity_logic.h"
#include "services/activity/rules.h"

namespace lianxin::activity {
namespace {

constexpr char kRulesSuffix[] = "/complianceRules";

// The unit id of "orgUnits/{id}/complianceRules"; "" for anything else.
std::string RulesUnitId(absl::string_view name) {
  if (!absl::ConsumeSuffix(&name, kRulesSuffix)) return "";
  return kOrgUnits.IdOf(name);
}

std::vector<v1::ComplianceRule> ToRules(const std::vector<store::RuleRow>& rows) {
  std::vector<v1::ComplianceRule> out;
  for (const auto& r : rows) {
    v1::ComplianceRule rule;
    rule.set_type(static_cast<v1::ActivityType>(r.type));
    rule.set_cadence(static_cast<v1::Cadence>(r.cadence));
    rule.set_min_count(r.min_count);
    out.push_back(rule);
  }
  return out;
}

std::string RulesText(const std::vector<store::RuleRow>& rows) {
  std::string out;
  for (const auto& r : rows) {
    absl::StrAppend(&out, out.empty() ? "" : ",", v1::ActivityType_Name(static_cast<v1::ActivityType>(r.type)), ":",
                    v1::Cadence_Name(static_cast<v1::Cadence>(r.cadence)), "x", r.min_count);
  }
  return out;
}

const std::vector<v1::ComplianceRule>& NoRules() {
  static const std::vector<v1::ComplianceRule> kNone;
  return kNone;
}

const MonthCounts& CountsOf(const HeldCounts& held, const std::string& unit_id, int type) {
  static const MonthCounts kNone;
  auto unit = held.find(unit_id);
  if (unit == held.end()) return kNone;
  auto counts = unit->second.find(type);
  return counts == unit->second.end() ? kNone : counts->second;
}

const std::vector<org::v1::OrgUnitType> kHeldUnits = {
    org::v1::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE, org::v1::ORG_UNIT_TYPE_GENERAL_BRANCH, org::v1::ORG_UNIT_TYPE_BRANCH,
    org::v1::ORG_UNIT_TYPE_PARTY_GROUP, org::v1::ORG_UNIT_TYPE_BUILDING_PARTY_GROUP};

}  // namespace

absl::StatusOr<int> ActivityLogic::YearOf(int year, const std::string& field) const {
  const int this_year = static_cast<int>(BeijingDay(clock_.Now()).year());
  if (year == 0) return this_year;
  if (year < 2000 || year > this_year + 1) return FieldError(field, "must be a year from 2000 to next year");
  return year;
}

v1::UnitCompliance ActivityLogic::Judged(const std::string& unit_id, org::v1::OrgUnitType type,
                                         const std::vector<v1::ComplianceRule>& set, int year,
                                         const HeldCounts& held) const {
  v1::UnitCompliance out;
  out.set_org_unit(kOrgUnits.Name(unit_id));
  out.set_year(year);
  const absl::CivilDay today = BeijingDay(clock_.Now());
  for (const auto& rule : EffectiveRules(type, set)) {
    if (rule.cadence() == v1::CADENCE_NONE) continue;
    v1::TypeCompliance tc = Judge(rule, year, CountsOf(held, unit_id, rule.type()), today);
    if (tc.missed() > 0) out.set_behind(true);
    *out.add_types() = std::move(tc);
  }
  return out;
}

absl::Status ActivityLogic::GetComplianceRules(const CallContext& c, const v1::GetComplianceRulesRequest& req,
                                               v1::ComplianceRules* out) {
  const std::string unit_id = RulesUnitId(req.name());
  if (unit_id.empty()) return FieldError("name", "must be orgUnits/{id}/complianceRules");
  ASSIGN_OR_RETURN(Unit unit, UnitInScope(c, unit_id, "name"));
  return db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto set, store::GetRules(db, unit_id, false));
    out->set_name(req.name());
    for (auto& r : EffectiveRules(unit.type, ToRules(set.first))) *out->add_rules() = std::move(r);
    out->set_etag(EtagOf(set.second));
    return absl::OkStatus();
  });
}

absl::Status ActivityLogic::UpdateComplianceRules(const CallContext& c, const v1::UpdateComplianceRulesRequest& req,
                                                  v1::ComplianceRules* out) {
  const v1::ComplianceRules& given = req.rules();
  const std::string unit_id = RulesUnitId(given.name());
  Validator v;
  if (unit_id.empty()) v.Add("rules.name", "must be orgUnits/{id}/complianceRules");
  v.Check(given.rules_size() <= 12, "rules.rules", "at most one rule per type");
  std::vector<store::RuleRow> rows;
  std::map<int, bool> seen;
  for (int i = 0; i < given.rules_size(); ++i) {
    const auto& r = given.rules(i);
    const std::string field = absl::StrCat("rules.rules[", i, "]");
    const bool type_ok = r.type() != v1::ACTIVITY_TYPE_UNSPECIFIED && v1::ActivityType_IsValid(r.type());
    v.Check(type_ok, field + ".type", "must be one of the activity types");
    v.Check(!type_ok || !seen[r.type()], field + ".type", "one rule per type");
    seen[r.type()] = true;
    v.Check(r.cadence() != v1::CADENCE_UNSPECIFIED && v1::Cadence_IsValid(r.cadence()), field + ".cadence",
            "must be NONE, MONTHLY, QUARTERLY, HALF_YEARLY or YEARLY");
    const bool none = r.cadence() == v1::CADENCE_NONE;
    v.Check(none ? r.min_count() == 0 : (r.min_count() >= 1 && r.min_count() <= 10), field + ".min_count",
            none ? "must be 0 for NONE" : "must be 1..10");
    rows.push_back({unit_id, r.type(), r.cadence(), r.min_count()});
  }
  RETURN_IF_ERROR(v.status());
  if (!c.principal.HasAnyRole({kRoleOperator, kRoleSecretary})) {
    return WithReason(absl::PermissionDeniedError("operators and secretaries set a unit's rules"), "ROLE_REQUIRED");
  }
  ASSIGN_OR_RETURN(Unit unit, UnitInScope(c, unit_id, "rules.name"));
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.type < b.type; });
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto set, store::GetRules(db, unit_id, true));
    RETURN_IF_ERROR(CheckEtag("rules.etag", given.etag(), set.second));
    const int64_t now = NowUs();
    RETURN_IF_ERROR(store::PutRules(db, unit.district_id, unit_id, rows, set.second + 1, now));
    ChangeSet changes;
    changes.Changed("rules", RulesText(set.first), RulesText(rows));
    RETURN_IF_ERROR(
        RecordHistory(db, c, {unit.district_id, kOrgUnits.Name(unit_id), given.name(), "update", changes}, now));
    out->set_name(given.name());
    for (auto& r : EffectiveRules(unit.type, ToRules(rows))) *out->add_rules() = std::move(r);
    out->set_etag(EtagOf(set.second + 1));
    return absl::OkStatus();
  });
}

absl::Status ActivityLogic::GetCompliance(const CallContext& c, const v1::GetComplianceRequest& req,
                                          v1::UnitCompliance* out) {
  Validator v;
  std::string unit_id = v.Name("org_unit", req.org_unit(), kOrgUnits);
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(int year, YearOf(req.year(), "year"));
  ASSIGN_OR_RETURN(Unit unit, UnitInScope(c, unit_id, "org_unit"));
  return db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto set, store::GetRules(db, unit_id, false));
    ASSIGN_OR_RETURN(auto held, store::HeldByUnit(db, unit.district_id, unit.path, absl::StrCat(year, "-01-01"),
                                                  absl::StrCat(year, "-12-31")));
    *out = Judged(unit_id, unit.type, ToRules(set.first), year, held);
    return absl::OkStatus();
  });
}

absl::Status ActivityLogic::ListUnitsBehind(const CallContext& c, const v1::ListUnitsBehindRequest& req,
                                            v1::ListUnitsBehindResponse* out) {
  Validator v;
  std::string root_id = v.Name("parent", req.parent(), kOrgUnits);
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(int year, YearOf(req.year(), "year"));
  ASSIGN_OR_RETURN(int size, PageSize(req.page_size(), 100, 1000));
  const std::string fp = absl::StrCat("behind|", root_id, "|", year);
  ASSIGN_OR_RETURN(std::string after, tokens_.Decode(req.page_token(), fp));
  size_t skip = 0;
  if (!after.empty() && !absl::SimpleAtoi(after, &skip)) return FieldError("page_token", "is not a token of this list");
  ASSIGN_OR_RETURN(Unit root, UnitInScope(c, root_id, "parent"));
  // Org is asked for the subtree's units held to rules (in path order) on
  // this thread while a thread of the call's own reads the rules and held
  // activities: for a district each takes about a quarter of a second. No
  // connection is held open while org answers.
  std::map<std::string, std::vector<store::RuleRow>> rules_of;
  HeldCounts held;
  std::future<absl::Status> read = std::async(std::launch::async, [&] {
    return db_.Run([&](Db& db) -> absl::Status {
      rules_of.clear();  // run again after a lost connection
      ASSIGN_OR_RETURN(auto district_rules, store::DistrictRules(db, root.district_id));
      for (auto& r : district_rules) rules_of[r.unit_id].push_back(std::move(r));
      ASSIGN_OR_RETURN(held, store::HeldByUnit(db, root.district_id, root.path, absl::StrCat(year, "-01-01"),
                                               absl::StrCat(year, "-12-31")));
      return absl::OkStatus();
    });
  });
  absl::StatusOr<std::vector<org::UnitInfo>> units = dirs_.Subtree(c, root_id, kHeldUnits, "parent");
  const absl::Status read_status = read.get();
  RETURN_IF_ERROR(units.status());
  RETURN_IF_ERROR(read_status);
  // Every unit is judged by counting alone; the periods are built for the
  // units of the page only.
  const absl::CivilDay today = BeijingDay(clock_.Now());
  std::map<int, std::vector<v1::ComplianceRule>> defaults;  // by unit type
  int checked = 0, behind = 0;
  size_t index = 0;
  for (const auto& u : *units) {
    if (!u.active) continue;
    auto own = rules_of.find(u.id);
    const std::vector<v1::ComplianceRule> set = own == rules_of.end() ? NoRules() : ToRules(own->second);
    std::vector<v1::ComplianceRule> effective;
    const std::vector<v1::ComplianceRule>* rules = &effective;
    if (own != rules_of.end()) {
      effective = EffectiveRules(u.type, set);
    } else {
      auto [d, fresh] = defaults.try_emplace(u.type);
      if (fresh) d->second = EffectiveRules(u.type, {});
      rules = &d->second;
    }
    bool judged = false, missed = false;
    for (const auto& rule : *rules) {
      if (rule.cadence() == v1::CADENCE_NONE) continue;
      judged = true;
      missed = missed || MissedPeriods(rule, year, CountsOf(held, u.id, rule.type()), today) > 0;
    }
    if (!judged) continue;
    ++checked;
    if (!missed) continue;
    ++behind;
    const size_t at = index++;
    if (at < skip) continue;
    if (out->units_size() == size) {
      if (out->next_page_token().empty()) out->set_next_page_token(tokens_.Encode(fp, absl::StrCat(at)));
      continue;
    }
    const v1::UnitCompliance uc = Judged(u.id, u.type, set, year, held);
    // Only the types behind, each with its periods.
    v1::UnitCompliance brief;
    brief.set_org_unit(uc.org_unit());
    brief.set_year(year);
    brief.set_behind(true);
    for (const auto& t : uc.types()) {
      if (t.missed() > 0) *brief.add_types() = t;
    }
    *out->add_units() = std::move(brief);
  }
  out->set_units_checked(checked);
  out->set_units_behind(behind);
  return absl::OkStatus();
}

}  // namespace lianxin::activity
