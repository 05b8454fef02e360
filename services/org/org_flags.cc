#include "services/org/org_flags.h"

#include <string>
#include <vector>

#include "absl/flags/flag.h"

ABSL_FLAG(std::string, member_target, "",
          "the member service (host:port), for the rules that need member data; empty: those checks are off");

ABSL_FLAG(std::string, dispatch_target, "",
          "the dispatch service (host:port), whose to-dos are gathered with the others; empty: not gathered");
ABSL_FLAG(std::string, activity_target, "",
          "the activity service (host:port), whose to-dos are gathered with the others; empty: not gathered");
ABSL_FLAG(int, watch_interval_ms, 1000, "how often WatchTodos looks for new to-dos (50-60000)");
ABSL_FLAG(int, watch_streams_per_caller, 5, "open WatchTodos streams per caller (1-100)");
ABSL_FLAG(int, watch_streams_per_replica, 2000, "open WatchTodos streams per replica (1-100000)");

namespace lianxin::org {

ServiceFlagsReader OrgFlags::Reader() {
  return [this](const ServerConfig& config, std::vector<std::string>& problems) {
    const int interval_ms = absl::GetFlag(FLAGS_watch_interval_ms);
    if (interval_ms < 50 || interval_ms > 60000) problems.push_back("--watch_interval_ms must be 50-60000");
    watch_interval = absl::Milliseconds(interval_ms);
    watch_streams_per_caller = absl::GetFlag(FLAGS_watch_streams_per_caller);
    if (watch_streams_per_caller < 1 || watch_streams_per_caller > 100) {
      problems.push_back("--watch_streams_per_caller must be 1-100");
    }
    watch_streams_per_replica = absl::GetFlag(FLAGS_watch_streams_per_replica);
    if (watch_streams_per_replica < 1 || watch_streams_per_replica > 100000) {
      problems.push_back("--watch_streams_per_replica must be 1-100000");
    }
    if (const std::string target = absl::GetFlag(FLAGS_dispatch_target); !target.empty()) {
      dispatch = ChannelFlag(target, "dispatch_target", config.tls, problems);
    }
    if (const std::string target = absl::GetFlag(FLAGS_activity_target); !target.empty()) {
      activity = ChannelFlag(target, "activity_target", config.tls, problems);
    }
    const std::string target = absl::GetFlag(FLAGS_member_target);
    if (target.empty()) return;
    member = ChannelFlag(target, "member_target", config.tls, problems);
  };
}

}  // namespace lianxin::org
