#include "common/idempotency.h"

#include "common/status.h"

namespace lianxin {

absl::StatusOr<std::optional<std::string>> FindRequest(Db& db, const CallContext& call,
                                                       const std::string& request_id) {
  std::optional<std::string> out;
  if (request_id.empty()) return out;
  RETURN_IF_ERROR(db.Query("SELECT resource FROM request_ids WHERE subject = ? AND request_id = ?",
                           {call.principal.subject, request_id}, [&](const Row& r) { out = r.Str(0); }));
  return out;
}

absl::Status RememberRequest(Db& db, const CallContext& call, const std::string& request_id,
                             const std::string& district_id, const std::string& method,
                             const std::string& resource, int64_t now_us) {
  if (request_id.empty()) return absl::OkStatus();
  absl::Status s = db.Exec("INSERT INTO request_ids (subject, request_id, district_id, method, resource, "
                           "created_us) VALUES (?, ?, ?, ?, ?, ?)",
                           {call.principal.subject, request_id, district_id, method, resource, now_us})
                       .status();
  if (absl::IsAlreadyExists(s)) {
    return WithReason(absl::AbortedError("request id raced"), "REQUEST_ID_RACE");
  }
  return s;
}

absl::Status CreateOnce(DbPool& pool, absl::FunctionRef<absl::Status(Db&)> fn) {
  absl::Status s = pool.Transact(fn);
  if (s.code() == absl::StatusCode::kAborted && ReasonOf(s) == "REQUEST_ID_RACE") {
    s = pool.Transact(fn);  // the winner has committed: this run replays its result
  }
  return s;
}

}  // namespace lianxin
