// Outgoing calls: every call carries the caller's token, a request id and a
// deadline. Services calling services pass on the token of the call they serve,
// or their own short-lived service token where the question is not the
// caller's (does this unit exist?).
//
//   grpc::ClientContext ctx;
//   PrepareClientContext(&ctx, call.principal.token, call.request_id, absl::Seconds(2));
//
//   RETURN_IF_ERROR(CallService(call, token,
//       {"organization", "ORG_UNAVAILABLE", "orgUnits/x", "member.branch", "lianxin.org.v1.OrgUnit"},
//       [&](grpc::ClientContext* ctx) { return stub->GetOrgUnit(ctx, req, &out); }));
#ifndef LIANXIN_COMMON_CLIENT_H_
#define LIANXIN_COMMON_CLIENT_H_

#include <grpcpp/client_context.h>
#include <grpcpp/support/status.h>

#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/call_context.h"
#include "common/keys.h"

namespace lianxin {

inline void PrepareClientContext(grpc::ClientContext* ctx, const std::string& token, const std::string& request_id,
                                 absl::Duration timeout) {
  if (!token.empty()) ctx->AddMetadata("authorization", absl::StrCat("Bearer ", token));
  if (!request_id.empty()) ctx->AddMetadata("x-request-id", request_id);
  ctx->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
}

// What a call to another service is about, for the error it may become.
struct CallTarget {
  std::string service;             // "organization": named in UNAVAILABLE messages
  std::string unavailable_reason;  // ErrorInfo reason then, e.g. "ORG_UNAVAILABLE"
  std::string resource;            // the resource name asked about
  std::string field;               // the request field that named it
  std::string resource_type;       // for ResourceInfo on NOT_FOUND
};

// Runs `rpc` with a deadline (2 s, or less if the call served ends sooner),
// retrying UNAVAILABLE twice (waiting for the channel to reconnect, at most
// 1.5 s each), and maps the answer:
// PERMISSION_DENIED → OUTSIDE_SUBTREE naming the field, NOT_FOUND →
// ResourceInfo naming the field, UNAVAILABLE or DEADLINE_EXCEEDED →
// UNAVAILABLE ("the <service> service is unavailable"), RESOURCE_EXHAUSTED
// stays so (the peer is at capacity), FAILED_PRECONDITION and INVALID_ARGUMENT
// pass through with their message; anything else INTERNAL.
absl::Status CallService(const CallContext& call, const std::string& token, const CallTarget& target,
                         absl::FunctionRef<grpc::Status(grpc::ClientContext*)> rpc);

// This service's own token (subject "service:<name>", role service,
// platform-wide, ten minutes), signed with its own key and renewed a minute
// before it expires. A peer accepts it only where its access table lets
// this service call (common/access.h).
class ServiceTokens {
 public:
  ServiceTokens(SigningKey key, std::string audience) : key_(std::move(key)), audience_(std::move(audience)) {}
  std::string Get();

 private:
  const SigningKey key_;
  const std::string audience_;
  absl::Mutex mu_;
  std::string token_ ABSL_GUARDED_BY(mu_);
  absl::Time expiry_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

}  // namespace lianxin

#endif  // LIANXIN_COMMON_CLIENT_H_
