// SQL for the ledgers: entries (insert and read only), balances as sums, the
// caps per cycle, the districts' point rules, and the outbox cursors.
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/sql.h"
#include "common/status.h"
#include "services/activity/activity_store.h"

namespace lianxin::activity::store {
namespace {

constexpr char kCols[] =
    "id, district_id, ledger, debit_account, credit_account, amount, member_id, source, point_source, cycle, "
    "source_key, reverses, memo, actor, year, created_us";

EntryRecord Read(const Row& r) {
  EntryRecord e;
  e.id = r.Str("id");
  e.district_id = r.Str("district_id");
  e.ledger = static_cast<int>(r.Int("ledger"));
  e.debit_account = r.Str("debit_account");
  e.credit_account = r.Str("credit_account");
  e.amount = r.Int("amount");
  e.member_id = r.Str("member_id");
  e.source = r.Str("source");
  e.point_source = static_cast<int>(r.Int("point_source"));
  e.cycle = r.Str("cycle");
  if (!r.IsNull("source_key")) e.source_key = r.Str("source_key");
  if (!r.IsNull("reverses")) e.reverses = r.Str("reverses");
  e.memo = r.Str("memo");
  e.actor = r.Str("actor");
  e.year = static_cast<int>(r.Int("year"));
  e.created_us = r.Int("created_us");
  return e;
}

}  // namespace

absl::Status InsertEntries(Db& db, const std::vector<EntryRecord>& entries) {
  std::vector<SqlParams> rows;
  for (const auto& e : entries) {
    rows.push_back({e.id, e.district_id, int64_t{e.ledger}, e.debit_account, e.credit_account, e.amount, e.member_id,
                    e.source, int64_t{e.point_source}, e.cycle, NullIfEmpty(e.source_key), NullIfEmpty(e.reverses),
                    e.memo, e.actor, int64_t{e.year}, e.created_us});
  }
  std::optional<SqlStatement> st = InsertRowsSql("ledger_entries", kCols, std::move(rows));
  if (!st.has_value()) return absl::OkStatus();
  return db.Exec(st->sql, st->params).status();
}

absl::StatusOr<std::optional<EntryRecord>> GetEntry(Db& db, const std::string& id) {
  std::optional<EntryRecord> out;
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT ", kCols, " FROM ledger_entries WHERE id = ?"), {id},
                           [&](const Row& r) { out = Read(r); }));
  return out;
}

absl::StatusOr<bool> HasSourceKey(Db& db, const std::string& source_key) {
  bool found = false;
  RETURN_IF_ERROR(db.Query("SELECT 1 AS one FROM ledger_entries WHERE source_key = ?", {source_key},
                           [&](const Row&) { found = true; }));
  return found;
}

std::string EntryCursor(const EntryRecord& e) { return absl::StrCat(e.created_us, "/", e.id); }

absl::StatusOr<std::vector<EntryRecord>> ListEntries(Db& db, const std::string& member_id, int ledger,
                                                     const std::string& after, int limit) {
  std::string sql = absl::StrCat("SELECT ", kCols, " FROM ledger_entries WHERE member_id = ?");
  SqlParams params = {member_id};
  if (ledger != 0) {
    absl::StrAppend(&sql, " AND ledger = ?");
    params.push_back(int64_t{ledger});
  }
  if (!after.empty()) {
    std::pair<std::string, std::string> parts = absl::StrSplit(after, absl::MaxSplits('/', 1));
    int64_t us = 0;
    if (!absl::SimpleAtoi(parts.first, &us)) return absl::InvalidArgumentError("bad cursor");
    absl::StrAppend(&sql, " AND (created_us < ? OR (created_us = ? AND id < ?))");
    params.push_back(us);
    params.push_back(us);
    params.push_back(parts.second);
  }
  absl::StrAppend(&sql, " ORDER BY created_us DESC, id DESC LIMIT ", limit);
  std::vector<EntryRecord> out;
  RETURN_IF_ERROR(db.Query(sql, params, [&](const Row& r) { out.push_back(Read(r)); }));
  return out;
}

