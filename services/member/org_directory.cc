#include "services/member/org_directory.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth.h"
#include "common/client.h"
#include "common/names.h"
#include "common/status.h"

namespace lianxin::member {

namespace ov1 = ::lianxin::org::v1;

OrgDirectory::OrgDirectory(std::shared_ptr<grpc::Channel> channel, std::string signing_key, std::string audience)
    : stub_(ov1::OrgService::NewStub(std::move(channel))),
      tokens_("service:member", std::move(signing_key), std::move(audience)) {}

bool OrgDirectory::HoldsMembers(ov1::OrgUnitType t) {
  return t == ov1::ORG_UNIT_TYPE_BRANCH || t == ov1::ORG_UNIT_TYPE_GENERAL_BRANCH ||
         t == ov1::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE;
}

absl::Status OrgDirectory::Call(const std::string& token, const CallContext& c, const std::string& field,
                                const std::string& resource,
                                absl::FunctionRef<grpc::Status(grpc::ClientContext*)> rpc) {
  absl::string_view type = kPlaces.IdOf(resource).empty() ? kOrgUnits.type() : kPlaces.type();
  return CallService(c, token, {"organization", "ORG_UNAVAILABLE", resource, field, std::string(type)}, rpc);
}

absl::StatusOr<UnitInfo> OrgDirectory::UnitForCaller(const CallContext& c, const std::string& id,
                                                     const std::string& field) {
  ov1::GetOrgUnitRequest req;
  req.set_name(kOrgUnits.Name(id));
  ov1::OrgUnit out;
  RETURN_IF_ERROR(Call(c.principal.token, c, field, req.name(),
                       [&](grpc::ClientContext* ctx) { return stub_->GetOrgUnit(ctx, req, &out); }));
  return UnitInfo{id, kOrgUnits.IdOf(out.district()), out.type(), out.state() == ov1::OrgUnit::STATE_ACTIVE};
}

absl::StatusOr<UnitInfo> OrgDirectory::Unit(const CallContext& c, const std::string& id, const std::string& field) {
  UnitInfo cached;
  if (units_.Get(id, &cached)) return cached;
  ov1::GetOrgUnitRequest req;
  req.set_name(kOrgUnits.Name(id));
  ov1::OrgUnit out;
  RETURN_IF_ERROR(Call(tokens_.Get(), c, field, req.name(),
                       [&](grpc::ClientContext* ctx) { return stub_->GetOrgUnit(ctx, req, &out); }));
  UnitInfo info{id, kOrgUnits.IdOf(out.district()), out.type(), out.state() == ov1::OrgUnit::STATE_ACTIVE};
  units_.Put(id, info);
  return info;
}

absl::StatusOr<PlaceInfo> OrgDirectory::Place(const CallContext& c, const std::string& id, const std::string& field) {
  PlaceInfo cached;
  if (places_.Get(id, &cached)) return cached;
  ov1::GetPlaceRequest req;
  req.set_name(kPlaces.Name(id));
  ov1::Place out;
  RETURN_IF_ERROR(Call(tokens_.Get(), c, field, req.name(),
                       [&](grpc::ClientContext* ctx) { return stub_->GetPlace(ctx, req, &out); }));
  PlaceInfo info;
  info.id = id;
  info.community_id = kOrgUnits.IdOf(out.community());
  info.parent_id = kPlaces.IdOf(out.parent());
  info.kind = out.kind();
  places_.Put(id, info);
  return info;
}

absl::StatusOr<std::vector<std::string>> OrgDirectory::MemberUnitsIn(const CallContext& c, const std::string& root_id,
                                                                     const std::string& field) {
  std::vector<std::string> ids;
  ov1::ListSubtreeOrgUnitsRequest req;
  req.set_root(kOrgUnits.Name(root_id));
  req.set_page_size(1000);
  req.set_show_inactive(true);  // members of a dissolved branch are still found
  for (auto t :
       {ov1::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE, ov1::ORG_UNIT_TYPE_GENERAL_BRANCH, ov1::ORG_UNIT_TYPE_BRANCH}) {
    req.add_types(t);
  }
  do {
    ov1::ListOrgUnitsResponse resp;
    RETURN_IF_ERROR(Call(c.principal.token, c, field, req.root(),
                         [&](grpc::ClientContext* ctx) { return stub_->ListSubtreeOrgUnits(ctx, req, &resp); }));
    for (const auto& u : resp.org_units()) ids.push_back(kOrgUnits.IdOf(u.name()));
    req.set_page_token(resp.next_page_token());
  } while (!req.page_token().empty());
  return ids;
}

absl::StatusOr<std::vector<std::string>> OrgDirectory::ApprovalPath(const CallContext& c, const std::string& from_id,
                                                                    const std::string& to_id,
                                                                    const std::string& field) {
  ov1::GetApprovalPathRequest req;
  req.set_from(kOrgUnits.Name(from_id));
  req.set_to(kOrgUnits.Name(to_id));
  ov1::GetApprovalPathResponse resp;
  // The receiving side usually lies outside the sender's subtree: the path is
  // asked for with the service's own token.
  RETURN_IF_ERROR(Call(tokens_.Get(), c, field, req.to(),
                       [&](grpc::ClientContext* ctx) { return stub_->GetApprovalPath(ctx, req, &resp); }));
  std::vector<std::string> ids;
  for (const auto& u : resp.org_units()) ids.push_back(kOrgUnits.IdOf(u.name()));
  return ids;
}

}  // namespace lianxin::member
