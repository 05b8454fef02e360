// The gRPC face of the organization service: one line per RPC, each handing
// the call to the OrgLogic method of the same name through ServiceHost::Unary
// (authentication, worker pool, metrics, logs, error mapping).
#ifndef LIANXIN_SERVICES_ORG_ORG_GRPC_H_
#define LIANXIN_SERVICES_ORG_ORG_GRPC_H_

#include "common/server.h"
#include "lianxin/org/v1/org_service.grpc.pb.h"
#include "services/org/org_logic.h"

namespace lianxin::org {

class OrgGrpc final : public v1::OrgService::CallbackService {
 public:
  static constexpr char kServiceName[] = "lianxin.org.v1.OrgService";
  OrgGrpc(ServiceHost& host, OrgLogic& logic) : host_(host), logic_(logic) {}

  grpc::ServerUnaryReactor* CreateOrgUnit(grpc::CallbackServerContext* ctx, const v1::CreateOrgUnitRequest* req, v1::OrgUnit* resp) override {
    return host_.Unary(ctx, kServiceName, "CreateOrgUnit", [this, req, resp](const CallContext& c) { return logic_.CreateOrgUnit(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* GetOrgUnit(grpc::CallbackServerContext* ctx, const v1::GetOrgUnitRequest* req, v1::OrgUnit* resp) override {
    return host_.Unary(ctx, kServiceName, "GetOrgUnit", [this, req, resp](const CallContext& c) { return logic_.GetOrgUnit(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* UpdateOrgUnit(grpc::CallbackServerContext* ctx, const v1::UpdateOrgUnitRequest* req, v1::OrgUnit* resp) override {
    return host_.Unary(ctx, kServiceName, "UpdateOrgUnit", [this, req, resp](const CallContext& c) { return logic_.UpdateOrgUnit(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* DeleteOrgUnit(grpc::CallbackServerContext* ctx, const v1::DeleteOrgUnitRequest* req, v1::OrgUnit* resp) override {
    return host_.Unary(ctx, kServiceName, "DeleteOrgUnit", [this, req, resp](const CallContext& c) { return logic_.DeleteOrgUnit(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* ListChildOrgUnits(grpc::CallbackServerContext* ctx, const v1::ListChildOrgUnitsRequest* req, v1::ListOrgUnitsResponse* resp) override {
    return host_.Unary(ctx, kServiceName, "ListChildOrgUnits", [this, req, resp](const CallContext& c) { return logic_.ListChildOrgUnits(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* ListSubtreeOrgUnits(grpc::CallbackServerContext* ctx, const v1::ListSubtreeOrgUnitsRequest* req, v1::ListOrgUnitsResponse* resp) override {
    return host_.Unary(ctx, kServiceName, "ListSubtreeOrgUnits", [this, req, resp](const CallContext& c) { return logic_.ListSubtreeOrgUnits(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* ListAncestorOrgUnits(grpc::CallbackServerContext* ctx, const v1::ListAncestorOrgUnitsRequest* req, v1::ListAncestorOrgUnitsResponse* resp) override {
    return host_.Unary(ctx, kServiceName, "ListAncestorOrgUnits", [this, req, resp](const CallContext& c) { return logic_.ListAncestorOrgUnits(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* MoveOrgUnit(grpc::CallbackServerContext* ctx, const v1::MoveOrgUnitRequest* req, v1::OrgUnit* resp) override {
    return host_.Unary(ctx, kServiceName, "MoveOrgUnit", [this, req, resp](const CallContext& c) { return logic_.MoveOrgUnit(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* MergeOrgUnits(grpc::CallbackServerContext* ctx, const v1::MergeOrgUnitsRequest* req, v1::OrgUnit* resp) override {
    return host_.Unary(ctx, kServiceName, "MergeOrgUnits", [this, req, resp](const CallContext& c) { return logic_.MergeOrgUnits(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* GetApprovalPath(grpc::CallbackServerContext* ctx, const v1::GetApprovalPathRequest* req, v1::GetApprovalPathResponse* resp) override {
    return host_.Unary(ctx, kServiceName, "GetApprovalPath", [this, req, resp](const CallContext& c) { return logic_.GetApprovalPath(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* ListOrgEvents(grpc::CallbackServerContext* ctx, const v1::ListOrgEventsRequest* req, v1::ListOrgEventsResponse* resp) override {
    return host_.Unary(ctx, kServiceName, "ListOrgEvents", [this, req, resp](const CallContext& c) { return logic_.ListOrgEvents(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* GetCommunitySettings(grpc::CallbackServerContext* ctx, const v1::GetCommunitySettingsRequest* req, v1::CommunitySettings* resp) override {
    return host_.Unary(ctx, kServiceName, "GetCommunitySettings", [this, req, resp](const CallContext& c) { return logic_.GetCommunitySettings(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* UpdateCommunitySettings(grpc::CallbackServerContext* ctx, const v1::UpdateCommunitySettingsRequest* req, v1::CommunitySettings* resp) override {
    return host_.Unary(ctx, kServiceName, "UpdateCommunitySettings", [this, req, resp](const CallContext& c) { return logic_.UpdateCommunitySettings(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* CreatePosition(grpc::CallbackServerContext* ctx, const v1::CreatePositionRequest* req, v1::Position* resp) override {
    return host_.Unary(ctx, kServiceName, "CreatePosition", [this, req, resp](const CallContext& c) { return logic_.CreatePosition(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* UpdatePosition(grpc::CallbackServerContext* ctx, const v1::UpdatePositionRequest* req, v1::Position* resp) override {
    return host_.Unary(ctx, kServiceName, "UpdatePosition", [this, req, resp](const CallContext& c) { return logic_.UpdatePosition(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* DeletePosition(grpc::CallbackServerContext* ctx, const v1::DeletePositionRequest* req, v1::Position* resp) override {
    return host_.Unary(ctx, kServiceName, "DeletePosition", [this, req, resp](const CallContext& c) { return logic_.DeletePosition(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* ListPositions(grpc::CallbackServerContext* ctx, const v1::ListPositionsRequest* req, v1::ListPositionsResponse* resp) override {
    return host_.Unary(ctx, kServiceName, "ListPositions", [this, req, resp](const CallContext& c) { return logic_.ListPositions(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* ListExpiringTerms(grpc::CallbackServerContext* ctx, const v1::ListExpiringTermsRequest* req, v1::ListExpiringTermsResponse* resp) override {
    return host_.Unary(ctx, kServiceName, "ListExpiringTerms", [this, req, resp](const CallContext& c) { return logic_.ListExpiringTerms(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* CreatePlace(grpc::CallbackServerContext* ctx, const v1::CreatePlaceRequest* req, v1::Place* resp) override {
    return host_.Unary(ctx, kServiceName, "CreatePlace", [this, req, resp](const CallContext& c) { return logic_.CreatePlace(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* GetPlace(grpc::CallbackServerContext* ctx, const v1::GetPlaceRequest* req, v1::Place* resp) override {
    return host_.Unary(ctx, kServiceName, "GetPlace", [this, req, resp](const CallContext& c) { return logic_.GetPlace(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* UpdatePlace(grpc::CallbackServerContext* ctx, const v1::UpdatePlaceRequest* req, v1::Place* resp) override {
    return host_.Unary(ctx, kServiceName, "UpdatePlace", [this, req, resp](const CallContext& c) { return logic_.UpdatePlace(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* DeletePlace(grpc::CallbackServerContext* ctx, const v1::DeletePlaceRequest* req, v1::Place* resp) override {
    return host_.Unary(ctx, kServiceName, "DeletePlace", [this, req, resp](const CallContext& c) { return logic_.DeletePlace(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* ListPlaces(grpc::CallbackServerContext* ctx, const v1::ListPlacesRequest* req, v1::ListPlacesResponse* resp) override {
    return host_.Unary(ctx, kServiceName, "ListPlaces", [this, req, resp](const CallContext& c) { return logic_.ListPlaces(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* CoverPlaces(grpc::CallbackServerContext* ctx, const v1::CoverPlacesRequest* req, v1::CoverPlacesResponse* resp) override {
    return host_.Unary(ctx, kServiceName, "CoverPlaces", [this, req, resp](const CallContext& c) { return logic_.CoverPlaces(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* UncoverPlaces(grpc::CallbackServerContext* ctx, const v1::UncoverPlacesRequest* req, v1::UncoverPlacesResponse* resp) override {
    return host_.Unary(ctx, kServiceName, "UncoverPlaces", [this, req, resp](const CallContext& c) { return logic_.UncoverPlaces(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* ListCoveredPlaces(grpc::CallbackServerContext* ctx, const v1::ListCoveredPlacesRequest* req, v1::ListCoveredPlacesResponse* resp) override {
    return host_.Unary(ctx, kServiceName, "ListCoveredPlaces", [this, req, resp](const CallContext& c) { return logic_.ListCoveredPlaces(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* ResolveCoverage(grpc::CallbackServerContext* ctx, const v1::ResolveCoverageRequest* req, v1::ResolveCoverageResponse* resp) override {
    return host_.Unary(ctx, kServiceName, "ResolveCoverage", [this, req, resp](const CallContext& c) { return logic_.ResolveCoverage(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* CreatePartner(grpc::CallbackServerContext* ctx, const v1::CreatePartnerRequest* req, v1::Partner* resp) override {
    return host_.Unary(ctx, kServiceName, "CreatePartner", [this, req, resp](const CallContext& c) { return logic_.CreatePartner(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* GetPartner(grpc::CallbackServerContext* ctx, const v1::GetPartnerRequest* req, v1::Partner* resp) override {
    return host_.Unary(ctx, kServiceName, "GetPartner", [this, req, resp](const CallContext& c) { return logic_.GetPartner(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* UpdatePartner(grpc::CallbackServerContext* ctx, const v1::UpdatePartnerRequest* req, v1::Partner* resp) override {
    return host_.Unary(ctx, kServiceName, "UpdatePartner", [this, req, resp](const CallContext& c) { return logic_.UpdatePartner(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* DeletePartner(grpc::CallbackServerContext* ctx, const v1::DeletePartnerRequest* req, v1::Partner* resp) override {
    return host_.Unary(ctx, kServiceName, "DeletePartner", [this, req, resp](const CallContext& c) { return logic_.DeletePartner(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* ListPartners(grpc::CallbackServerContext* ctx, const v1::ListPartnersRequest* req, v1::ListPartnersResponse* resp) override {
    return host_.Unary(ctx, kServiceName, "ListPartners", [this, req, resp](const CallContext& c) { return logic_.ListPartners(c, *req, resp); });
  }
 private:
  ServiceHost& host_;
  OrgLogic& logic_;
};

}  // namespace lianxin::org

#endif  // LIANXIN_SERVICES_ORG_ORG_GRPC_H_
