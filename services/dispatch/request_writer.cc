#include "services/dispatch/request_writer.h"

#include <algorithm>
#include <iterator>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/idempotency.h"
#include "common/names.h"
#include "common/status.h"

namespace lianxin::dispatch {
namespace {

bool IsAskFirst(const absl::Status& s) { return ReasonOf(s) == "ASK_FIRST"; }
// A change refused on a row read from memory, to be decided on the row itself.
absl::Status Recheck() { return WithReason(absl::UnavailableError("check again"), "RECHECK"); }
bool IsRecheck(const absl::Status& s) { return ReasonOf(s) == "RECHECK"; }

}  // namespace

absl::Status RequestWriter::AskFirst() { return WithReason(absl::UnavailableError("to be asked first"), "ASK_FIRST"); }

namespace {

absl::Status PastDeadline() {
  return absl::DeadlineExceededError("the deadline passed before the write; nothing was written");
}

}  // namespace

RequestWriter::RequestWriter(DbPool& writes, const BatcherSettings& settings, prometheus::Registry* registry,
                             const Clock& clock)
    : writes_(writes),
      clock_(clock),
      changes_(
          settings, [this](absl::Span<ChangeJob* const> jobs) { WriteChanges(jobs); },
          [this](absl::Span<ChangeJob* const> jobs) { FinishChanges(jobs); }, BatchSizeHistogram(registry, "changes")),
      submits_(
          settings,
          // Retries are rare: written assuming none, looked up when one is met.
          [this](absl::Span<SubmitJob* const> jobs) { WriteSubmits(jobs, /*look_up_ids=*/false); },
          [this](absl::Span<SubmitJob* const> jobs) { FinishSubmits(jobs); }, BatchSizeHistogram(registry, "submits")) {
}

void RequestWriter::Stop() {
  changes_.Stop();
  submits_.Stop();
}

bool RequestWriter::Change(std::unique_ptr<ChangeJob> job) {
  if (!changes_.Submit(job.get())) return false;
  job.release();  // FinishChanges deletes it
  return true;
}

bool RequestWriter::Submit(std::unique_ptr<SubmitJob> job) {
  if (!submits_.Submit(job.get())) return false;
  job.release();  // FinishSubmits deletes it
  return true;
}

void RequestWriter::WriteChanges(absl::Span<ChangeJob* const> jobs) {
  std::vector<store::RequestRecord> rows;
  absl::Status s = writes_.Transact([&](Db& db) { return ChangeBatch(db, jobs, rows); });
  if (s.ok()) {
    for (auto& r : rows) {
      const std::string id = r.id;  // not r.id: r is moved from in the same call
      rows_.Put(id, std::move(r));
    }
    return;
  }
  for (const ChangeJob* job : jobs) rows_.Erase(job->id);
  if (ReasonOf(s) == "ROWS_CHANGED") {
    // A row in memory was behind the database (another replica): nothing
    // was written; once more on the rows themselves.
    for (ChangeJob* job : jobs) job->fresh = true;
    WriteChanges(jobs);
    return;
  }
  if (jobs.size() > 1 && !absl::IsUnavailable(s)) {
    // A database error no single job's checks foresaw: give each job its own
    // transaction, so that only the one at fault fails.
    for (ChangeJob* job : jobs) WriteChanges({job});
    return;
  }
  for (ChangeJob* job : jobs) job->status = s;
}

absl::Status RequestWriter::ChangeBatch(Db& db, absl::Span<ChangeJob* const> jobs,
                                        std::vector<store::RequestRecord>& rows) {
  // The rows as last written by this process where it remembers them (the
  // UPDATE checks their version), else read and locked.
  std::vector<store::RequestRecord> read;
  std::vector<std::string> unread;
  for (const ChangeJob* job : jobs) {
    const std::string& id = job->id;
    auto seen = [&](const store::RequestRecord& r) { return r.id == id; };
    if (std::find_if(read.begin(), read.end(), seen) != read.end() ||
        std::find(unread.begin(), unread.end(), id) != unread.end()) {
      continue;
    }
    bool fresh = std::any_of(jobs.begin(), jobs.end(), [&](const ChangeJob* j) { return j->id == id && j->fresh; });
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
  Writes writes;
  const int64_t now_us = absl::ToUnixMicros(clock_.Now());
  const absl::Time wall = absl::Now();
  for (ChangeJob* job : jobs) {
    if (wall >= job->deadline) {
      job->status = PastDeadline();
      continue;
    }
    auto it = index.find(job->id);
    if (it == index.end()) {
      job->status = NotFoundIn(kRequests, job->id, "name");
      continue;
    }
    store::RequestRecord& row = rows[it->second];
    job->status = job->apply(now_us, row, writes);
    job->result = row;
    if (job->status.ok()) {
      changed[it->second] = true;
    } else if (it->second < from_memory && !IsAskFirst(job->status)) {
      job->status = Recheck();  // the row in memory may be behind
    }
  }
  std::vector<store::RequestChange> changes;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (changed[i]) changes.push_back({&read[i], &rows[i]});
  }
  // The writes and the commit: one round trip.
  std::vector<SqlStatement> script;
  if (auto update = store::UpdateRequestsSql(changes); update.has_value()) {
    script.push_back(*std::move(update));
    script.push_back(ExpectRowsChanged(changes.size()));
  }
  for (auto st : {store::TimelineSql(writes.timeline), store::OutboxSql(writes.events)}) {
    if (st.has_value()) script.push_back(*std::move(st));
  }
  return db.ExecScript(script, /*commit=*/true);
}

void RequestWriter::FinishChanges(absl::Span<ChangeJob* const> jobs) {
  for (ChangeJob* job : jobs) {
    absl::Status s = job->status;
    if (IsRecheck(s)) {
      // Refused on a row read from memory: decide again on the row itself.
      job->fresh = true;
      if (changes_.Submit(job)) continue;
      s = AtCapacity();
    }
    if (IsAskFirst(s)) {
      // Asked outside any transaction, then tried again.
      s = job->ask ? job->ask(job->result) : absl::InternalError("a change asked first without a question");
      if (s.ok() && changes_.Submit(job)) continue;
      if (s.ok()) s = AtCapacity();
    }
    job->done(s, job->result);
    delete job;
  }
}

void RequestWriter::WriteSubmits(absl::Span<SubmitJob* const> jobs, bool look_up_ids) {
  absl::Status s = writes_.Transact([&](Db& db) { return SubmitBatch(db, jobs, look_up_ids); });
  if (s.ok()) return;
  if (absl::IsAlreadyExists(s) && !look_up_ids) {
    // A request id seen before (a retry): nothing was written; again, reading them.
    WriteSubmits(jobs, /*look_up_ids=*/true);
    return;
  }
  if (jobs.size() > 1 && !absl::IsUnavailable(s)) {
    // One of them lost a request-id race with another batch, or a database
    // error no check foresaw: each on its own, so only that one is affected.
    for (SubmitJob* job : jobs) WriteSubmits({job}, /*look_up_ids=*/true);
    return;
  }
  if (absl::IsAlreadyExists(s)) {
    // A request-id race: the winner has committed; this run replays it.
    s = writes_.Transact([&](Db& db) { return SubmitBatch(db, jobs, /*look_up_ids=*/true); });
  }
  for (SubmitJob* job : jobs) {
    if (!s.ok()) job->status = s;
  }
}

absl::Status RequestWriter::SubmitBatch(Db& db, absl::Span<SubmitJob* const> jobs, bool look_up_ids) {
  std::vector<std::pair<std::string, std::string>> keys, places;
  int64_t since_us = INT64_MAX;
  for (const SubmitJob* job : jobs) {
    if (look_up_ids) keys.push_back({job->subject, job->request_id});
    if (job->duplicate_since_us >= 0) {
      places.push_back({job->record.place_id, job->record.category});
      since_us = std::min(since_us, job->duplicate_since_us);
    }
  }
  ASSIGN_OR_RETURN(auto seen, FindRequests(db, keys));
  ASSIGN_OR_RETURN(auto open, store::FindOpenDuplicates(db, places, since_us));
  std::vector<std::string> replay_ids;
  for (const auto& [key, resource] : seen) replay_ids.push_back(kRequests.IdOf(resource));
  ASSIGN_OR_RETURN(std::vector<store::RequestRecord> replays, store::GetRequests(db, replay_ids, false));

  absl::flat_hash_map<std::string, const store::RequestRecord*> created;  // by request key, this batch
  std::vector<const store::RequestRecord*> rows;
  std::vector<RememberedRequest> remembered;
  std::vector<store::TimelineRecord> timeline;
  const absl::Time wall = absl::Now();
  for (SubmitJob* job : jobs) {
    const std::string key = RequestKey(job->subject, job->request_id);
    job->status = absl::OkStatus();
    job->duplicate_of.clear();
    if (wall >= job->deadline) {
      job->status = PastDeadline();
      continue;
    }
    if (!job->request_id.empty()) {
      if (auto it = seen.find(key); it != seen.end()) {  // a retry of an earlier call
        auto r = std::find_if(replays.begin(), replays.end(),
                              [&](const auto& rec) { return it->second == kRequests.Name(rec.id); });
        if (r == replays.end()) {
          job->status = CreatedResourceGone(it->second);
        } else {
          job->result = *r;
        }
        continue;
      }
      if (auto it = created.find(key); it != created.end()) {  // a retry within this batch
        job->result = *it->second;
        continue;
      }
    }
    const store::RequestRecord& r = job->record;
    if (job->duplicate_since_us >= 0) {
      const std::string where = absl::StrCat(r.place_id, "\n", r.category);
      if (auto it = open.find(where); it != open.end()) {
        // The request it duplicates may be this call's own first try.
        if (!look_up_ids && !job->request_id.empty()) return absl::AlreadyExistsError("may be a retry");
        job->duplicate_of = it->second;
        continue;
      }
    }
    open.try_emplace(absl::StrCat(r.place_id, "\n", r.category), r.id);
    if (!job->request_id.empty()) created[key] = &r;
    rows.push_back(&r);
    remembered.push_back(
        {job->subject, job->request_id, r.district_id, "SubmitRequest", kRequests.Name(r.id), r.created_us});
    timeline.push_back(job->timeline);
    job->result = r;
  }
  // Request ids first: a concurrent call with one of them waits on its row.
  std::vector<SqlStatement> script;
  for (auto st : {RememberRequestsSql(remembered), store::InsertRequestsSql(rows), store::TimelineSql(timeline)}) {
    if (st.has_value()) script.push_back(*std::move(st));
  }
  return db.ExecScript(script, /*commit=*/true);
}

void RequestWriter::FinishSubmits(absl::Span<SubmitJob* const> jobs) {
  for (SubmitJob* job : jobs) {
    // Its first change needs no read.
    if (job->status.ok() && job->duplicate_of.empty()) rows_.Put(job->result.id, job->result);
    job->done(job->status, job->result, job->duplicate_of);
    delete job;
  }
}

}  // namespace lianxin::dispatch
