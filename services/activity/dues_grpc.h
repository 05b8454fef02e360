// The gRPC face of party dues (DuesService): one line per RPC, each handing
// the call to the DuesLogic method of the same name on the worker pool.
#ifndef LIANXIN_SERVICES_ACTIVITY_DUES_GRPC_H_
#define LIANXIN_SERVICES_ACTIVITY_DUES_GRPC_H_

#include "common/adapter.h"
#include "lianxin/activity/v1/dues.grpc.pb.h"
#include "services/activity/dues_logic.h"

namespace lianxin::activity {

class DuesGrpc final : public v1::DuesService::CallbackService, Adapter<DuesLogic> {
 public:
  static constexpr char kServiceName[] = "lianxin.activity.v1.DuesService";
  DuesGrpc(ServiceHost& host, DuesLogic& logic) : Adapter(host, logic, kServiceName) {}

  Reactor* SetDuesAssessment(Ctx* ctx, const v1::SetDuesAssessmentRequest* req, v1::DuesAssessment* resp) override {
    return Unary(ctx, "SetDuesAssessment", &DuesLogic::SetDuesAssessment, req, resp);
  }
  Reactor* ListDuesAssessments(Ctx* ctx, const v1::ListDuesAssessmentsRequest* req,
                               v1::ListDuesAssessmentsResponse* resp) override {
    return Unary(ctx, "ListDuesAssessments", &DuesLogic::ListDuesAssessments, req, resp);
  }
  Reactor* RecordDuesPayment(Ctx* ctx, const v1::RecordDuesPaymentRequest* req, v1::DuesPayment* resp) override {
    return Unary(ctx, "RecordDuesPayment", &DuesLogic::RecordDuesPayment, req, resp);
  }
  Reactor* ListDuesPayments(Ctx* ctx, const v1::ListDuesPaymentsRequest* req,
                            v1::ListDuesPaymentsResponse* resp) override {
    return Unary(ctx, "ListDuesPayments", &DuesLogic::ListDuesPayments, req, resp);
  }
  Reactor* GetDuesStanding(Ctx* ctx, const v1::GetDuesStandingRequest* req, v1::DuesStanding* resp) override {
    return Unary(ctx, "GetDuesStanding", &DuesLogic::GetDuesStanding, req, resp);
  }
  Reactor* SetDuesReason(Ctx* ctx, const v1::SetDuesReasonRequest* req, v1::DuesStanding* resp) override {
    return Unary(ctx, "SetDuesReason", &DuesLogic::SetDuesReason, req, resp);
  }
  Reactor* ListDuesArrears(Ctx* ctx, const v1::ListDuesArrearsRequest* req,
                           v1::ListDuesArrearsResponse* resp) override {
    return Unary(ctx, "ListDuesArrears", &DuesLogic::ListDuesArrears, req, resp);
  }
  Reactor* GetDuesTotals(Ctx* ctx, const v1::GetDuesTotalsRequest* req, v1::DuesTotals* resp) override {
    return Unary(ctx, "GetDuesTotals", &DuesLogic::GetDuesTotals, req, resp);
  }
  Reactor* ListDuesDisclosures(Ctx* ctx, const v1::ListDuesDisclosuresRequest* req,
                               v1::ListDuesDisclosuresResponse* resp) override {
    return Unary(ctx, "ListDuesDisclosures", &DuesLogic::ListDuesDisclosures, req, resp);
  }
};

}  // namespace lianxin::activity

#endif  // LIANXIN_SERVICES_ACTIVITY_DUES_GRPC_H_
