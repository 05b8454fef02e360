// SQL for democratic appraisal: rounds, their members, notes and votes.
#include "absl/strings/str_cat.h"
#include "common/sql.h"
#include "common/status.h"
#include "services/activity/appraisal_store.h"

namespace lianxin::activity::store {
namespace {

constexpr char kRoundCols[] =
    "r.id, r.district_id, r.unit_id, r.unit_path, r.year, r.stage, r.decided_at, r.version, r.created_us, "
    "r.updated_us, (SELECT COUNT(*) FROM appraisal_members m WHERE m.round_id = r.id) AS member_count";
constexpr char kMemberCols[] = "round_id, member_id, display_name, voting, self_text, grade";

RoundRecord ReadRound(const Row& r) {
  RoundRecord x;
  x.id = r.Str("id");
  x.district_id = r.Str("district_id");
  x.unit_id = r.Str("unit_id");
  x.unit_path = r.Str("unit_path");
  x.year = static_cast<int>(r.Int("year"));
  x.stage = static_cast<int>(r.Int("stage"));
  x.decided_at = r.Str("decided_at");
  x.version = r.Int("version");
  x.created_us = r.Int("created_us");
  x.updated_us = r.Int("updated_us");
  x.member_count = static_cast<int>(r.Int("member_count"));
  return x;
}

AppraiseeRecord ReadMember(const Row& r) {
  return {r.Str("round_id"),    r.Str("member_id"), r.Str("display_name"),
          r.Int("voting") != 0, r.Str("self_text"), static_cast<int>(r.Int("grade"))};
}

SqlParams Ids(const std::string& round_id, const std::vector<std::string>& ids) {
  SqlParams p = {round_id};
  for (const auto& id : ids) p.push_back(id);
  return p;
}

}  // namespace

absl::Status InsertRound(Db& db, const RoundRecord& r) {
  return db
      .Exec(
          "INSERT INTO appraisal_rounds (id, district_id, unit_id, unit_path, year, stage, decided_at, version, "
          "created_us, updated_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {r.id, r.district_id, r.unit_id, r.unit_path, int64_t{r.year}, int64_t{r.stage}, r.decided_at, r.version,
           r.created_us, r.updated_us})
      .status();
}

absl::Status UpdateRound(Db& db, const RoundRecord& r) {
  return db
      .Exec("UPDATE appraisal_rounds SET stage = ?, decided_at = ?, version = ?, updated_us = ? WHERE id = ?",
            {int64_t{r.stage}, r.decided_at, r.version, r.updated_us, r.id})
      .status();
}

absl::StatusOr<std::optional<RoundRecord>> GetRound(Db& db, const std::string& id, bool for_update) {
  std::optional<RoundRecord> out;
  RETURN_IF_ERROR(db.Query(
      absl::StrCat("SELECT ", kRoundCols, " FROM appraisal_rounds r WHERE r.id = ?", for_update ? " FOR UPDATE" : ""),
      {id}, [&](const Row& r) { out = ReadRound(r); }));
  return out;
}

absl::StatusOr<std::optional<RoundRecord>> RoundOf(Db& db, const std::string& unit_id, int year) {
  std::optional<RoundRecord> out;
  RETURN_IF_ERROR(
      db.Query(absl::StrCat("SELECT ", kRoundCols, " FROM appraisal_rounds r WHERE r.unit_id = ? AND r.year = ?"),
               {unit_id, int64_t{year}}, [&](const Row& r) { out = ReadRound(r); }));
  return out;
}

absl::Status InsertAppraisees(Db& db, const std::vector<AppraiseeRecord>& rows) {
  for (size_t i = 0; i < rows.size(); i += 500) {
    std::vector<SqlParams> values;
    for (size_t j = i; j < rows.size() && j < i + 500; ++j) {
      const auto& m = rows[j];
      values.push_back(
          {m.round_id, m.member_id, m.display_name, int64_t{m.voting ? 1 : 0}, m.self_text, int64_t{m.grade}});
    }
    auto st = InsertRowsSql("appraisal_members", kMemberCols, std::move(values));
    RETURN_IF_ERROR(db.Exec(st->sql, st->params).status());
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<AppraiseeRecord>> GetAppraisee(Db& db, const std::string& round_id,
                                                            const std::string& member_id, bool for_update) {
  std::optional<AppraiseeRecord> out;
  RETURN_IF_ERROR(
      db.Query(absl::StrCat("SELECT ", kMemberCols, " FROM appraisal_members WHERE round_id = ? AND member_id = ?",
                            for_update ? " FOR UPDATE" : ""),
               {round_id, member_id}, [&](const Row& r) { out = ReadMember(r); }));
  return out;
}

absl::StatusOr<std::vector<AppraiseeRecord>> ListAppraisees(Db& db, const std::string& round_id,
                                                            const std::string& after, int limit) {
  std::vector<AppraiseeRecord> out;
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT ", kMemberCols,
                                        " FROM appraisal_members WHERE round_id = ? AND member_id > ? "
                                        "ORDER BY member_id LIMIT ",
                                        limit),
                           {round_id, after}, [&](const Row& r) { out.push_back(ReadMember(r)); }));
  return out;
}

