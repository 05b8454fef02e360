// Idempotent creates (AIP-155): the first result of a (caller, request id)
// is remembered in the service's table request_ids, created by each service's
// first migration with this shape:
//   request_ids (subject, request_id, district_id, method, resource, created_us,
//                PRIMARY KEY (subject, request_id))
//
//   return CreateOnce(pool, [&](Db& db) -> absl::Status {
//     ASSIGN_OR_RETURN(auto prior, FindRequest(db, call, req.request_id()));
//     if (prior) { ...read *prior into the response...; return absl::OkStatus(); }
//     ... validate against the database ...
//     RETURN_IF_ERROR(RememberRequest(db, call, req.request_id(), district, "CreateX", name, now_us));
//     ... insert ...
//   });
// RememberRequest comes before the insert: a concurrent call with the same id
// waits on its row, then fails; CreateOnce runs it again, and it replays.
#ifndef LIANXIN_COMMON_IDEMPOTENCY_H_
#define LIANXIN_COMMON_IDEMPOTENCY_H_

#include <optional>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "common/call_context.h"
#include "common/db.h"

namespace lianxin {

// The resource name an earlier call with this request id created, if any
// (never for an empty request id).
absl::StatusOr<std::optional<std::string>> FindRequest(Db& db, const CallContext& call,
                                                       const std::string& request_id);
absl::Status RememberRequest(Db& db, const CallContext& call, const std::string& request_id,
                             const std::string& district_id, const std::string& method,
                             const std::string& resource, int64_t now_us);
// A transaction that is run once more when it lost a request-id race.
absl::Status CreateOnce(DbPool& pool, absl::FunctionRef<absl::Status(Db&)> fn);

}  // namespace lianxin

#endif  // LIANXIN_COMMON_IDEMPOTENCY_H_
