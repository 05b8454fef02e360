// VolunteerLogic: members' balances and ledger entries, corrections by
// reversing entries (ledgerEntries/{id}), and a district's point rules
// (orgUnits/{district}/pointRules).
#include <map>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/auth.h"
#include "common/history.h"
#include "common/ids.h"
#include "common/names.h"
#include "common/status.h"
#include "common/timestamps.h"
#include "common/validate.h"
#include "services/activity/activity_logic.h"
#include "services/activity/credits.h"
#include "services/activity/volunteer_logic.h"

namespace lianxin::activity {
namespace {

inline constexpr Collection kLedgerEntries{"ledgerEntries", "lianxin.activity.v1.LedgerEntry"};
constexpr char kRulesSuffix[] = "/pointRules";

std::string RulesText(const std::vector<store::PointRuleRow>& rows) {
  std::string out;
  for (const auto& r : rows) {
    absl::StrAppend(&out, out.empty() ? "" : ",", r.source, ".", r.activity_type, ":", r.points, "/", r.cap, "@",
                    r.cycle);
  }
  return out;
}

}  // namespace

v1::LedgerEntry EntryProto(const store::EntryRecord& e) {
  v1::LedgerEntry p;
  p.set_name(kLedgerEntries.Name(e.id));
  p.set_ledger(static_cast<v1::Ledger>(e.ledger));
  p.set_debit_account(e.debit_account);
  p.set_credit_account(e.credit_account);
  p.set_amount(e.amount);
  p.set_member(kMembers.Name(e.member_id));
  p.set_source(e.source);
  if (e.point_source != 0) p.set_point_source(static_cast<v1::PointSource>(e.point_source));
  if (!e.cycle.empty()) p.set_cycle(e.cycle);
  if (!e.reverses.empty()) p.set_reverses(kLedgerEntries.Name(e.reverses));
  if (!e.memo.empty()) p.set_memo(e.memo);
  p.set_actor(e.actor);
  SetTimestampUs(e.created_us, p.mutable_create_time());
  return p;
}

absl::Status VolunteerLogic::RequireReader(const CallContext& c, const std::string& member_name,
                                           const std::string& field) {
  const std::string id = kMembers.IdOf(member_name);
  if (CallerMemberId(c) == id && c.principal.HasRole(kRoleMember)) return absl::OkStatus();
  if (!IsStaff(c)) return OutsideSubtree(member_name, field);
  ASSIGN_OR_RETURN(member::v1::Member m, dirs_.Member(c, member_name, field));
  absl::StatusOr<Unit> branch = dirs_.UnitOf(c, kOrgUnits.IdOf(m.branch()), field);
  if (!branch.ok() || !c.principal.CoversPath(branch->path)) return OutsideSubtree(member_name, field);
  return absl::OkStatus();
}

absl::Status VolunteerLogic::GetBalances(const CallContext& c, const v1::GetBalancesRequest& req, v1::Balances* out) {
  Validator v;
  std::string id = v.Name("member", req.member(), kMembers);
  RETURN_IF_ERROR(v.status());
  RETURN_IF_ERROR(RequireReader(c, req.member(), "member"));
  const int year = static_cast<int>(BeijingDay(clock_.Now()).year());
  return db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(store::Balance b, store::BalanceOf(db, MemberAccount(id), year));
    out->set_member(req.member());
    out->set_hours(b.all[kHours] / 60.0);
    out->set_points(b.all[kPoints]);
    out->set_hours_this_year(b.year[kHours] / 60.0);
    out->set_points_this_year(b.year[kPoints]);
    return absl::OkStatus();
  });
}

