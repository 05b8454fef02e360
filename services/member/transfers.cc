// MemberLogic: transfers of the formal relation (组织关系转接, docs/domain.md "Members").
//
// Within the platform, the sender starts a transfer; the org service gives
// the approval path (up from the sender to the common ancestor, down to the
// receiver); each unit on it after the sender approves or returns it in turn,
// and the receiver's approval moves the member, in the same transaction. The
// sender may cancel until the first approval. A transfer still pending after
// its validity counts as expired (computed on read, so no sweeper is needed).
// Out of and into the platform, the introduction letter is recorded and the
// move happens at once.
#include <regex>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/history.h"
#include "common/idempotency.h"
#include "common/ids.h"
#include "common/names.h"
#include "common/status.h"
#include "common/timestamps.h"
#include "common/validate.h"
#include "services/clients/member/identity.h"
#include "services/member/member_logic.h"

namespace lianxin::member {
namespace {

bool Movable(int lifecycle) {
  return lifecycle == v1::LIFECYCLE_ACTIVE || lifecycle == v1::LIFECYCLE_RESTORED ||
         lifecycle == v1::LIFECYCLE_SUSPENDED;
}

absl::Status NotPending(const v1::Transfer& t) {
  return FieldStatus(absl::StatusCode::kFailedPrecondition, "name",
                     absl::StrCat("the transfer is ", v1::TransferState_Name(t.state()), ", not pending"),
                     t.state() == v1::TRANSFER_STATE_EXPIRED ? "TRANSFER_EXPIRED" : "TRANSFER_NOT_PENDING");
}

void CheckLetter(const v1::TransferLetter& l, bool required, Validator& v) {
  v.Text("transfer.letter.number", l.number(), required ? 1 : 0, 50);
  v.Text("transfer.letter.outside_organization", l.outside_organization(), required ? 1 : 0, 100);
  static const std::regex month("^[0-9]{4}-(0[1-9]|1[0-2])$");
  if (!l.dues_paid_through().empty() && !std::regex_match(l.dues_paid_through(), month)) {
    v.Add("transfer.letter.dues_paid_through", "must be YYYY-MM");
  }
}

}  // namespace

v1::Transfer MemberLogic::TransferProto(const store::TransferRecord& t, const std::string& today) {
  v1::Transfer p;
  p.set_name(kTransfers.Name(t.id));
  p.set_kind(static_cast<v1::TransferKind>(t.kind));
  p.set_member(kMembers.Name(t.member_id));
  if (!t.from_unit.empty()) p.set_from_unit(kOrgUnits.Name(t.from_unit));
  if (!t.to_unit.empty()) p.set_to_unit(kOrgUnits.Name(t.to_unit));
  bool expired = t.state == v1::TRANSFER_STATE_PENDING && t.valid_until < today;
  p.set_state(expired ? v1::TRANSFER_STATE_EXPIRED : static_cast<v1::TransferState>(t.state));
  for (const auto& s : t.steps) {
    auto* step = p.add_steps();
    step->set_org_unit(kOrgUnits.Name(s.org_unit));
    step->set_decision(static_cast<v1::StepDecision>(s.decision));
    if (!s.decided_by.empty()) {
      step->set_decided_by(s.decided_by);
      SetTimestampUs(s.decided_us, step->mutable_decide_time());
    }
    if (!s.reason.empty()) step->set_reason(s.reason);
  }
  p.set_current_step(t.current_step);
  if (!t.letter_number.empty()) p.mutable_letter()->set_number(t.letter_number);
  if (!t.outside_organization.empty()) p.mutable_letter()->set_outside_organization(t.outside_organization);
  if (!t.dues_paid_through.empty()) p.mutable_letter()->set_dues_paid_through(t.dues_paid_through);
  p.set_reason(t.reason);
  p.set_started_by(t.started_by);
  SetTimestampUs(t.created_us, p.mutable_create_time());
  SetTimestampUs(t.updated_us, p.mutable_update_time());
  p.set_valid_until(t.valid_until);
  if (!t.cancel_reason.empty()) p.set_cancel_reason(t.cancel_reason);
  p.set_etag(EtagOf(t.version));
  return p;
}

// The transfer, if the caller may act on its sender, its receiver or the unit
// it waits for (PERMISSION_DENIED before existence, as for members).
absl::StatusOr<store::TransferRecord> MemberLogic::LoadTransfer(const std::string& id, const CallContext& c) {
  std::optional<store::TransferRecord> t;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(t, store::GetTransfer(db, id, false));
    return absl::OkStatus();
  }));
  // The connection is back in the pool before the org service is asked.
  const std::string name = kTransfers.Name(id);
  if (!t.has_value()) return MissingIn(c.principal.IsPlatformWide(), kTransfers, id, "name");
  if (c.principal.IsPlatformWide()) return *std::move(t);
  for (const std::string* unit : {&t->from_unit, &t->to_unit, &t->waiting_unit}) {
    if (unit->empty()) continue;
    absl::Status s = org_.UnitForCaller(c, *unit, "name").status();
    if (s.ok()) return *std::move(t);
    if (!absl::IsPermissionDenied(s) && !absl::IsNotFound(s)) return s;
  }
  return OutsideSubtree(name, "name");
}

