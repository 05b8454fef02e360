// One error model for every Lianxin service.
//
// Inside a service, functions return absl::Status / absl::StatusOr<T>. The
// details a client needs travel as absl::Status payloads keyed by their Any
// type URL (google.rpc.BadRequest, google.rpc.ResourceInfo,
// lianxin.rpc.v1.ErrorInfo), so ToGrpcStatus() only has to copy them into
// google.rpc.Status.details at the edge.
//
//   absl::Status s = FieldError("org_unit.display_name", "must not be empty");
//   return ToGrpcStatus(s, "org.lianxin");
#ifndef LIANXIN_COMMON_STATUS_H_
#define LIANXIN_COMMON_STATUS_H_

#include <grpcpp/support/status.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

#define LIANXIN_CONCAT_INNER_(a, b) a##b
#define LIANXIN_CONCAT_(a, b) LIANXIN_CONCAT_INNER_(a, b)

// Returns from the current function if `expr` yields a non-OK status.
#define RETURN_IF_ERROR(expr)                          \
  do {                                                 \
    ::absl::Status lianxin_status_ = (expr);           \
    if (!lianxin_status_.ok()) return lianxin_status_; \
  } while (0)

// Declares `lhs` from a StatusOr expression, returning on error.
#define ASSIGN_OR_RETURN(lhs, expr) ASSIGN_OR_RETURN_IMPL_(LIANXIN_CONCAT_(lianxin_statusor_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                           \
  if (!tmp.ok()) return tmp.status();          \
  lhs = std::move(tmp).value()

namespace lianxin {

struct FieldViolation {
  std::string field;
  std::string description;
};

// INVALID_ARGUMENT with one BadRequest violation per bad field; the message
// names every field ("display_name: must not be empty; code: ...").
absl::Status InvalidFields(const std::vector<FieldViolation>& violations);
absl::Status FieldError(absl::string_view field, absl::string_view description);

// Any code with one BadRequest violation naming the field, e.g. ABORTED for
// a stale etag or ALREADY_EXISTS for a taken code.
absl::Status FieldStatus(absl::StatusCode code, absl::string_view field, absl::string_view description,
                         absl::string_view reason);

// NOT_FOUND with google.rpc.ResourceInfo naming the resource.
absl::Status ResourceNotFound(absl::string_view resource_type, absl::string_view resource_name,
                              absl::string_view field = "");

// PERMISSION_DENIED, reason OUTSIDE_SUBTREE, naming the field and resource.
absl::Status OutsideSubtree(absl::string_view resource_name, absl::string_view field);
// What a caller hears of a resource that does not exist: NOT_FOUND when it
// may see the whole platform, else the same answer as for a resource outside
// its subtree, so that existence never leaks.
absl::Status Missing(bool platform_wide, absl::string_view resource_type, absl::string_view resource_name,
                     absl::string_view field);

// Etags are "v<version>". CheckEtag: OK when `given` is empty (an
// unconditional change) or names `version`; else ABORTED, reason STALE_ETAG,
// naming `field`.
std::string EtagOf(int64_t version);
absl::Status CheckEtag(absl::string_view field, absl::string_view given, int64_t version);

// RESOURCE_EXHAUSTED: a bounded queue (workers, a batcher) is full.
absl::Status AtCapacity();

// A handler on a gRPC thread that would have to wait (CallContext::may_block).
absl::Status WouldBlock();
bool IsWouldBlock(const absl::Status& status);

// Attaches a machine-readable reason (lianxin.rpc.v1.ErrorInfo) to `status`.
absl::Status WithReason(absl::Status status, absl::string_view reason,
                        std::vector<std::pair<std::string, std::string>> metadata = {});

// Reads back what WithReason/InvalidFields attached (for tests and clients).
std::string ReasonOf(const absl::Status& status);
std::vector<FieldViolation> ViolationsOf(const absl::Status& status);
// The field an error is about: its first violation, else ErrorInfo's "field".
std::string FieldOf(const absl::Status& status);
// The same error about a message found elsewhere in another request: every
// field name (message, violations, ErrorInfo "field") starting `from` starts
// `to` instead, e.g. "member." → "applicant.". Other statuses pass unchanged.
absl::Status RenameFields(const absl::Status& status, absl::string_view from, absl::string_view to);

// The edge mapping: same code, same message, payloads as details. `domain`
// fills ErrorInfo.domain; a status without a reason gets one from its code.
grpc::Status ToGrpcStatus(const absl::Status& status, absl::string_view domain);

// The reverse, for service-to-service clients: keeps code, message, details.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace lianxin

#endif  // LIANXIN_COMMON_STATUS_H_
