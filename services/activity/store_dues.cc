// SQL for party dues: assessments, accounts, months paid, payments, sums and
// disclosures.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/sql.h"
#include "common/status.h"
#include "services/activity/dues_store.h"

namespace lianxin::activity::store {
namespace {

constexpr char kAssessmentCols[] =
    "member_id, from_month, district_id, unit_id, category, base_sealed, rate_bp, monthly_fen, set_by, version, "
    "updated_us";
constexpr char kAccountCols[] =
    "acc.member_id, acc.district_id, acc.unit_id, acc.unit_path, acc.display_name, acc.first_month, "
    "acc.reason_sealed, acc.reason_us";
constexpr char kPaymentCols[] =
    "seq, id, district_id, member_id, unit_id, unit_path, months, amount_fen, due_fen, method, note, recorded_by, "
    "created_us";

AssessmentRecord ReadAssessment(const Row& r) {
  AssessmentRecord a;
  a.member_id = r.Str("member_id");
  a.from_month = static_cast<int>(r.Int("from_month"));
  a.district_id = r.Str("district_id");
  a.unit_id = r.Str("unit_id");
  a.category = static_cast<int>(r.Int("category"));
  a.base_sealed = r.Str("base_sealed");
  a.rate_bp = static_cast<int>(r.Int("rate_bp"));
  a.monthly_fen = r.Int("monthly_fen");
  a.set_by = r.Str("set_by");
  a.version = r.Int("version");
  a.updated_us = r.Int("updated_us");
  return a;
}

DuesAccount ReadAccount(const Row& r) {
  return {r.Str("member_id"),     r.Str("district_id"),  r.Str("unit_id"),
          r.Str("unit_path"),     r.Str("display_name"), static_cast<int>(r.Int("first_month")),
          r.Str("reason_sealed"), r.Int("reason_us")};
}

PaymentRecord ReadPayment(const Row& r) {
  PaymentRecord p;
  p.seq = r.Int("seq");
  p.id = r.Str("id");
  p.district_id = r.Str("district_id");
  p.member_id = r.Str("member_id");
  p.unit_id = r.Str("unit_id");
  p.unit_path = r.Str("unit_path");
  p.months = r.Str("months");
  p.amount_fen = r.Int("amount_fen");
  p.due_fen = r.Int("due_fen");
  p.method = static_cast<int>(r.Int("method"));
  p.note = r.Str("note");
  p.recorded_by = r.Str("recorded_by");
  p.created_us = r.Int("created_us");
  return p;
}

// " AND acc.district_id = ? AND acc.unit_path >= ? AND acc.unit_path < ?"
// for a subtree; nothing for all.
void UnderPath(const std::string& district_id, const std::string& path_prefix, std::string* sql, SqlParams* params) {
  if (path_prefix.empty()) return;
  absl::StrAppend(sql, " AND acc.district_id = ? AND acc.unit_path >= ? AND acc.unit_path < ?");
  params->push_back(district_id);
  params->push_back(path_prefix);
  params->push_back(absl::StrCat(path_prefix.substr(0, path_prefix.size() - 1), "0"));
}

}  // namespace

absl::Status PutAssessment(Db& db, const AssessmentRecord& r) {
  return db
      .Exec(absl::StrCat("REPLACE INTO dues_assessments (", kAssessmentCols,
                         ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            {r.member_id, int64_t{r.from_month}, r.district_id, r.unit_id, int64_t{r.category}, r.base_sealed,
             int64_t{r.rate_bp}, r.monthly_fen, r.set_by, r.version, r.updated_us})
      .status();
}

absl::StatusOr<std::vector<AssessmentRecord>> AssessmentsOf(Db& db, const std::string& member_id) {
  std::vector<AssessmentRecord> out;
  RETURN_IF_ERROR(db.Query(
      absl::StrCat("SELECT ", kAssessmentCols, " FROM dues_assessments WHERE member_id = ? ORDER BY from_month DESC"),
      {member_id}, [&](const Row& r) { out.push_back(ReadAssessment(r)); }));
  return out;
}

absl::StatusOr<std::map<std::string, std::vector<AssessmentRecord>>> AssessmentsOfMany(
    Db& db, const std::vector<std::string>& member_ids) {
  std::map<std::string, std::vector<AssessmentRecord>> out;
  for (size_t i = 0; i < member_ids.size(); i += 500) {
    SqlParams p;
    for (size_t j = i; j < member_ids.size() && j < i + 500; ++j) p.push_back(member_ids[j]);
    RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT ", kAssessmentCols, " FROM dues_assessments WHERE member_id IN (",
                                          SqlPlaceholders(p.size()), ") ORDER BY member_id, from_month DESC"),
                             p, [&](const Row& r) {
                               AssessmentRecord a = ReadAssessment(r);
                               out[a.member_id].push_back(std::move(a));
                             }));
  }
  return out;
}

