// Structured logs: one JSON object per line on stderr, one line per event.
//
//   Log(LogLevel::kInfo, "rpc", {{"method", "GetOrgUnit"}, {"request_id", id}});
//   → {"ts":"2026-11-22T13:00:00.123456Z","level":"info","event":"rpc",
//      "service":"org","method":"GetOrgUnit","request_id":"..."}
#ifndef LIANXIN_COMMON_LOG_H_
#define LIANXIN_COMMON_LOG_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace lianxin {

enum class LogLevel { kDebug, kInfo, kWarning, kError };

using LogFields = std::vector<std::pair<std::string, std::string>>;

// Set once at start-up: the service name stamped on every line, and the
// lowest level written.
void InitLogging(absl::string_view service, LogLevel min_level);
void Log(LogLevel level, absl::string_view event, const LogFields& fields = {});

// JSON string escaping, shared with the history records.
std::string JsonEscape(absl::string_view s);

}  // namespace lianxin

#endif  // LIANXIN_COMMON_LOG_H_
