// What the member service asks the organization service. An interface, so
// that the rules are tested with a fake (tests/fakes/fake_org_directory.h);
// the service talks to the org service through GrpcOrgDirectory
// (grpc_org_directory.h). Questions of the caller's reach are asked with the
// caller's own token (the org service decides what lies in its subtree);
// whether a referenced unit or place exists with the member service's own
// (a member may live in another community).
//
// When the org service stays away, every method answers UNAVAILABLE (reason
// ORG_UNAVAILABLE), before the member service has written anything.
#ifndef LIANXIN_SERVICES_MEMBER_ORG_DIRECTORY_H_
#define LIANXIN_SERVICES_MEMBER_ORG_DIRECTORY_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/call_context.h"
#include "services/clients/org/org_client.h"

namespace lianxin::member {

using org::PlaceInfo;
using org::UnitInfo;

class OrgDirectory {
 public:
  virtual ~OrgDirectory() = default;

  // The unit, if the caller may act on it: PERMISSION_DENIED outside the
  // caller's subtree, NOT_FOUND naming `field`.
  virtual absl::StatusOr<UnitInfo> UnitForCaller(const CallContext& c, const std::string& id,
                                                 const std::string& field) = 0;
  // The unit wherever it is (existence and type).
  virtual absl::StatusOr<UnitInfo> Unit(const CallContext& c, const std::string& id, const std::string& field) = 0;
  virtual absl::StatusOr<PlaceInfo> Place(const CallContext& c, const std::string& id, const std::string& field) = 0;
  // Ids of the units that hold members' relations (HoldsMembers) in the
  // subtree of `root_id`, as the caller sees it, dissolved ones too.
  virtual absl::StatusOr<std::vector<std::string>> MemberUnitsIn(const CallContext& c, const std::string& root_id,
                                                                 const std::string& field) = 0;
  // The units a transfer from `from_id` to `to_id` passes, in order: up to
  // the common ancestor, then down to `to_id` (both ends included).
  virtual absl::StatusOr<std::vector<std::string>> ApprovalPath(const CallContext& c, const std::string& from_id,
                                                                const std::string& to_id, const std::string& field) = 0;
  // Ends every post the member (members/{id}) holds on any unit: they died,
  // left or were expelled. Asked with the service's own token.
  virtual absl::Status EndPositions(const CallContext& c, const std::string& member, const std::string& reason,
                                    const std::string& end_date, const std::string& field) = 0;
};

}  // namespace lianxin::member

#endif  // LIANXIN_SERVICES_MEMBER_ORG_DIRECTORY_H_
