// What the dispatch service asks the organization and member services, over
// gRPC through CallService (deadlines, retries, one error mapping). The
// caller's reach is asked with the caller's token; facts about places,
// units and members with the dispatch service's own service token.
//
// Answers are kept a short while (TtlCache): where a place's requests go and
// a unit's path for a minute, a caller's reach over a unit and a member's
// record for 30 seconds. A change in the org tree or a member's standing
// therefore reaches dispatch within that time.
#ifndef LIANXIN_SERVICES_DISPATCH_DIRECTORIES_H_
#define LIANXIN_SERVICES_DISPATCH_DIRECTORIES_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/call_context.h"
#include "common/client.h"
#include "common/ttl_cache.h"
#include "lianxin/member/v1/member_service.grpc.pb.h"
#include "lianxin/org/v1/org_service.grpc.pb.h"

namespace lianxin::dispatch {

// Where a place's requests go.
struct Responsibility {
  std::string place_id, community_id, district_id;
  std::string unit_id;    // the building party group, else the branch, else the community
  std::string unit_path;  // "/district/.../unit/"
};

class Directories {
 public:
  Directories(std::shared_ptr<grpc::Channel> org, std::shared_ptr<grpc::Channel> member, std::string signing_key,
              std::string audience);

  // NOT_FOUND naming `field` for an unknown place.
  absl::StatusOr<Responsibility> ResponsibleFor(const CallContext& c, const std::string& place_id,
                                                const std::string& field);
  // The unit's materialized path, "/district/.../unit/".
  absl::StatusOr<std::string> PathOf(const CallContext& c, const std::string& unit_id, const std::string& field);
  // OK if the unit lies in the caller's subtree (PERMISSION_DENIED otherwise).
  absl::Status RequireInScope(const CallContext& c, const std::string& unit_id, const std::string& field);
  // The same from what is kept only, never asking (for checks inside a
  // transaction): true if the caller was found to reach the unit lately.
  bool InScopeKnown(const CallContext& c, const std::string& unit_id);
  // The member (members/{id}), or NOT_FOUND naming `field`.
  absl::StatusOr<member::v1::Member> Member(const CallContext& c, const std::string& name, const std::string& field);
  // Members living in the building, and members of the community with one of
  // the skills: the pool candidates are ranked from.
  absl::StatusOr<std::vector<member::v1::Member>> Pool(const CallContext& c, const std::string& community_id,
                                                       const std::string& place_id,
                                                       const std::vector<std::string>& skills);

 private:
  absl::Status CallOrg(const CallContext& c, const std::string& token, const std::string& field,
                       const std::string& resource, absl::FunctionRef<grpc::Status(grpc::ClientContext*)> rpc);
  absl::Status CallMember(const CallContext& c, const std::string& field, const std::string& resource,
                          absl::FunctionRef<grpc::Status(grpc::ClientContext*)> rpc);

  TtlCache<Responsibility> responsible_{absl::Minutes(1), 100000};
  TtlCache<std::string> paths_{absl::Minutes(1), 100000};
  TtlCache<bool> reach_{absl::Seconds(30), 100000};
  TtlCache<member::v1::Member> members_{absl::Seconds(30), 100000};
  std::unique_ptr<org::v1::OrgService::Stub> org_;
  std::unique_ptr<member::v1::MemberService::Stub> member_;
  ServiceTokens tokens_;
};

}  // namespace lianxin::dispatch

#endif  // LIANXIN_SERVICES_DISPATCH_DIRECTORIES_H_
