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
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "common/call_context.h"
#include "common/db.h"

namespace lianxin {

// The resource name an earlier call with this request id created, if any
// (never for an empty request id).
absl::StatusOr<std::optional<std::string>> FindRequest(Db& db, const CallContext& call, const std::string& request_id);
absl::Status RememberRequest(Db& db, const CallContext& call, const std::string& request_id,
                             const std::string& district_id, const std::string& method, const std::string& resource,
                             int64_t now_us);
// A transaction that is run once more when it lost a request-id race.
absl::Status CreateOnce(DbPool& pool, absl::FunctionRef<absl::Status(Db&)> fn);

// The same for many calls at once (a Batcher's): the resources earlier calls
// created, keyed by RequestKey(subject, request id), in one statement; and
// the statement remembering many new ones (a request-id race makes it fail
// with ALREADY_EXISTS).
struct RememberedRequest {
  std::string subject, request_id, district_id, method, resource;
  int64_t created_us = 0;
};
std::string RequestKey(const std::string& subject, const std::string& request_id);
absl::StatusOr<absl::flat_hash_map<std::string, std::string>> FindRequests(
    Db& db, const std::vector<std::pair<std::string, std::string>>& subject_and_request_ids);
std::optional<SqlStatement> RememberRequestsSql(const std::vector<RememberedRequest>& rows);

}  // namespace lianxin

#endif  // LIANXIN_COMMON_IDEMPOTENCY_H_