absl::Status MemberLogic::StartTransfer(const CallContext& c, const v1::StartTransferRequest& req, v1::Transfer* out) {
  RETURN_IF_ERROR(RequireWriter(c));
  const v1::Transfer& t = req.transfer();
  const v1::TransferKind kind = t.kind();
  Validator v;
  v.Check(kind != v1::TRANSFER_KIND_UNSPECIFIED, "transfer.kind", "is required: WITHIN, OUT or IN");
  std::string member_id = v.Name("transfer.member", t.member(), kMembers, kind != v1::TRANSFER_KIND_IN);
  std::string to_id = v.Name("transfer.to_unit", t.to_unit(), kOrgUnits, kind != v1::TRANSFER_KIND_OUT);
  if (kind == v1::TRANSFER_KIND_IN) v.Check(t.member().empty(), "transfer.member", "is made from arriving_member");
  if (kind == v1::TRANSFER_KIND_OUT)
    v.Check(t.to_unit().empty(), "transfer.to_unit", "lies outside the platform: name it in the letter");
  v.Check(t.from_unit().empty(), "transfer.from_unit", "is the member's branch, not given");
  v.Check(kind == v1::TRANSFER_KIND_IN || !req.has_arriving_member(), "arriving_member", "only for IN transfers");
  v.Check(kind != v1::TRANSFER_KIND_IN || req.has_arriving_member(), "arriving_member", "is required for IN transfers");
  v.Text("transfer.reason", t.reason(), 1, 200);
  CheckLetter(t.letter(), kind == v1::TRANSFER_KIND_OUT || kind == v1::TRANSFER_KIND_IN, v);
  v.RequestId(req.request_id());
  if (kind == v1::TRANSFER_KIND_IN) {
    Validator form;
    v1::Member arriving = req.arriving_member();
    CheckNew(arriving, form);
    for (const auto& fv : ViolationsOf(RenameFields(form.status(), "member.", "arriving_member."))) {
      v.Add(fv.field, fv.description);
    }
    if (!arriving.branch().empty() && arriving.branch() != t.to_unit()) {
      v.Add("arriving_member.branch", "must be empty or the transfer's to_unit");
    }
  }
  RETURN_IF_ERROR(v.status());

  store::TransferRecord rec;
  rec.id = NewId();
  rec.kind = kind;
  rec.reason = t.reason();
  rec.letter_number = t.letter().number();
  rec.outside_organization = t.letter().outside_organization();
  rec.dues_paid_through = t.letter().dues_paid_through();
  rec.started_by = c.principal.subject;
  rec.created_us = rec.updated_us = NowUs();
  absl::CivilDay today;
  (void)absl::ParseCivilTime(Today(), &today);
  rec.valid_until = absl::FormatCivilTime(today + transfer_valid_days_);

  // What the org service must say, asked before anything is written.
  std::optional<store::MemberRecord> member;
  std::optional<store::MemberRecord> arriving;
  if (kind != v1::TRANSFER_KIND_IN) {
    ASSIGN_OR_RETURN(member, LoadInScope(c, member_id, "transfer.member"));
    rec.member_id = member_id;
    rec.district_id = member->district_id;
    rec.from_unit = member->branch_id;
  }
  if (kind == v1::TRANSFER_KIND_WITHIN) {
    if (to_id == member->branch_id) return FieldError("transfer.to_unit", "is the member's branch already");
    ASSIGN_OR_RETURN(UnitInfo to, org_.Unit(c, to_id, "transfer.to_unit"));
    if (!HoldsMembers(to.type)) {
      return FieldError("transfer.to_unit", "must be a branch, general branch or community committee");
    }
    if (!to.active) {
      return FieldStatus(absl::StatusCode::kFailedPrecondition, "transfer.to_unit", "the unit is not active",
                         "UNIT_INACTIVE");
    }
    ASSIGN_OR_RETURN(std::vector<std::string> path, org_.ApprovalPath(c, member->branch_id, to_id, "transfer.to_unit"));
    if (path.size() < 2) return absl::InternalError("approval path too short");
    for (size_t i = 1; i < path.size(); ++i) {
      rec.steps.push_back({static_cast<int>(i - 1), path[i], "", "", v1::STEP_DECISION_PENDING, 0});
    }
    rec.to_unit = to_id;
    rec.state = v1::TRANSFER_STATE_PENDING;
    rec.waiting_unit = rec.steps[0].org_unit;
  } else {
    rec.state = v1::TRANSFER_STATE_COMPLETED;
  }
  if (kind == v1::TRANSFER_KIND_IN) {
    ASSIGN_OR_RETURN(UnitInfo to, BranchForCaller(c, to_id, "transfer.to_unit"));
    v1::Member m = req.arriving_member();
    m.set_branch(t.to_unit());
    auto made = NewMember(c, m, to);
    if (!made.ok()) return RenameFields(made.status(), "member.", "arriving_member.");
    arriving = *std::move(made);
    arriving->admission = v1::ADMISSION_TRANSFERRED_IN;
    arriving->branch_since = Today();
    rec.to_unit = to_id;
    rec.district_id = to.district_id;
    rec.member_id = arriving->id;
    // Whether the arriving person is on file elsewhere is told by the answer:
    // recorded, and counted against the caller's daily allowance.
    RETURN_IF_ERROR(CheckIdentityAllowance(c));
    std::optional<std::string> known;
    RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
      ASSIGN_OR_RETURN(known, store::FindMemberId(db, "national_id_index", arriving->national_id_index));
      return absl::OkStatus();
    }));
    if (known.has_value()) RETURN_IF_ERROR(RecordIdentityMatches(c, {*known}, "StartTransfer"));
  }

  auto replay = [&](Db& db, const std::string& name) -> absl::StatusOr<bool> {
    ASSIGN_OR_RETURN(auto first, store::GetTransfer(db, kTransfers.IdOf(name), false));
    if (first.has_value()) *out = TransferProto(*first, Today());
    return first.has_value();
  };
  return CreateOnce(
      db_, c, req.request_id(), "StartTransfer", NowUs(), replay,
      [&](Db& db, RememberCreated remember) -> absl::Status {
        ChangeSet changes;
        changes.Set("transfer", kTransfers.Name(rec.id));
        if (!rec.outside_organization.empty()) changes.Set("outside_organization", rec.outside_organization);
        if (!rec.letter_number.empty()) changes.Set("letter_number", rec.letter_number);
        if (kind == v1::TRANSFER_KIND_IN) {
          ASSIGN_OR_RETURN(auto back, store::FindMemberId(db, "national_id_index", arriving->national_id_index));
          if (back.has_value()) {
            // A member who once moved out comes back: the same record, active again.
            ASSIGN_OR_RETURN(auto m, store::GetMember(db, *back, true));
            if (m->lifecycle != v1::LIFECYCLE_TRANSFERRED_OUT) {
              return RenameFields(DuplicateIdentity(), "member.", "arriving_member.");
            }
            changes.Changed("branch", kOrgUnits.Name(m->branch_id), kOrgUnits.Name(rec.to_unit));
            changes.Changed("lifecycle", "LIFECYCLE_TRANSFERRED_OUT", "LIFECYCLE_ACTIVE");
            // The sealed health and attitude notes were the previous unit's
            // judgement: they do not travel to the receiver.
            if (!m->health_sealed.empty()) changes.Changed("health_notes", "***", "");
            if (!m->attitude_sealed.empty()) changes.Changed("attitude_notes", "***", "");
            m->health_sealed.clear();
            m->attitude_sealed.clear();
            if (!m->group_id.empty()) changes.Changed("group", kOrgUnits.Name(m->group_id), "");
            m->branch_id = rec.to_unit;
            m->group_id.clear();  // groups are the old branch's
            m->branch_since = Today();
            m->admission = v1::ADMISSION_TRANSFERRED_IN;
            m->lifecycle = v1::LIFECYCLE_ACTIVE;
            m->lifecycle_since = Today();
            RETURN_IF_ERROR(SaveChange(db, c, NowUs(), *m, store::UpdateMember,
                                       {m->district_id, kMembers.Name(m->id), "", "transfer_in", changes}));
            rec.member_id = m->id;
          } else {
            RETURN_IF_ERROR(InsertNew(db, c, *arriving, req.arriving_member(), "transfer_in", changes));
          }
        } else {
          ASSIGN_OR_RETURN(auto pending, store::PendingTransferOf(db, rec.member_id, Today()));
          if (pending.has_value()) {
            return FieldStatus(absl::StatusCode::kFailedPrecondition, "transfer.member",
                               absl::StrCat(kTransfers.Name(*pending), " of this member is still pending"),
                               "TRANSFER_PENDING");
          }
          ASSIGN_OR_RETURN(auto m, store::GetMember(db, rec.member_id, true));
          if (!m.has_value() || m->branch_id != rec.from_unit) return absl::AbortedError("the member moved; try again");
          if (!Movable(m->lifecycle)) {
            return FieldStatus(
                absl::StatusCode::kFailedPrecondition, "transfer.member",
                absl::StrCat("a member in ", v1::Lifecycle_Name(static_cast<v1::Lifecycle>(m->lifecycle)),
                             " is not transferred"),
                "LIFECYCLE_NOT_ALLOWED");
          }
          if (kind == v1::TRANSFER_KIND_OUT) {
            changes.Changed("lifecycle", v1::Lifecycle_Name(static_cast<v1::Lifecycle>(m->lifecycle)),
                            "LIFECYCLE_TRANSFERRED_OUT");
            m->lifecycle = v1::LIFECYCLE_TRANSFERRED_OUT;
            m->lifecycle_since = Today();
            RETURN_IF_ERROR(SaveChange(db, c, NowUs(), *m, store::UpdateMember,
                                       {m->district_id, kMembers.Name(m->id), "", "transfer_out", changes}));
          } else {
            changes.Set("to_unit", kOrgUnits.Name(rec.to_unit));
            RETURN_IF_ERROR(
                RecordHistory(db, c, {m->district_id, kMembers.Name(m->id), "", "transfer_started", changes}, NowUs()));
          }
        }
        std::string name = kTransfers.Name(rec.id);
        RETURN_IF_ERROR(remember(rec.district_id, name));
        RETURN_IF_ERROR(store::InsertTransfer(db, rec));
        *out = TransferProto(rec, Today());
        return absl::OkStatus();
      });
}