absl::Status PutAccount(Db& db, const DuesAccount& a) {
  return db
      .Exec(
          "INSERT INTO dues_accounts (member_id, district_id, unit_id, unit_path, display_name, first_month) "
          "VALUES (?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE district_id = VALUES(district_id), "
          "unit_id = VALUES(unit_id), unit_path = VALUES(unit_path), display_name = VALUES(display_name), "
          "first_month = LEAST(first_month, VALUES(first_month))",
          {a.member_id, a.district_id, a.unit_id, a.unit_path, a.display_name, int64_t{a.first_month}})
      .status();
}

absl::StatusOr<std::optional<DuesAccount>> GetAccount(Db& db, const std::string& member_id, bool for_update) {
  std::optional<DuesAccount> out;
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT ", kAccountCols, " FROM dues_accounts acc WHERE acc.member_id = ?",
                                        for_update ? " FOR UPDATE" : ""),
                           {member_id}, [&](const Row& r) { out = ReadAccount(r); }));
  return out;
}

absl::Status SetReason(Db& db, const std::string& member_id, const std::string& sealed, int64_t at_us) {
  return db
      .Exec("UPDATE dues_accounts SET reason_sealed = ?, reason_us = ? WHERE member_id = ?", {sealed, at_us, member_id})
      .status();
}

absl::StatusOr<std::map<std::string, std::map<int, int64_t>>> PaidMonthsOf(Db& db,
                                                                           const std::vector<std::string>& member_ids,
                                                                           int from, int to) {
  std::map<std::string, std::map<int, int64_t>> out;
  for (size_t i = 0; i < member_ids.size(); i += 500) {
    SqlParams p = {int64_t{from}, int64_t{to}};
    for (size_t j = i; j < member_ids.size() && j < i + 500; ++j) p.push_back(member_ids[j]);
    RETURN_IF_ERROR(db.Query(
        absl::StrCat("SELECT member_id, month, due_fen FROM dues_months WHERE month >= ? AND "
                     "month < ? AND member_id IN (",
                     SqlPlaceholders(p.size() - 2), ")"),
        p, [&](const Row& r) { out[r.Str("member_id")][static_cast<int>(r.Int("month"))] = r.Int("due_fen"); }));
  }
  return out;
}

absl::Status InsertPaidMonths(Db& db, const std::string& member_id, const std::string& payment_id,
                              const std::vector<std::pair<int, int64_t>>& months) {
  std::vector<SqlParams> values;
  for (const auto& [month, due] : months) values.push_back({member_id, int64_t{month}, due, payment_id});
  auto st = InsertRowsSql("dues_months", "member_id, month, due_fen, payment_id", std::move(values));
  if (!st.has_value()) return absl::OkStatus();
  return db.Exec(st->sql, st->params).status();
}

absl::Status InsertPayment(Db& db, const PaymentRecord& p) {
  return db
      .Exec(
          "INSERT INTO dues_payments (id, district_id, member_id, unit_id, unit_path, months, amount_fen, due_fen, "
          "method, note, recorded_by, created_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {p.id, p.district_id, p.member_id, p.unit_id, p.unit_path, p.months, p.amount_fen, p.due_fen,
           int64_t{p.method}, p.note, p.recorded_by, p.created_us})
      .status();
}

absl::StatusOr<std::optional<PaymentRecord>> GetPayment(Db& db, const std::string& id) {
  std::optional<PaymentRecord> out;
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT ", kPaymentCols, " FROM dues_payments WHERE id = ?"), {id},
                           [&](const Row& r) { out = ReadPayment(r); }));
  return out;
}

absl::StatusOr<std::vector<PaymentRecord>> ListPayments(Db& db, const std::string& member_id,
                                                        const std::string& district_id, const std::string& path_prefix,
                                                        int64_t before_seq, int limit) {
  std::string sql = absl::StrCat("SELECT ", kPaymentCols, " FROM dues_payments WHERE seq < ?");
  SqlParams params = {before_seq == 0 ? INT64_MAX : before_seq};
  if (!member_id.empty()) {
    absl::StrAppend(&sql, " AND member_id = ?");
    params.push_back(member_id);
  } else {
    absl::StrAppend(&sql, " AND district_id = ? AND unit_path >= ? AND unit_path < ?");
    params.push_back(district_id);
    params.push_back(path_prefix);
    params.push_back(absl::StrCat(path_prefix.substr(0, path_prefix.size() - 1), "0"));
  }
  absl::StrAppend(&sql, " ORDER BY seq DESC LIMIT ", limit);
  std::vector<PaymentRecord> out;
  RETURN_IF_ERROR(db.Query(sql, params, [&](const Row& r) { out.push_back(ReadPayment(r)); }));
  return out;
}

