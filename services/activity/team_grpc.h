// The gRPC face of volunteer teams (TeamService): one line per RPC, each
// handing the call to the TeamLogic method of the same name on the worker
// pool.
#ifndef LIANXIN_SERVICES_ACTIVITY_TEAM_GRPC_H_
#define LIANXIN_SERVICES_ACTIVITY_TEAM_GRPC_H_

#include "common/adapter.h"
#include "lianxin/activity/v1/team.grpc.pb.h"
#include "services/activity/team_logic.h"

namespace lianxin::activity {

class TeamGrpc final : public v1::TeamService::CallbackService, Adapter<TeamLogic> {
 public:
  static constexpr char kServiceName[] = "lianxin.activity.v1.TeamService";
  TeamGrpc(ServiceHost& host, TeamLogic& logic) : Adapter(host, logic, kServiceName) {}

  Reactor* CreateVolunteerTeam(Ctx* ctx, const v1::CreateVolunteerTeamRequest* req, v1::VolunteerTeam* resp) override {
    return Unary(ctx, "CreateVolunteerTeam", &TeamLogic::CreateVolunteerTeam, req, resp);
  }
  Reactor* GetVolunteerTeam(Ctx* ctx, const v1::GetVolunteerTeamRequest* req, v1::VolunteerTeam* resp) override {
    return Unary(ctx, "GetVolunteerTeam", &TeamLogic::GetVolunteerTeam, req, resp);
  }
  Reactor* UpdateVolunteerTeam(Ctx* ctx, const v1::UpdateVolunteerTeamRequest* req, v1::VolunteerTeam* resp) override {
    return Unary(ctx, "UpdateVolunteerTeam", &TeamLogic::UpdateVolunteerTeam, req, resp);
  }
  Reactor* ListVolunteerTeams(Ctx* ctx, const v1::ListVolunteerTeamsRequest* req,
                              v1::ListVolunteerTeamsResponse* resp) override {
    return Unary(ctx, "ListVolunteerTeams", &TeamLogic::ListVolunteerTeams, req, resp);
  }
  Reactor* AddTeamMember(Ctx* ctx, const v1::AddTeamMemberRequest* req, v1::TeamMember* resp) override {
    return Unary(ctx, "AddTeamMember", &TeamLogic::AddTeamMember, req, resp);
  }
  Reactor* RemoveTeamMember(Ctx* ctx, const v1::RemoveTeamMemberRequest* req,
                            v1::RemoveTeamMemberResponse* resp) override {
    return Unary(ctx, "RemoveTeamMember", &TeamLogic::RemoveTeamMember, req, resp);
  }
  Reactor* ListTeamMembers(Ctx* ctx, const v1::ListTeamMembersRequest* req,
                           v1::ListTeamMembersResponse* resp) override {
    return Unary(ctx, "ListTeamMembers", &TeamLogic::ListTeamMembers, req, resp);
  }
  Reactor* RecordService(Ctx* ctx, const v1::RecordServiceRequest* req, v1::ServiceRecord* resp) override {
    return Unary(ctx, "RecordService", &TeamLogic::RecordService, req, resp);
  }
  Reactor* ListServiceRecords(Ctx* ctx, const v1::ListServiceRecordsRequest* req,
                              v1::ListServiceRecordsResponse* resp) override {
    return Unary(ctx, "ListServiceRecords", &TeamLogic::ListServiceRecords, req, resp);
  }
};

}  // namespace lianxin::activity

#endif  // LIANXIN_SERVICES_ACTIVITY_TEAM_GRPC_H_
