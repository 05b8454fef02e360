// DispatchLogic::Change: the one way a request changes — the residents',
// members' and units' steps as much as the sweeper's time-outs and
// escalations. What a change may do is decided here (ApplyChange); how
// changes arriving together are written together is RequestWriter's.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/names.h"
#include "common/status.h"
#include "services/dispatch/dispatch_logic.h"

namespace lianxin::dispatch {

absl::Status DispatchLogic::Change(const CallContext& c, Party party, const std::string& id, const std::string& etag,
                                   std::initializer_list<v1::RequestState> from, const std::string& action, Edit edit,
                                   Changed done) {
  auto spec = std::make_shared<ChangeSpec>(ChangeSpec{&c, party, id, etag, from, action, std::move(edit)});
  auto job = std::make_unique<RequestWriter::ChangeJob>();
  job->id = id;
  job->deadline = c.deadline;
  job->apply = [this, spec](int64_t now_us, store::RequestRecord& row, RequestWriter::Writes& out) {
    return ApplyChange(*spec, now_us, row, out);
  };
  // Whether the caller reaches the unit is the org service's to say, asked
  // outside the transaction; then the change is tried again.
  job->ask = [this, spec](const store::RequestRecord& row) { return CheckParty(*spec->c, row, Party::kUnit); };
  job->done = [spec, done = std::move(done)](const absl::Status& s, const store::RequestRecord& row) {
    // A request that is not there: as much as the caller may know.
    done(absl::IsNotFound(s) ? MissingIn(spec->c->principal.IsPlatformWide(), kRequests, spec->id, "name") : s, row);
  };
  if (writer_.Change(std::move(job))) return absl::OkStatus();
  return AtCapacity();
}

absl::Status DispatchLogic::Transition(const CallContext& c, Party party, const std::string& id,
                                       const std::string& etag, std::initializer_list<v1::RequestState> from,
                                       const std::string& action, Edit edit, v1::Request* out, UnaryDone done) {
  return Change(c, party, id, etag, from, action, std::move(edit),
                [this, &c, action, out, done = std::move(done)](const absl::Status& s, const store::RequestRecord& r) {
                  Answer(c, s, r, action.c_str(), out, done);
                });
}

void DispatchLogic::Answer(const CallContext& c, absl::Status status, const store::RequestRecord& r, const char* method,
                           v1::Request* out, UnaryDone done) const {
  if (status.ok()) {
    absl::StatusOr<v1::Request> answer = ToProto(nullptr, c, r, method);
    if (answer.ok()) *out = *std::move(answer);
    status = answer.status();
  }
  done(status);
}

absl::Status DispatchLogic::ApplyChange(const ChangeSpec& spec, int64_t now_us, store::RequestRecord& row,
                                        RequestWriter::Writes& out) {
  const CallContext& c = *spec.c;
  if (spec.party == Party::kResident || spec.party == Party::kAssignee) {
    RETURN_IF_ERROR(CheckParty(c, row, spec.party));
  }
  if (spec.party == Party::kUnit && c.principal.HasAnyRole({kRoleOperator, kRoleSecretary}) &&
      !c.principal.IsPlatformWide() && !dirs_.InScopeKnown(c, row.responsible_unit) &&
      (row.escalated_to.empty() || !dirs_.InScopeKnown(c, row.escalated_to))) {
    // Not to be asked while holding locks: the job comes back after asking.
    return RequestWriter::AskFirst();
  }
  if (spec.party == Party::kUnit) RETURN_IF_ERROR(CheckParty(c, row, spec.party));  // decided without asking now
  RETURN_IF_ERROR(CheckEtag("etag", spec.etag, row.version));
  const auto before = static_cast<v1::RequestState>(row.state);
  if (std::find(spec.from.begin(), spec.from.end(), before) == spec.from.end()) {
    return WithReason(absl::FailedPreconditionError(absl::StrCat("a request in ", v1::RequestState_Name(before),
                                                                 " cannot take '", spec.action, "'")),
                      "ILLEGAL_TRANSITION", {{"state", v1::RequestState_Name(before)}});
  }
  store::RequestRecord r = row;  // the row stays as it was if the change fails
  Effects fx;
  fx.now_us = now_us;
  RETURN_IF_ERROR(spec.edit(r, fx));
  // Only a request awaiting its member's answer has an acceptance deadline
  // (the sweeper finds them by it alone: migration 0004).
  if (r.state != v1::REQUEST_STATE_DISPATCHED) r.accept_due_us = 0;
  // Every change moves the version on, a quiet one too: rows kept in memory
  // and etags rely on it.
  r.version++;
  r.updated_us = now_us;
  if (!fx.quiet) {
    out.timeline.push_back({0,
                            r.id,
                            r.district_id,
                            spec.action,
                            c.principal.subject,
                            r.updated_us,
                            static_cast<int>(before),
                            r.state,
                            fx.detail,
                            r.resident,
                            r.assignee.empty() ? row.assignee : r.assignee,
                            r.community_id,
                            {}});
  }
  if (fx.event.has_value()) out.events.push_back(*std::move(fx.event));
  row = std::move(r);
  return absl::OkStatus();
}

}  // namespace lianxin::dispatch
