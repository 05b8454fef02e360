// SQL for registration codes, registrations and transfers.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status.h"
#include "services/member/member_store.h"

namespace lianxin::member::store {
namespace {

constexpr char kCodeCols[] = "code, district_id, community_id, place_id, label, revoked, created_by, created_us";

CodeRecord ReadCode(const Row& r) {
  return {r.Str("code"),  r.Str("district_id"), r.Str("community_id"), r.Str("place_id"),
          r.Str("label"), r.Str("created_by"),  r.Int("revoked") != 0, r.Int("created_us")};
}

constexpr char kRegCols[] =
    "id, district_id, community_id, code, display_name, form_sealed, national_id_index, current_organization, "
    "submitted_by, decided_by, reason, member_id, state, submitted_us, decided_us, version";

RegistrationRecord ReadRegistration(const Row& r) {
  RegistrationRecord g;
  g.id = r.Str("id");
  g.district_id = r.Str("district_id");
  g.community_id = r.Str("community_id");
  g.code = r.Str("code");
  g.display_name = r.Str("display_name");
  g.form_sealed = r.Str("form_sealed");
  g.national_id_index = r.Str("national_id_index");
  g.current_organization = r.Str("current_organization");
  g.submitted_by = r.Str("submitted_by");
  g.decided_by = r.Str("decided_by");
  g.reason = r.Str("reason");
  g.member_id = r.Str("member_id");
  g.state = static_cast<int>(r.Int("state"));
  g.submitted_us = r.Int("submitted_us");
  g.decided_us = r.Int("decided_us");
  g.version = r.Int("version");
  return g;
}

constexpr char kTransferCols[] =
    "id, district_id, member_id, from_unit, to_unit, waiting_unit, letter_number, outside_organization, "
    "dues_paid_through, reason, cancel_reason, started_by, DATE_FORMAT(valid_until, '%Y-%m-%d') AS valid_until, kind, "
    "state, "
    "current_step, created_us, updated_us, version";

TransferRecord ReadTransfer(const Row& r) {
  TransferRecord t;
  t.id = r.Str("id");
  t.district_id = r.Str("district_id");
  t.member_id = r.Str("member_id");
  t.from_unit = r.Str("from_unit");
  t.to_unit = r.Str("to_unit");
  t.waiting_unit = r.Str("waiting_unit");
  t.letter_number = r.Str("letter_number");
  t.outside_organization = r.Str("outside_organization");
  t.dues_paid_through = r.Str("dues_paid_through");
  t.reason = r.Str("reason");
  t.cancel_reason = r.Str("cancel_reason");
  t.started_by = r.Str("started_by");
  t.valid_until = r.Str("valid_until");
  t.kind = static_cast<int>(r.Int("kind"));
  t.state = static_cast<int>(r.Int("state"));
  t.current_step = static_cast<int>(r.Int("current_step"));
  t.created_us = r.Int("created_us");
  t.updated_us = r.Int("updated_us");
  t.version = r.Int("version");
  return t;
}

// Loads the steps of `transfers` in one query.
absl::Status LoadSteps(Db& db, std::vector<TransferRecord>& transfers) {
  if (transfers.empty()) return absl::OkStatus();
  SqlParams ids;
  for (const auto& t : transfers) ids.push_back(t.id);
  return db.Query(absl::StrCat("SELECT transfer_id, idx, org_unit, decision, decided_by, decided_us, reason "
                               "FROM transfer_steps WHERE transfer_id IN (",
                               SqlPlaceholders(ids.size()), ") ORDER BY transfer_id, idx"),
                  ids, [&](const Row& r) {
                    std::string id = r.Str("transfer_id");
                    for (auto& t : transfers) {
                      if (t.id == id) {
                        t.steps.push_back({static_cast<int>(r.Int("idx")), r.Str("org_unit"), r.Str("decided_by"),
                                           r.Str("reason"), static_cast<int>(r.Int("decision")), r.Int("decided_us")});
                      }
                    }
                  });
}

}  // namespace

absl::Status InsertCode(Db& db, const CodeRecord& c) {
  return db
      .Exec(absl::StrCat("INSERT INTO registration_codes (", kCodeCols, ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
            {c.code, c.district_id, c.community_id, c.place_id, c.label, int64_t{c.revoked ? 1 : 0}, c.created_by,
             c.created_us})
      .status();
}

absl::StatusOr<std::optional<CodeRecord>> GetCode(Db& db, const std::string& code) {
  std::optional<CodeRecord> out;
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT ", kCodeCols, " FROM registration_codes WHERE code = ?"), {code},
                           [&](const Row& r) { out = ReadCode(r); }));
  return out;
}