absl::Status MemberLogic::GetTransfer(const CallContext& c, const v1::GetTransferRequest& req, v1::Transfer* out) {
  Validator v;
  std::string id = v.Name("name", req.name(), kTransfers);
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(store::TransferRecord t, LoadTransfer(id, c));
  *out = TransferProto(t, Today());
  return absl::OkStatus();
}

absl::Status MemberLogic::ListTransfers(const CallContext& c, const v1::ListTransfersRequest& req,
                                        v1::ListTransfersResponse* out) {
  Validator v;
  if (req.parent().empty() == req.member().empty()) v.Add("parent", "give exactly one of parent and member");
  std::string root = v.Name("parent", req.parent(), kOrgUnits, false);
  std::string member_id = v.Name("member", req.member(), kMembers, false);
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(int size, PageSize(req.page_size(), 50, 500));
  std::string fp = absl::StrCat("transfers|", root, "|", member_id, "|", static_cast<int>(req.state()));
  ASSIGN_OR_RETURN(std::string after, tokens_.Decode(req.page_token(), fp));
  store::TransferFilter f;
  f.state = req.state();
  f.today = Today();
  if (!member_id.empty()) {
    RETURN_IF_ERROR(LoadInScope(c, member_id, "member").status());
    f.member_id = member_id;
  } else {
    ASSIGN_OR_RETURN(f.unit_ids, org_.MemberUnitsIn(c, root, "parent"));
    f.waiting_unit = root;
  }
  std::vector<store::TransferRecord> rows;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(rows, store::ListTransfers(db, f, after, size + 1));
    return absl::OkStatus();
  }));
  std::string today = Today();
  EmitPage(
      rows, size, tokens_, fp, [&](const store::TransferRecord& r) { *out->add_transfers() = TransferProto(r, today); },
      [](const store::TransferRecord& r) { return r.id; }, out->mutable_next_page_token());
  return absl::OkStatus();
}

