// What a handler knows about the call it serves; plain data, no gRPC types,
// so service logic can be built and tested without a server.
#ifndef LIANXIN_COMMON_CALL_CONTEXT_H_
#define LIANXIN_COMMON_CALL_CONTEXT_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/auth.h"

namespace lianxin {

// Answers a call once, from any thread (handlers whose work finishes on
// another thread: ServiceHost::UnaryAsync).
using UnaryDone = std::function<void(const absl::Status&)>;

struct CallContext {
  Principal principal;
  std::string request_id;
  absl::Time deadline = absl::InfiniteFuture();
};

}  // namespace lianxin

#endif  // LIANXIN_COMMON_CALL_CONTEXT_H_
