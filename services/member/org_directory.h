// What the member service asks the organization service, over gRPC with
// deadlines and retries on UNAVAILABLE. Checks of the caller's reach use the
// caller's own token (the org service decides what lies in its subtree);
// checks that a referenced unit or place exists use the member service's own
// short-lived service token, since a member may live in another community.
//
// When the org service stays away, every method answers UNAVAILABLE, before
// the member service has written anything.
#ifndef LIANXIN_SERVICES_MEMBER_ORG_DIRECTORY_H_
#define LIANXIN_SERVICES_MEMBER_ORG_DIRECTORY_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/call_context.h"
#include "common/client.h"
#include "common/ttl_cache.h"
#include "lianxin/org/v1/org_service.grpc.pb.h"

namespace lianxin::member {

struct UnitInfo {
  std::string id, district_id;
  org::v1::OrgUnitType type = org::v1::ORG_UNIT_TYPE_UNSPECIFIED;
  bool active = false;
};

struct PlaceInfo {
  std::string id, community_id, parent_id;
  org::v1::PlaceKind kind = org::v1::PLACE_KIND_UNSPECIFIED;
};

class OrgDirectory {
 public:
  OrgDirectory(std::shared_ptr<grpc::Channel> channel, std::string signing_key, std::string audience);

  // The unit, if the caller may act on it: PERMISSION_DENIED outside the
  // caller's subtree, NOT_FOUND naming `field`.
  absl::StatusOr<UnitInfo> UnitForCaller(const CallContext& c, const std::string& id, const std::string& field);
  // The unit wherever it is (existence and type).
  absl::StatusOr<UnitInfo> Unit(const CallContext& c, const std::string& id, const std::string& field);
  absl::StatusOr<PlaceInfo> Place(const CallContext& c, const std::string& id, const std::string& field);
  // Ids of the units that hold members' relations (community committees,
  // general branches, branches) in the subtree of `root_id`, as the caller sees it.
  absl::StatusOr<std::vector<std::string>> MemberUnitsIn(const CallContext& c, const std::string& root_id,
                                                         const std::string& field);

  // The units a transfer from `from_id` to `to_id` passes, in order: up to
  // the common ancestor, then down to `to_id` (both ends included).
  absl::StatusOr<std::vector<std::string>> ApprovalPath(const CallContext& c, const std::string& from_id,
                                                        const std::string& to_id, const std::string& field);

  // Units that can hold a member's formal relation.
  static bool HoldsMembers(org::v1::OrgUnitType t);

 private:
  // CallService for the organization service, naming `field` and `resource`.
  absl::Status Call(const std::string& token, const CallContext& c, const std::string& field,
                    const std::string& resource, absl::FunctionRef<grpc::Status(grpc::ClientContext*)> rpc);

  std::unique_ptr<org::v1::OrgService::Stub> stub_;
  // Existence and kind of units and places change rarely: kept a minute.
  TtlCache<UnitInfo> units_{absl::Minutes(1), 100000};
  TtlCache<PlaceInfo> places_{absl::Minutes(1), 100000};
  ServiceTokens tokens_;
};

}  // namespace lianxin::member

#endif  // LIANXIN_SERVICES_MEMBER_ORG_DIRECTORY_H_
