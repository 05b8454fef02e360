#include "common/client.h"

#include "common/auth.h"
#include "common/status.h"

namespace lianxin {

absl::Status CallService(const CallContext& call, const std::string& token, const CallTarget& target,
                         absl::FunctionRef<grpc::Status(grpc::ClientContext*)> rpc) {
  // On a thread that must not block (a gRPC thread), nothing is asked: the
  // caller runs again on a worker (common/call_context.h).
  if (!MayBlock()) return WouldBlock();
  grpc::Status s;
  for (int attempt = 0; attempt < 3; ++attempt) {
    if (attempt > 0) absl::SleepFor(absl::Milliseconds(50 * attempt));
    grpc::ClientContext ctx;
    absl::Duration timeout = absl::Seconds(2);
    if (call.deadline != absl::InfiniteFuture()) timeout = std::min(timeout, call.deadline - absl::Now());
    if (attempt > 0) {
      // Retries wait for the channel to reconnect (its backoff is at most a
      // second), within the deadline.
      ctx.set_wait_for_ready(true);
      timeout = std::min(timeout, absl::Milliseconds(1500));
    }
    PrepareClientContext(&ctx, token, call.request_id, timeout);
    s = rpc(&ctx);
    if (s.error_code() != grpc::StatusCode::UNAVAILABLE) break;
  }
  switch (s.error_code()) {
    case grpc::StatusCode::OK:
      return absl::OkStatus();
    case grpc::StatusCode::PERMISSION_DENIED:
      return OutsideSubtree(target.resource, target.field);
    case grpc::StatusCode::NOT_FOUND:
      return ResourceNotFound(target.resource_type, target.resource, target.field);
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return WithReason(
          absl::UnavailableError(absl::StrCat("the ", target.service, " service is unavailable; try again")),
          target.unavailable_reason);
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return absl::ResourceExhaustedError(
          absl::StrCat("the ", target.service, " service is at capacity; retry with backoff"));
    case grpc::StatusCode::UNAUTHENTICATED:
      return absl::UnauthenticatedError(absl::StrCat("the ", target.service, " service refused the token"));
    case grpc::StatusCode::FAILED_PRECONDITION:
      return absl::FailedPreconditionError(absl::StrCat(target.field, ": ", s.error_message()));
    case grpc::StatusCode::INVALID_ARGUMENT:
      return FieldError(target.field, s.error_message());
    default:
      return absl::InternalError(absl::StrCat(target.service, " service: ", s.error_message()));
  }
}

std::string ServiceTokens::Get() {
  absl::MutexLock lock(&mu_);
  absl::Time now = absl::Now();
  if (now + absl::Minutes(1) >= expiry_) {
    auto token = MintToken(
        key_, {absl::StrCat("service:", key_.issuer), {kRoleService}, "*", audience_, kMaxServiceTokenLifetime}, now);
    if (token.ok()) {
      token_ = *token;
      expiry_ = now + kMaxServiceTokenLifetime;
    }
  }
  return token_;
}

}  // namespace lianxin
