// The activity service's SQL for volunteer teams (store_teams.cc), behind
// functions taking the caller's Db.
#ifndef LIANXIN_SERVICES_ACTIVITY_TEAM_STORE_H_
#define LIANXIN_SERVICES_ACTIVITY_TEAM_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/db.h"

namespace lianxin::activity::store {

struct TeamRecord {
  std::string id, district_id, unit_id, unit_path, display_name, description;
  std::vector<std::string> skills;
  std::string leader_id;
  int member_count = 0;
  int64_t version = 1, created_us = 0, updated_us = 0;
};
absl::Status InsertTeam(Db& db, const TeamRecord& t);
// Replaces the team's row (its version as given) and its skills.
absl::Status UpdateTeam(Db& db, const TeamRecord& t);
absl::StatusOr<std::optional<TeamRecord>> GetTeam(Db& db, const std::string& id, bool for_update);
// The teams under `path_prefix` of the district, in id order after `after`;
// only those offering `skill` unless it is "".
absl::StatusOr<std::vector<TeamRecord>> ListTeams(Db& db, const std::string& district_id,
                                                  const std::string& path_prefix, const std::string& skill,
                                                  const std::string& after, int limit);

struct TeamMemberRecord {
  std::string team_id, member_id, display_name;
  std::vector<std::string> skills;
  int64_t joined_us = 0;
};
// Fails with ALREADY_EXISTS when the member is in the team; counts them.
absl::Status InsertTeamMember(Db& db, const TeamMemberRecord& m);
// Whether there was one to remove; counts them.
absl::StatusOr<bool> DeleteTeamMember(Db& db, const std::string& team_id, const std::string& member_id);
absl::StatusOr<std::optional<TeamMemberRecord>> GetTeamMember(Db& db, const std::string& team_id,
                                                              const std::string& member_id);
// In member order after `after`.
absl::StatusOr<std::vector<TeamMemberRecord>> ListTeamMembers(Db& db, const std::string& team_id,
                                                              const std::string& after, int limit);
// Of `member_ids`, those in the team.
absl::StatusOr<std::vector<std::string>> InTeam(Db& db, const std::string& team_id,
                                                const std::vector<std::string>& member_ids);

struct ServiceRecordRow {
  int64_t seq = 0;
  std::string id, district_id, team_id;
  std::vector<std::string> member_ids;
  std::string service_date;  // YYYY-MM-DD
  int minutes = 0;
  std::string description, recorded_by;
  int64_t created_us = 0;
};
absl::Status InsertServiceRecord(Db& db, const ServiceRecordRow& r);
absl::StatusOr<std::optional<ServiceRecordRow>> GetServiceRecord(Db& db, const std::string& id);
// Newest first, before `before_seq` (0: from the newest): a team's, or those
// a member served in.
absl::StatusOr<std::vector<ServiceRecordRow>> ListServiceRecords(Db& db, const std::string& team_id,
                                                                 const std::string& member_id, int64_t before_seq,
                                                                 int limit);

}  // namespace lianxin::activity::store

#endif  // LIANXIN_SERVICES_ACTIVITY_TEAM_STORE_H_
