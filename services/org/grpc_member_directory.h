// MemberDirectory over gRPC: the member service's client
// (services/clients/member) with the org service's own service token — the
// questions are about the platform, not the caller.
#ifndef LIANXIN_SERVICES_ORG_GRPC_MEMBER_DIRECTORY_H_
#define LIANXIN_SERVICES_ORG_GRPC_MEMBER_DIRECTORY_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "common/client.h"
#include "services/clients/member/member_client.h"
#include "services/org/member_directory.h"

namespace lianxin::org {

class GrpcMemberDirectory final : public MemberDirectory {
 public:
  GrpcMemberDirectory(std::shared_ptr<grpc::Channel> channel, SigningKey signing_key, std::string audience);

  absl::StatusOr<int> MembersOf(const CallContext& c, const std::string& unit_id, const std::string& field) override;
  absl::StatusOr<std::vector<int>> CountsOf(const CallContext& c, const std::vector<std::string>& unit_ids,
                                            const std::string& field) override;
  absl::StatusOr<int> ResidentsOf(const CallContext& c, const std::vector<std::string>& place_ids,
                                  const std::string& field) override;
  absl::Status RequireMember(const CallContext& c, const std::string& member, const std::string& field) override;
  absl::StatusOr<int> MoveMembers(const CallContext& c, const std::string& from_id, const std::string& to_id,
                                  const std::string& field) override;

 private:
  member::MemberClient members_;
  ServiceTokens tokens_;
};

}  // namespace lianxin::org

#endif  // LIANXIN_SERVICES_ORG_GRPC_MEMBER_DIRECTORY_H_
