// What the activity service asks the organization and member services. An
// interface, so that the rules can be tested with a fake; the service talks
// to the other services through GrpcDirectories (grpc_directories.h), with
// its own service token for facts of the platform (units, rosters, posts).
//
// Any of these may answer UNAVAILABLE (reason ORG_UNAVAILABLE or
// MEMBER_UNAVAILABLE) when the other service is away; asked before anything
// is written, that means nothing was.
#ifndef LIANXIN_SERVICES_ACTIVITY_DIRECTORIES_H_
#define LIANXIN_SERVICES_ACTIVITY_DIRECTORIES_H_

#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/call_context.h"
#include "lianxin/member/v1/member.pb.h"
#include "services/clients/org/org_client.h"

namespace lianxin::activity {

// A unit as the activity service keeps it on its activities.
struct Unit {
  std::string id, district_id, display_name;
  std::string path;  // "/district/.../unit/"
  org::v1::OrgUnitType type = org::v1::ORG_UNIT_TYPE_UNSPECIFIED;
  bool active = false;
};

// A member expected somewhere.
struct Person {
  std::string member_id, display_name;
  bool full = false;  // a full member (votes), not probationary
};

class Directories {
 public:
  virtual ~Directories() = default;

  // The unit with its path; NOT_FOUND naming `field` for an unknown one.
  virtual absl::StatusOr<Unit> UnitOf(const CallContext& c, const std::string& unit_id, const std::string& field) = 0;
  // The active members of the unit: a branch's (its subtree's) members, a
  // group's roster; with `registered_here`, those registered with the unit, a
  // community, where they live (双报到), instead.
  virtual absl::StatusOr<std::vector<Person>> Members(const CallContext& c, const std::string& unit_id,
                                                      bool registered_here) = 0;
  // The holders of the unit's posts (its committee), each once.
  virtual absl::StatusOr<std::vector<Person>> Committee(const CallContext& c, const std::string& unit_id) = 0;
  // The member (members/{id}), or NOT_FOUND naming `field`.
  virtual absl::StatusOr<member::v1::Member> Member(const CallContext& c, const std::string& name,
                                                    const std::string& field) = 0;
  // The units of the subtree of `root_id` of `types`, in path order.
  virtual absl::StatusOr<std::vector<org::UnitInfo>> Subtree(const CallContext& c, const std::string& root_id,
                                                             const std::vector<org::v1::OrgUnitType>& types,
                                                             const std::string& field) = 0;
  // The member ids holding a secretary's post on the unit, a unit above it,
  // or a unit of its subtree.
  virtual absl::StatusOr<std::set<std::string>> SecretariesAround(const CallContext& c, const std::string& unit_id) = 0;
};

}  // namespace lianxin::activity

#endif  // LIANXIN_SERVICES_ACTIVITY_DIRECTORIES_H_
