// DuesLogic: a member's assessments (members/{id}/duesAssessments/{month},
// the base pay sealed) and the payments recorded month by month
// (duesPayments/{id}).
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/auth.h"
#include "common/history.h"
#include "common/idempotency.h"
#include "common/ids.h"
#include "common/names.h"
#include "common/status.h"
#include "common/timestamps.h"
#include "common/validate.h"
#include "services/activity/activity_logic.h"
#include "services/activity/dues_logic.h"

namespace lianxin::activity {
namespace {

inline constexpr Collection kPayments{"duesPayments", "lianxin.activity.v1.DuesPayment"};

std::string AssessmentName(const std::string& member_id, MonthIndex from) {
  return absl::StrCat(kMembers.Name(member_id), "/duesAssessments/", MonthText(from));
}

std::string BaseContext(const std::string& member_id, MonthIndex from) {
  return absl::StrCat(AssessmentName(member_id, from), "/base_pay");
}

v1::DuesAssessment AssessmentProto(const store::AssessmentRecord& r) {
  v1::DuesAssessment p;
  p.set_name(AssessmentName(r.member_id, r.from_month));
  p.set_member(kMembers.Name(r.member_id));
  p.set_org_unit(kOrgUnits.Name(r.unit_id));
  p.set_category(static_cast<v1::DuesCategory>(r.category));
  p.set_base_pay_masked(!r.base_sealed.empty());
  p.set_rate_basis_points(r.rate_bp);
  p.set_monthly_fen(r.monthly_fen);
  p.set_set_by(r.set_by);
  SetTimestampUs(r.updated_us, p.mutable_update_time());
  p.set_etag(EtagOf(r.version));
  return p;
}

v1::DuesPayment PaymentProto(const store::PaymentRecord& r) {
  v1::DuesPayment p;
  p.set_name(kPayments.Name(r.id));
  p.set_member(kMembers.Name(r.member_id));
  p.set_org_unit(kOrgUnits.Name(r.unit_id));
  for (absl::string_view m : absl::StrSplit(r.months, ',', absl::SkipEmpty())) p.add_months(std::string(m));
  p.set_amount_fen(r.amount_fen);
  p.set_due_fen(r.due_fen);
  p.set_method(static_cast<v1::DuesMethod>(r.method));
  if (!r.note.empty()) p.set_note(r.note);
  p.set_recorded_by(r.recorded_by);
  SetTimestampUs(r.created_us, p.mutable_create_time());
  return p;
}

}  // namespace

int64_t DuesIn(const std::vector<store::AssessmentRecord>& assessed, MonthIndex month) {
  for (const auto& a : assessed) {
    if (a.from_month <= month) return a.monthly_fen;
  }
  return 0;
}

MonthIndex DuesLogic::CurrentMonth() const { return MonthOf(BeijingDay(clock_.Now())); }

absl::StatusOr<DuesLogic::Subject> DuesLogic::SubjectOf(Db* db, const CallContext& c, const std::string& member_name,
                                                        const std::string& field, bool manage) {
  ASSIGN_OR_RETURN(std::string member_id, kMembers.Parse(member_name, field));
  const bool staff = IsStaff(c);
  if (!staff) {
    if (manage || CallerMemberId(c) != member_id) return OutsideSubtree(member_name, field);
  } else if (manage && !c.principal.HasAnyRole({kRoleOperator, kRoleSecretary})) {
    return WithReason(absl::PermissionDeniedError("a branch's secretaries keep its members' dues"), "ROLE_REQUIRED");
  }
  Subject s{member_id, "", "", "", ""};
  std::optional<store::DuesAccount> account;
  if (db != nullptr) {
    ASSIGN_OR_RETURN(account, store::GetAccount(*db, member_id, false));
  }
  if (account.has_value()) {
    s = {member_id, account->district_id, account->unit_id, account->unit_path, account->display_name};
  } else {
    absl::StatusOr<member::v1::Member> m = dirs_.Member(c, member_name, field);
    if (absl::IsNotFound(m.status()) && !c.principal.IsPlatformWide()) return OutsideSubtree(member_name, field);
    if (!m.ok()) return m.status();
    if (m->branch().empty()) {
      return FieldStatus(absl::StatusCode::kFailedPrecondition, field, "the member belongs to no branch", "NO_BRANCH");
    }
    ASSIGN_OR_RETURN(Unit unit, dirs_.UnitOf(c, kOrgUnits.IdOf(m->branch()), field));
    s = {member_id, unit.district_id, unit.id, unit.path, m->display_name()};
  }
  if (staff && !c.principal.CoversPath(s.unit_path)) return OutsideSubtree(member_name, field);
  return s;
}

absl::Status DuesLogic::RequireReveal(const CallContext& c, const std::string& member_id) const {
  if ((IsStaff(c) && c.principal.HasAnyRole({kRoleOperator, kRoleSecretary})) ||
      (!member_id.empty() && CallerMemberId(c) == member_id)) {
    return absl::OkStatus();
  }
  return FieldStatus(absl::StatusCode::kPermissionDenied, "reveal",
                     "sealed dues fields in clear need the operator or secretary role", "REVEAL_NOT_ALLOWED");
}

absl::Status DuesLogic::SetDuesAssessment(const CallContext& c, const v1::SetDuesAssessmentRequest& req,
                                          v1::DuesAssessment* out) {
  const v1::DuesAssessment& a = req.assessment();
  Validator v;
  std::vector<std::string> parts = absl::StrSplit(a.name(), "/duesAssessments/");
  std::string member_name = parts.size() == 2 ? parts[0] : "";
  std::optional<MonthIndex> from = parts.size() == 2 ? ParseMonth(parts[1]) : std::nullopt;
  v.Check(kMembers.IdOf(member_name) != "" && from.has_value(), "assessment.name",
          "must be members/{id}/duesAssessments/{YYYY-MM}");
  v.Check(a.member().empty() || a.member() == member_name, "assessment.member", "must be the member of the name");
  v.Check(a.category() != v1::DUES_CATEGORY_UNSPECIFIED && v1::DuesCategory_IsValid(a.category()),
          "assessment.category", "is required");
  if (NeedsBase(a.category())) {
    v.Check(a.base_pay_fen() > 0 && a.base_pay_fen() <= 10000000, "assessment.base_pay_fen",
            "is required for the employed and the retired: 1 to 10,000,000 fen a month");
  } else {
    v.Check(a.base_pay_fen() == 0, "assessment.base_pay_fen", "students, laid-off and relief pay a fixed 0.2 yuan");
  }
  const MonthIndex current = CurrentMonth();
  if (from.has_value()) v.Check(*from <= current + 12, "assessment.name", "at most 12 months ahead");
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(Subject s, SubjectOf(nullptr, c, member_name, "assessment.name", true));
  const DuesRate rate = RateFor(a.category(), a.base_pay_fen());
  std::string sealed;
  if (NeedsBase(a.category())) {
    ASSIGN_OR_RETURN(sealed, cipher_.Seal(absl::StrCat(a.base_pay_fen()), BaseContext(s.member_id, *from)));
  }
  const int64_t now = NowUs();
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto account, store::GetAccount(db, s.member_id, true));  // one change of a member at a time
    ASSIGN_OR_RETURN(auto assessed, store::AssessmentsOf(db, s.member_id));
    const store::AssessmentRecord* existing = nullptr;
    for (const auto& r : assessed) {
      if (r.from_month == *from) existing = &r;
    }
    store::AssessmentRecord r;
    if (existing != nullptr) {
      if (req.etag().empty()) {
        // The same assessment again is answered as it stands (a retried PUT).
        absl::StatusOr<std::string> base = existing->base_sealed.empty()
                                               ? std::string("0")
                                               : cipher_.Open(existing->base_sealed, BaseContext(s.member_id, *from));
        if (existing->category == a.category() && base.ok() && *base == absl::StrCat(a.base_pay_fen())) {
          *out = AssessmentProto(*existing);
          return absl::OkStatus();
        }
        return FieldStatus(absl::StatusCode::kAlreadyExists, "etag",
                           absl::StrCat(a.name(), " is set: pass its etag to replace it"), "ASSESSMENT_EXISTS");
      }
      RETURN_IF_ERROR(CheckEtag("etag", req.etag(), existing->version));
      r.version = existing->version + 1;
    } else if (!req.etag().empty()) {
      return FieldStatus(absl::StatusCode::kAborted, "etag", "there is no assessment to replace", "STALE_ETAG");
    }
    r.member_id = s.member_id;
    r.from_month = *from;
    r.district_id = s.district_id;
    r.unit_id = s.unit_id;
    r.category = a.category();
    r.base_sealed = sealed;
    r.rate_bp = rate.rate_basis_points;
    r.monthly_fen = rate.monthly_fen;
    r.set_by = c.principal.subject;
    r.updated_us = now;
    RETURN_IF_ERROR(store::PutAssessment(db, r));
    RETURN_IF_ERROR(
        store::PutAccount(db, {s.member_id, s.district_id, s.unit_id, s.unit_path, s.display_name, *from, "", 0}));
    ChangeSet changes;
    changes.Set("category", v1::DuesCategory_Name(a.category()));
    changes.Set("monthly_fen", absl::StrCat(rate.monthly_fen));
    RETURN_IF_ERROR(RecordHistory(
        db, c,
        {s.district_id, kMembers.Name(s.member_id), a.name(), existing != nullptr ? "update" : "create", changes},
        now));
    *out = AssessmentProto(r);
    return absl::OkStatus();
  });
}

