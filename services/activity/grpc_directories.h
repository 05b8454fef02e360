// Directories over gRPC: the organization and member services' clients
// (services/clients/org, services/clients/member), asked with the activity
// service's own service token. A unit and its path are kept a minute, the
// secretaries around a unit a minute, a member's record 30 seconds; rosters
// are asked each time (an activity's expected members are those of the day).
#ifndef LIANXIN_SERVICES_ACTIVITY_GRPC_DIRECTORIES_H_
#define LIANXIN_SERVICES_ACTIVITY_GRPC_DIRECTORIES_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/client.h"
#include "common/ttl_cache.h"
#include "services/activity/directories.h"
#include "services/clients/member/member_client.h"
#include "services/clients/org/org_client.h"

namespace lianxin::activity {

class GrpcDirectories final : public Directories {
 public:
  GrpcDirectories(std::shared_ptr<grpc::Channel> org, std::shared_ptr<grpc::Channel> member, SigningKey signing_key,
                  std::string audience);

  absl::StatusOr<Unit> UnitOf(const CallContext& c, const std::string& unit_id, const std::string& field) override;
  absl::StatusOr<std::vector<Person>> Members(const CallContext& c, const std::string& unit_id,
                                              bool registered_here) override;
  absl::StatusOr<std::vector<Person>> Committee(const CallContext& c, const std::string& unit_id) override;
  absl::StatusOr<member::v1::Member> Member(const CallContext& c, const std::string& name,
                                            const std::string& field) override;
  absl::StatusOr<std::vector<org::UnitInfo>> Subtree(const CallContext& c, const std::string& root_id,
                                                     const std::vector<org::v1::OrgUnitType>& types,
                                                     const std::string& field) override;
  absl::StatusOr<std::set<std::string>> SecretariesAround(const CallContext& c, const std::string& unit_id) override;

 private:
  org::OrgClient org_;
  member::MemberClient members_;
  ServiceTokens tokens_;
  TtlCache<Unit> units_{absl::Minutes(1), 100000};
  TtlCache<std::set<std::string>> secretaries_{absl::Minutes(1), 10000};
  TtlCache<member::v1::Member> member_records_{absl::Seconds(30), 100000};
};

}  // namespace lianxin::activity

#endif  // LIANXIN_SERVICES_ACTIVITY_GRPC_DIRECTORIES_H_
