// DuesLogic: where members stand (members/{id}/duesStanding), the reasons a
// branch records for not paying, arrears and totals per subtree, the
// readings of sealed fields, and the dues to-dos.
#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/history.h"
#include "common/names.h"
#include "common/status.h"
#include "common/timestamps.h"
#include "common/validate.h"
#include "services/activity/activity_logic.h"
#include "services/activity/dues_logic.h"

namespace lianxin::activity {
namespace {

constexpr char kStandingSuffix[] = "/duesStanding";
// Six months in a row unpaid with no reason: 自行脱党 (党章 第九条).
constexpr int kLapsedMonths = 6;
// Unpaid this long, the branch is reminded.
constexpr int kRemindMonths = 3;

std::string ReasonContext(const std::string& member_id) {
  return absl::StrCat(kMembers.Name(member_id), kStandingSuffix, "/reason");
}

// The member of members/{id}/duesStanding ("" when it is not one).
std::string MemberOfStanding(absl::string_view name) {
  if (!absl::ConsumeSuffix(&name, kStandingSuffix)) return "";
  return kMembers.IdOf(name).empty() ? "" : std::string(name);
}

}  // namespace

absl::StatusOr<Unit> DuesLogic::StaffUnit(const CallContext& c, const std::string& unit_name,
                                          const std::string& field) {
  if (!IsStaff(c)) return OutsideSubtree(unit_name, field);
  absl::StatusOr<Unit> unit = dirs_.UnitOf(c, kOrgUnits.IdOf(unit_name), field);
  if (absl::IsNotFound(unit.status()) && !c.principal.IsPlatformWide()) return OutsideSubtree(unit_name, field);
  if (!unit.ok()) return unit.status();
  if (!c.principal.CoversPath(unit->path)) return OutsideSubtree(unit_name, field);
  return unit;
}

v1::DuesStanding DuesLogic::Standing(const store::DuesAccount& a, const std::vector<store::AssessmentRecord>& assessed,
                                     const std::map<int, int64_t>& paid, MonthIndex current) {
  v1::DuesStanding s;
  s.set_name(absl::StrCat(kMembers.Name(a.member_id), kStandingSuffix));
  s.set_member(kMembers.Name(a.member_id));
  s.set_display_name(a.display_name);
  s.set_org_unit(kOrgUnits.Name(a.unit_id));
  int unpaid = 0, run = 0;
  int64_t owed = 0;
  for (MonthIndex m = a.first_month; m < current; ++m) {
    if (paid.count(m) > 0) {
      run = 0;
      continue;
    }
    if (unpaid == 0) s.set_first_unpaid_month(MonthText(m));
    ++unpaid;
    ++run;
    owed += DuesIn(assessed, m);
  }
  s.set_months_unpaid(unpaid);
  s.set_consecutive_unpaid(run);
  s.set_owed_fen(owed);
  if (!paid.empty()) s.set_paid_through(MonthText(paid.rbegin()->first));
  if (!a.reason_sealed.empty()) {
    s.set_reason("***");
    SetTimestampUs(a.reason_us, s.mutable_reason_time());
  }
  s.set_flagged(run >= kLapsedMonths && a.reason_sealed.empty());
  return s;
}

absl::StatusOr<std::vector<v1::DuesStanding>> DuesLogic::StandingsOf(Db& db, const CallContext& c,
                                                                     const std::vector<store::DuesAccount>& accounts,
                                                                     bool reveal, const char* method) {
  const MonthIndex current = CurrentMonth();
  std::vector<std::string> ids;
  MonthIndex first = current;
  for (const auto& a : accounts) {
    ids.push_back(a.member_id);
    first = std::min(first, a.first_month);
  }
  ASSIGN_OR_RETURN(auto assessed, store::AssessmentsOfMany(db, ids));
  ASSIGN_OR_RETURN(auto paid, store::PaidMonthsOf(db, ids, first, current + 13));
  std::vector<v1::DuesStanding> out;
  std::vector<store::DisclosureRecord> read;
  for (const auto& a : accounts) {
    out.push_back(Standing(a, assessed[a.member_id], paid[a.member_id], current));
    if (!reveal || a.reason_sealed.empty()) continue;
    ASSIGN_OR_RETURN(std::string reason, cipher_.Open(a.reason_sealed, ReasonContext(a.member_id)));
    out.back().set_reason(reason);
    read.push_back({0, a.district_id, a.member_id, "reason", c.principal.subject, method, NowUs()});
  }
  RETURN_IF_ERROR(store::InsertDisclosures(db, read));
  return out;
}

absl::Status DuesLogic::GetDuesStanding(const CallContext& c, const v1::GetDuesStandingRequest& req,
                                        v1::DuesStanding* out) {
  const std::string member_name = MemberOfStanding(req.name());
  if (member_name.empty()) return FieldError("name", "must be members/{id}/duesStanding");
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(Subject s, SubjectOf(&db, c, member_name, "name", false));
    if (req.reveal()) RETURN_IF_ERROR(RequireReveal(c, s.member_id));
    ASSIGN_OR_RETURN(auto account, store::GetAccount(db, s.member_id, false));
    if (!account.has_value()) {
      return WithReason(absl::NotFoundError(absl::StrCat(member_name, " has no dues assessment yet")), "NOT_ASSESSED");
    }
    ASSIGN_OR_RETURN(auto standing, StandingsOf(db, c, {*account}, req.reveal(), "GetDuesStanding"));
    *out = std::move(standing[0]);
    return absl::OkStatus();
  });
}

