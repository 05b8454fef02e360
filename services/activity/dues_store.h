// The activity service's SQL for party dues (store_dues.cc), behind
// functions taking the caller's Db. Months are MonthIndex numbers
// (dues_rules.h); sealed values are stored as the cipher wrote them.
#ifndef LIANXIN_SERVICES_ACTIVITY_DUES_STORE_H_
#define LIANXIN_SERVICES_ACTIVITY_DUES_STORE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/db.h"

namespace lianxin::activity::store {

struct AssessmentRecord {
  std::string member_id;
  int from_month = 0;
  std::string district_id, unit_id;
  int category = 0;
  std::string base_sealed;  // "" for the fixed amounts
  int rate_bp = 0;
  int64_t monthly_fen = 0;
  std::string set_by;
  int64_t version = 1, updated_us = 0;
};
// Inserts or replaces the member's assessment from that month.
absl::Status PutAssessment(Db& db, const AssessmentRecord& r);
// Latest first.
absl::StatusOr<std::vector<AssessmentRecord>> AssessmentsOf(Db& db, const std::string& member_id);
// Of many members, each latest first.
absl::StatusOr<std::map<std::string, std::vector<AssessmentRecord>>> AssessmentsOfMany(
    Db& db, const std::vector<std::string>& member_ids);

// Where a member's dues are kept and from which month they are owed.
struct DuesAccount {
  std::string member_id, district_id, unit_id, unit_path, display_name;
  int first_month = 0;
  std::string reason_sealed;
  int64_t reason_us = 0;
};
// Creates the account, or moves it to the unit of the latest assessment and
// keeps the earliest first month.
absl::Status PutAccount(Db& db, const DuesAccount& a);
absl::StatusOr<std::optional<DuesAccount>> GetAccount(Db& db, const std::string& member_id, bool for_update);
// `at_us` is kept as the time of the change, also when the reason is cleared.
absl::Status SetReason(Db& db, const std::string& member_id, const std::string& sealed, int64_t at_us);

// The months paid (month → its dues) of the members, within [from, to).
absl::StatusOr<std::map<std::string, std::map<int, int64_t>>> PaidMonthsOf(Db& db,
                                                                           const std::vector<std::string>& member_ids,
                                                                           int from, int to);
// Fails with ALREADY_EXISTS when a month was paid before.
absl::Status InsertPaidMonths(Db& db, const std::string& member_id, const std::string& payment_id,
                              const std::vector<std::pair<int, int64_t>>& months);

struct PaymentRecord {
  int64_t seq = 0;
  std::string id, district_id, member_id, unit_id, unit_path;
  std::string months;  // "2026-01,2026-02"
  int64_t amount_fen = 0, due_fen = 0;
  int method = 0;
  std::string note, recorded_by;
  int64_t created_us = 0;
};
absl::Status InsertPayment(Db& db, const PaymentRecord& p);
absl::StatusOr<std::optional<PaymentRecord>> GetPayment(Db& db, const std::string& id);
// Newest first, before `before_seq` (0: from the newest): a member's, or those
// of the units under `path_prefix` of the district.
absl::StatusOr<std::vector<PaymentRecord>> ListPayments(Db& db, const std::string& member_id,
                                                        const std::string& district_id, const std::string& path_prefix,
                                                        int64_t before_seq, int limit);

// The accounts (under `path_prefix` of the district; all with ""s) with at
// least `min_unpaid` months before `current` unpaid, in member order after
// `after`; `limit` 0 for all.
absl::StatusOr<std::vector<DuesAccount>> AccountsBehind(Db& db, const std::string& district_id,
                                                        const std::string& path_prefix, int current, int min_unpaid,
                                                        const std::string& after, int limit);

// Changes whenever an assessment, a payment or a reason is written (the
// latest of each), for caches of what is due.
absl::StatusOr<std::string> DuesWatermark(Db& db);

// Month by month within [from, to), under `path_prefix` of the district.
struct MonthSums {
  int assessed = 0, paid = 0;
  int64_t due_fen = 0, paid_fen = 0;
};
absl::StatusOr<std::map<int, MonthSums>> DuesSums(Db& db, const std::string& district_id,
                                                  const std::string& path_prefix, int from, int to);

struct DisclosureRecord {
  int64_t seq = 0;
  std::string district_id, member_id, field, reader, method;
  int64_t read_us = 0;
};
absl::Status InsertDisclosures(Db& db, const std::vector<DisclosureRecord>& rows);
// Newest first, before `before_seq` (0: from the newest).
absl::StatusOr<std::vector<DisclosureRecord>> ListDisclosures(Db& db, const std::string& member_id, int64_t before_seq,
                                                              int limit);

}  // namespace lianxin::activity::store

#endif  // LIANXIN_SERVICES_ACTIVITY_DUES_STORE_H_
