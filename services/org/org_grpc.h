// The gRPC face of the organization service: one line per RPC, each handing
// the call to the OrgLogic method of the same name through ServiceHost::Unary
// (authentication, worker pool, metrics, logs, error mapping).
#ifndef LIANXIN_SERVICES_ORG_ORG_GRPC_H_
#define LIANXIN_SERVICES_ORG_ORG_GRPC_H_

#include "common/adapter.h"
#include "lianxin/org/v1/org_service.grpc.pb.h"
#include "services/org/org_logic.h"
#include "services/org/todo_watch.h"

namespace lianxin::org {

class OrgGrpc final : public v1::OrgService::CallbackService, Adapter<OrgLogic> {
 public:
  static constexpr char kServiceName[] = "lianxin.org.v1.OrgService";
  OrgGrpc(ServiceHost& host, OrgLogic& logic, TodoWatchHub& todos)
      : Adapter(host, logic, kServiceName), todos_(todos) {}

  Reactor* CreateOrgUnit(Ctx* ctx, const v1::CreateOrgUnitRequest* req, v1::OrgUnit* resp) override {
    return Unary(ctx, "CreateOrgUnit", &OrgLogic::CreateOrgUnit, req, resp);
  }
  Reactor* GetOrgUnit(Ctx* ctx, const v1::GetOrgUnitRequest* req, v1::OrgUnit* resp) override {
    return Unary(ctx, "GetOrgUnit", &OrgLogic::GetOrgUnit, req, resp);
  }
  Reactor* UpdateOrgUnit(Ctx* ctx, const v1::UpdateOrgUnitRequest* req, v1::OrgUnit* resp) override {
    return Unary(ctx, "UpdateOrgUnit", &OrgLogic::UpdateOrgUnit, req, resp);
  }
  Reactor* DeleteOrgUnit(Ctx* ctx, const v1::DeleteOrgUnitRequest* req, v1::OrgUnit* resp) override {
    return Unary(ctx, "DeleteOrgUnit", &OrgLogic::DeleteOrgUnit, req, resp);
  }
  Reactor* ListChildOrgUnits(Ctx* ctx, const v1::ListChildOrgUnitsRequest* req,
                             v1::ListOrgUnitsResponse* resp) override {
    return Unary(ctx, "ListChildOrgUnits", &OrgLogic::ListChildOrgUnits, req, resp);
  }
  Reactor* ListSubtreeOrgUnits(Ctx* ctx, const v1::ListSubtreeOrgUnitsRequest* req,
                               v1::ListOrgUnitsResponse* resp) override {
    return Unary(ctx, "ListSubtreeOrgUnits", &OrgLogic::ListSubtreeOrgUnits, req, resp);
  }
  Reactor* ListAncestorOrgUnits(Ctx* ctx, const v1::ListAncestorOrgUnitsRequest* req,
                                v1::ListAncestorOrgUnitsResponse* resp) override {
    return Unary(ctx, "ListAncestorOrgUnits", &OrgLogic::ListAncestorOrgUnits, req, resp);
  }
  Reactor* MoveOrgUnit(Ctx* ctx, const v1::MoveOrgUnitRequest* req, v1::OrgUnit* resp) override {
    return Unary(ctx, "MoveOrgUnit", &OrgLogic::MoveOrgUnit, req, resp);
  }
  Reactor* MergeOrgUnits(Ctx* ctx, const v1::MergeOrgUnitsRequest* req, v1::OrgUnit* resp) override {
    return Unary(ctx, "MergeOrgUnits", &OrgLogic::MergeOrgUnits, req, resp);
  }
  Reactor* GetApprovalPath(Ctx* ctx, const v1::GetApprovalPathRequest* req,
                           v1::GetApprovalPathResponse* resp) override {
    return Unary(ctx, "GetApprovalPath", &OrgLogic::GetApprovalPath, req, resp);
  }
  Reactor* ListOrgEvents(Ctx* ctx, const v1::ListOrgEventsRequest* req, v1::ListOrgEventsResponse* resp) override {
    return Unary(ctx, "ListOrgEvents", &OrgLogic::ListOrgEvents, req, resp);
  }
  Reactor* GetCommunitySettings(Ctx* ctx, const v1::GetCommunitySettingsRequest* req,
                                v1::CommunitySettings* resp) override {
    return Unary(ctx, "GetCommunitySettings", &OrgLogic::GetCommunitySettings, req, resp);
  }
  Reactor* UpdateCommunitySettings(Ctx* ctx, const v1::UpdateCommunitySettingsRequest* req,
                                   v1::CommunitySettings* resp) override {
    return Unary(ctx, "UpdateCommunitySettings", &OrgLogic::UpdateCommunitySettings, req, resp);
  }
  Reactor* CreatePosition(Ctx* ctx, const v1::CreatePositionRequest* req, v1::Position* resp) override {
    return Unary(ctx, "CreatePosition", &OrgLogic::CreatePosition, req, resp);
  }
  Reactor* UpdatePosition(Ctx* ctx, const v1::UpdatePositionRequest* req, v1::Position* resp) override {
    return Unary(ctx, "UpdatePosition", &OrgLogic::UpdatePosition, req, resp);
  }
  Reactor* DeletePosition(Ctx* ctx, const v1::DeletePositionRequest* req, v1::Position* resp) override {
    return Unary(ctx, "DeletePosition", &OrgLogic::DeletePosition, req, resp);
  }
  Reactor* EndMemberPositions(Ctx* ctx, const v1::EndMemberPositionsRequest* req,
                              v1::EndMemberPositionsResponse* resp) override {
    return Unary(ctx, "EndMemberPositions", &OrgLogic::EndMemberPositions, req, resp);
  }
  Reactor* ListPositions(Ctx* ctx, const v1::ListPositionsRequest* req, v1::ListPositionsResponse* resp) override {
    return Unary(ctx, "ListPositions", &OrgLogic::ListPositions, req, resp);
  }
  Reactor* ListExpiringTerms(Ctx* ctx, const v1::ListExpiringTermsRequest* req,
                             v1::ListExpiringTermsResponse* resp) override {
    return Unary(ctx, "ListExpiringTerms", &OrgLogic::ListExpiringTerms, req, resp);
  }
  Reactor* CreatePlace(Ctx* ctx, const v1::CreatePlaceRequest* req, v1::Place* resp) override {
    return Unary(ctx, "CreatePlace", &OrgLogic::CreatePlace, req, resp);
  }
  Reactor* GetPlace(Ctx* ctx, const v1::GetPlaceRequest* req, v1::Place* resp) override {
    return Unary(ctx, "GetPlace", &OrgLogic::GetPlace, req, resp);
  }
  Reactor* UpdatePlace(Ctx* ctx, const v1::UpdatePlaceRequest* req, v1::Place* resp) override {
    return Unary(ctx, "UpdatePlace", &OrgLogic::UpdatePlace, req, resp);
  }
  Reactor* DeletePlace(Ctx* ctx, const v1::DeletePlaceRequest* req, v1::Place* resp) override {
    return Unary(ctx, "DeletePlace", &OrgLogic::DeletePlace, req, resp);
  }
  Reactor* ListPlaces(Ctx* ctx, const v1::ListPlacesRequest* req, v1::ListPlacesResponse* resp) override {
    return Unary(ctx, "ListPlaces", &OrgLogic::ListPlaces, req, resp);
  }
  Reactor* CoverPlaces(Ctx* ctx, const v1::CoverPlacesRequest* req, v1::CoverPlacesResponse* resp) override {
    return Unary(ctx, "CoverPlaces", &OrgLogic::CoverPlaces, req, resp);
  }
  Reactor* UncoverPlaces(Ctx* ctx, const v1::UncoverPlacesRequest* req, v1::UncoverPlacesResponse* resp) override {
    return Unary(ctx, "UncoverPlaces", &OrgLogic::UncoverPlaces, req, resp);
  }
  Reactor* ListCoveredPlaces(Ctx* ctx, const v1::ListCoveredPlacesRequest* req,
                             v1::ListCoveredPlacesResponse* resp) override {
    return Unary(ctx, "ListCoveredPlaces", &OrgLogic::ListCoveredPlaces, req, resp);
  }
  Reactor* ResolveCoverage(Ctx* ctx, const v1::ResolveCoverageRequest* req,
                           v1::ResolveCoverageResponse* resp) override {
    return Unary(ctx, "ResolveCoverage", &OrgLogic::ResolveCoverage, req, resp);
  }
  Reactor* CreatePartner(Ctx* ctx, const v1::CreatePartnerRequest* req, v1::Partner* resp) override {
    return Unary(ctx, "CreatePartner", &OrgLogic::CreatePartner, req, resp);
  }
  Reactor* GetPartner(Ctx* ctx, const v1::GetPartnerRequest* req, v1::Partner* resp) override {
    return Unary(ctx, "GetPartner", &OrgLogic::GetPartner, req, resp);
  }
  Reactor* UpdatePartner(Ctx* ctx, const v1::UpdatePartnerRequest* req, v1::Partner* resp) override {
    return Unary(ctx, "UpdatePartner", &OrgLogic::UpdatePartner, req, resp);
  }
  Reactor* DeletePartner(Ctx* ctx, const v1::DeletePartnerRequest* req, v1::Partner* resp) override {
    return Unary(ctx, "DeletePartner", &OrgLogic::DeletePartner, req, resp);
  }
  Reactor* ListPartners(Ctx* ctx, const v1::ListPartnersRequest* req, v1::ListPartnersResponse* resp) override {
    return Unary(ctx, "ListPartners", &OrgLogic::ListPartners, req, resp);
  }
  Reactor* ListTodos(Ctx* ctx, const v1::ListTodosRequest* req, v1::ListTodosResponse* resp) override {
    return Unary(ctx, "ListTodos", &OrgLogic::ListTodos, req, resp);
  }
  grpc::ServerWriteReactor<v1::TodoChange>* WatchTodos(grpc::CallbackServerContext* ctx,
                                                       const v1::WatchTodosRequest* req) override {
    return new TodoStream(host(), logic(), todos_, ctx, kServiceName, req);
  }

 private:
  TodoWatchHub& todos_;
};

}  // namespace lianxin::org

#endif  // LIANXIN_SERVICES_ORG_ORG_GRPC_H_