namespace {
enum class Decision { kApprove, kReturn, kCancel };
}  // namespace

// One decision on a pending transfer, in one transaction with its effects.
static absl::Status Decide(DbPool& pool, const CallContext& c, OrgDirectory& org, const std::string& id,
                           const std::string& etag, Decision d, const std::string& reason,
                           absl::FunctionRef<absl::StatusOr<store::TransferRecord>()> load_scoped,
                           absl::FunctionRef<absl::Status(Db&, store::TransferRecord&)> complete,
                           absl::FunctionRef<v1::Transfer(const store::TransferRecord&)> proto, int64_t now_us,
                           v1::Transfer* out) {
  // Who may decide: a secretary over the unit waiting (approve, return), or
  // over the sender (cancel). Asked before the transaction.
  ASSIGN_OR_RETURN(store::TransferRecord seen, load_scoped());
  // A stale etag is stale whoever sends it: ABORTED before anything else.
  RETURN_IF_ERROR(CheckEtag("etag", etag, seen.version));
  v1::Transfer shown = proto(seen);
  if (shown.state() != v1::TRANSFER_STATE_PENDING) return NotPending(shown);
  const std::string& unit = d == Decision::kCancel ? seen.from_unit : seen.waiting_unit;
  if (!c.principal.IsPlatformWide()) {
    absl::Status s = org.UnitForCaller(c, unit, "name").status();
    if (absl::IsPermissionDenied(s) || absl::IsNotFound(s)) {
      return WithReason(absl::PermissionDeniedError(absl::StrCat(
                            "name: only a secretary over orgUnits/", unit,
                            d == Decision::kCancel ? " (the sender) may cancel" : " (the step waiting) may decide")),
                        "NOT_YOUR_STEP", {{"field", "name"}});
    }
    RETURN_IF_ERROR(s);
  }
  return pool.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto locked, store::GetTransfer(db, id, true));
    if (!locked.has_value()) return absl::InternalError("transfer vanished");
    store::TransferRecord& t = *locked;
    RETURN_IF_ERROR(CheckEtag("etag", etag, t.version));
    RETURN_IF_ERROR(CheckEtag("etag", EtagOf(seen.version), t.version));  // decided meanwhile
    int step = -1;
    if (d == Decision::kCancel) {
      if (t.current_step > 0) {
        return FieldStatus(absl::StatusCode::kFailedPrecondition, "name",
                           "a step has approved it already: only a step can return it now", "ALREADY_APPROVED");
      }
      t.state = v1::TRANSFER_STATE_CANCELLED;
      t.cancel_reason = reason;
      t.waiting_unit.clear();
    } else {
      step = t.current_step;
      auto& s = t.steps[step];
      s.decided_by = c.principal.subject;
      s.decided_us = now_us;
      s.reason = reason;
      if (d == Decision::kReturn) {
        s.decision = v1::STEP_DECISION_RETURNED;
        t.state = v1::TRANSFER_STATE_RETURNED;
        t.waiting_unit.clear();
      } else {
        s.decision = v1::STEP_DECISION_APPROVED;
        t.current_step++;
        if (t.current_step == static_cast<int>(t.steps.size())) {
          t.state = v1::TRANSFER_STATE_COMPLETED;
          t.waiting_unit.clear();
          RETURN_IF_ERROR(complete(db, t));
        } else {
          t.waiting_unit = t.steps[t.current_step].org_unit;
        }
      }
    }
    t.version++;
    t.updated_us = now_us;
    RETURN_IF_ERROR(store::UpdateTransfer(db, t, step));
    *out = proto(t);
    return absl::OkStatus();
  });
}