absl::Status SetSelfText(Db& db, const std::string& round_id, const std::string& member_id, const std::string& text) {
  return db
      .Exec("UPDATE appraisal_members SET self_text = ? WHERE round_id = ? AND member_id = ?",
            {text, round_id, member_id})
      .status();
}

absl::Status SetGrade(Db& db, const std::string& round_id, const std::string& member_id, int grade) {
  return db
      .Exec("UPDATE appraisal_members SET grade = ? WHERE round_id = ? AND member_id = ?",
            {int64_t{grade}, round_id, member_id})
      .status();
}

absl::Status PutNote(Db& db, const std::string& round_id, const std::string& about, const std::string& author,
                     const std::string& text) {
  return db
      .Exec("REPLACE INTO appraisal_notes (round_id, about_id, author_id, text) VALUES (?, ?, ?, ?)",
            {round_id, about, author, text})
      .status();
}

absl::Status PutVote(Db& db, const std::string& round_id, const std::string& about, const std::string& voter,
                     int grade) {
  return db
      .Exec("REPLACE INTO appraisal_votes (round_id, about_id, voter_id, grade) VALUES (?, ?, ?, ?)",
            {round_id, about, voter, int64_t{grade}})
      .status();
}

absl::StatusOr<std::map<std::string, std::vector<std::pair<std::string, std::string>>>> NotesOf(
    Db& db, const std::string& round_id, const std::vector<std::string>& member_ids) {
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> out;
  if (member_ids.empty()) return out;
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT about_id, author_id, text FROM appraisal_notes WHERE round_id = ? "
                                        "AND about_id IN (",
                                        SqlPlaceholders(member_ids.size()), ") ORDER BY about_id, author_id"),
                           Ids(round_id, member_ids), [&](const Row& r) {
                             out[r.Str("about_id")].emplace_back(r.Str("author_id"), r.Str("text"));
                           }));
  return out;
}

absl::StatusOr<std::map<std::string, std::array<int, 5>>> VotesOf(Db& db, const std::string& round_id,
                                                                  const std::vector<std::string>& member_ids) {
  std::map<std::string, std::array<int, 5>> out;
  if (member_ids.empty()) return out;
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT about_id, grade, COUNT(*) AS n FROM appraisal_votes WHERE round_id = ? "
                                        "AND about_id IN (",
                                        SqlPlaceholders(member_ids.size()), ") GROUP BY about_id, grade"),
                           Ids(round_id, member_ids), [&](const Row& r) {
                             const int g = static_cast<int>(r.Int("grade"));
                             auto& counts = out.try_emplace(r.Str("about_id"), std::array<int, 5>{}).first->second;
                             if (g >= 1 && g <= 4) counts[g] = static_cast<int>(r.Int("n"));
                           }));
  return out;
}

absl::StatusOr<std::vector<std::pair<RoundRecord, AppraiseeRecord>>> DecidedFor(Db& db, const std::string& member_id) {
  std::vector<std::pair<RoundRecord, AppraiseeRecord>> out;
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT ", kRoundCols,
                                        ", m.member_id, m.display_name, m.voting, m.self_text, m.grade, m.round_id "
                                        "FROM appraisal_members m JOIN appraisal_rounds r ON r.id = m.round_id "
                                        "WHERE m.member_id = ? AND r.stage = 4 ORDER BY r.year DESC"),
                           {member_id}, [&](const Row& r) { out.emplace_back(ReadRound(r), ReadMember(r)); }));
  return out;
}

}  // namespace lianxin::activity::store
