// The activity service's SQL for democratic appraisal (store_appraisal.cc),
// behind functions taking the caller's Db.
#ifndef LIANXIN_SERVICES_ACTIVITY_APPRAISAL_STORE_H_
#define LIANXIN_SERVICES_ACTIVITY_APPRAISAL_STORE_H_

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/db.h"

namespace lianxin::activity::store {

struct RoundRecord {
  std::string id, district_id, unit_id, unit_path;
  int year = 0, stage = 0;
  std::string decided_at;  // an activity id
  int member_count = 0;    // counted on read
  int64_t version = 1, created_us = 0, updated_us = 0;
};
absl::Status InsertRound(Db& db, const RoundRecord& r);
absl::Status UpdateRound(Db& db, const RoundRecord& r);
absl::StatusOr<std::optional<RoundRecord>> GetRound(Db& db, const std::string& id, bool for_update);
absl::StatusOr<std::optional<RoundRecord>> RoundOf(Db& db, const std::string& unit_id, int year);

struct AppraiseeRecord {
  std::string round_id, member_id, display_name;
  bool voting = false;
  std::string self_text;
  int grade = 0;
};
absl::Status InsertAppraisees(Db& db, const std::vector<AppraiseeRecord>& rows);
absl::StatusOr<std::optional<AppraiseeRecord>> GetAppraisee(Db& db, const std::string& round_id,
                                                            const std::string& member_id, bool for_update);
// In member order after `after`.
absl::StatusOr<std::vector<AppraiseeRecord>> ListAppraisees(Db& db, const std::string& round_id,
                                                            const std::string& after, int limit);
absl::Status SetSelfText(Db& db, const std::string& round_id, const std::string& member_id, const std::string& text);
absl::Status SetGrade(Db& db, const std::string& round_id, const std::string& member_id, int grade);
absl::Status PutNote(Db& db, const std::string& round_id, const std::string& about, const std::string& author,
                     const std::string& text);
absl::Status PutVote(Db& db, const std::string& round_id, const std::string& about, const std::string& voter,
                     int grade);
// Of the members named: what others wrote (author, text), and the votes for
// each grade (index 1-4).
absl::StatusOr<std::map<std::string, std::vector<std::pair<std::string, std::string>>>> NotesOf(
    Db& db, const std::string& round_id, const std::vector<std::string>& member_ids);
absl::StatusOr<std::map<std::string, std::array<int, 5>>> VotesOf(Db& db, const std::string& round_id,
                                                                  const std::vector<std::string>& member_ids);
// A member's decided rounds, newest year first.
absl::StatusOr<std::vector<std::pair<RoundRecord, AppraiseeRecord>>> DecidedFor(Db& db, const std::string& member_id);

}  // namespace lianxin::activity::store

#endif  // LIANXIN_SERVICES_ACTIVITY_APPRAISAL_STORE_H_
