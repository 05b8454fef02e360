// What the organization service asks the member service, with its own
// service token (the questions are about the platform, not the caller):
// how many members a unit holds (no dissolving a unit with members), how many
// live in some buildings (the building party group rule), whether a member
// exists (positions), and moving a merged unit's members.
//
// When the member service is away, each answers UNAVAILABLE and the org
// service writes nothing.
#ifndef LIANXIN_SERVICES_ORG_MEMBER_DIRECTORY_H_
#define LIANXIN_SERVICES_ORG_MEMBER_DIRECTORY_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/call_context.h"
#include "common/client.h"
#include "lianxin/member/v1/member_service.grpc.pb.h"

namespace lianxin::org {

class MemberDirectory {
 public:
  MemberDirectory(std::shared_ptr<grpc::Channel> channel, std::string signing_key, std::string audience);

  // Members whose formal relation is this very unit (any standing but
  // transferred out).
  absl::StatusOr<int> MembersOf(const CallContext& c, const std::string& unit_id, const std::string& field);
  // Members in good standing living in any of these places.
  absl::StatusOr<int> ResidentsOf(const CallContext& c, const std::vector<std::string>& place_ids,
                                  const std::string& field);
  // NOT_FOUND naming `field` unless `member` (members/{id}) is on file.
  absl::Status RequireMember(const CallContext& c, const std::string& member, const std::string& field);
  absl::StatusOr<int> MoveMembers(const CallContext& c, const std::string& from_id, const std::string& to_id,
                                  const std::string& field);

 private:
  absl::Status Call(const CallContext& c, const std::string& field, const std::string& resource,
                    absl::FunctionRef<grpc::Status(grpc::ClientContext*)> rpc);

  std::unique_ptr<member::v1::MemberService::Stub> stub_;
  ServiceTokens tokens_;
};

}  // namespace lianxin::org

#endif  // LIANXIN_SERVICES_ORG_MEMBER_DIRECTORY_H_
