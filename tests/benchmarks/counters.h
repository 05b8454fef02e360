// Where a write's cost goes, as the benchmarks of batched writes read it:
// MariaDB's own counters, and a service's batch figures from its /metrics.
//
//   Counters before = ServerCounters(pool);
//   ... the load ...
//   Counters moved = Moved(before, ServerCounters(pool));
#ifndef LIANXIN_TESTS_BENCHMARKS_COUNTERS_H_
#define LIANXIN_TESTS_BENCHMARKS_COUNTERS_H_

#include <map>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/db.h"
#include "tests/support/harness.h"

namespace lianxin::testing {

using Counters = std::map<std::string, double>;

// MariaDB's own counters (SHOW GLOBAL STATUS), to see what a call costs it.
constexpr const char* kServerCounters[] = {"Questions",          "Com_commit",       "Innodb_log_writes",
                                           "Innodb_data_fsyncs", "Handler_read_key", "Handler_read_next",
                                           "Handler_update",     "Handler_write"};

inline Counters ServerCounters(DbPool& pool) {
  Counters out;
  pool.Run([&](Db& d) {
        return d.Query("SHOW GLOBAL STATUS", {}, [&](const Row& r) {
          for (const char* name : kServerCounters)
            if (r.Str("Variable_name") == name) out[name] = static_cast<double>(r.Int("Value"));
        });
      })
      .IgnoreError();
  return out;
}

// A service's own figures (its /metrics), under these names: "batches"
// written and "jobs" in them (every batcher's), "statements" on the
// connections of pool `write_pool` and their "statement_seconds", and
// "calls" served and their "call_seconds".
inline Counters ServiceCounters(int metrics_port, const std::string& write_pool) {
  const std::map<std::string, std::string> metrics = {
      {"lianxin_write_batch_size_count", "batches"},
      {"lianxin_write_batch_size_sum", "jobs"},
      {absl::StrCat("db_query_duration_seconds_count{pool=\"", write_pool, "\"}"), "statements"},
      {absl::StrCat("db_query_duration_seconds_sum{pool=\"", write_pool, "\"}"), "statement_seconds"},
      {"grpc_server_handling_seconds_count", "calls"},
      {"grpc_server_handling_seconds_sum", "call_seconds"}};
  Counters out;
  for (const auto& [metric, name] : metrics) out[name] = 0;
  auto body = HttpGet(metrics_port, "/metrics");
  if (!body.ok()) return out;
  for (absl::string_view line : absl::StrSplit(*body, '\n')) {
    for (const auto& [metric, name] : metrics) {
      absl::string_view n(metric);
      // Batch sizes are labelled by batcher; sum over them.
      bool labelled = line.substr(0, n.size() + 1) == absl::StrCat(n, "{");
      if (line.substr(0, n.size() + 1) != absl::StrCat(n, " ") && !labelled) continue;
      double v = 0;
      if (absl::SimpleAtod(line.substr(line.rfind(' ') + 1), &v)) out[name] += v;
    }
  }
  return out;
}

// What moved from `before` to `after`.
inline Counters Moved(const Counters& before, Counters after) {
  for (auto& [k, v] : after) {
    auto it = before.find(k);
    if (it != before.end()) v -= it->second;
  }
  return after;
}

}  // namespace lianxin::testing

#endif  // LIANXIN_TESTS_BENCHMARKS_COUNTERS_H_
