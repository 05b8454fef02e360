// What a handler knows about the call it serves; plain data, no gRPC types,
// so service logic can be built and tested without a server.
#ifndef LIANXIN_COMMON_CALL_CONTEXT_H_
#define LIANXIN_COMMON_CALL_CONTEXT_H_

#include <string>

#include "absl/time/time.h"
#include "common/auth.h"

namespace lianxin {

struct CallContext {
  Principal principal;
  std::string request_id;
  absl::Time deadline = absl::InfiniteFuture();
};

}  // namespace lianxin

#endif  // LIANXIN_COMMON_CALL_CONTEXT_H_
