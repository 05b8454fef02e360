#include "services/org/grpc_member_directory.h"

#include "common/status.h"

namespace lianxin::org {

GrpcMemberDirectory::GrpcMemberDirectory(std::shared_ptr<grpc::Channel> channel, SigningKey signing_key,
                                         std::string audience)
    : members_(std::move(channel)), tokens_(std::move(signing_key), std::move(audience)) {}

absl::StatusOr<int> GrpcMemberDirectory::MembersOf(const CallContext& c, const std::string& unit_id,
                                                   const std::string& field) {
  return members_.CountInUnit(c, tokens_.Get(), unit_id, field);
}

absl::StatusOr<std::vector<int>> GrpcMemberDirectory::CountsOf(const CallContext& c,
                                                               const std::vector<std::string>& unit_ids,
                                                               const std::string& field) {
  return members_.CountInUnits(c, tokens_.Get(), unit_ids, field);
}

absl::StatusOr<int> GrpcMemberDirectory::ResidentsOf(const CallContext& c, const std::vector<std::string>& place_ids,
                                                     const std::string& field) {
  return members_.CountResidents(c, tokens_.Get(), place_ids, field);
}

absl::Status GrpcMemberDirectory::RequireMember(const CallContext& c, const std::string& member,
                                                const std::string& field) {
  return members_.GetMember(c, tokens_.Get(), member, field).status();
}

absl::StatusOr<int> GrpcMemberDirectory::MoveMembers(const CallContext& c, const std::string& from_id,
                                                     const std::string& to_id, const std::string& field) {
  return members_.MoveMembers(c, tokens_.Get(), from_id, to_id, field);
}

}  // namespace lianxin::org