absl::Status VolunteerLogic::ListLedgerEntries(const CallContext& c, const v1::ListLedgerEntriesRequest& req,
                                               v1::ListLedgerEntriesResponse* out) {
  Validator v;
  std::string id = v.Name("parent", req.parent(), kMembers);
  v.Check(req.ledger() == 0 || v1::Ledger_IsValid(req.ledger()), "ledger", "must be HOURS or POINTS");
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(int size, PageSize(req.page_size(), 50, 500));
  const std::string fp = absl::StrCat("entries|", id, "|", req.ledger());
  ASSIGN_OR_RETURN(std::string after, tokens_.Decode(req.page_token(), fp));
  RETURN_IF_ERROR(RequireReader(c, req.parent(), "parent"));
  return db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto rows, store::ListEntries(db, id, req.ledger(), after, size + 1));
    EmitPage(
        rows, size, tokens_, fp, [&](const auto& e) { *out->add_entries() = EntryProto(e); },
        [](const auto& e) { return store::EntryCursor(e); }, out->mutable_next_page_token());
    return absl::OkStatus();
  });
}

absl::Status VolunteerLogic::ReverseLedgerEntry(const CallContext& c, const v1::ReverseLedgerEntryRequest& req,
                                                v1::LedgerEntry* out) {
  Validator v;
  std::string id = v.Name("name", req.name(), kLedgerEntries);
  v.Text("reason", req.reason(), 1, 200);
  RETURN_IF_ERROR(v.status());
  store::EntryRecord entry;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto found, store::GetEntry(db, id));
    if (!found.has_value()) return MissingIn(c.principal.IsPlatformWide(), kLedgerEntries, id, "name");
    entry = *std::move(found);
    return absl::OkStatus();
  }));
  RETURN_IF_ERROR(RequireReader(c, kMembers.Name(entry.member_id), "name"));
  if (!IsStaff(c) || c.principal.HasRole(kRoleAuditor)) {
    return WithReason(absl::PermissionDeniedError("operators and secretaries correct ledgers"), "ROLE_REQUIRED");
  }
  if (!entry.reverses.empty()) {
    return FieldStatus(absl::StatusCode::kFailedPrecondition, "name", "a correction is not reversed; credit anew",
                       "IS_A_REVERSAL");
  }
  return db_.Transact([&](Db& db) -> absl::Status {
    store::EntryRecord r;
    r.id = NewId();
    r.district_id = entry.district_id;
    r.ledger = entry.ledger;
    r.debit_account = entry.credit_account;  // back where it came from
    r.credit_account = entry.debit_account;
    r.amount = entry.amount;
    r.member_id = entry.member_id;
    r.source = kLedgerEntries.Name(entry.id);
    r.point_source = entry.point_source;
    r.cycle = entry.cycle;
    r.reverses = entry.id;
    r.memo = req.reason();
    r.actor = c.principal.subject;
    r.year = entry.year;
    r.created_us = NowUs();
    // The unique key on `reverses` makes it once, also for two at a time.
    absl::Status s = store::InsertEntries(db, {r});
    if (absl::IsAlreadyExists(s)) {
      return FieldStatus(absl::StatusCode::kFailedPrecondition, "name", "the entry was reversed already",
                         "ALREADY_REVERSED");
    }
    RETURN_IF_ERROR(s);
    *out = EntryProto(r);
    return absl::OkStatus();
  });
}

absl::StatusOr<Unit> VolunteerLogic::DistrictOf(const CallContext& c, const std::string& name, const std::string& field,
                                                bool write) {
  absl::string_view rest = name;
  std::string id;
  if (absl::ConsumeSuffix(&rest, kRulesSuffix)) id = kOrgUnits.IdOf(rest);
  if (id.empty()) return FieldError(field, "must be orgUnits/{district}/pointRules");
  if (write && !c.principal.HasRole(kRoleOperator)) {
    return WithReason(absl::PermissionDeniedError("a district's operators set its point rules"), "ROLE_REQUIRED");
  }
  absl::StatusOr<Unit> unit = dirs_.UnitOf(c, id, field);
  if (absl::IsNotFound(unit.status()) && !c.principal.IsPlatformWide()) return OutsideSubtree(name, field);
  if (!unit.ok()) return unit.status();
  // Setting: the district's operators; reading: anyone whose subtree lies in
  // the district too.
  bool reach = c.principal.CoversPath(unit->path);
  if (!reach && !write && IsValidId(c.principal.org_scope)) {
    absl::StatusOr<Unit> scope = dirs_.UnitOf(c, c.principal.org_scope, field);
    reach = scope.ok() && absl::StartsWith(scope->path, unit->path);
  }
  if (!reach) return OutsideSubtree(name, field);
  if (unit->type != org::v1::ORG_UNIT_TYPE_DISTRICT_COMMITTEE) {
    return FieldStatus(absl::StatusCode::kFailedPrecondition, field, "point rules are a district's", "NOT_A_DISTRICT");
  }
  return unit;
}

