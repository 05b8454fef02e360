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

// What the access table (common/access.h) gave the caller for this method.
enum class Access {
  kNone,
  kOwn,   // the caller's own records only; the handler says what those are
  kFull,  // all the method does, within the caller's subtree
};

struct CallContext {
  Principal principal;
  Access access = Access::kFull;
  std::string request_id;
  absl::Time deadline = absl::InfiniteFuture();
};

// False while a handler runs on a gRPC thread (ServiceHost::UnaryInline):
// where it would have to wait (asking another service or the database on a
// cache miss) it returns WouldBlock() (common/status.h) instead, having
// changed nothing, and runs again from the start on a worker. True on every
// other thread (workers, batchers).
bool MayBlock();

// Marks the calling thread as one that must not block while it lives.
class NoBlockingScope {
 public:
  NoBlockingScope();
  ~NoBlockingScope();
  NoBlockingScope(const NoBlockingScope&) = delete;
  NoBlockingScope& operator=(const NoBlockingScope&) = delete;

 private:
  bool outer_;
};

}  // namespace lianxin

#endif  // LIANXIN_COMMON_CALL_CONTEXT_H_
