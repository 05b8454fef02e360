// How far an append-only table (a timeline, an outbox) can be read by seq
// without missing a row later. Rows get their AUTO_INCREMENT seq when
// inserted, but transactions commit in any order: a reader that saw seq 11
// and moved its cursor past it would never see seq 10 committing a moment
// later. So readers read only up to the settled seq: the last row before the
// first gap that may still fill. A gap fills or never will (a rolled-back
// insert) within the time a transaction holds a seq before it commits; every
// writer in this project takes its seq just before COMMIT, so a gap whose next
// row was written more than `young` ago is taken for good.
//
// The table needs `seq BIGINT AUTO_INCREMENT PRIMARY KEY` and `written_at
// TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6)` (the database's clock, so that a
// service's moved test clock does not matter).
//
//   SettledSeq outbox("outbox");
//   ASSIGN_OR_RETURN(int64_t upto, outbox.Get(pool));  // then WHERE seq > cursor AND seq <= upto
#ifndef LIANXIN_COMMON_SETTLED_SEQ_H_
#define LIANXIN_COMMON_SETTLED_SEQ_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/db.h"

namespace lianxin {

class SettledSeq {
 public:
  explicit SettledSeq(std::string table, absl::Duration young = absl::Seconds(5),
                      absl::Duration refresh = absl::Milliseconds(50));

  // The settled seq, looked for again at most every `refresh`; from one call
  // to the next it never goes back.
  absl::StatusOr<int64_t> Get(DbPool& pool);

 private:
  // Walks the rows after settled_ in pages, over gaps that are old.
  absl::Status Advance(Db& db) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string table_;
  const absl::Duration young_, refresh_;
  absl::Mutex mu_;
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  int64_t settled_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Time checked_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

}  // namespace lianxin

#endif  // LIANXIN_COMMON_SETTLED_SEQ_H_
