// The gRPC face of democratic appraisal (AppraisalService): one line per
// RPC, each handing the call to the AppraisalLogic method of the same name on
// the worker pool.
#ifndef LIANXIN_SERVICES_ACTIVITY_APPRAISAL_GRPC_H_
#define LIANXIN_SERVICES_ACTIVITY_APPRAISAL_GRPC_H_

#include "common/adapter.h"
#include "lianxin/activity/v1/appraisal.grpc.pb.h"
#include "services/activity/appraisal_logic.h"

namespace lianxin::activity {

class AppraisalGrpc final : public v1::AppraisalService::CallbackService, Adapter<AppraisalLogic> {
 public:
  static constexpr char kServiceName[] = "lianxin.activity.v1.AppraisalService";
  AppraisalGrpc(ServiceHost& host, AppraisalLogic& logic) : Adapter(host, logic, kServiceName) {}

  Reactor* CreateAppraisalRound(Ctx* ctx, const v1::CreateAppraisalRoundRequest* req,
                                v1::AppraisalRound* resp) override {
    return Unary(ctx, "CreateAppraisalRound", &AppraisalLogic::CreateAppraisalRound, req, resp);
  }
  Reactor* GetAppraisalRound(Ctx* ctx, const v1::GetAppraisalRoundRequest* req, v1::AppraisalRound* resp) override {
    return Unary(ctx, "GetAppraisalRound", &AppraisalLogic::GetAppraisalRound, req, resp);
  }
  Reactor* AdvanceAppraisalRound(Ctx* ctx, const v1::AdvanceAppraisalRoundRequest* req,
                                 v1::AppraisalRound* resp) override {
    return Unary(ctx, "AdvanceAppraisalRound", &AppraisalLogic::AdvanceAppraisalRound, req, resp);
  }
  Reactor* SubmitAssessment(Ctx* ctx, const v1::SubmitAssessmentRequest* req, v1::MemberAppraisal* resp) override {
    return Unary(ctx, "SubmitAssessment", &AppraisalLogic::SubmitAssessment, req, resp);
  }
  Reactor* CastAppraisalVotes(Ctx* ctx, const v1::CastAppraisalVotesRequest* req,
                              v1::CastAppraisalVotesResponse* resp) override {
    return Unary(ctx, "CastAppraisalVotes", &AppraisalLogic::CastAppraisalVotes, req, resp);
  }
  Reactor* DecideAppraisal(Ctx* ctx, const v1::DecideAppraisalRequest* req, v1::AppraisalRound* resp) override {
    return Unary(ctx, "DecideAppraisal", &AppraisalLogic::DecideAppraisal, req, resp);
  }
  Reactor* ListMemberAppraisals(Ctx* ctx, const v1::ListMemberAppraisalsRequest* req,
                                v1::ListMemberAppraisalsResponse* resp) override {
    return Unary(ctx, "ListMemberAppraisals", &AppraisalLogic::ListMemberAppraisals, req, resp);
  }
};

}  // namespace lianxin::activity

#endif  // LIANXIN_SERVICES_ACTIVITY_APPRAISAL_GRPC_H_
