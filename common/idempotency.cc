#include "common/idempotency.h"

#include "absl/strings/str_cat.h"
#include "common/status.h"

namespace lianxin {

namespace {

absl::StatusOr<std::optional<std::string>> FindRequest(Db& db, const CallContext& call, const std::string& request_id) {
  std::optional<std::string> out;
  if (request_id.empty()) return out;
  RETURN_IF_ERROR(db.Query("SELECT resource FROM request_ids WHERE subject = ? AND request_id = ?",
                           {call.principal.subject, request_id}, [&](const Row& r) { out = r.Str("resource"); }));
  return out;
}

}  // namespace

absl::Status CreatedResourceGone(const std::string& name) {
  return FieldStatus(absl::StatusCode::kFailedPrecondition, "request_id",
                     absl::StrCat("the first call with this request id created ", name,
                                  ", which is gone since; send a new request id to create another"),
                     "CREATED_RESOURCE_GONE");
}

absl::Status CreateOnce(DbPool& pool, const CallContext& c, const std::string& request_id, const char* method,
                        int64_t now_us, absl::FunctionRef<absl::StatusOr<bool>(Db&, const std::string& name)> replay,
                        absl::FunctionRef<absl::Status(Db&, RememberCreated remember)> create) {
  auto once = [&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(std::optional<std::string> prior, FindRequest(db, c, request_id));
    if (prior.has_value()) {
      ASSIGN_OR_RETURN(bool found, replay(db, *prior));
      if (found) return absl::OkStatus();
      return CreatedResourceGone(*prior);
    }
    return create(db, [&](const std::string& district_id, const std::string& name) -> absl::Status {
      if (request_id.empty()) return absl::OkStatus();
      SqlStatement st = *RememberRequestsSql({{c.principal.subject, request_id, district_id, method, name, now_us}});
      absl::Status s = db.Exec(st.sql, st.params).status();
      if (absl::IsAlreadyExists(s)) return WithReason(absl::AbortedError("request id raced"), "REQUEST_ID_RACE");
      return s;
    });
  };
  absl::Status s = pool.Transact(once);
  if (s.code() == absl::StatusCode::kAborted && ReasonOf(s) == "REQUEST_ID_RACE") {
    s = pool.Transact(once);  // the winner has committed: this run replays its result
  }
  return s;
}

std::string RequestKey(const std::string& subject, const std::string& request_id) {
  return absl::StrCat(subject, "\n", request_id);
}

absl::StatusOr<absl::flat_hash_map<std::string, std::string>> FindRequests(
    Db& db, const std::vector<std::pair<std::string, std::string>>& subject_and_request_ids) {
  absl::flat_hash_map<std::string, std::string> out;
  std::string where;
  SqlParams params;
  for (const auto& [subject, request_id] : subject_and_request_ids) {
    if (request_id.empty()) continue;
    absl::StrAppend(&where, where.empty() ? "" : " OR ", "(subject = ? AND request_id = ?)");
    params.push_back(subject);
    params.push_back(request_id);
  }
  if (where.empty()) return out;
  RETURN_IF_ERROR(
      db.Query(absl::StrCat("SELECT subject, request_id, resource FROM request_ids WHERE ", where), params,
               [&](const Row& r) { out[RequestKey(r.Str("subject"), r.Str("request_id"))] = r.Str("resource"); }));
  return out;
}

std::optional<SqlStatement> RememberRequestsSql(const std::vector<RememberedRequest>& rows) {
  std::vector<SqlParams> values;
  for (const auto& r : rows) {
    if (!r.request_id.empty()) {
      values.push_back({r.subject, r.request_id, r.district_id, r.method, r.resource, r.created_us});
    }
  }
  return InsertRowsSql("request_ids", "subject, request_id, district_id, method, resource, created_us",
                       std::move(values));
}

}  // namespace lianxin