absl::Status DuesLogic::ListDuesAssessments(const CallContext& c, const v1::ListDuesAssessmentsRequest& req,
                                            v1::ListDuesAssessmentsResponse* out) {
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(Subject s, SubjectOf(&db, c, req.parent(), "parent", false));
    if (req.reveal()) RETURN_IF_ERROR(RequireReveal(c, s.member_id));
    ASSIGN_OR_RETURN(auto assessed, store::AssessmentsOf(db, s.member_id));
    std::vector<store::DisclosureRecord> read;
    for (const auto& r : assessed) {
      v1::DuesAssessment* p = out->add_assessments();
      *p = AssessmentProto(r);
      if (!req.reveal() || r.base_sealed.empty()) continue;
      ASSIGN_OR_RETURN(std::string base, cipher_.Open(r.base_sealed, BaseContext(r.member_id, r.from_month)));
      int64_t fen = 0;
      if (!absl::SimpleAtoi(base, &fen)) return absl::InternalError("a dues base that is no number");
      p->set_base_pay_fen(fen);
      p->set_base_pay_masked(false);
      read.push_back({0, s.district_id, s.member_id, "base_pay", c.principal.subject, "ListDuesAssessments", NowUs()});
    }
    return store::InsertDisclosures(db, read);
  });
}

