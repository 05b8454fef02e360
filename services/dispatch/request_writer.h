// How requests reach the database: the one write path of the dispatch
// service. DispatchLogic decides what a change or a submission is (the
// rules); this class writes them, many in one transaction.
//
// Every change and every submission is a job for a Batcher
// (common/batcher.h): the calling thread hands it over and is free at once. A
// batcher thread runs one transaction for all the jobs waiting: each request
// as this process last wrote it (kept in memory), else read and locked with
// one SELECT ... FOR UPDATE; each job's `apply` run in arrival order on the
// row as the jobs before it left it (two changes to one request behave as if
// sent one after the other); then in one round trip every changed row (each
// only at the version it was read at, with a guard that fails the lot if
// another replica moved one), every timeline row, every outbox event, and the
// commit. Another thread then finishes each job (`done`). A job that fails
// changes nothing and does not hold back the others; one refused on a row
// from memory is decided again on the row itself; a row another replica
// changed meanwhile sends the batch again on rows read and locked.
//
//   auto job = std::make_unique<RequestWriter::ChangeJob>();
//   job->id = id;
//   job->apply = [](int64_t now_us, store::RequestRecord& row, RequestWriter::Writes& out) { ... };
//   job->done = [](absl::Status s, const store::RequestRecord& row) { ... };
//   if (!writer.Change(std::move(job))) return AtCapacity();
#ifndef LIANXIN_SERVICES_DISPATCH_REQUEST_WRITER_H_
#define LIANXIN_SERVICES_DISPATCH_REQUEST_WRITER_H_

#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "common/batcher.h"
#include "common/clock.h"
#include "common/db.h"
#include "common/ttl_cache.h"
#include "services/dispatch/dispatch_store.h"

namespace lianxin::dispatch {

// The pool batches are written on, beside the service's `main` pool (pool
// "writes", common/db.h).
// Each of its two batchers (changes, submissions) batches by `settings`.
inline DbOptions WritePoolOptions(const DbOptions& main, const BatcherSettings& settings) {
  return BatchWritePoolOptions(main, settings.leaders, "writes");
}

class RequestWriter {
 public:
  // What a change writes besides the request, in the same transaction.
  struct Writes {
    std::vector<store::TimelineRecord> timeline;
    std::vector<store::OutboxRecord> events;
  };

  struct ChangeJob {
    std::string id;  // the request
    // Applies the change to `row` at the batch's time: edits it (the version
    // moved on) and adds what else it writes to `out`; an error leaves both
    // as they were. Runs on a batch thread inside its transaction: it must
    // not block. AskFirst() sends the job to `ask` first.
    std::function<absl::Status(int64_t now_us, store::RequestRecord& row, Writes& out)> apply;
    // Asked outside any transaction when `apply` answered AskFirst(), with
    // the row as it found it: OK tries the change again.
    std::function<absl::Status(const store::RequestRecord& row)> ask;
    // Called once, on a finisher thread: the outcome and the request as the
    // change left it (as it was found, on an error).
    std::function<void(const absl::Status& status, const store::RequestRecord& row)> done;
    // The caller's: a job still waiting when it passes is not written
    // (DEADLINE_EXCEEDED): nobody waits for its answer.
    absl::Time deadline = absl::InfiniteFuture();

    // The batch's.
    bool fresh = false;  // read the row from the database, not memory
    absl::Status status;
    store::RequestRecord result;
  };

  struct SubmitJob {
    store::RequestRecord record;      // the new request, complete
    store::TimelineRecord timeline;   // its first timeline row
    std::string subject, request_id;  // the caller, and its request id ("" for none)
    // Duplicates are open requests of the same place and category created
    // since this time; -1 for none (the caller allows a duplicate).
    int64_t duplicate_since_us = -1;
    // Called once, on a finisher thread: the request as created — or as the
    // first call with this request id created it —, or the open request
    // this one duplicates (`duplicate_of`, nothing written).
    std::function<void(const absl::Status& status, const store::RequestRecord& row, const std::string& duplicate_of)>
        done;
    absl::Time deadline = absl::InfiniteFuture();  // as ChangeJob's

    // The batch's.
    absl::Status status;
    store::RequestRecord result;
    std::string duplicate_of;
  };

  // `writes`: a pool made with WritePoolOptions. A batch's time comes from
  // `clock`. With a registry, the size of each batch is observed
  // (lianxin_write_batch_size{batcher="changes"|"submits"}).
  RequestWriter(DbPool& writes, const BatcherSettings& settings, prometheus::Registry* registry = nullptr,
                const Clock& clock = SystemClock::Get());
  RequestWriter(const RequestWriter&) = delete;
  RequestWriter& operator=(const RequestWriter&) = delete;

  // Writes and answers every job already handed in, then stops: later ones
  // are refused. Before what the jobs' callbacks use goes away.
  void Stop();

  // False when the queue is full (the job is dropped: answer AtCapacity()).
  bool Change(std::unique_ptr<ChangeJob> job);
  bool Submit(std::unique_ptr<SubmitJob> job);

  // A change's answer from `apply` that needs `ask` first.
  static absl::Status AskFirst();

 private:
  void WriteChanges(absl::Span<ChangeJob* const> jobs);
  // `rows`: every request the batch read, as it left them.
  absl::Status ChangeBatch(Db& db, absl::Span<ChangeJob* const> jobs, std::vector<store::RequestRecord>& rows);
  void FinishChanges(absl::Span<ChangeJob* const> jobs);
  // `look_up_ids`: read which request ids were seen before (a retry replays
  // its first call); without, the batch assumes none were, and a request id
  // seen before fails it (ALREADY_EXISTS) to be written again looking them up.
  void WriteSubmits(absl::Span<SubmitJob* const> jobs, bool look_up_ids);
  absl::Status SubmitBatch(Db& db, absl::Span<SubmitJob* const> jobs, bool look_up_ids);
  void FinishSubmits(absl::Span<SubmitJob* const> jobs);

  DbPool& writes_;
  const Clock& clock_;
  // Requests as this process last wrote or read them in a batch: a change
  // needs no read first; its UPDATE checks the version.
  TtlCache<store::RequestRecord> rows_{absl::Minutes(10), 50000};
  Batcher<ChangeJob> changes_;
  Batcher<SubmitJob> submits_;
};

}  // namespace lianxin::dispatch

#endif  // LIANXIN_SERVICES_DISPATCH_REQUEST_WRITER_H_
