// Outgoing calls: every call carries the caller's token, a request id and a
// deadline. Services calling services pass on the token of the call they serve.
//
//   grpc::ClientContext ctx;
//   PrepareClientContext(&ctx, call.principal.token, call.request_id, absl::Seconds(2));
#ifndef LIANXIN_COMMON_CLIENT_H_
#define LIANXIN_COMMON_CLIENT_H_

#include <string>

#include <grpcpp/client_context.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace lianxin {

inline void PrepareClientContext(grpc::ClientContext* ctx, const std::string& token,
                                 const std::string& request_id, absl::Duration timeout) {
  if (!token.empty()) ctx->AddMetadata("authorization", absl::StrCat("Bearer ", token));
  if (!request_id.empty()) ctx->AddMetadata("x-request-id", request_id);
  ctx->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
}

}  // namespace lianxin

#endif  // LIANXIN_COMMON_CLIENT_H_
