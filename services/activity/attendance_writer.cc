// AttendanceWriter: check-ins, many in one transaction.
#include "services/activity/attendance_writer.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "common/status.h"

namespace lianxin::activity {
namespace {

bool IsAskFirst(const absl::Status& s) { return ReasonOf(s) == "ASK_FIRST"; }

using Key = std::pair<std::string, std::string>;  // (activity id, member id)

// A member's row as the batch holds it.
struct Held {
  store::AttendanceRecord row;
  bool exists = false;   // in the database
  bool changed = false;  // to be written
};

}  // namespace

absl::Status AttendanceWriter::AskFirst() {
  return WithReason(absl::UnavailableError("to be asked first"), "ASK_FIRST");
}

AttendanceWriter::AttendanceWriter(DbPool& writes, const BatcherSettings& settings, prometheus::Registry* registry)
    : writes_(writes),
      jobs_(
          settings, [this](absl::Span<Job* const> jobs) { WriteBatch(jobs); },
          [this](absl::Span<Job* const> jobs) { Finish(jobs); }, BatchSizeHistogram(registry, "attendance")) {}

bool AttendanceWriter::Write(std::unique_ptr<Job> job) {
  if (!jobs_.Submit(job.get())) return false;
  job.release();  // Finish deletes it
  return true;
}

void AttendanceWriter::WriteBatch(absl::Span<Job* const> jobs) {
  absl::Status s = writes_.Transact([&](Db& db) { return Batch(db, jobs); });
  if (s.ok()) return;
  if (jobs.size() > 1 && !absl::IsUnavailable(s)) {
    // A database error no job's checks foresaw: each job in a transaction of
    // its own, so that only the one at fault fails.
    for (Job* job : jobs) WriteBatch({job});
    return;
  }
  for (Job* job : jobs) job->status = s;
}

absl::Status AttendanceWriter::Batch(Db& db, absl::Span<Job* const> jobs) {
  std::vector<std::string> ids;
  for (const Job* job : jobs) ids.push_back(job->activity_id);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  ASSIGN_OR_RETURN(std::vector<store::ActivityRecord> found, store::GetActivities(db, ids, " LOCK IN SHARE MODE"));
  absl::flat_hash_map<std::string, const store::ActivityRecord*> activities;
  for (const auto& a : found) activities[a.id] = &a;
  // The rows of members at activities that exist, locked.
  std::vector<Key> keys;
  for (const Job* job : jobs) {
    if (activities.contains(job->activity_id)) keys.emplace_back(job->activity_id, job->member_id);
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  ASSIGN_OR_RETURN(std::vector<store::AttendanceRecord> rows, store::LockAttendances(db, keys));
  absl::flat_hash_map<Key, Held> held;
  for (auto& r : rows) {
    Key key(r.activity_id, r.member_id);
    held[key] = Held{std::move(r), true, false};
  }
  const absl::Time now = absl::Now();
  for (Job* job : jobs) {
    job->result = store::AttendanceRecord{};
    if (now >= job->deadline) {
      job->status = absl::DeadlineExceededError("the deadline passed before the write; nothing was written");
      continue;
    }
    auto a = activities.find(job->activity_id);
    const store::ActivityRecord* activity = a == activities.end() ? nullptr : a->second;
    Held& h = held[Key(job->activity_id, job->member_id)];
    store::AttendanceRecord row = h.row;  // a failed job leaves it as it was
    absl::StatusOr<bool> write = job->apply(activity, h.exists || h.changed, row);
    job->status = write.status();
    if (!write.ok()) continue;
    if (*write) {
      h.row = std::move(row);
      h.changed = true;
    }
    job->result = h.row;
  }
  std::vector<const store::AttendanceRecord*> changed;
  for (const auto& [key, h] : held) {
    if (h.changed) changed.push_back(&h.row);
  }
  std::vector<SqlStatement> script;
  if (auto put = store::PutAttendancesSql(changed); put.has_value()) script.push_back(*std::move(put));
  // The writes and the commit: one round trip.
  return db.ExecScript(script, /*commit=*/true);
}

void AttendanceWriter::Finish(absl::Span<Job* const> jobs) {
  for (Job* job : jobs) {
    absl::Status s = job->status;
    if (IsAskFirst(s)) {
      // Asked outside any transaction, then tried again.
      s = job->ask ? job->ask() : absl::InternalError("a check-in asked first without a question");
      if (s.ok() && jobs_.Submit(job)) continue;
      if (s.ok()) s = AtCapacity();
    }
    job->done(s, job->result);
    delete job;
  }
}

}  // namespace lianxin::activity