absl::Status RevokeCode(Db& db, const std::string& code) {
  return db.Exec("UPDATE registration_codes SET revoked = 1 WHERE code = ?", {code}).status();
}

absl::StatusOr<std::vector<CodeRecord>> ListCodes(Db& db, const std::string& community_id,
                                                  const std::string& after_code, int limit) {
  std::vector<CodeRecord> out;
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT ", kCodeCols,
                                        " FROM registration_codes WHERE community_id = ? AND code > ? "
                                        "ORDER BY code LIMIT ?"),
                           {community_id, after_code, int64_t{limit}},
                           [&](const Row& r) { out.push_back(ReadCode(r)); }));
  return out;
}

absl::Status InsertRegistration(Db& db, const RegistrationRecord& g) {
  return db
      .Exec(absl::StrCat("INSERT INTO registrations (", kRegCols, ") VALUES (", SqlPlaceholders(16), ")"),
            {g.id, g.district_id, g.community_id, g.code, g.display_name, g.form_sealed, g.national_id_index,
             g.current_organization, g.submitted_by, g.decided_by, g.reason, g.member_id, int64_t{g.state},
             g.submitted_us, g.decided_us, g.version})
      .status();
}

absl::StatusOr<std::optional<RegistrationRecord>> GetRegistration(Db& db, const std::string& id, bool for_update) {
  std::optional<RegistrationRecord> out;
  RETURN_IF_ERROR(
      db.Query(absl::StrCat("SELECT ", kRegCols, " FROM registrations WHERE id = ?", for_update ? " FOR UPDATE" : ""),
               {id}, [&](const Row& r) { out = ReadRegistration(r); }));
  return out;
}

absl::Status UpdateRegistration(Db& db, const RegistrationRecord& g) {
  return db
      .Exec(
          "UPDATE registrations SET state = ?, decided_by = ?, decided_us = ?, reason = ?, member_id = ?, "
          "form_sealed = ?, version = ? WHERE id = ?",
          {int64_t{g.state}, g.decided_by, g.decided_us, g.reason, g.member_id, g.form_sealed, g.version, g.id})
      .status();
}

absl::StatusOr<std::optional<std::string>> PendingRegistration(Db& db, const std::string& national_id_index,
                                                               const std::string& community_id) {
  std::optional<std::string> out;
  RETURN_IF_ERROR(
      db.Query("SELECT id FROM registrations WHERE national_id_index = ? AND state = 1 AND "
               "community_id = ? LIMIT 1",
               {national_id_index, community_id}, [&](const Row& r) { out = r.Str("id"); }));
  return out;
}

absl::StatusOr<std::vector<RegistrationRecord>> ListRegistrations(Db& db, const std::vector<std::string>& community_ids,
                                                                  int state, const std::string& after_id, int limit) {
  std::vector<RegistrationRecord> out;
  if (community_ids.empty()) return out;
  SqlParams params(community_ids.begin(), community_ids.end());
  std::string where = absl::StrCat("community_id IN (", SqlPlaceholders(community_ids.size()), ") AND id > ?");
  params.push_back(after_id);
  if (state != 0) {
    where += " AND state = ?";
    params.push_back(int64_t{state});
  }
  params.push_back(int64_t{limit});
  RETURN_IF_ERROR(
      db.Query(absl::StrCat("SELECT ", kRegCols, " FROM registrations WHERE ", where, " ORDER BY id LIMIT ?"), params,
               [&](const Row& r) { out.push_back(ReadRegistration(r)); }));
  return out;
}

