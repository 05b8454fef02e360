#include "common/settled_seq.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status.h"

namespace lianxin {
namespace {

constexpr int kPage = 5000;
// Where a process starts walking: rows this far behind the newest are
// settled long since.
constexpr int64_t kStartBehind = 100000;

}  // namespace

SettledSeq::SettledSeq(std::string table, absl::Duration young, absl::Duration refresh)
    : table_(std::move(table)), young_(young), refresh_(refresh) {}

absl::StatusOr<int64_t> SettledSeq::Get(DbPool& pool) {
  absl::MutexLock lock(&mu_);
  if (absl::Now() - checked_ >= refresh_) {
    RETURN_IF_ERROR(pool.Run([&](Db& db) { return Advance(db); }));
    checked_ = absl::Now();
  }
  return settled_;
}

absl::Status SettledSeq::Advance(Db& db) {
  if (!started_) {
    int64_t newest = 0;
    RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT COALESCE(MAX(seq), 0) AS newest FROM ", table_), {},
                             [&](const Row& r) { newest = r.Int("newest"); }));
    settled_ = std::max<int64_t>(0, newest - kStartBehind);
    started_ = true;
  }
  const int64_t young_us = absl::ToInt64Microseconds(young_);
  while (true) {
    int rows = 0;
    bool blocked = false;
    RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT seq, written_at > NOW(6) - INTERVAL ? MICROSECOND AS young FROM ",
                                          table_, " WHERE seq > ? ORDER BY seq LIMIT ?"),
                             {young_us, settled_, int64_t{kPage}}, [&](const Row& r) {
                               ++rows;
                               if (blocked) return;
                               const int64_t seq = r.Int("seq");
                               const bool young = r.Int("young") != 0;
                               if (seq != settled_ + 1 && young) {
                                 blocked = true;  // seqs before this one may still commit
                                 return;
                               }
                               settled_ = seq;
                             }));
    if (blocked || rows < kPage) return absl::OkStatus();
  }
}

}  // namespace lianxin
