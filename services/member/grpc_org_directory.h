// OrgDirectory over gRPC: the organization service's client
// (services/clients/org). Existence and kind of units and places change
// rarely and are kept a minute; a caller's reach is asked every time.
#ifndef LIANXIN_SERVICES_MEMBER_GRPC_ORG_DIRECTORY_H_
#define LIANXIN_SERVICES_MEMBER_GRPC_ORG_DIRECTORY_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "common/client.h"
#include "common/ttl_cache.h"
#include "services/member/org_directory.h"

namespace lianxin::member {

class GrpcOrgDirectory final : public OrgDirectory {
 public:
  GrpcOrgDirectory(std::shared_ptr<grpc::Channel> channel, SigningKey signing_key, std::string audience);

  absl::StatusOr<UnitInfo> UnitForCaller(const CallContext& c, const std::string& id,
                                         const std::string& field) override;
  absl::StatusOr<UnitInfo> Unit(const CallContext& c, const std::string& id, const std::string& field) override;
  absl::StatusOr<PlaceInfo> Place(const CallContext& c, const std::string& id, const std::string& field) override;
  absl::StatusOr<std::vector<std::string>> MemberUnitsIn(const CallContext& c, const std::string& root_id,
                                                         const std::string& field) override;
  absl::StatusOr<std::vector<std::string>> ApprovalPath(const CallContext& c, const std::string& from_id,
                                                        const std::string& to_id, const std::string& field) override;
  absl::Status EndPositions(const CallContext& c, const std::string& member, const std::string& reason,
                            const std::string& end_date, const std::string& field) override;

 private:
  org::OrgClient org_;
  TtlCache<UnitInfo> units_{absl::Minutes(1), 100000};
  TtlCache<PlaceInfo> places_{absl::Minutes(1), 100000};
  ServiceTokens tokens_;
};

}  // namespace lianxin::member

#endif  // LIANXIN_SERVICES_MEMBER_GRPC_ORG_DIRECTORY_H_