absl::Status InsertTransfer(Db& db, const TransferRecord& t) {
  RETURN_IF_ERROR(
      db.Exec("INSERT INTO transfers (id, district_id, member_id, from_unit, to_unit, waiting_unit, "
              "letter_number, outside_organization, dues_paid_through, reason, cancel_reason, "
              "started_by, valid_until, kind, state, current_step, created_us, updated_us, version) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              {t.id, t.district_id, t.member_id, t.from_unit, t.to_unit, t.waiting_unit, t.letter_number,
               t.outside_organization, t.dues_paid_through, t.reason, t.cancel_reason, t.started_by, t.valid_until,
               int64_t{t.kind}, int64_t{t.state}, int64_t{t.current_step}, t.created_us, t.updated_us, t.version})
          .status());
  if (t.steps.empty()) return absl::OkStatus();
  std::vector<std::string> rows;
  SqlParams params;
  for (const auto& s : t.steps) {
    rows.push_back("(?, ?, ?, ?, ?, ?, ?, ?)");
    for (SqlParam p : SqlParams{t.id, int64_t{s.idx}, t.district_id, s.org_unit, int64_t{s.decision}, s.decided_by,
                                s.decided_us, s.reason}) {
      params.push_back(std::move(p));
    }
  }
  return db
      .Exec(absl::StrCat("INSERT INTO transfer_steps (transfer_id, idx, district_id, org_unit, decision, "
                         "decided_by, decided_us, reason) VALUES ",
                         absl::StrJoin(rows, ",")),
            params)
      .status();
}

absl::StatusOr<std::optional<TransferRecord>> GetTransfer(Db& db, const std::string& id, bool for_update) {
  std::vector<TransferRecord> found;
  RETURN_IF_ERROR(
      db.Query(absl::StrCat("SELECT ", kTransferCols, " FROM transfers WHERE id = ?", for_update ? " FOR UPDATE" : ""),
               {id}, [&](const Row& r) { found.push_back(ReadTransfer(r)); }));
  if (found.empty()) return std::optional<TransferRecord>();
  RETURN_IF_ERROR(LoadSteps(db, found));
  return std::optional<TransferRecord>(std::move(found[0]));
}

absl::Status UpdateTransfer(Db& db, const TransferRecord& t, int step_idx) {
  RETURN_IF_ERROR(db.Exec("UPDATE transfers SET state = ?, current_step = ?, waiting_unit = ?, cancel_reason = ?, "
                          "updated_us = ?, version = ? WHERE id = ?",
                          {int64_t{t.state}, int64_t{t.current_step}, t.waiting_unit, t.cancel_reason, t.updated_us,
                           t.version, t.id})
                      .status());
  if (step_idx < 0 || step_idx >= static_cast<int>(t.steps.size())) return absl::OkStatus();
  const StepRecord& s = t.steps[step_idx];
  return db
      .Exec(
          "UPDATE transfer_steps SET decision = ?, decided_by = ?, decided_us = ?, reason = ? "
          "WHERE transfer_id = ? AND idx = ?",
          {int64_t{s.decision}, s.decided_by, s.decided_us, s.reason, t.id, int64_t{s.idx}})
      .status();
}

absl::StatusOr<std::optional<std::string>> PendingTransferOf(Db& db, const std::string& member_id,
                                                             const std::string& today) {
  std::optional<std::string> out;
  RETURN_IF_ERROR(db.Query("SELECT id FROM transfers WHERE member_id = ? AND state = 1 AND valid_until >= ? LIMIT 1",
                           {member_id, today}, [&](const Row& r) { out = r.Str("id"); }));
  return out;
}

