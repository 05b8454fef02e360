// The organization service as other services call it: typed questions over
// gRPC, each through CallService (common/client.h: a deadline within the
// caller's, retries while the channel reconnects, one mapping of the answer
// to an error naming the request field that asked). No caching, no policy:
// who asks with which token, and what is kept, is the caller's to decide.
//
//   OrgClient org(channel);
//   ASSIGN_OR_RETURN(UnitInfo unit, org.GetUnit(c, c.principal.token, id, "member.branch"));
#ifndef LIANXIN_SERVICES_CLIENTS_ORG_ORG_CLIENT_H_
#define LIANXIN_SERVICES_CLIENTS_ORG_ORG_CLIENT_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/call_context.h"
#include "lianxin/org/v1/org_service.grpc.pb.h"

namespace lianxin::org {

struct UnitInfo {
  std::string id, district_id;
  v1::OrgUnitType type = v1::ORG_UNIT_TYPE_UNSPECIFIED;
  bool active = false;
  std::string parent_id;  // "" for a district committee
  std::string display_name;
};

struct PlaceInfo {
  std::string id, community_id, parent_id;
  v1::PlaceKind kind = v1::PLACE_KIND_UNSPECIFIED;
};

// The units covering a place (nearest first: the place, its building, its
// compound), "" where none does.
struct Coverage {
  std::string place_id, community_id, building_party_group_id, branch_id;
};

class OrgClient {
 public:
  explicit OrgClient(std::shared_ptr<grpc::Channel> channel);

  // Each call asks with `token` (the caller's, for questions of its reach;
  // the asking service's own, for facts of the platform); errors name `field`.
  absl::StatusOr<UnitInfo> GetUnit(const CallContext& c, const std::string& token, const std::string& unit_id,
                                   const std::string& field);
  absl::StatusOr<PlaceInfo> GetPlace(const CallContext& c, const std::string& token, const std::string& place_id,
                                     const std::string& field);
  // The ids of the unit's ancestors, the district first (the unit itself not).
  absl::StatusOr<std::vector<std::string>> AncestorIds(const CallContext& c, const std::string& token,
                                                       const std::string& unit_id, const std::string& field);
  // The ids of the units of `types` in the subtree of `root_id`, every page.
  absl::StatusOr<std::vector<std::string>> SubtreeIds(const CallContext& c, const std::string& token,
                                                      const std::string& root_id,
                                                      const std::vector<v1::OrgUnitType>& types, bool show_inactive,
                                                      const std::string& field);
  // The same with each unit's type and name, in the subtree's path order.
  absl::StatusOr<std::vector<UnitInfo>> SubtreeUnits(const CallContext& c, const std::string& token,
                                                     const std::string& root_id,
                                                     const std::vector<v1::OrgUnitType>& types,
                                                     const std::string& field);
  // The posts of the unit, every page.
  absl::StatusOr<std::vector<v1::Position>> Positions(const CallContext& c, const std::string& token,
                                                      const std::string& unit_id, const std::string& field);
  // Every post in the subtree of `root_id` whose term ends within
  // `within_days` (ended ones too), every page.
  absl::StatusOr<std::vector<v1::Position>> ExpiringTerms(const CallContext& c, const std::string& token,
                                                          const std::string& root_id, int within_days,
                                                          const std::string& field);
  // The units a transfer from `from_id` to `to_id` passes: up to the common
  // ancestor, then down to `to_id`, both ends included.
  absl::StatusOr<std::vector<std::string>> ApprovalPath(const CallContext& c, const std::string& token,
                                                        const std::string& from_id, const std::string& to_id,
                                                        const std::string& field);
  // Ends every post `member` (members/{id}) holds; how many ended.
  absl::StatusOr<int> EndMemberPositions(const CallContext& c, const std::string& token, const std::string& member,
                                         const std::string& reason, const std::string& end_date,
                                         const std::string& field);
  absl::StatusOr<Coverage> ResolveCoverage(const CallContext& c, const std::string& token, const std::string& place_id,
                                           const std::string& field);

 private:
  absl::Status Call(const CallContext& c, const std::string& token, const std::string& field,
                    const std::string& resource, absl::FunctionRef<grpc::Status(grpc::ClientContext*)> rpc);

  std::unique_ptr<v1::OrgService::Stub> stub_;
};

}  // namespace lianxin::org

#endif  // LIANXIN_SERVICES_CLIENTS_ORG_ORG_CLIENT_H_
