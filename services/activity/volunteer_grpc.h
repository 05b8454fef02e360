// The gRPC face of the activity service's ledgers (VolunteerService): one
// line per RPC, each handing the call to the VolunteerLogic method of the
// same name on the worker pool.
#ifndef LIANXIN_SERVICES_ACTIVITY_VOLUNTEER_GRPC_H_
#define LIANXIN_SERVICES_ACTIVITY_VOLUNTEER_GRPC_H_

#include "common/adapter.h"
#include "lianxin/activity/v1/volunteer_service.grpc.pb.h"
#include "services/activity/volunteer_logic.h"

namespace lianxin::activity {

class VolunteerGrpc final : public v1::VolunteerService::CallbackService, Adapter<VolunteerLogic> {
 public:
  static constexpr char kServiceName[] = "lianxin.activity.v1.VolunteerService";
  VolunteerGrpc(ServiceHost& host, VolunteerLogic& logic) : Adapter(host, logic, kServiceName) {}

  Reactor* GetBalances(Ctx* ctx, const v1::GetBalancesRequest* req, v1::Balances* resp) override {
    return Unary(ctx, "GetBalances", &VolunteerLogic::GetBalances, req, resp);
  }
  Reactor* ListLedgerEntries(Ctx* ctx, const v1::ListLedgerEntriesRequest* req,
                             v1::ListLedgerEntriesResponse* resp) override {
    return Unary(ctx, "ListLedgerEntries", &VolunteerLogic::ListLedgerEntries, req, resp);
  }
  Reactor* ReverseLedgerEntry(Ctx* ctx, const v1::ReverseLedgerEntryRequest* req, v1::LedgerEntry* resp) override {
    return Unary(ctx, "ReverseLedgerEntry", &VolunteerLogic::ReverseLedgerEntry, req, resp);
  }
  Reactor* GetPointRules(Ctx* ctx, const v1::GetPointRulesRequest* req, v1::PointRules* resp) override {
    return Unary(ctx, "GetPointRules", &VolunteerLogic::GetPointRules, req, resp);
  }
  Reactor* UpdatePointRules(Ctx* ctx, const v1::UpdatePointRulesRequest* req, v1::PointRules* resp) override {
    return Unary(ctx, "UpdatePointRules", &VolunteerLogic::UpdatePointRules, req, resp);
  }
};

}  // namespace lianxin::activity

#endif  // LIANXIN_SERVICES_ACTIVITY_VOLUNTEER_GRPC_H_