absl::Status MemberLogic::ApproveTransfer(const CallContext& c, const v1::ApproveTransferRequest& req,
                                          v1::Transfer* out) {
  RETURN_IF_ERROR(RequireWriter(c));
  Validator v;
  std::string id = v.Name("name", req.name(), kTransfers);
  RETURN_IF_ERROR(v.status());
  std::string today = Today();
  return Decide(
      db_, c, org_, id, req.etag(), Decision::kApprove, "", [&] { return LoadTransfer(id, c); },
      [&](Db& db, store::TransferRecord& t) -> absl::Status {
        // The receiver accepted: the member's relation moves now.
        ASSIGN_OR_RETURN(auto m, store::GetMember(db, t.member_id, true));
        if (!m.has_value()) return absl::InternalError("transferred member is gone");
        if (!Movable(m->lifecycle)) {
          return FieldStatus(absl::StatusCode::kFailedPrecondition, "name",
                             "the member's standing changed since the transfer started", "LIFECYCLE_NOT_ALLOWED");
        }
        ChangeSet changes;
        changes.Changed("branch", kOrgUnits.Name(m->branch_id), kOrgUnits.Name(t.to_unit));
        changes.Set("transfer", kTransfers.Name(t.id));
        if (!m->group_id.empty()) changes.Changed("group", kOrgUnits.Name(m->group_id), "");
        m->branch_id = t.to_unit;
        m->group_id.clear();  // groups are the old branch's
        m->branch_since = Today();
        m->admission = v1::ADMISSION_TRANSFERRED_IN;
        return SaveChange(db, c, NowUs(), *m, store::UpdateMember,
                          {m->district_id, kMembers.Name(m->id), "", "transfer", changes});
      },
      [&](const store::TransferRecord& t) { return TransferProto(t, today); }, NowUs(), out);
}

