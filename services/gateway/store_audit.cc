// SQL for the audit chain.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/sql.h"
#include "common/status.h"
#include "common/timestamps.h"
#include "services/gateway/gateway_store.h"

namespace lianxin::gateway::store {
namespace {

constexpr char kAuditCols[] =
    "seq, at_us, caller, on_behalf, client_address, method, resources, code, latency_us, request_id, hash";

AuditRow ReadAudit(const Row& r) {
  AuditRow a;
  a.seq = r.Int("seq");
  a.at_us = r.Int("at_us");
  a.caller = r.Str("caller");
  a.on_behalf = r.Str("on_behalf");
  a.client_address = r.Str("client_address");
  a.method = r.Str("method");
  a.resources = absl::StrSplit(r.Str("resources"), ' ', absl::SkipEmpty());
  a.code = r.Str("code");
  a.latency_us = r.Int("latency_us");
  a.request_id = r.Str("request_id");
  a.hash = r.Str("hash");
  return a;
}

std::string Hex(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

}  // namespace

std::string AuditRow::Canonical() const {
  // Unit separators cannot occur in any field (they are checked UTF-8 text
  // without control characters, or made by the gateway).
  return absl::StrJoin({absl::StrCat(seq), absl::StrCat(at_us), caller, on_behalf, client_address, method,
                        absl::StrJoin(resources, " "), code, absl::StrCat(latency_us), request_id},
                       "\x1f");
}

v1::AuditRecord AuditRow::ToProto() const {
  v1::AuditRecord p;
  p.set_seq(seq);
  SetTimestampUs(at_us, p.mutable_time());
  p.set_caller(caller);
  if (!on_behalf.empty()) p.set_on_behalf_of(on_behalf);
  p.set_client_address(client_address);
  p.set_method(method);
  for (const auto& r : resources) p.add_resources(r);
  p.set_code(code);
  p.set_latency_us(latency_us);
  p.set_request_id(request_id);
  p.set_hash(Hex(hash));
  return p;
}

absl::StatusOr<AuditHead> LockAuditHead(Db& db) {
  AuditHead head;
  bool found = false;
  RETURN_IF_ERROR(db.Query("SELECT seq, hash FROM audit_head WHERE id=1 FOR UPDATE", {}, [&](const Row& r) {
    head.seq = r.Int("seq");
    head.hash = r.Str("hash");
    found = true;
  }));
  if (!found) return absl::InternalError("audit_head has no row");
  return head;
}

absl::StatusOr<AuditHead> ReadAuditHead(Db& db) {
  AuditHead head;
  RETURN_IF_ERROR(db.Query("SELECT seq, hash FROM audit_head WHERE id=1", {}, [&](const Row& r) {
    head.seq = r.Int("seq");
    head.hash = r.Str("hash");
  }));
  return head;
}

absl::Status AppendAudit(Db& db, const std::vector<AuditRow>& rows) {
  if (rows.empty()) return absl::OkStatus();
  std::vector<SqlParams> values, resources;
  for (const AuditRow& a : rows) {
    values.push_back({a.seq, a.at_us, a.caller, a.on_behalf, a.client_address, a.method,
                      absl::StrJoin(a.resources, " "), a.code, a.latency_us, a.request_id, a.hash});
    for (const auto& r : a.resources) resources.push_back({r, a.seq});
  }
  // Batches of hundreds of rows, each built once: sent as text
  // (Db::ExecInline), which costs MariaDB much less than a prepared
  // statement with thousands of placeholders (docs/benchmarks.md).
  auto insert = InsertRowsSql("audit_records", kAuditCols, std::move(values));
  RETURN_IF_ERROR(db.ExecInline(*insert).status());
  if (auto res = InsertRowsSql("audit_resources", "resource, seq", std::move(resources)); res.has_value()) {
    RETURN_IF_ERROR(db.ExecInline(*res).status());  // a record names each resource once
  }
  return db.Exec("UPDATE audit_head SET seq=?, hash=? WHERE id=1", {rows.back().seq, rows.back().hash}).status();
}

absl::StatusOr<std::vector<AuditRow>> ListAudit(Db& db, const AuditFilter& f, int64_t after_seq, int limit) {
  std::string sql = absl::StrCat("SELECT ", kAuditCols, " FROM audit_records a WHERE a.seq > ?");
  SqlParams params = {after_seq};
  if (!f.resource.empty()) {
    sql = absl::StrCat("SELECT a.seq, a.at_us, a.caller, a.on_behalf, a.client_address, a.method, a.resources, ",
                       "a.code, a.latency_us, a.request_id, a.hash FROM audit_resources x ",
                       "JOIN audit_records a ON a.seq = x.seq WHERE x.resource = ? AND x.seq > ?");
    params = {f.resource, after_seq};
  }
  if (!f.caller.empty()) {
    sql += " AND a.caller = ?";
    params.push_back(f.caller);
  }
  if (f.start_us > 0) {
    sql += " AND a.at_us >= ?";
    params.push_back(f.start_us);
  }
  if (f.end_us > 0) {
    sql += " AND a.at_us < ?";
    params.push_back(f.end_us);
  }
  sql += " ORDER BY a.seq LIMIT ?";
  params.push_back(int64_t{limit});
  std::vector<AuditRow> out;
  RETURN_IF_ERROR(db.Query(sql, params, [&](const Row& r) { out.push_back(ReadAudit(r)); }));
  return out;
}

absl::StatusOr<std::vector<AuditRow>> AuditRange(Db& db, int64_t after_seq, int limit) {
  std::vector<AuditRow> out;
  RETURN_IF_ERROR(
      db.Query(absl::StrCat("SELECT ", kAuditCols, " FROM audit_records WHERE seq > ? ORDER BY seq LIMIT ?"),
               {after_seq, int64_t{limit}}, [&](const Row& r) { out.push_back(ReadAudit(r)); }));
  return out;
}

absl::StatusOr<std::optional<AuditRow>> GetAudit(Db& db, int64_t seq) {
  std::optional<AuditRow> out;
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT ", kAuditCols, " FROM audit_records WHERE seq = ?"), {seq},
                           [&](const Row& r) { out = ReadAudit(r); }));
  return out;
}

