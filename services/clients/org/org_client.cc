#include "services/clients/org/org_client.h"

#include "common/client.h"
#include "common/names.h"
#include "common/status.h"

namespace lianxin::org {

OrgClient::OrgClient(std::shared_ptr<grpc::Channel> channel) : stub_(v1::OrgService::NewStub(std::move(channel))) {}

absl::Status OrgClient::Call(const CallContext& c, const std::string& token, const std::string& field,
                             const std::string& resource, absl::FunctionRef<grpc::Status(grpc::ClientContext*)> rpc) {
  const Collection& kind = kPlaces.IdOf(resource).empty() ? kOrgUnits : kPlaces;
  return CallService(c, token, {"organization", "ORG_UNAVAILABLE", resource, field, std::string(kind.type())}, rpc);
}

absl::StatusOr<UnitInfo> OrgClient::GetUnit(const CallContext& c, const std::string& token, const std::string& unit_id,
                                            const std::string& field) {
  v1::GetOrgUnitRequest req;
  req.set_name(kOrgUnits.Name(unit_id));
  v1::OrgUnit out;
  RETURN_IF_ERROR(
      Call(c, token, field, req.name(), [&](grpc::ClientContext* ctx) { return stub_->GetOrgUnit(ctx, req, &out); }));
  return UnitInfo{unit_id,
                  kOrgUnits.IdOf(out.district()),
                  out.type(),
                  out.state() == v1::OrgUnit::STATE_ACTIVE,
                  kOrgUnits.IdOf(out.parent()),
                  out.display_name()};
}

absl::StatusOr<int> OrgClient::EndMemberPositions(const CallContext& c, const std::string& token,
                                                  const std::string& member, const std::string& reason,
                                                  const std::string& end_date, const std::string& field) {
  v1::EndMemberPositionsRequest req;
  req.set_member(member);
  req.set_reason(reason);
  req.set_end_date(end_date);
  v1::EndMemberPositionsResponse out;
  RETURN_IF_ERROR(Call(c, token, field, member,
                       [&](grpc::ClientContext* ctx) { return stub_->EndMemberPositions(ctx, req, &out); }));
  return out.ended_size();
}

absl::StatusOr<PlaceInfo> OrgClient::GetPlace(const CallContext& c, const std::string& token,
                                              const std::string& place_id, const std::string& field) {
  v1::GetPlaceRequest req;
  req.set_name(kPlaces.Name(place_id));
  v1::Place out;
  RETURN_IF_ERROR(
      Call(c, token, field, req.name(), [&](grpc::ClientContext* ctx) { return stub_->GetPlace(ctx, req, &out); }));
  return PlaceInfo{place_id, kOrgUnits.IdOf(out.community()), kPlaces.IdOf(out.parent()), out.kind()};
}

absl::StatusOr<std::vector<std::string>> OrgClient::AncestorIds(const CallContext& c, const std::string& token,
                                                                const std::string& unit_id, const std::string& field) {
  v1::ListAncestorOrgUnitsRequest req;
  req.set_name(kOrgUnits.Name(unit_id));
  v1::ListAncestorOrgUnitsResponse out;
  RETURN_IF_ERROR(Call(c, token, field, req.name(),
                       [&](grpc::ClientContext* ctx) { return stub_->ListAncestorOrgUnits(ctx, req, &out); }));
  std::vector<std::string> ids;
  for (const auto& u : out.org_units()) ids.push_back(kOrgUnits.IdOf(u.name()));
  return ids;
}

absl::StatusOr<std::vector<std::string>> OrgClient::SubtreeIds(const CallContext& c, const std::string& token,
                                                               const std::string& root_id,
                                                               const std::vector<v1::OrgUnitType>& types,
                                                               bool show_inactive, const std::string& field) {
  std::vector<std::string> ids;
  v1::ListSubtreeOrgUnitsRequest req;
  req.set_root(kOrgUnits.Name(root_id));
  req.set_page_size(1000);
  req.set_show_inactive(show_inactive);
  for (auto t : types) req.add_types(t);
  do {
    v1::ListOrgUnitsResponse resp;
    RETURN_IF_ERROR(Call(c, token, field, req.root(),
                         [&](grpc::ClientContext* ctx) { return stub_->ListSubtreeOrgUnits(ctx, req, &resp); }));
    for (const auto& u : resp.org_units()) ids.push_back(kOrgUnits.IdOf(u.name()));
    req.set_page_token(resp.next_page_token());
  } while (!req.page_token().empty());
  return ids;
}

absl::StatusOr<std::vector<UnitInfo>> OrgClient::SubtreeUnits(const CallContext& c, const std::string& token,
                                                              const std::string& root_id,
                                                              const std::vector<v1::OrgUnitType>& types,
                                                              const std::string& field) {
  std::vector<UnitInfo> units;
  v1::ListSubtreeOrgUnitsRequest req;
  req.set_root(kOrgUnits.Name(root_id));
  req.set_page_size(1000);
  for (auto t : types) req.add_types(t);
  do {
    v1::ListOrgUnitsResponse resp;
    RETURN_IF_ERROR(Call(c, token, field, req.root(),
                         [&](grpc::ClientContext* ctx) { return stub_->ListSubtreeOrgUnits(ctx, req, &resp); }));
    for (const auto& u : resp.org_units()) {
      units.push_back({kOrgUnits.IdOf(u.name()), kOrgUnits.IdOf(u.district()), u.type(),
                       u.state() == v1::OrgUnit::STATE_ACTIVE, kOrgUnits.IdOf(u.parent()), u.display_name()});
    }
    req.set_page_token(resp.next_page_token());
  } while (!req.page_token().empty());
  return units;
}

absl::StatusOr<std::vector<v1::Position>> OrgClient::Positions(const CallContext& c, const std::string& token,
                                                               const std::string& unit_id, const std::string& field) {
  std::vector<v1::Position> out;
  v1::ListPositionsRequest req;
  req.set_org_unit(kOrgUnits.Name(unit_id));
  req.set_page_size(1000);
  do {
    v1::ListPositionsResponse resp;
    RETURN_IF_ERROR(Call(c, token, field, req.org_unit(),
                         [&](grpc::ClientContext* ctx) { return stub_->ListPositions(ctx, req, &resp); }));
    for (auto& p : *resp.mutable_positions()) out.push_back(std::move(p));
    req.set_page_token(resp.next_page_token());
  } while (!req.page_token().empty());
  return out;
}

absl::StatusOr<std::vector<v1::Position>> OrgClient::ExpiringTerms(const CallContext& c, const std::string& token,
                                                                   const std::string& root_id, int within_days,
                                                                   const std::string& field) {
  std::vector<v1::Position> out;
  v1::ListExpiringTermsRequest req;
  req.set_root(kOrgUnits.Name(root_id));
  req.set_within_days(within_days);
  req.set_page_size(1000);
  do {
    v1::ListExpiringTermsResponse resp;
    RETURN_IF_ERROR(Call(c, token, field, req.root(),
                         [&](grpc::ClientContext* ctx) { return stub_->ListExpiringTerms(ctx, req, &resp); }));
    for (auto& p : *resp.mutable_positions()) out.push_back(std::move(p));
    req.set_page_token(resp.next_page_token());
  } while (!req.page_token().empty());
  return out;
}

absl::StatusOr<std::vector<std::string>> OrgClient::ApprovalPath(const CallContext& c, const std::string& token,
                                                                 const std::string& from_id, const std::string& to_id,
                                                                 const std::string& field) {
  v1::GetApprovalPathRequest req;
  req.set_from(kOrgUnits.Name(from_id));
  req.set_to(kOrgUnits.Name(to_id));
  v1::GetApprovalPathResponse resp;
  RETURN_IF_ERROR(Call(c, token, field, req.to(),
                       [&](grpc::ClientContext* ctx) { return stub_->GetApprovalPath(ctx, req, &resp); }));
  std::vector<std::string> ids;
  for (const auto& u : resp.org_units()) ids.push_back(kOrgUnits.IdOf(u.name()));
  return ids;
}

absl::StatusOr<Coverage> OrgClient::ResolveCoverage(const CallContext& c, const std::string& token,
                                                    const std::string& place_id, const std::string& field) {
  v1::ResolveCoverageRequest req;
  req.set_place(kPlaces.Name(place_id));
  v1::ResolveCoverageResponse out;
  RETURN_IF_ERROR(Call(c, token, field, req.place(),
                       [&](grpc::ClientContext* ctx) { return stub_->ResolveCoverage(ctx, req, &out); }));
  return Coverage{place_id, kOrgUnits.IdOf(out.community()), kOrgUnits.IdOf(out.building_party_group()),
                  kOrgUnits.IdOf(out.branch())};
}

}  // namespace lianxin::org