absl::Status DuesLogic::RecordDuesPayment(const CallContext& c, const v1::RecordDuesPaymentRequest& req,
                                          v1::DuesPayment* out) {
  const v1::DuesPayment& p = req.payment();
  Validator v;
  v.Name("payment.member", p.member(), kMembers);
  v.RequestId(req.request_id());
  const MonthIndex current = CurrentMonth();
  std::set<MonthIndex> months;
  v.Check(p.months_size() >= 1 && p.months_size() <= 24, "payment.months", "1 to 24 months");
  for (int i = 0; i < p.months_size(); ++i) {
    const std::string field = absl::StrCat("payment.months[", i, "]");
    std::optional<MonthIndex> m = ParseMonth(p.months(i));
    if (!m.has_value()) {
      v.Add(field, "must be YYYY-MM");
      continue;
    }
    v.Check(*m <= current + 12, field, "at most 12 months ahead");
    v.Check(months.insert(*m).second, field, "is named twice");
  }
  v.Check(p.amount_fen() > 0 && p.amount_fen() <= 100000000, "payment.amount_fen", "must be 1 to 100,000,000 fen");
  v.Check(p.method() != v1::DUES_METHOD_UNSPECIFIED && v1::DuesMethod_IsValid(p.method()), "payment.method",
          "is required");
  v.LongText("payment.note", p.note(), 500);
  RETURN_IF_ERROR(v.status());
  const int64_t now = NowUs();
  return CreateOnce(
      db_, c, req.request_id(), "RecordDuesPayment", now,
      [&](Db& db, const std::string& name) -> absl::StatusOr<bool> {
        ASSIGN_OR_RETURN(auto r, store::GetPayment(db, kPayments.IdOf(name)));
        if (!r.has_value()) return false;
        *out = PaymentProto(*r);
        return true;
      },
      [&](Db& db, RememberCreated remember) -> absl::Status {
        ASSIGN_OR_RETURN(Subject s, SubjectOf(&db, c, p.member(), "payment.member", true));
        ASSIGN_OR_RETURN(auto account, store::GetAccount(db, s.member_id, true));  // payments of a member in turn
        if (!account.has_value()) {
          return FieldStatus(absl::StatusCode::kFailedPrecondition, "payment.member",
                             "the member has no dues assessment yet", "NOT_ASSESSED");
        }
        ASSIGN_OR_RETURN(auto assessed, store::AssessmentsOf(db, s.member_id));
        ASSIGN_OR_RETURN(auto paid, store::PaidMonthsOf(db, {s.member_id}, *months.begin(), *months.rbegin() + 1));
        std::vector<std::pair<int, int64_t>> rows;
        int64_t due = 0;
        for (int i = 0; i < p.months_size(); ++i) {
          const std::string field = absl::StrCat("payment.months[", i, "]");
          const MonthIndex m = *ParseMonth(p.months(i));
          const int64_t fen = DuesIn(assessed, m);
          if (fen == 0) {
            return FieldStatus(absl::StatusCode::kFailedPrecondition, field,
                               absl::StrCat(p.months(i), " has no assessment in force"), "NOT_ASSESSED");
          }
          if (paid[s.member_id].count(m) > 0) {
            return FieldStatus(absl::StatusCode::kFailedPrecondition, field,
                               absl::StrCat(p.months(i), " is paid already"), "MONTH_PAID");
          }
          rows.emplace_back(m, fen);
          due += fen;
        }
        if (p.amount_fen() < due) {
          return FieldError("payment.amount_fen", absl::StrCat("less than the dues of those months: ", due, " fen"));
        }
        store::PaymentRecord r;
        r.id = NewId();
        r.district_id = account->district_id;
        r.member_id = s.member_id;
        r.unit_id = account->unit_id;
        r.unit_path = account->unit_path;
        std::vector<std::string> texts;
        for (MonthIndex m : months) texts.push_back(MonthText(m));
        r.months = absl::StrJoin(texts, ",");
        r.amount_fen = p.amount_fen();
        r.due_fen = due;
        r.method = p.method();
        r.note = p.note();
        r.recorded_by = c.principal.subject;
        r.created_us = now;
        RETURN_IF_ERROR(remember(r.district_id, kPayments.Name(r.id)));
        RETURN_IF_ERROR(store::InsertPayment(db, r));
        RETURN_IF_ERROR(store::InsertPaidMonths(db, r.member_id, r.id, rows));
        ChangeSet changes;
        changes.Set("months", r.months);
        changes.Set("amount_fen", absl::StrCat(r.amount_fen));
        RETURN_IF_ERROR(RecordHistory(
            db, c, {r.district_id, kMembers.Name(r.member_id), kPayments.Name(r.id), "create", changes}, now));
        *out = PaymentProto(r);
        return absl::OkStatus();
      });
}