absl::StatusOr<std::optional<AuditCheckpoint>> LastCheckpoint(Db& db) {
  std::optional<AuditCheckpoint> out;
  RETURN_IF_ERROR(
      db.Query("SELECT seq, hash, at_us, kid, signature FROM audit_checkpoints ORDER BY seq DESC LIMIT 1", {},
               [&](const Row& r) {
                 out = AuditCheckpoint{r.Int("seq"), r.Int("at_us"), r.Str("hash"), r.Str("kid"), r.Str("signature")};
               }));
  return out;
}

absl::Status InsertCheckpoint(Db& db, const AuditCheckpoint& cp) {
  return db
      .Exec("INSERT INTO audit_checkpoints (seq, hash, at_us, kid, signature) VALUES (?, ?, ?, ?, ?)",
            {cp.seq, cp.hash, cp.at_us, cp.kid, cp.signature})
      .status();
}

absl::StatusOr<int64_t> LastSeqBefore(Db& db, int64_t before_us) {
  int64_t seq = 0;
  RETURN_IF_ERROR(db.Query("SELECT COALESCE(MAX(seq), 0) AS seq FROM audit_records WHERE at_us < ?", {before_us},
                           [&](const Row& r) { seq = r.Int("seq"); }));
  return seq;
}

absl::StatusOr<int64_t> DeleteAuditUpTo(Db& db, int64_t upto, int limit) {
  RETURN_IF_ERROR(db.Exec("DELETE FROM audit_resources WHERE seq <= ? LIMIT ?", {upto, int64_t{limit} * 8}).status());
  return db.Exec("DELETE FROM audit_records WHERE seq <= ? ORDER BY seq LIMIT ?", {upto, int64_t{limit}});
}

}  // namespace lianxin::gateway::store
