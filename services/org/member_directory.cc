#include "services/org/member_directory.h"

#include "absl/strings/str_cat.h"
#include "common/names.h"
#include "common/status.h"

namespace lianxin::org {

namespace mv1 = ::lianxin::member::v1;

MemberDirectory::MemberDirectory(std::shared_ptr<grpc::Channel> channel, std::string signing_key, std::string audience)
    : stub_(mv1::MemberService::NewStub(std::move(channel))),
      tokens_("service:org", std::move(signing_key), std::move(audience)) {}

absl::Status MemberDirectory::Call(const CallContext& c, const std::string& field, const std::string& resource,
                                   absl::FunctionRef<grpc::Status(grpc::ClientContext*)> rpc) {
  return CallService(c, tokens_.Get(), {"member", "MEMBER_UNAVAILABLE", resource, field, "lianxin.member.v1.Member"},
                     rpc);
}

absl::StatusOr<int> MemberDirectory::MembersOf(const CallContext& c, const std::string& unit_id,
                                               const std::string& field) {
  mv1::CountMembersRequest req;
  req.set_org_unit(kOrgUnits.Name(unit_id));
  mv1::CountMembersResponse out;
  RETURN_IF_ERROR(
      Call(c, field, req.org_unit(), [&](grpc::ClientContext* ctx) { return stub_->CountMembers(ctx, req, &out); }));
  return out.members();
}

absl::StatusOr<int> MemberDirectory::ResidentsOf(const CallContext& c, const std::vector<std::string>& place_ids,
                                                 const std::string& field) {
  mv1::CountMembersRequest req;
  for (const auto& id : place_ids) req.add_places(kPlaces.Name(id));
  req.set_active_only(true);
  mv1::CountMembersResponse out;
  RETURN_IF_ERROR(
      Call(c, field, "places", [&](grpc::ClientContext* ctx) { return stub_->CountMembers(ctx, req, &out); }));
  return out.members();
}

absl::Status MemberDirectory::RequireMember(const CallContext& c, const std::string& member, const std::string& field) {
  mv1::GetMemberRequest req;
  req.set_name(member);
  mv1::Member out;
  return Call(c, field, member, [&](grpc::ClientContext* ctx) { return stub_->GetMember(ctx, req, &out); });
}

absl::StatusOr<int> MemberDirectory::MoveMembers(const CallContext& c, const std::string& from_id,
                                                 const std::string& to_id, const std::string& field) {
  mv1::MoveMembersRequest req;
  req.set_from_unit(kOrgUnits.Name(from_id));
  req.set_to_unit(kOrgUnits.Name(to_id));
  mv1::MoveMembersResponse out;
  RETURN_IF_ERROR(
      Call(c, field, req.from_unit(), [&](grpc::ClientContext* ctx) { return stub_->MoveMembers(ctx, req, &out); }));
  return out.moved();
}

}  // namespace lianxin::org
