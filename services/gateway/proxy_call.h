// One call through the front door, unary or streaming, for any method: a
// generic bidi reactor on the public side and, for streams, a generic bidi
// reactor to the service. In order:
//   1. the route (unknown or internal methods: UNIMPLEMENTED);
//   2. the request id (x-request-id, made up when missing), sent back at once;
//   3. who is calling (Callers::Resolve, on a worker when the database must
//      be asked), then the cap on calls in flight and the rate limits;
//   4. the call to the service, with the caller's token, the request id and
//      a deadline (the caller's, or the default for unary calls); a caller's
//      cancellation cancels it; an idempotent unary call that meets
//      UNAVAILABLE is tried again (at most `retries` more times, backing off,
//      within the deadline);
//   5. the answer passed back as it came (status, message, details), and an
//      audit record.
#ifndef LIANXIN_SERVICES_GATEWAY_PROXY_CALL_H_
#define LIANXIN_SERVICES_GATEWAY_PROXY_CALL_H_

#include <grpcpp/alarm.h>
#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/gateway/callers.h"
#include "services/gateway/routes.h"

namespace lianxin::gateway {

class FrontDoor;

class ProxyCall : public grpc::ServerGenericBidiReactor {
 public:
  ProxyCall(FrontDoor& door, grpc::GenericCallbackServerContext* ctx);
  // Starts the call (from CreateReactor).
  void Begin();

  void OnReadDone(bool ok) override;
  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  class Upstream : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
   public:
    explicit Upstream(ProxyCall& call) : call_(call) {}
    void OnReadDone(bool ok) override { call_.UpstreamRead(ok); }
    void OnWriteDone(bool ok) override { call_.UpstreamWrote(ok); }
    void OnDone(const grpc::Status& s) override { call_.UpstreamDone(s); }

   private:
    ProxyCall& call_;
  };

  // Step 3, then 4: on the gRPC thread, or again on a worker.
  void Admit(bool on_worker);
  void Admitted(Identity identity);
  std::unique_ptr<grpc::ClientContext> NewClientContext();
  void CallUnary();
  void UnaryDone(const grpc::Status& s);
  void StartStream();
  void UpstreamRead(bool ok);
  void UpstreamWrote(bool ok);
  void UpstreamDone(const grpc::Status& s);
  // Answers the caller (once) and records the call.
  void End(const grpc::Status& s, bool with_response);
  void Release();

  FrontDoor& door_;
  grpc::GenericCallbackServerContext* ctx_;
  const Route* route_ = nullptr;
  const absl::Time start_;
  std::string request_id_;
  Credentials creds_;
  Identity identity_;
  bool entered_ = false;  // counted in InFlight
  absl::Time deadline_ = absl::InfiniteFuture();
  int attempts_ = 0;
  std::vector<std::string> resources_;
  bool first_message_ = true;

  grpc::ByteBuffer request_, response_;
  grpc::Alarm retry_alarm_;
  Upstream upstream_{*this};

  absl::Mutex mu_;
  std::unique_ptr<grpc::ClientContext> client_ctx_ ABSL_GUARDED_BY(mu_);
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  bool upstream_done_ ABSL_GUARDED_BY(mu_) = false;
  bool ended_ ABSL_GUARDED_BY(mu_) = false;
  int refs_ ABSL_GUARDED_BY(mu_) = 1;  // the server side; +1 while a stream to the service lives
};

}  // namespace lianxin::gateway

#endif  // LIANXIN_SERVICES_GATEWAY_PROXY_CALL_H_
