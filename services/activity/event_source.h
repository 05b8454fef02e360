// Where the activity service hears of requests members served: the dispatch
// service's outbox, read with ListEvents after a cursor under the activity
// service's own token (at least once; the event id makes a repeat
// droppable).
#ifndef LIANXIN_SERVICES_ACTIVITY_EVENT_SOURCE_H_
#define LIANXIN_SERVICES_ACTIVITY_EVENT_SOURCE_H_

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/client.h"
#include "lianxin/dispatch/v1/dispatch_service.grpc.pb.h"

namespace lianxin::activity {

// A request confirmed closed ("request.closed").
struct ClosedRequest {
  int64_t seq = 0;
  std::string event_id, request, district_id, member_id;
  int minutes = 0;
  absl::Time resolved;
};

struct EventPage {
  std::vector<ClosedRequest> closed;  // other event types are passed over
  int64_t last_seq = 0;               // ask after this next
  int read = 0;                       // events read, of every type
};

class EventSource {
 public:
  virtual ~EventSource() = default;
  virtual absl::StatusOr<EventPage> After(int64_t after_seq, int limit) = 0;
};

class GrpcEventSource final : public EventSource {
 public:
  GrpcEventSource(std::shared_ptr<grpc::Channel> channel, SigningKey key, std::string audience)
      : stub_(dispatch::v1::DispatchService::NewStub(std::move(channel))),
        tokens_(std::move(key), std::move(audience)) {}
  absl::StatusOr<EventPage> After(int64_t after_seq, int limit) override;

 private:
  std::unique_ptr<dispatch::v1::DispatchService::Stub> stub_;
  ServiceTokens tokens_;
};

}  // namespace lianxin::activity

#endif  // LIANXIN_SERVICES_ACTIVITY_EVENT_SOURCE_H_
