// SQL for what guards personal data: the disclosures of values shown in
// clear, and the sealed columns rewritten when keys rotate.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status.h"
#include "services/member/member_store.h"

namespace lianxin::member::store {

absl::StatusOr<int64_t> CountDisclosures(Db& db, const std::string& reader, const std::string& field,
                                         int64_t since_us) {
  int64_t n = 0;
  RETURN_IF_ERROR(db.Query("SELECT COUNT(*) AS n FROM member_disclosures WHERE reader = ? AND field = ? AND at_us >= ?",
                           {reader, field, since_us}, [&](const Row& r) { n = r.Int("n"); }));
  return n;
}

absl::Status InsertDisclosures(Db& db, const std::vector<DisclosureRecord>& ds) {
  if (ds.empty()) return absl::OkStatus();
  SqlParams params;
  std::vector<std::string> rows;
  for (const auto& d : ds) {
    rows.push_back("(?, ?, ?, ?, ?, ?, ?, ?)");
    for (SqlParam p :
         SqlParams{d.district_id, d.member_id, d.branch_id, d.reader, d.field, d.method, d.request_id, d.at_us}) {
      params.push_back(std::move(p));
    }
  }
  return db
      .Exec(absl::StrCat("INSERT INTO member_disclosures (district_id, member_id, branch_id, reader, field, "
                         "method, request_id, at_us) VALUES ",
                         absl::StrJoin(rows, ",")),
            params)
      .status();
}

absl::StatusOr<std::vector<DisclosureRecord>> ListDisclosures(Db& db, const std::string& member_id,
                                                              const std::vector<std::string>& branch_ids,
                                                              bool all_branches, int64_t after_seq, int limit) {
  std::string where;
  SqlParams params;
  if (!member_id.empty()) {
    where = "member_id = ?";
    params.push_back(member_id);
  } else if (all_branches) {
    where = "1 = 1";
  } else {
    if (branch_ids.empty()) return std::vector<DisclosureRecord>();
    where = absl::StrCat("branch_id IN (", SqlPlaceholders(branch_ids.size()), ")");
    params.insert(params.end(), branch_ids.begin(), branch_ids.end());
  }
  params.push_back(after_seq);
  params.push_back(int64_t{limit});
  std::vector<DisclosureRecord> out;
  RETURN_IF_ERROR(
      db.Query(absl::StrCat("SELECT seq, district_id, member_id, branch_id, reader, field, method, request_id, at_us "
                            "FROM member_disclosures WHERE ",
                            where, " AND seq > ? ORDER BY seq LIMIT ?"),
               params, [&](const Row& r) {
                 out.push_back({r.Str("district_id"), r.Str("member_id"), r.Str("branch_id"), r.Str("reader"),
                                r.Str("field"), r.Str("method"), r.Str("request_id"), r.Int("at_us"), r.Int("seq")});
               }));
  return out;
}

namespace {
const std::vector<std::string>& SealedColumns(const std::string& table) {
  static const auto* members = new std::vector<std::string>{"national_id_sealed", "phone_sealed", "health_sealed",
                                                            "attitude_sealed", "mobility_contact_sealed"};
  static const auto* registrations = new std::vector<std::string>{"form_sealed"};
  return table == "members" ? *members : *registrations;
}
}  // namespace

absl::StatusOr<std::vector<SealedRow>> ScanSealed(Db& db, const std::string& table, const std::string& after_id,
                                                  int limit) {
  if (table != "members" && table != "registrations") return absl::InternalError("bad table");
  const auto& cols = SealedColumns(table);
  std::vector<SealedRow> out;
  RETURN_IF_ERROR(db.Query(
      // Locked: a change committed meanwhile is read, not written over.
      absl::StrCat("SELECT id, ", absl::StrJoin(cols, ", "), " FROM ", table,
                   " WHERE id > ? ORDER BY id LIMIT ? FOR UPDATE"),
      {after_id, int64_t{limit}}, [&](const Row& r) {
        SealedRow row{r.Str("id"), {}};
        for (const std::string& col : cols) row.values.push_back(r.Str(col));
        out.push_back(std::move(row));
      }));
  return out;
}

absl::Status WriteSealed(Db& db, const std::string& table, const SealedRow& row) {
  if (table != "members" && table != "registrations") return absl::InternalError("bad table");
  const auto& cols = SealedColumns(table);
  std::vector<std::string> sets;
  SqlParams params;
  for (size_t i = 0; i < cols.size(); ++i) {
    sets.push_back(absl::StrCat(cols[i], " = ?"));
    params.push_back(table == "members" && cols[i] != "national_id_sealed" ? NullIfEmpty(row.values[i])
                                                                           : SqlParam(row.values[i]));
  }
  params.push_back(row.id);
  return db.Exec(absl::StrCat("UPDATE ", table, " SET ", absl::StrJoin(sets, ", "), " WHERE id = ?"), params).status();
}

}  // namespace lianxin::member::store
