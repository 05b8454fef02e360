// DispatchLogic::Transition: the one way a request changes, and how changes
// arriving together are written together.
//
// Every change is a job for transitions_ (common/batcher.h): the calling
// thread hands it over and is free at once. A batcher thread runs one
// transaction for all the jobs waiting (WriteTransitions): each request as
// this process last wrote it (rows_), else read and locked with one SELECT
// ... FOR UPDATE; each job checked and applied in arrival order to the row as
// the jobs before it left it (two racing changes to one request behave
// exactly as if sent one after the other: the second sees the first's
// version and state); then in one round trip every changed row (each only at
// the version it was read at, with a guard that fails the lot if another
// replica moved one), every timeline row, every outbox event, and the
// commit; then another thread answers each caller (FinishTransitions). A job
// that fails its checks changes nothing and does not hold back the others;
// one refused on a remembered row is decided again on the row.
#include <algorithm>
#include <iterator>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/names.h"
#include "common/status.h"
#include "services/dispatch/dispatch_logic.h"

namespace lianxin::dispatch {
namespace {

// A unit-party change whose caller's reach is not known yet (ApplyChange).
absl::Status ReachUnknown() { return WithReason(absl::UnavailableError("reach not known yet"), "REACH_UNKNOWN"); }
bool IsReachUnknown(const absl::Status& s) { return ReasonOf(s) == "REACH_UNKNOWN"; }
// A change refused on a row read from memory, to be decided on the row itself.
absl::Status Recheck() { return WithReason(absl::UnavailableError("check again"), "RECHECK"); }
bool IsRecheck(const absl::Status& s) { return ReasonOf(s) == "RECHECK"; }

}  // namespace

absl::Status DispatchLogic::Transition(const CallContext& c, Party party, const std::string& id,
                                       const std::string& etag, std::initializer_list<v1::RequestState> from,
                                       const std::string& action, Change change, v1::Request* out, UnaryDone done) {
  auto* job = new TransitionJob();
  job->c = &c;
  job->party = party;
  job->id = id;
  job->etag = etag;
  job->from.assign(from);
  job->action = action;
  job->change = std::move(change);
  job->out = out;
  job->done = std::move(done);
  if (transitions_.Submit(job)) return absl::OkStatus();
  delete job;
  return AtCapacity();
}

void DispatchLogic::FinishTransitions(absl::Span<TransitionJob* const> jobs) {
  for (TransitionJob* job : jobs) {
    absl::Status s = job->status;
    if (IsRecheck(s)) {
      // Refused on a row read from memory: decide again on the row itself.
      job->fresh = true;
      if (transitions_.Submit(job)) continue;
      s = AtCapacity();
    }
    if (IsReachUnknown(s)) {
      // Ask the org service (outside any transaction), then try again.
      s = CheckParty(*job->c, job->result, Party::kUnit);
      if (s.ok() && transitions_.Submit(job)) continue;
      if (s.ok()) s = AtCapacity();
    }
    Answer(*job->c, s, job->result, job->action.c_str(), job->out, std::move(job->done));
    delete job;
  }
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

void DispatchLogic::WriteTransitions(absl::Span<TransitionJob* const> jobs) {
  std::vector<store::RequestRecord> rows;
  absl::Status s = writes_.Transact([&](Db& db) { return TransitionBatch(db, jobs, rows); });
  if (s.ok()) {
    for (auto& r : rows) {
      const std::string id = r.id;  // not r.id: r is moved from in the same call
      rows_.Put(id, std::move(r));
    }
    return;
  }
  for (const TransitionJob* job : jobs) rows_.Erase(job->id);
  if (ReasonOf(s) == "ROWS_CHANGED") {
    // A row in memory was behind the database (another replica, the
    // sweeper): nothing was written; once more on the rows themselves.
    for (TransitionJob* job : jobs) job->fresh = true;
    WriteTransitions(jobs);
    return;
  }
  if (jobs.size() > 1 && !absl::IsUnavailable(s)) {
    // A database error no single job's checks foresaw: give each job its own
    // transaction, so that only the one at fault fails.
    for (TransitionJob* job : jobs) WriteTransitions({job});
    return;
  }
  for (TransitionJob* job : jobs) job->status = s;
}

absl::Status DispatchLogic::TransitionBatch(Db& db, absl::Span<TransitionJob* const> jobs,
                                            std::vector<store::RequestRecord>& rows) {
  // The rows as last written by this process where it remembers them (the
  // UPDATE checks their version), else read and locked.
  std::vector<store::RequestRecord> read;
  std::vector<std::string> unread;
  for (const TransitionJob* job : jobs) {
    const std::string& id = job->id;
    auto seen = [&](const store::RequestRecord& r) { return r.id == id; };
    if (std::find_if(read.begin(), read.end(), seen) != read.end() ||
        std::find(unread.begin(), unread.end(), id) != unread.end()) {
      continue;
    }
    bool fresh = std::any_of(jobs.begin(), jobs.end(), [&](const TransitionJob* j) { return j->id == id && j->fresh; });
    store::RequestRecord r;
    if (!fresh && rows_.Get(id, &r)) {
      read.push_back(std::move(r));
    } else {
      unread.push_back(id);
    }
  }
  const size_t from_memory = read.size();
  ASSIGN_OR_RETURN(std::vector<store::RequestRecord> locked, store::GetRequests(db, unread, /*for_update=*/true));
  std::move(locked.begin(), locked.end(), std::back_inserter(read));
  // Each request as the jobs so far left it, beside the row as read.
  rows = read;
  absl::flat_hash_map<std::string, size_t> index;
  for (size_t i = 0; i < rows.size(); ++i) index[rows[i].id] = i;
  std::vector<bool> changed(rows.size(), false);
  std::vector<store::TimelineRecord> timeline;
  std::vector<store::OutboxRecord> events;
  const int64_t now_us = NowUs();
  for (TransitionJob* job : jobs) {
    auto it = index.find(job->id);
    if (it == index.end()) {
      job->status = MissingIn(job->c->principal.IsPlatformWide(), kRequests, job->id, "name");
      continue;
    }
    job->status = ApplyChange(*job, now_us, rows[it->second], timeline, events);
    if (job->status.ok()) {
      changed[it->second] = true;
    } else if (it->second < from_memory && !IsReachUnknown(job->status)) {
      job->status = Recheck();  // the row in memory may be behind
    }
  }
  std::vector<store::RequestChange> changes;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (changed[i]) changes.push_back({&read[i], &rows[i]});
  }
  // The writes and the commit: one round trip.
  std::vector<SqlStatement> writes;
  if (auto update = store::UpdateRequestsSql(changes); update.has_value()) {
    writes.push_back(*std::move(update));
    writes.push_back(ExpectRowsChanged(changes.size()));
  }
  for (auto st : {store::TimelineSql(timeline), store::OutboxSql(events)}) {
    if (st.has_value()) writes.push_back(*std::move(st));
  }
  return db.ExecScript(writes, /*commit=*/true);
}

absl::Status DispatchLogic::ApplyChange(TransitionJob& job, int64_t now_us, store::RequestRecord& row,
                                        std::vector<store::TimelineRecord>& timeline,
                                        std::vector<store::OutboxRecord>& events) {
  const CallContext& c = *job.c;
  if (job.party == Party::kResident || job.party == Party::kAssignee) RETURN_IF_ERROR(CheckParty(c, row, job.party));
  if (job.party == Party::kUnit && c.principal.HasAnyRole({kRoleOperator, kRoleSecretary}) &&
      !c.principal.IsPlatformWide() && !dirs_.InScopeKnown(c, row.responsible_unit) &&
      (row.escalated_to.empty() || !dirs_.InScopeKnown(c, row.escalated_to))) {
    // Whether the caller reaches the unit is the org service's to say, not
    // to be asked while holding locks: the job comes back after asking.
    job.result = row;
    return ReachUnknown();
  }
  if (job.party == Party::kUnit) RETURN_IF_ERROR(CheckParty(c, row, job.party));  // decided without asking now
  RETURN_IF_ERROR(CheckEtag("etag", job.etag, row.version));
  const auto before = static_cast<v1::RequestState>(row.state);
  if (std::find(job.from.begin(), job.from.end(), before) == job.from.end()) {
    return WithReason(absl::FailedPreconditionError(absl::StrCat("a request in ", v1::RequestState_Name(before),
                                                                 " cannot take '", job.action, "'")),
                      "ILLEGAL_TRANSITION", {{"state", v1::RequestState_Name(before)}});
  }
  store::RequestRecord r = row;  // the row stays as it was if the change fails
  Effects fx;
  fx.now_us = now_us;
  RETURN_IF_ERROR(job.change(r, fx));
  // Only a request awaiting its member's answer has an acceptance deadline
  // (the sweeper finds them by it alone: migration 0004).
  if (r.state != v1::REQUEST_STATE_DISPATCHED) r.accept_due_us = 0;
  r.version++;
  r.updated_us = now_us;
  timeline.push_back({0, r.id, r.district_id, job.action, c.principal.subject, r.updated_us, static_cast<int>(before),
                      r.state, fx.detail, r.resident, r.assignee.empty() ? row.assignee : r.assignee, r.community_id});
  if (fx.event.has_value()) events.push_back(*std::move(fx.event));
  row = r;
  job.result = std::move(r);
  return absl::OkStatus();
}

}  // namespace lianxin::dispatch
