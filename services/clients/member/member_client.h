// The member service as other services call it: typed questions over gRPC,
// each through CallService (common/client.h: a deadline within the caller's,
// retries while the channel reconnects, one mapping of the answer to an error
// naming the request field that asked). No caching, no policy: who asks with
// which token, and what is kept, is the caller's to decide.
//
// The rest of this library is what clients of the member service share:
// identity checks (identity.h), the CSV format of a member list
// (member_csv.h) and the client side of ImportMembers (import_client.h).
#ifndef LIANXIN_SERVICES_CLIENTS_MEMBER_MEMBER_CLIENT_H_
#define LIANXIN_SERVICES_CLIENTS_MEMBER_MEMBER_CLIENT_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/call_context.h"
#include "lianxin/member/v1/member_service.grpc.pb.h"

namespace lianxin::member {

class MemberClient {
 public:
  explicit MemberClient(std::shared_ptr<grpc::Channel> channel);

  // Each call asks with `token`; errors name `field`.
  // Members whose formal relation is the unit (any standing but transferred out).
  absl::StatusOr<int> CountInUnit(const CallContext& c, const std::string& token, const std::string& unit_id,
                                  const std::string& field);
  // Members in good standing of each unit (a branch's relation, a group's
  // members), in the order of `unit_ids` (at most 1000).
  absl::StatusOr<std::vector<int>> CountInUnits(const CallContext& c, const std::string& token,
                                                const std::vector<std::string>& unit_ids, const std::string& field);
  // Members in good standing living in any of the places.
  absl::StatusOr<int> CountResidents(const CallContext& c, const std::string& token,
                                     const std::vector<std::string>& place_ids, const std::string& field);
  // The member (members/{id}), or NOT_FOUND naming `field`.
  absl::StatusOr<v1::Member> GetMember(const CallContext& c, const std::string& token, const std::string& name,
                                       const std::string& field);
  // Moves every member of one unit to another (a merge); how many moved.
  absl::StatusOr<int> MoveMembers(const CallContext& c, const std::string& token, const std::string& from_id,
                                  const std::string& to_id, const std::string& field);
  // One page of a list.
  absl::StatusOr<v1::ListMembersResponse> ListMembers(const CallContext& c, const std::string& token,
                                                      const v1::ListMembersRequest& req, const std::string& field);

 private:
  absl::Status Call(const CallContext& c, const std::string& token, const std::string& field,
                    const std::string& resource, absl::FunctionRef<grpc::Status(grpc::ClientContext*)> rpc);

  std::unique_ptr<v1::MemberService::Stub> stub_;
};

}  // namespace lianxin::member

#endif  // LIANXIN_SERVICES_CLIENTS_MEMBER_MEMBER_CLIENT_H_
