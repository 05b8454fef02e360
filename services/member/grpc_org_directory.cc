#include "services/member/grpc_org_directory.h"

#include "common/status.h"

namespace lianxin::member {

namespace ov1 = ::lianxin::org::v1;

GrpcOrgDirectory::GrpcOrgDirectory(std::shared_ptr<grpc::Channel> channel, SigningKey signing_key, std::string audience)
    : org_(std::move(channel)), tokens_(std::move(signing_key), std::move(audience)) {}

absl::StatusOr<UnitInfo> GrpcOrgDirectory::UnitForCaller(const CallContext& c, const std::string& id,
                                                         const std::string& field) {
  return org_.GetUnit(c, c.principal.token, id, field);
}

absl::StatusOr<UnitInfo> GrpcOrgDirectory::Unit(const CallContext& c, const std::string& id, const std::string& field) {
  UnitInfo cached;
  if (units_.Get(id, &cached)) return cached;
  ASSIGN_OR_RETURN(UnitInfo info, org_.GetUnit(c, tokens_.Get(), id, field));
  units_.Put(id, info);
  return info;
}

absl::StatusOr<PlaceInfo> GrpcOrgDirectory::Place(const CallContext& c, const std::string& id,
                                                  const std::string& field) {
  PlaceInfo cached;
  if (places_.Get(id, &cached)) return cached;
  ASSIGN_OR_RETURN(PlaceInfo info, org_.GetPlace(c, tokens_.Get(), id, field));
  places_.Put(id, info);
  return info;
}

absl::StatusOr<std::vector<std::string>> GrpcOrgDirectory::MemberUnitsIn(const CallContext& c,
                                                                         const std::string& root_id,
                                                                         const std::string& field) {
  // Members of a dissolved branch are still found.
  return org_.SubtreeIds(
      c, c.principal.token, root_id,
      {ov1::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE, ov1::ORG_UNIT_TYPE_GENERAL_BRANCH, ov1::ORG_UNIT_TYPE_BRANCH},
      /*show_inactive=*/true, field);
}

absl::StatusOr<std::vector<std::string>> GrpcOrgDirectory::ApprovalPath(const CallContext& c,
                                                                        const std::string& from_id,
                                                                        const std::string& to_id,
                                                                        const std::string& field) {
  // The receiving side usually lies outside the sender's subtree: the path is
  // asked for with the service's own token.
  return org_.ApprovalPath(c, tokens_.Get(), from_id, to_id, field);
}

absl::Status GrpcOrgDirectory::EndPositions(const CallContext& c, const std::string& member, const std::string& reason,
                                            const std::string& end_date, const std::string& field) {
  return org_.EndMemberPositions(c, tokens_.Get(), member, reason, end_date, field).status();
}

}  // namespace lianxin::member