absl::Status DuesLogic::SetDuesReason(const CallContext& c, const v1::SetDuesReasonRequest& req,
                                      v1::DuesStanding* out) {
  const std::string member_name = MemberOfStanding(req.name());
  Validator v;
  v.Check(!member_name.empty(), "name", "must be members/{id}/duesStanding");
  v.LongText("reason", req.reason(), 500);
  RETURN_IF_ERROR(v.status());
  const int64_t now = NowUs();
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(Subject s, SubjectOf(&db, c, member_name, "name", true));
    ASSIGN_OR_RETURN(auto account, store::GetAccount(db, s.member_id, true));
    if (!account.has_value()) {
      return FieldStatus(absl::StatusCode::kFailedPrecondition, "name", "the member has no dues assessment yet",
                         "NOT_ASSESSED");
    }
    std::string current;
    if (!account->reason_sealed.empty()) {
      ASSIGN_OR_RETURN(current, cipher_.Open(account->reason_sealed, ReasonContext(s.member_id)));
    }
    if (current == req.reason()) {  // as it stands (a retry): nothing to write
      ASSIGN_OR_RETURN(auto standing, StandingsOf(db, c, {*account}, false, "SetDuesReason"));
      *out = std::move(standing[0]);
      return absl::OkStatus();
    }
    std::string sealed;
    if (!req.reason().empty()) {
      ASSIGN_OR_RETURN(sealed, cipher_.Seal(req.reason(), ReasonContext(s.member_id)));
    }
    RETURN_IF_ERROR(store::SetReason(db, s.member_id, sealed, now));
    account->reason_sealed = sealed;
    account->reason_us = now;
    ChangeSet changes;
    changes.Set("reason", sealed.empty() ? "cleared" : "set");  // never the text
    RETURN_IF_ERROR(RecordHistory(db, c, {s.district_id, member_name, req.name(), "update", changes}, now));
    ASSIGN_OR_RETURN(auto standing, StandingsOf(db, c, {*account}, false, "SetDuesReason"));
    *out = std::move(standing[0]);
    return absl::OkStatus();
  });
}

absl::Status DuesLogic::ListDuesArrears(const CallContext& c, const v1::ListDuesArrearsRequest& req,
                                        v1::ListDuesArrearsResponse* out) {
  Validator v;
  v.Name("parent", req.parent(), kOrgUnits);
  const int min_months = req.has_min_months() ? req.min_months() : 1;
  v.Check(min_months >= 1 && min_months <= 120, "min_months", "must be 1..120");
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(int size, PageSize(req.page_size(), 50, 200));
  const std::string fp = absl::StrCat("duesArrears|", req.parent(), "|", min_months);
  ASSIGN_OR_RETURN(std::string after, tokens_.Decode(req.page_token(), fp));
  ASSIGN_OR_RETURN(Unit unit, StaffUnit(c, req.parent(), "parent"));
  if (req.reveal()) RETURN_IF_ERROR(RequireReveal(c, ""));
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto accounts, store::AccountsBehind(db, unit.district_id, unit.path, CurrentMonth(), min_months,
                                                          after, size + 1));
    const bool more = accounts.size() > static_cast<size_t>(size);
    if (more) accounts.resize(static_cast<size_t>(size));
    ASSIGN_OR_RETURN(auto standings, StandingsOf(db, c, accounts, req.reveal(), "ListDuesArrears"));
    for (auto& s : standings) *out->add_members() = std::move(s);
    if (more) out->set_next_page_token(tokens_.Encode(fp, accounts.back().member_id));
    return absl::OkStatus();
  });
}