absl::Status VolunteerLogic::GetPointRules(const CallContext& c, const v1::GetPointRulesRequest& req,
                                           v1::PointRules* out) {
  ASSIGN_OR_RETURN(Unit district, DistrictOf(c, req.name(), "name", false));
  return db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto set, store::GetPointRules(db, district.id, false));
    out->set_name(req.name());
    for (auto& r : EffectivePointRules(set.first)) *out->add_rules() = std::move(r);
    out->set_etag(EtagOf(set.second));
    return absl::OkStatus();
  });
}

absl::Status VolunteerLogic::UpdatePointRules(const CallContext& c, const v1::UpdatePointRulesRequest& req,
                                              v1::PointRules* out) {
  const v1::PointRules& given = req.rules();
  Validator v;
  v.Check(given.rules_size() <= 20, "rules.rules", "at most 20 rules");
  std::vector<store::PointRuleRow> rows;
  std::map<std::pair<int, int>, bool> seen;
  for (int i = 0; i < given.rules_size(); ++i) {
    const auto& r = given.rules(i);
    const std::string f = absl::StrCat("rules.rules[", i, "]");
    const bool source_ok = r.source() != v1::POINT_SOURCE_UNSPECIFIED && v1::PointSource_IsValid(r.source());
    v.Check(source_ok, f + ".source", "must be REQUEST_CLOSED or ACTIVITY_ATTENDED");
    v.Check(r.activity_type() == 0 ||
                (r.source() == v1::POINT_SOURCE_ACTIVITY_ATTENDED && v1::ActivityType_IsValid(r.activity_type())),
            f + ".activity_type", "only for ACTIVITY_ATTENDED, one of the activity types");
    v.Check(!seen[{r.source(), r.activity_type()}], f, "one rule per source and activity type");
    seen[{r.source(), r.activity_type()}] = true;
    v.Check(r.points() >= 0 && r.points() <= 100, f + ".points", "must be 0..100");
    v.Check(r.cap() >= 1 && r.cap() <= 1000, f + ".cap", "must be 1..1000");
    v.Check(r.cycle() == v1::CADENCE_MONTHLY || r.cycle() == v1::CADENCE_QUARTERLY ||
                r.cycle() == v1::CADENCE_HALF_YEARLY || r.cycle() == v1::CADENCE_YEARLY,
            f + ".cycle", "must be MONTHLY, QUARTERLY, HALF_YEARLY or YEARLY");
    rows.push_back({r.source(), r.activity_type(), r.points(), r.cap(), r.cycle()});
  }
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(Unit district, DistrictOf(c, given.name(), "rules.name", true));
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto set, store::GetPointRules(db, district.id, true));
    RETURN_IF_ERROR(CheckEtag("rules.etag", given.etag(), set.second));
    const int64_t now = NowUs();
    RETURN_IF_ERROR(store::PutPointRules(db, district.id, rows, set.second + 1, now));
    ChangeSet changes;
    changes.Changed("point_rules", RulesText(set.first), RulesText(rows));
    RETURN_IF_ERROR(
        RecordHistory(db, c, {district.id, kOrgUnits.Name(district.id), given.name(), "update", changes}, now));
    out->set_name(given.name());
    for (auto& r : EffectivePointRules(rows)) *out->add_rules() = std::move(r);
    out->set_etag(EtagOf(set.second + 1));
    return absl::OkStatus();
  });
}

}  // namespace lianxin::activity
