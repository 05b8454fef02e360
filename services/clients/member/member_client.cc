#include "services/clients/member/member_client.h"

#include "common/client.h"
#include "common/names.h"
#include "common/status.h"

namespace lianxin::member {

MemberClient::MemberClient(std::shared_ptr<grpc::Channel> channel)
    : stub_(v1::MemberService::NewStub(std::move(channel))) {}

absl::Status MemberClient::Call(const CallContext& c, const std::string& token, const std::string& field,
                                const std::string& resource,
                                absl::FunctionRef<grpc::Status(grpc::ClientContext*)> rpc) {
  return CallService(c, token, {"member", "MEMBER_UNAVAILABLE", resource, field, std::string(kMembers.type())}, rpc);
}

absl::StatusOr<int> MemberClient::CountInUnit(const CallContext& c, const std::string& token,
                                              const std::string& unit_id, const std::string& field) {
  v1::CountMembersRequest req;
  req.set_org_unit(kOrgUnits.Name(unit_id));
  v1::CountMembersResponse out;
  RETURN_IF_ERROR(Call(c, token, field, req.org_unit(),
                       [&](grpc::ClientContext* ctx) { return stub_->CountMembers(ctx, req, &out); }));
  return out.members();
}

absl::StatusOr<std::vector<int>> MemberClient::CountInUnits(const CallContext& c, const std::string& token,
                                                            const std::vector<std::string>& unit_ids,
                                                            const std::string& field) {
  v1::CountMembersRequest req;
  for (const auto& id : unit_ids) req.add_org_units(kOrgUnits.Name(id));
  req.set_active_only(true);
  v1::CountMembersResponse out;
  RETURN_IF_ERROR(
      Call(c, token, field, "", [&](grpc::ClientContext* ctx) { return stub_->CountMembers(ctx, req, &out); }));
  std::vector<int> counts;
  for (const auto& u : out.counts()) counts.push_back(u.members());
  if (counts.size() != unit_ids.size()) return absl::InternalError("CountMembers answered another number of units");
  return counts;
}

absl::StatusOr<int> MemberClient::CountResidents(const CallContext& c, const std::string& token,
                                                 const std::vector<std::string>& place_ids, const std::string& field) {
  v1::CountMembersRequest req;
  for (const auto& id : place_ids) req.add_places(kPlaces.Name(id));
  req.set_active_only(true);
  v1::CountMembersResponse out;
  RETURN_IF_ERROR(
      Call(c, token, field, "places", [&](grpc::ClientContext* ctx) { return stub_->CountMembers(ctx, req, &out); }));
  return out.members();
}

absl::StatusOr<v1::Member> MemberClient::GetMember(const CallContext& c, const std::string& token,
                                                   const std::string& name, const std::string& field) {
  v1::GetMemberRequest req;
  req.set_name(name);
  v1::Member out;
  RETURN_IF_ERROR(
      Call(c, token, field, name, [&](grpc::ClientContext* ctx) { return stub_->GetMember(ctx, req, &out); }));
  return out;
}

absl::StatusOr<int> MemberClient::MoveMembers(const CallContext& c, const std::string& token,
                                              const std::string& from_id, const std::string& to_id,
                                              const std::string& field) {
  v1::MoveMembersRequest req;
  req.set_from_unit(kOrgUnits.Name(from_id));
  req.set_to_unit(kOrgUnits.Name(to_id));
  v1::MoveMembersResponse out;
  RETURN_IF_ERROR(Call(c, token, field, req.from_unit(),
                       [&](grpc::ClientContext* ctx) { return stub_->MoveMembers(ctx, req, &out); }));
  return out.moved();
}

absl::StatusOr<v1::ListMembersResponse> MemberClient::ListMembers(const CallContext& c, const std::string& token,
                                                                  const v1::ListMembersRequest& req,
                                                                  const std::string& field) {
  v1::ListMembersResponse out;
  RETURN_IF_ERROR(Call(c, token, field, req.parent(),
                       [&](grpc::ClientContext* ctx) { return stub_->ListMembers(ctx, req, &out); }));
  return out;
}

}  // namespace lianxin::member