absl::StatusOr<std::vector<TransferRecord>> ListTransfers(Db& db, const TransferFilter& f, const std::string& after_id,
                                                          int limit) {
  std::string where;
  SqlParams params;
  if (!f.member_id.empty()) {
    where = "member_id = ?";
    params.push_back(f.member_id);
  } else {
    std::vector<std::string> any;
    if (!f.unit_ids.empty()) {
      std::string in = SqlPlaceholders(f.unit_ids.size());
      any.push_back(absl::StrCat("from_unit IN (", in, ") OR to_unit IN (", in, ")"));
      for (int i = 0; i < 2; ++i) params.insert(params.end(), f.unit_ids.begin(), f.unit_ids.end());
    }
    if (!f.waiting_unit.empty()) {
      any.push_back("waiting_unit = ?");
      params.push_back(f.waiting_unit);
    }
    if (any.empty()) return std::vector<TransferRecord>();
    where = absl::StrCat("(", absl::StrJoin(any, " OR "), ")");
  }
  where += " AND id > ?";
  params.push_back(after_id);
  // A pending transfer past its validity counts as expired before anyone
  // touches it (and is written so when someone does).
  if (f.state == 1) {
    where += " AND state = 1 AND valid_until >= ?";
    params.push_back(f.today);
  } else if (f.state == 5) {
    where += " AND (state = 5 OR (state = 1 AND valid_until < ?))";
    params.push_back(f.today);
  } else if (f.state != 0) {
    where += " AND state = ?";
    params.push_back(int64_t{f.state});
  }
  params.push_back(int64_t{limit});
  std::vector<TransferRecord> out;
  RETURN_IF_ERROR(
      db.Query(absl::StrCat("SELECT ", kTransferCols, " FROM transfers WHERE ", where, " ORDER BY id LIMIT ?"), params,
               [&](const Row& r) { out.push_back(ReadTransfer(r)); }));
  RETURN_IF_ERROR(LoadSteps(db, out));
  return out;
}

namespace {
constexpr char kAppraisalCols[] =
    "a.member_id, a.community_id, a.year, a.district_id, a.grade, a.comment, a.appraiser, a.version, a.updated_us";
AppraisalRecord ReadAppraisal(const Row& r) {
  AppraisalRecord a;
  a.member_id = r.Str("member_id");
  a.community_id = r.Str("community_id");
  a.year = static_cast<int>(r.Int("year"));
  a.district_id = r.Str("district_id");
  a.grade = static_cast<int>(r.Int("grade"));
  a.comment = r.Str("comment");
  a.appraiser = r.Str("appraiser");
  a.version = r.Int("version");
  a.updated_us = r.Int("updated_us");
  return a;
}
}  // namespace

absl::StatusOr<std::optional<AppraisalRecord>> GetAppraisal(Db& db, const std::string& member_id,
                                                            const std::string& community_id, int year,
                                                            bool for_update) {
  std::optional<AppraisalRecord> out;
  RETURN_IF_ERROR(
      db.Query(absl::StrCat("SELECT ", kAppraisalCols,
                            " FROM appraisals a WHERE a.member_id = ? AND a.community_id = ? AND a.year = ?",
                            for_update ? " FOR UPDATE" : ""),
               {member_id, community_id, int64_t{year}}, [&](const Row& r) { out = ReadAppraisal(r); }));
  return out;
}

absl::Status PutAppraisal(Db& db, const AppraisalRecord& a) {
  return db
      .Exec(
          "INSERT INTO appraisals (member_id, community_id, year, district_id, grade, comment, appraiser, version, "
          "updated_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE grade = VALUES(grade), "
          "comment = VALUES(comment), appraiser = VALUES(appraiser), version = VALUES(version), "
          "updated_us = VALUES(updated_us)",
          {a.member_id, a.community_id, int64_t{a.year}, a.district_id, int64_t{a.grade}, a.comment, a.appraiser,
           a.version, a.updated_us})
      .status();
}

absl::StatusOr<std::vector<AppraisalRecord>> ListAppraisals(Db& db, const std::string& community_id, int year,
                                                            const std::string& after_member, int limit) {
  std::vector<AppraisalRecord> out;
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT ", kAppraisalCols,
                                        ", m.display_name FROM appraisals a JOIN members m ON m.id = a.member_id "
                                        "WHERE a.community_id = ? AND a.year = ? AND a.member_id > ? "
                                        "ORDER BY a.member_id LIMIT ?"),
                           {community_id, int64_t{year}, after_member, int64_t{limit}}, [&](const Row& r) {
                             out.push_back(ReadAppraisal(r));
                             out.back().display_name = r.Str("display_name");
                           }));
  return out;
}

}  // namespace lianxin::member::store
