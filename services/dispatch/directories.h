// What the dispatch service asks the organization and member services. An
// interface, so that the rules are tested with a fake
// (tests/fakes/fake_directories.h); the service talks to the other services
// through GrpcDirectories (grpc_directories.h), which keeps answers a short
// while: a change in the org tree or a member's standing reaches dispatch
// within a minute at most.
//
// Any of these may answer UNAVAILABLE (reason ORG_UNAVAILABLE or
// MEMBER_UNAVAILABLE) when the other service is away; asked before anything
// is written, that means nothing was. On a thread that must not block, an
// answer not kept is WouldBlock() (common/call_context.h).
#ifndef LIANXIN_SERVICES_DISPATCH_DIRECTORIES_H_
#define LIANXIN_SERVICES_DISPATCH_DIRECTORIES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/call_context.h"
#include "lianxin/member/v1/member.pb.h"
#include "services/clients/org/org_client.h"

namespace lianxin::dispatch {

class Directories {
 public:
  virtual ~Directories() = default;

  // The units covering a place; NOT_FOUND naming `field` for an unknown place.
  virtual absl::StatusOr<org::Coverage> CoverageOf(const CallContext& c, const std::string& place_id,
                                                   const std::string& field) = 0;
  // The unit's materialized path, "/district/.../unit/".
  virtual absl::StatusOr<std::string> PathOf(const CallContext& c, const std::string& unit_id,
                                             const std::string& field) = 0;
  // OK if the unit lies in the caller's subtree (PERMISSION_DENIED otherwise).
  virtual absl::Status RequireInScope(const CallContext& c, const std::string& unit_id, const std::string& field) = 0;
  // The same from what is kept only, never asking (for checks inside a
  // transaction): true if the caller was found to reach the unit lately.
  virtual bool InScopeKnown(const CallContext& c, const std::string& unit_id) = 0;
  // The member (members/{id}), or NOT_FOUND naming `field`.
  virtual absl::StatusOr<member::v1::Member> Member(const CallContext& c, const std::string& name,
                                                    const std::string& field) = 0;
  // Members living in the building, and members of the community with one of
  // the skills, each among the community's own and among those registered
  // with it where they live (双报到): the pool candidates are ranked from.
  virtual absl::StatusOr<std::vector<member::v1::Member>> Pool(const CallContext& c, const std::string& community_id,
                                                               const std::string& place_id,
                                                               const std::vector<std::string>& skills) = 0;
  // Every member registered with the community where they live (双报到).
  virtual absl::StatusOr<std::vector<member::v1::Member>> RegisteredWith(const CallContext& c,
                                                                         const std::string& community_id) = 0;
};

}  // namespace lianxin::dispatch

#endif  // LIANXIN_SERVICES_DISPATCH_DIRECTORIES_H_
