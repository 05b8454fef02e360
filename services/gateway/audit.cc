// GatewayLogic: the audit chain — appending in batches, listing, verifying,
// pruning behind a signed checkpoint.
#include "absl/strings/str_cat.h"
#include "common/names.h"
#include "common/status.h"
#include "common/validate.h"
#include "services/gateway/audit_chain.h"
#include "services/gateway/gateway_logic.h"

namespace lianxin::gateway {
namespace {

constexpr int kVerifyPage = 5000;
constexpr int kPruneBatch = 5000;

int64_t UsOf(const google::protobuf::Timestamp& t) { return t.seconds() * 1000000 + t.nanos() / 1000; }

}  // namespace

absl::Status GatewayLogic::AppendAudit(std::vector<store::AuditRow> rows) {
  if (rows.empty()) return absl::OkStatus();
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(store::AuditHead head, store::LockAuditHead(db));
    std::string prev = head.hash;
    int64_t seq = head.seq;
    for (store::AuditRow& r : rows) {
      r.seq = ++seq;
      r.hash = ChainHash(prev, r);
      prev = r.hash;
    }
    return store::AppendAudit(db, rows);
  });
}

absl::Status GatewayLogic::ListAuditRecords(const CallContext&, const v1::ListAuditRecordsRequest& req,
                                            v1::ListAuditRecordsResponse* out) {
  ASSIGN_OR_RETURN(int size, PageSize(req.page_size(), 100, 1000));
  Validator v;
  v.Check(req.caller().size() <= 128, "caller", "must be at most 128 characters");
  v.Check(req.resource().size() <= 128, "resource", "must be at most 128 characters");
  RETURN_IF_ERROR(v.status());
  store::AuditFilter f{req.caller(), req.resource(), req.has_start_time() ? UsOf(req.start_time()) : 0,
                       req.has_end_time() ? UsOf(req.end_time()) : 0};
  const std::string fp = absl::StrCat("audit|", f.caller, "|", f.resource, "|", f.start_us, "|", f.end_us);
  ASSIGN_OR_RETURN(std::string after, tokens_.Decode(req.page_token(), fp));
  int64_t after_seq = 0;
  if (!after.empty() && !absl::SimpleAtoi(after, &after_seq)) return FieldError("page_token", "is malformed");
  return db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto rows, store::ListAudit(db, f, after_seq, size + 1));
    EmitPage(
        rows, size, tokens_, fp, [&](const store::AuditRow& r) { *out->add_records() = r.ToProto(); },
        [](const store::AuditRow& r) { return absl::StrCat(r.seq); }, out->mutable_next_page_token());
    return absl::OkStatus();
  });
}

absl::Status GatewayLogic::VerifyAuditChain(const CallContext&, const v1::VerifyAuditChainRequest&,
                                            v1::VerifyAuditChainResponse* out) {
  // Read in pages, each on its own: a chain of millions is not read in one
  // transaction. Records appended meanwhile are checked up to the head read
  // first, so a concurrent append is never taken for a break.
  std::optional<store::AuditCheckpoint> cp;
  store::AuditHead head;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(cp, store::LastCheckpoint(db));
    ASSIGN_OR_RETURN(head, store::ReadAuditHead(db));
    return absl::OkStatus();
  }));
  auto broken = [&](int64_t seq, std::string problem) {
    out->set_intact(false);
    out->set_first_broken_seq(seq);
    out->set_problem(std::move(problem));
    return absl::OkStatus();
  };
  std::string prev(32, '\0');
  int64_t expect = 1;
  if (cp.has_value()) {
    out->set_checkpoint_seq(cp->seq);
    if (absl::Status s = VerifyCheckpoint(trusted_, *cp); !s.ok()) return broken(cp->seq + 1, std::string(s.message()));
    prev = cp->hash;
    expect = cp->seq + 1;
  }
  int64_t checked = 0;
  while (expect <= head.seq) {
    std::vector<store::AuditRow> rows;
    RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
      ASSIGN_OR_RETURN(rows, store::AuditRange(db, expect - 1, kVerifyPage));
      return absl::OkStatus();
    }));
    if (rows.empty()) break;
    for (const store::AuditRow& r : rows) {
      if (r.seq > head.seq) break;
      if (r.seq != expect) return broken(expect, absl::StrCat("record ", expect, " is missing"));
      if (ChainHash(prev, r) != r.hash) {
        return broken(r.seq, absl::StrCat("record ", r.seq, " was changed: its hash does not match its content"));
      }
      prev = r.hash;
      ++expect;
      ++checked;
    }
  }
  out->set_checked(checked);
  if (expect <= head.seq) return broken(expect, absl::StrCat("records ", expect, " to ", head.seq, " are missing"));
  if (head.seq > 0 && prev != head.hash && (!cp.has_value() || head.seq > cp->seq)) {
    return broken(head.seq, absl::StrCat("record ", head.seq, " does not end the chain the head names"));
  }
  out->set_intact(true);
  out->set_first_broken_seq(0);
  return absl::OkStatus();
}

absl::Status GatewayLogic::PruneAudit() {
  const int64_t cutoff = NowUs() - absl::ToInt64Microseconds(settings_.audit_retention);
  int64_t upto = 0;
  std::optional<store::AuditRow> last;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(upto, store::LastSeqBefore(db, cutoff));
    if (upto > 0) {
      ASSIGN_OR_RETURN(last, store::GetAudit(db, upto));
    }
    return absl::OkStatus();
  }));
  if (!last.has_value()) return absl::OkStatus();
  // The checkpoint first, in the transaction that removes the first batch: the
  // chain is never without a start.
  ASSIGN_OR_RETURN(store::AuditCheckpoint cp, SignCheckpoint(signing_key_, last->seq, last->hash, NowUs()));
  bool first = true;
  int64_t removed = 0;
  do {
    RETURN_IF_ERROR(db_.Transact([&](Db& db) -> absl::Status {
      if (first) {
        ASSIGN_OR_RETURN(auto existing, store::LastCheckpoint(db));
        if (!existing.has_value() || existing->seq < cp.seq) RETURN_IF_ERROR(store::InsertCheckpoint(db, cp));
      }
      ASSIGN_OR_RETURN(removed, store::DeleteAuditUpTo(db, upto, kPruneBatch));
      return absl::OkStatus();
    }));
    first = false;
  } while (removed == kPruneBatch);
  return absl::OkStatus();
}

}  // namespace lianxin::gateway