absl::StatusOr<Balance> BalanceOf(Db& db, const std::string& account, int year) {
  Balance b;
  // Credits in, debits out: a member's account is on one side of each of
  // their entries.
  RETURN_IF_ERROR(db.Query(
      "SELECT ledger, year, SUM(CASE WHEN credit_account = ? THEN amount ELSE -amount END) AS total "
      "FROM ledger_entries WHERE member_id = ? AND (credit_account = ? OR debit_account = ?) GROUP BY ledger, year",
      {account, account.substr(account.find('/') + 1), account, account}, [&](const Row& r) {
        const int ledger = static_cast<int>(r.Int("ledger"));
        if (ledger < 1 || ledger > 2) return;
        b.all[ledger] += r.Int("total");
        if (r.Int("year") == year) b.year[ledger] += r.Int("total");
      }));
  return b;
}

absl::StatusOr<int> LockCap(Db& db, const std::string& member_id, const std::string& rule_key,
                            const std::string& cycle) {
  RETURN_IF_ERROR(db.Exec("INSERT IGNORE INTO point_caps (member_id, rule_key, cycle, used) VALUES (?, ?, ?, 0)",
                          {member_id, rule_key, cycle})
                      .status());
  int used = 0;
  RETURN_IF_ERROR(db.Query("SELECT used FROM point_caps WHERE member_id = ? AND rule_key = ? AND cycle = ? FOR UPDATE",
                           {member_id, rule_key, cycle},
                           [&](const Row& r) { used = static_cast<int>(r.Int("used")); }));
  return used;
}

absl::Status AddToCap(Db& db, const std::string& member_id, const std::string& rule_key, const std::string& cycle,
                      int points) {
  return db
      .Exec("UPDATE point_caps SET used = used + ? WHERE member_id = ? AND rule_key = ? AND cycle = ?",
            {int64_t{points}, member_id, rule_key, cycle})
      .status();
}

absl::StatusOr<std::pair<std::vector<PointRuleRow>, int64_t>> GetPointRules(Db& db, const std::string& district_id,
                                                                            bool for_update) {
  int64_t version = 0;
  RETURN_IF_ERROR(db.Query(
      absl::StrCat("SELECT version FROM point_rule_sets WHERE district_id = ?", for_update ? " FOR UPDATE" : ""),
      {district_id}, [&](const Row& r) { version = r.Int("version"); }));
  std::vector<PointRuleRow> rules;
  RETURN_IF_ERROR(
      db.Query("SELECT source, activity_type, points, cap, cycle FROM point_rules WHERE district_id = ? "
               "ORDER BY source, activity_type",
               {district_id}, [&](const Row& r) {
                 rules.push_back({static_cast<int>(r.Int("source")), static_cast<int>(r.Int("activity_type")),
                                  static_cast<int>(r.Int("points")), static_cast<int>(r.Int("cap")),
                                  static_cast<int>(r.Int("cycle"))});
               }));
  return std::make_pair(std::move(rules), version);
}

absl::Status PutPointRules(Db& db, const std::string& district_id, const std::vector<PointRuleRow>& rules,
                           int64_t version, int64_t now_us) {
  RETURN_IF_ERROR(db.Exec("DELETE FROM point_rules WHERE district_id = ?", {district_id}).status());
  std::vector<SqlParams> rows;
  for (const auto& r : rules) {
    rows.push_back({district_id, int64_t{r.source}, int64_t{r.activity_type}, int64_t{r.points}, int64_t{r.cap},
                    int64_t{r.cycle}});
  }
  if (auto st = InsertRowsSql("point_rules", "district_id, source, activity_type, points, cap, cycle", rows)) {
    RETURN_IF_ERROR(db.Exec(st->sql, st->params).status());
  }
  return db
      .Exec(
          "INSERT INTO point_rule_sets (district_id, version, updated_us) VALUES (?, ?, ?) "
          "ON DUPLICATE KEY UPDATE version = VALUES(version), updated_us = VALUES(updated_us)",
          {district_id, version, now_us})
      .status();
}

absl::StatusOr<int64_t> GetCursor(Db& db, const std::string& source, bool for_update) {
  int64_t after = 0;
  RETURN_IF_ERROR(
      db.Query(absl::StrCat("SELECT after_seq FROM credit_cursors WHERE source = ?", for_update ? " FOR UPDATE" : ""),
               {source}, [&](const Row& r) { after = r.Int("after_seq"); }));
  return after;
}

absl::Status SetCursor(Db& db, const std::string& source, int64_t after_seq, int64_t now_us) {
  return db
      .Exec("UPDATE credit_cursors SET after_seq = ?, updated_us = ? WHERE source = ?", {after_seq, now_us, source})
      .status();
}

}  // namespace lianxin::activity::store