absl::StatusOr<std::vector<DuesAccount>> AccountsBehind(Db& db, const std::string& district_id,
                                                        const std::string& path_prefix, int current, int min_unpaid,
                                                        const std::string& after, int limit) {
  std::string sql = absl::StrCat(
      "SELECT ", kAccountCols,
      ", (SELECT COUNT(*) FROM dues_months d WHERE d.member_id = acc.member_id AND d.month >= acc.first_month "
      "AND d.month < ?) AS paid FROM dues_accounts acc WHERE acc.member_id > ? AND acc.first_month < ?");
  SqlParams params = {int64_t{current}, after, int64_t{current}};
  UnderPath(district_id, path_prefix, &sql, &params);
  absl::StrAppend(&sql, " HAVING ? - acc.first_month - paid >= ? ORDER BY acc.member_id");
  params.push_back(int64_t{current});
  params.push_back(int64_t{min_unpaid});
  if (limit > 0) absl::StrAppend(&sql, " LIMIT ", limit);
  std::vector<DuesAccount> out;
  RETURN_IF_ERROR(db.Query(sql, params, [&](const Row& r) { out.push_back(ReadAccount(r)); }));
  return out;
}

absl::StatusOr<std::string> DuesWatermark(Db& db) {
  std::string out;
  RETURN_IF_ERROR(db.Query(
      "SELECT (SELECT COALESCE(MAX(seq), 0) FROM dues_payments) AS p, (SELECT COALESCE(MAX(updated_us), 0) FROM "
      "dues_assessments) AS a, (SELECT COALESCE(MAX(reason_us), 0) FROM dues_accounts) AS r",
      {}, [&](const Row& r) { out = absl::StrCat(r.Int("p"), "|", r.Int("a"), "|", r.Int("r")); }));
  return out;
}

absl::StatusOr<std::map<int, MonthSums>> DuesSums(Db& db, const std::string& district_id,
                                                  const std::string& path_prefix, int from, int to) {
  std::map<int, MonthSums> out;
  // Due: the assessment in force each month, member by member.
  std::string sql =
      "SELECT a.member_id, a.from_month, a.monthly_fen FROM dues_assessments a JOIN dues_accounts acc ON "
      "acc.member_id = a.member_id WHERE a.from_month < ?";
  SqlParams params = {int64_t{to}};
  UnderPath(district_id, path_prefix, &sql, &params);
  absl::StrAppend(&sql, " ORDER BY a.member_id, a.from_month");
  std::string member;
  std::vector<std::pair<int, int64_t>> steps;  // of `member`, by from_month
  auto flush = [&] {
    for (size_t i = 0; i < steps.size(); ++i) {
      const int end = i + 1 < steps.size() ? steps[i + 1].first : to;
      for (int m = std::max(from, steps[i].first); m < end; ++m) {
        out[m].assessed++;
        out[m].due_fen += steps[i].second;
      }
    }
    steps.clear();
  };
  RETURN_IF_ERROR(db.Query(sql, params, [&](const Row& r) {
    if (r.Str("member_id") != member) {
      flush();
      member = r.Str("member_id");
    }
    steps.emplace_back(static_cast<int>(r.Int("from_month")), r.Int("monthly_fen"));
  }));
  flush();
  sql =
      "SELECT d.month, COUNT(*) AS n, SUM(d.due_fen) AS fen FROM dues_months d JOIN dues_accounts acc ON "
      "acc.member_id = d.member_id WHERE d.month >= ? AND d.month < ?";
  params = {int64_t{from}, int64_t{to}};
  UnderPath(district_id, path_prefix, &sql, &params);
  absl::StrAppend(&sql, " GROUP BY d.month");
  RETURN_IF_ERROR(db.Query(sql, params, [&](const Row& r) {
    MonthSums& s = out[static_cast<int>(r.Int("month"))];
    s.paid = static_cast<int>(r.Int("n"));
    s.paid_fen = r.Int("fen");
  }));
  return out;
}

absl::Status InsertDisclosures(Db& db, const std::vector<DisclosureRecord>& rows) {
  std::vector<SqlParams> values;
  for (const auto& d : rows) values.push_back({d.district_id, d.member_id, d.field, d.reader, d.method, d.read_us});
  auto st =
      InsertRowsSql("dues_disclosures", "district_id, member_id, field, reader, method, read_us", std::move(values));
  if (!st.has_value()) return absl::OkStatus();
  return db.Exec(st->sql, st->params).status();
}

absl::StatusOr<std::vector<DisclosureRecord>> ListDisclosures(Db& db, const std::string& member_id, int64_t before_seq,
                                                              int limit) {
  std::vector<DisclosureRecord> out;
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT seq, district_id, member_id, field, reader, method, read_us FROM "
                                        "dues_disclosures WHERE member_id = ? AND seq < ? ORDER BY seq DESC LIMIT ",
                                        limit),
                           {member_id, before_seq == 0 ? INT64_MAX : before_seq}, [&](const Row& r) {
                             out.push_back({r.Int("seq"), r.Str("district_id"), r.Str("member_id"), r.Str("field"),
                                            r.Str("reader"), r.Str("method"), r.Int("read_us")});
                           }));
  return out;
}

}  // namespace lianxin::activity::store