absl::Status DuesLogic::ListDuesPayments(const CallContext& c, const v1::ListDuesPaymentsRequest& req,
                                         v1::ListDuesPaymentsResponse* out) {
  ASSIGN_OR_RETURN(int size, PageSize(req.page_size(), 50, 500));
  const std::string fp = absl::StrCat("duesPayments|", req.parent());
  ASSIGN_OR_RETURN(std::string before, tokens_.Decode(req.page_token(), fp));
  int64_t before_seq = 0;
  if (!before.empty() && !absl::SimpleAtoi(before, &before_seq)) return FieldError("page_token", "is not valid");
  std::string member_id, district_id, path;
  if (!kOrgUnits.IdOf(req.parent()).empty()) {
    ASSIGN_OR_RETURN(Unit unit, StaffUnit(c, req.parent(), "parent"));
    district_id = unit.district_id;
    path = unit.path;
  } else if (kMembers.IdOf(req.parent()).empty()) {
    return FieldError("parent", "must be members/{id} or orgUnits/{id}");
  }
  return db_.Run([&](Db& db) -> absl::Status {
    if (path.empty()) {
      ASSIGN_OR_RETURN(Subject s, SubjectOf(&db, c, req.parent(), "parent", false));
      member_id = s.member_id;
    }
    ASSIGN_OR_RETURN(auto rows, store::ListPayments(db, member_id, district_id, path, before_seq, size + 1));
    for (size_t i = 0; i < rows.size() && i < static_cast<size_t>(size); ++i)
      *out->add_payments() = PaymentProto(rows[i]);
    if (rows.size() > static_cast<size_t>(size)) {
      out->set_next_page_token(tokens_.Encode(fp, absl::StrCat(rows[static_cast<size_t>(size) - 1].seq)));
    }
    return absl::OkStatus();
  });
}

}  // namespace lianxin::activity