absl::Status MemberLogic::ReturnTransfer(const CallContext& c, const v1::ReturnTransferRequest& req,
                                         v1::Transfer* out) {
  RETURN_IF_ERROR(RequireWriter(c));
  Validator v;
  std::string id = v.Name("name", req.name(), kTransfers);
  v.Text("reason", req.reason(), 1, 200);
  RETURN_IF_ERROR(v.status());
  std::string today = Today();
  return Decide(
      db_, c, org_, id, req.etag(), Decision::kReturn, req.reason(), [&] { return LoadTransfer(id, c); },
      [](Db&, store::TransferRecord&) { return absl::OkStatus(); },
      [&](const store::TransferRecord& t) { return TransferProto(t, today); }, NowUs(), out);
}

absl::Status MemberLogic::CancelTransfer(const CallContext& c, const v1::CancelTransferRequest& req,
                                         v1::Transfer* out) {
  RETURN_IF_ERROR(RequireWriter(c));
  Validator v;
  std::string id = v.Name("name", req.name(), kTransfers);
  v.Text("reason", req.reason(), 0, 200);
  RETURN_IF_ERROR(v.status());
  std::string today = Today();
  return Decide(
      db_, c, org_, id, req.etag(), Decision::kCancel, req.reason(), [&] { return LoadTransfer(id, c); },
      [](Db&, store::TransferRecord&) { return absl::OkStatus(); },
      [&](const store::TransferRecord& t) { return TransferProto(t, today); }, NowUs(), out);
}

}  // namespace lianxin::member
