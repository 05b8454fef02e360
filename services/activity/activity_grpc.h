// The gRPC face of the activity service: one line per RPC, each handing the
// call to the ActivityLogic method of the same name through ServiceHost, on
// the worker pool (every one reads or writes the database) — but CheckIn,
// the storm of a theme day, which only checks the request on the gRPC thread
// and is answered by the attendance writer's (UnaryInline).
#ifndef LIANXIN_SERVICES_ACTIVITY_ACTIVITY_GRPC_H_
#define LIANXIN_SERVICES_ACTIVITY_ACTIVITY_GRPC_H_

#include "common/adapter.h"
#include "lianxin/activity/v1/activity_service.grpc.pb.h"
#include "services/activity/activity_logic.h"

namespace lianxin::activity {

class ActivityGrpc final : public v1::ActivityService::CallbackService, Adapter<ActivityLogic> {
 public:
  static constexpr char kServiceName[] = "lianxin.activity.v1.ActivityService";
  ActivityGrpc(ServiceHost& host, ActivityLogic& logic) : Adapter(host, logic, kServiceName) {}

  Reactor* CreateActivity(Ctx* ctx, const v1::CreateActivityRequest* req, v1::Activity* resp) override {
    return Unary(ctx, "CreateActivity", &ActivityLogic::CreateActivity, req, resp);
  }
  Reactor* GetActivity(Ctx* ctx, const v1::GetActivityRequest* req, v1::Activity* resp) override {
    return Unary(ctx, "GetActivity", &ActivityLogic::GetActivity, req, resp);
  }
  Reactor* UpdateActivity(Ctx* ctx, const v1::UpdateActivityRequest* req, v1::Activity* resp) override {
    return Unary(ctx, "UpdateActivity", &ActivityLogic::UpdateActivity, req, resp);
  }
  Reactor* ListActivities(Ctx* ctx, const v1::ListActivitiesRequest* req, v1::ListActivitiesResponse* resp) override {
    return Unary(ctx, "ListActivities", &ActivityLogic::ListActivities, req, resp);
  }
  Reactor* CancelActivity(Ctx* ctx, const v1::CancelActivityRequest* req, v1::Activity* resp) override {
    return Unary(ctx, "CancelActivity", &ActivityLogic::CancelActivity, req, resp);
  }
  Reactor* HoldActivity(Ctx* ctx, const v1::HoldActivityRequest* req, v1::Activity* resp) override {
    return Unary(ctx, "HoldActivity", &ActivityLogic::HoldActivity, req, resp);
  }
  Reactor* SignUp(Ctx* ctx, const v1::SignUpRequest* req, v1::Attendance* resp) override {
    return Unary(ctx, "SignUp", &ActivityLogic::SignUp, req, resp);
  }
  Reactor* RequestLeave(Ctx* ctx, const v1::RequestLeaveRequest* req, v1::Attendance* resp) override {
    return Unary(ctx, "RequestLeave", &ActivityLogic::RequestLeave, req, resp);
  }
  Reactor* GetCheckInCode(Ctx* ctx, const v1::GetCheckInCodeRequest* req, v1::CheckInCode* resp) override {
    return Unary(ctx, "GetCheckInCode", &ActivityLogic::GetCheckInCode, req, resp);
  }
  Reactor* CheckIn(Ctx* ctx, const v1::CheckInRequest* req, v1::Attendance* resp) override {
    return UnaryInline(ctx, "CheckIn", &ActivityLogic::CheckIn, req, resp);
  }
  Reactor* RecordAttendance(Ctx* ctx, const v1::RecordAttendanceRequest* req,
                            v1::RecordAttendanceResponse* resp) override {
    return Unary(ctx, "RecordAttendance", &ActivityLogic::RecordAttendance, req, resp);
  }
  Reactor* ListAttendances(Ctx* ctx, const v1::ListAttendancesRequest* req,
                           v1::ListAttendancesResponse* resp) override {
    return Unary(ctx, "ListAttendances", &ActivityLogic::ListAttendances, req, resp);
  }
  Reactor* GetComplianceRules(Ctx* ctx, const v1::GetComplianceRulesRequest* req, v1::ComplianceRules* resp) override {
    return Unary(ctx, "GetComplianceRules", &ActivityLogic::GetComplianceRules, req, resp);
  }
  Reactor* UpdateComplianceRules(Ctx* ctx, const v1::UpdateComplianceRulesRequest* req,
                                 v1::ComplianceRules* resp) override {
    return Unary(ctx, "UpdateComplianceRules", &ActivityLogic::UpdateComplianceRules, req, resp);
  }
  Reactor* GetCompliance(Ctx* ctx, const v1::GetComplianceRequest* req, v1::UnitCompliance* resp) override {
    return Unary(ctx, "GetCompliance", &ActivityLogic::GetCompliance, req, resp);
  }
  Reactor* ListUnitsBehind(Ctx* ctx, const v1::ListUnitsBehindRequest* req,
                           v1::ListUnitsBehindResponse* resp) override {
    return Unary(ctx, "ListUnitsBehind", &ActivityLogic::ListUnitsBehind, req, resp);
  }
  Reactor* GetStudyHours(Ctx* ctx, const v1::GetStudyHoursRequest* req, v1::StudyHours* resp) override {
    return Unary(ctx, "GetStudyHours", &ActivityLogic::GetStudyHours, req, resp);
  }
  Reactor* ListStudyHours(Ctx* ctx, const v1::ListStudyHoursRequest* req, v1::ListStudyHoursResponse* resp) override {
    return Unary(ctx, "ListStudyHours", &ActivityLogic::ListStudyHours, req, resp);
  }
  Reactor* ListDriftingMembers(Ctx* ctx, const v1::ListDriftingMembersRequest* req,
                               v1::ListDriftingMembersResponse* resp) override {
    return Unary(ctx, "ListDriftingMembers", &ActivityLogic::ListDriftingMembers, req, resp);
  }
  Reactor* ListTodoChanges(Ctx* ctx, const org::v1::ListTodoChangesRequest* req,
                           org::v1::ListTodoChangesResponse* resp) override {
    return Unary(ctx, "ListTodoChanges", &ActivityLogic::ListTodoChanges, req, resp);
  }
};

}  // namespace lianxin::activity

#endif  // LIANXIN_SERVICES_ACTIVITY_ACTIVITY_GRPC_H_
