// Volunteer teams (志愿服务队, docs/domain.md "Volunteer teams"): one method per
// RPC of TeamService — teams and their members in teams.cc, the service they
// record in team_service.cc. No gRPC, no SQL: units and members through
// Directories, the database through team_store.h, hours through credits.h.
//
// Who may do what: operators and secretaries over a team's unit create and
// change it, add and remove its members and record its service; a member
// joins or leaves a team of a unit they belong to or are registered with,
// and a team's leader records its service. Members and staff over the unit
// read its teams; a member reads the service they gave.
#ifndef LIANXIN_SERVICES_ACTIVITY_TEAM_LOGIC_H_
#define LIANXIN_SERVICES_ACTIVITY_TEAM_LOGIC_H_

#include <string>

#include "absl/status/statusor.h"
#include "common/call_context.h"
#include "common/clock.h"
#include "common/db.h"
#include "common/names.h"
#include "common/page_token.h"
#include "lianxin/activity/v1/team.pb.h"
#include "services/activity/directories.h"
#include "services/activity/team_store.h"

namespace lianxin::activity {

inline constexpr Collection kTeams{"volunteerTeams", "lianxin.activity.v1.VolunteerTeam"};
inline constexpr Collection kServiceRecords{"serviceRecords", "lianxin.activity.v1.ServiceRecord"};

class TeamLogic {
 public:
  TeamLogic(DbPool& db, const PageTokens& tokens, Directories& dirs, const Clock& clock = SystemClock::Get())
      : db_(db), tokens_(tokens), dirs_(dirs), clock_(clock) {}

  // teams.cc
  absl::Status CreateVolunteerTeam(const CallContext& c, const v1::CreateVolunteerTeamRequest& req,
                                   v1::VolunteerTeam* out);
  absl::Status GetVolunteerTeam(const CallContext& c, const v1::GetVolunteerTeamRequest& req, v1::VolunteerTeam* out);
  absl::Status UpdateVolunteerTeam(const CallContext& c, const v1::UpdateVolunteerTeamRequest& req,
                                   v1::VolunteerTeam* out);
  absl::Status ListVolunteerTeams(const CallContext& c, const v1::ListVolunteerTeamsRequest& req,
                                  v1::ListVolunteerTeamsResponse* out);
  absl::Status AddTeamMember(const CallContext& c, const v1::AddTeamMemberRequest& req, v1::TeamMember* out);
  absl::Status RemoveTeamMember(const CallContext& c, const v1::RemoveTeamMemberRequest& req,
                                v1::RemoveTeamMemberResponse* out);
  absl::Status ListTeamMembers(const CallContext& c, const v1::ListTeamMembersRequest& req,
                               v1::ListTeamMembersResponse* out);
  // team_service.cc
  absl::Status RecordService(const CallContext& c, const v1::RecordServiceRequest& req, v1::ServiceRecord* out);
  absl::Status ListServiceRecords(const CallContext& c, const v1::ListServiceRecordsRequest& req,
                                  v1::ListServiceRecordsResponse* out);

 private:
  // The team named, as the caller may see it (staff over its unit, members
  // whose scope holds it or who are in it), or change it (`manage`:
  // operators and secretaries over its unit). `for_update` locks its row.
  absl::StatusOr<store::TeamRecord> LoadTeam(Db& db, const CallContext& c, const std::string& name,
                                             const std::string& field, bool manage, bool for_update);
  // Whether the caller manages teams of a unit at `path`.
  bool Manages(const CallContext& c, const std::string& path) const;
  // The member, who may join a team of `team`'s unit: of a branch in its
  // subtree, or registered with it where they live.
  absl::StatusOr<member::v1::Member> Joinable(const CallContext& c, const store::TeamRecord& team,
                                              const std::string& member_name, const std::string& field);
  int64_t NowUs() const { return absl::ToUnixMicros(clock_.Now()); }

  DbPool& db_;
  const PageTokens& tokens_;
  Directories& dirs_;
  const Clock& clock_;
};

}  // namespace lianxin::activity

#endif  // LIANXIN_SERVICES_ACTIVITY_TEAM_LOGIC_H_
