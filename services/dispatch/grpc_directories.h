// Directories over gRPC: the organization and member services' clients
// (services/clients/org, services/clients/member). The caller's reach is asked
// with the caller's token; facts about places, units and members with the
// dispatch service's own service token. Answers are kept (TtlCache): a
// place's coverage and a unit's path for a minute, a caller's reach over a
// unit (only yes) and a member's record for 30 seconds — measured: these
// calls were half the cost of a submit or a dispatch.
#ifndef LIANXIN_SERVICES_DISPATCH_GRPC_DIRECTORIES_H_
#define LIANXIN_SERVICES_DISPATCH_GRPC_DIRECTORIES_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "common/client.h"
#include "common/ttl_cache.h"
#include "services/clients/member/member_client.h"
#include "services/clients/org/org_client.h"
#include "services/dispatch/directories.h"

namespace lianxin::dispatch {

class GrpcDirectories final : public Directories {
 public:
  GrpcDirectories(std::shared_ptr<grpc::Channel> org, std::shared_ptr<grpc::Channel> member, SigningKey signing_key,
                  std::string audience);

  absl::StatusOr<org::Coverage> CoverageOf(const CallContext& c, const std::string& place_id,
                                           const std::string& field) override;
  absl::StatusOr<std::string> PathOf(const CallContext& c, const std::string& unit_id,
                                     const std::string& field) override;
  absl::Status RequireInScope(const CallContext& c, const std::string& unit_id, const std::string& field) override;
  bool InScopeKnown(const CallContext& c, const std::string& unit_id) override;
  absl::StatusOr<member::v1::Member> Member(const CallContext& c, const std::string& name,
                                            const std::string& field) override;
  absl::StatusOr<std::vector<member::v1::Member>> Pool(const CallContext& c, const std::string& community_id,
                                                       const std::string& place_id,
                                                       const std::vector<std::string>& skills) override;
  absl::StatusOr<std::vector<member::v1::Member>> RegisteredWith(const CallContext& c,
                                                                 const std::string& community_id) override;

 private:
  org::OrgClient org_;
  member::MemberClient members_;
  ServiceTokens tokens_;
  TtlCache<org::Coverage> coverage_{absl::Minutes(1), 100000};
  TtlCache<std::string> paths_{absl::Minutes(1), 100000};
  TtlCache<bool> reach_{absl::Seconds(30), 100000};
  TtlCache<member::v1::Member> member_records_{absl::Seconds(30), 100000};
};

}  // namespace lianxin::dispatch

#endif  // LIANXIN_SERVICES_DISPATCH_GRPC_DIRECTORIES_H_
