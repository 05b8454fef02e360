// Where the organization service reads the to-dos other services raise:
// their outboxes (common/todos.h), read with ListTodoChanges under this
// service's own token.
#ifndef LIANXIN_SERVICES_ORG_TODO_SOURCES_H_
#define LIANXIN_SERVICES_ORG_TODO_SOURCES_H_

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/client.h"
#include "common/todos.h"
#include "lianxin/activity/v1/activity_service.grpc.pb.h"
#include "lianxin/dispatch/v1/dispatch_service.grpc.pb.h"
#include "lianxin/member/v1/member_service.grpc.pb.h"

namespace lianxin::org {

class TodoSource {
 public:
  virtual ~TodoSource() = default;
  // Changes after `after_seq`, at most `limit`, in seq order.
  virtual absl::StatusOr<std::vector<TodoChangeRecord>> ChangesAfter(int64_t after_seq, int limit) = 0;
};

// The member, dispatch or activity service (each answers ListTodoChanges).
template <typename Service>
class GrpcTodoSource final : public TodoSource {
 public:
  GrpcTodoSource(std::string service, std::shared_ptr<grpc::Channel> channel, SigningKey key, std::string audience)
      : service_(std::move(service)), stub_(Service::NewStub(channel)), tokens_(std::move(key), std::move(audience)) {}
  absl::StatusOr<std::vector<TodoChangeRecord>> ChangesAfter(int64_t after_seq, int limit) override;

 private:
  const std::string service_;
  std::unique_ptr<typename Service::Stub> stub_;
  ServiceTokens tokens_;
};

using MemberTodoSource = GrpcTodoSource<member::v1::MemberService>;
using DispatchTodoSource = GrpcTodoSource<dispatch::v1::DispatchService>;
using ActivityTodoSource = GrpcTodoSource<activity::v1::ActivityService>;

}  // namespace lianxin::org

#endif  // LIANXIN_SERVICES_ORG_TODO_SOURCES_H_
