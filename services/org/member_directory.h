// What the organization service asks the member service: how many members a
// unit holds (no dissolving a unit with members), how many live in some
// buildings (the building party group rule), whether a member exists
// (positions), and moving a merged unit's members. An interface, so that the
// rules are tested with a fake (tests/fakes/fake_member_directory.h); the
// service talks to the member service through GrpcMemberDirectory
// (grpc_member_directory.h).
//
// When the member service is away, each answers UNAVAILABLE (reason
// MEMBER_UNAVAILABLE) and the org service writes nothing.
#ifndef LIANXIN_SERVICES_ORG_MEMBER_DIRECTORY_H_
#define LIANXIN_SERVICES_ORG_MEMBER_DIRECTORY_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/call_context.h"

namespace lianxin::org {

class MemberDirectory {
 public:
  virtual ~MemberDirectory() = default;

  // Members whose formal relation is this very unit (any standing but
  // transferred out).
  virtual absl::StatusOr<int> MembersOf(const CallContext& c, const std::string& unit_id, const std::string& field) = 0;
  // Members in good standing of each unit (a branch's relation, a party
  // group's members), in the order of `unit_ids`.
  virtual absl::StatusOr<std::vector<int>> CountsOf(const CallContext& c, const std::vector<std::string>& unit_ids,
                                                    const std::string& field) = 0;
  // Members in good standing living in any of these places.
  virtual absl::StatusOr<int> ResidentsOf(const CallContext& c, const std::vector<std::string>& place_ids,
                                          const std::string& field) = 0;
  // NOT_FOUND naming `field` unless `member` (members/{id}) is on file.
  virtual absl::Status RequireMember(const CallContext& c, const std::string& member, const std::string& field) = 0;
  // Moves every member of `from_id` to `to_id`; how many moved.
  virtual absl::StatusOr<int> MoveMembers(const CallContext& c, const std::string& from_id, const std::string& to_id,
                                          const std::string& field) = 0;
};

}  // namespace lianxin::org

#endif  // LIANXIN_SERVICES_ORG_MEMBER_DIRECTORY_H_
