// How members' own attendance changes reach the database: check-ins, many
// in one transaction. ActivityLogic decides what a check-in may do (the
// rules); this class reads what it needs for the whole batch and writes it.
//
// Every check-in is a job for a Batcher (common/batcher.h): the gRPC thread
// hands it over and is free at once. A batcher thread runs one transaction
// for all the jobs waiting: their activities read with one shared-lock
// SELECT (holding and cancelling wait for the batch, and the batch for
// them), the members' rows read and locked with one SELECT ... FOR UPDATE;
// each job's `apply` run in arrival order on its row as the jobs before it
// left it (the same member twice behaves as if sent one after the other);
// then every changed row and the commit in one round trip. Another thread
// answers each job (`done`). A job that fails changes nothing and does not
// hold back the others; a database error that fails a batch of many sends
// each job again on its own, so that only the one at fault fails.
//
//   auto job = std::make_unique<AttendanceWriter::Job>();
//   job->activity_id = ...; job->member_id = ...;
//   job->apply = [](const store::ActivityRecord* a, bool exists, store::AttendanceRecord& row) { ... };
//   job->done = [](const absl::Status& s, const store::AttendanceRecord& row) { ... };
//   if (!writer.Write(std::move(job))) return AtCapacity();
#ifndef LIANXIN_SERVICES_ACTIVITY_ATTENDANCE_WRITER_H_
#define LIANXIN_SERVICES_ACTIVITY_ATTENDANCE_WRITER_H_

#include <prometheus/registry.h>

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "common/batcher.h"
#include "common/db.h"
#include "services/activity/activity_store.h"

namespace lianxin::activity {

// The pool batches are written on, beside the service's `main` pool (pool
// "attendance_writes", common/db.h).
inline DbOptions AttendanceWritePoolOptions(const DbOptions& main, const BatcherSettings& settings) {
  return BatchWritePoolOptions(main, settings.leaders, "attendance_writes");
}

class AttendanceWriter {
 public:
  struct Job {
    std::string activity_id, member_id;
    // Decides the change: `a` is the activity (null if there is none),
    // `row` the member's row as the batch holds it — when `exists` is false,
    // an empty record the job fills in whole. Returns true to write `row`,
    // false to leave it as it is (the answer is then the row unchanged), or
    // why not; AskFirst() sends the job to `ask` first. Runs on a batch
    // thread inside its transaction: it must not block.
    std::function<absl::StatusOr<bool>(const store::ActivityRecord* a, bool exists, store::AttendanceRecord& row)>
        apply;
    // Asked outside any transaction when `apply` answered AskFirst(): OK
    // tries the job again.
    std::function<absl::Status()> ask;
    // Called once, on a finisher thread: the outcome and the row as the job
    // left it.
    std::function<void(const absl::Status& status, const store::AttendanceRecord& row)> done;
    // The caller's: a job still waiting when it passes is not written.
    absl::Time deadline = absl::InfiniteFuture();

    // The batch's.
    absl::Status status;
    store::AttendanceRecord result;
  };

  // `writes`: a pool made with AttendanceWritePoolOptions. With a registry,
  // the size of each batch is observed
  // (lianxin_write_batch_size{batcher="attendance"}).
  AttendanceWriter(DbPool& writes, const BatcherSettings& settings, prometheus::Registry* registry = nullptr);
  AttendanceWriter(const AttendanceWriter&) = delete;
  AttendanceWriter& operator=(const AttendanceWriter&) = delete;

  // Writes and answers every job already handed in, then stops: later ones
  // are refused. Before what the jobs' callbacks use goes away.
  void Stop() { jobs_.Stop(); }

  // False when the queue is full (the job is dropped: answer AtCapacity()).
  bool Write(std::unique_ptr<Job> job);

  // An answer of `apply` that needs `ask` first.
  static absl::Status AskFirst();

 private:
  void WriteBatch(absl::Span<Job* const> jobs);
  absl::Status Batch(Db& db, absl::Span<Job* const> jobs);
  void Finish(absl::Span<Job* const> jobs);

  DbPool& writes_;
  Batcher<Job> jobs_;
};

}  // namespace lianxin::activity

#endif  // LIANXIN_SERVICES_ACTIVITY_ATTENDANCE_WRITER_H_