absl::Status DuesLogic::GetDuesTotals(const CallContext& c, const v1::GetDuesTotalsRequest& req, v1::DuesTotals* out) {
  Validator v;
  v.Name("org_unit", req.org_unit(), kOrgUnits);
  const int year = req.year() == 0 ? static_cast<int>(BeijingDay(clock_.Now()).year()) : req.year();
  v.Check(year >= 2000 && year <= 2100, "year", "must be 2000..2100");
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(Unit unit, StaffUnit(c, req.org_unit(), "org_unit"));
  const MonthIndex from = year * 12;
  std::map<int, store::MonthSums> sums;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(sums, store::DuesSums(db, unit.district_id, unit.path, from, from + 12));
    return absl::OkStatus();
  }));
  out->set_org_unit(req.org_unit());
  out->set_year(year);
  int64_t due = 0, paid = 0;
  for (MonthIndex m = from; m < from + 12; ++m) {
    const store::MonthSums& s = sums[m];
    v1::DuesMonthTotal* t = out->add_months();
    t->set_month(MonthText(m));
    t->set_members_assessed(s.assessed);
    t->set_members_paid(s.paid);
    t->set_due_fen(s.due_fen);
    t->set_paid_fen(s.paid_fen);
    due += s.due_fen;
    paid += s.paid_fen;
  }
  out->set_due_fen(due);
  out->set_paid_fen(paid);
  return absl::OkStatus();
}

absl::Status DuesLogic::ListDuesDisclosures(const CallContext& c, const v1::ListDuesDisclosuresRequest& req,
                                            v1::ListDuesDisclosuresResponse* out) {
  Validator v;
  v.Name("parent", req.parent(), kMembers);
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(int size, PageSize(req.page_size(), 50, 500));
  const std::string fp = absl::StrCat("duesDisclosures|", req.parent());
  ASSIGN_OR_RETURN(std::string before, tokens_.Decode(req.page_token(), fp));
  int64_t before_seq = 0;
  if (!before.empty() && !absl::SimpleAtoi(before, &before_seq)) return FieldError("page_token", "is not valid");
  return db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(Subject s, SubjectOf(&db, c, req.parent(), "parent", false));
    ASSIGN_OR_RETURN(auto rows, store::ListDisclosures(db, s.member_id, before_seq, size + 1));
    for (size_t i = 0; i < rows.size() && i < static_cast<size_t>(size); ++i) {
      v1::DuesDisclosure* d = out->add_disclosures();
      d->set_member(kMembers.Name(rows[i].member_id));
      d->set_field(rows[i].field);
      d->set_reader(rows[i].reader);
      d->set_method(rows[i].method);
      SetTimestampUs(rows[i].read_us, d->mutable_read_time());
    }
    if (rows.size() > static_cast<size_t>(size)) {
      out->set_next_page_token(tokens_.Encode(fp, absl::StrCat(rows[static_cast<size_t>(size) - 1].seq)));
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<TodoItem>> DuesLogic::DueTodos(Db& db, absl::Time now) {
  const MonthIndex current = MonthOf(BeijingDay(now));
  ASSIGN_OR_RETURN(std::string mark, store::DuesWatermark(db));
  absl::StrAppend(&mark, "|", current);
  {
    absl::MutexLock lock(&due_mu_);
    if (mark == due_mark_ && now - due_at_ < sweep_every_) return due_;
  }
  ASSIGN_OR_RETURN(auto accounts, store::AccountsBehind(db, "", "", current, kRemindMonths, "", 0));
  std::vector<std::string> ids;
  MonthIndex first = current;
  for (const auto& a : accounts) {
    ids.push_back(a.member_id);
    first = std::min(first, a.first_month);
  }
  ASSIGN_OR_RETURN(auto paid, store::PaidMonthsOf(db, ids, first, current));
  std::vector<TodoItem> due;
  for (const auto& a : accounts) {
    const std::map<int, int64_t>& months = paid[a.member_id];
    const int unpaid = current - a.first_month - static_cast<int>(months.size());
    const std::string subject = absl::StrCat(kMembers.Name(a.member_id), kStandingSuffix);
    due.push_back({a.unit_id, org::v1::TODO_KIND_DUES_UNPAID, subject,
                   absl::StrCat(a.display_name, " has ", unpaid, " months of party dues unpaid"), ""});
    int run = 0;
    for (MonthIndex m = current - 1; m >= a.first_month && months.count(m) == 0; --m) ++run;
    if (run >= kLapsedMonths && a.reason_sealed.empty()) {
      due.push_back({a.unit_id, org::v1::TODO_KIND_DUES_LAPSED, subject,
                     absl::StrCat(a.display_name, " has paid no party dues for ", run,
                                  " months in a row and no reason is recorded"),
                     ""});
    }
  }
  absl::MutexLock lock(&due_mu_);
  due_ = due;
  due_at_ = now;
  due_mark_ = mark;
  return due;
}

}  // namespace lianxin::activity
