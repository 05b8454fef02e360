// Idempotent creates (AIP-155): the first result of a (caller, request id) is
// remembered in the table request_ids (common/migrations/0001_request_ids.sql)
// in the create's own transaction.
//
//   return CreateOnce(db_, c, req.request_id(), "CreatePlace", NowUs(),
//       [&](Db& db, const std::string& name) -> absl::StatusOr<bool> {   // a retry
//         ASSIGN_OR_RETURN(auto rec, store::GetPlace(db, kPlaces.IdOf(name), false));
//         if (!rec.has_value()) return false;                              // deleted since
//         *out = rec->proto;
//         return true;
//       },
//       [&](Db& db, RememberCreated remember) -> absl::Status {          // the first call
//         ... checks against the database ...
//         RETURN_IF_ERROR(remember(district_id, kPlaces.Name(id)));      // before the insert
//         ... insert, history ...
//       });
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

// Says what this call creates: `create` calls it before it writes the
// resource, so that a concurrent call with the same request id waits for its
// row, then replays (instead of colliding on the resource's own keys).
using RememberCreated = absl::FunctionRef<absl::Status(const std::string& district_id, const std::string& name)>;

// A create run once per (caller, request id), in one transaction: a request id
// seen before answers through `replay(db, name)` from the resource its first
// call created — false when that resource is gone since: FAILED_PRECONDITION,
// reason CREATED_RESOURCE_GONE, naming request_id —; a new one, or none, runs
// `create(db, remember)`. A request-id race runs once more, and replays.
absl::Status CreateOnce(DbPool& pool, const CallContext& c, const std::string& request_id, const char* method,
                        int64_t now_us, absl::FunctionRef<absl::StatusOr<bool>(Db&, const std::string& name)> replay,
                        absl::FunctionRef<absl::Status(Db&, RememberCreated remember)> create);

// The answer to a retry whose first call's resource `name` is gone since.
absl::Status CreatedResourceGone(const std::string& name);

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
