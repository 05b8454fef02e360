#include "services/dispatch/dispatch_flags.h"

#include <string>
#include <vector>

#include "absl/flags/flag.h"

ABSL_FLAG(std::string, org_target, "127.0.0.1:7101", "the organization service (host:port)");
ABSL_FLAG(std::string, member_target, "127.0.0.1:7102", "the member service (host:port)");
ABSL_FLAG(std::string, keys_file, "", "field encryption keys for residents' phones (common/crypto.h); required");
ABSL_FLAG(std::string, index_key_file, "", "the blind-index key, in a file of its own; required");
ABSL_FLAG(int, accept_minutes, 60, "minutes a dispatched member has to answer (1-1440)");
ABSL_FLAG(int, duplicate_days, 7, "an open request of the same category and place this recent is a duplicate (0-90)");
ABSL_FLAG(int, reopen_days, 7, "days after resolution a resident may reopen (0-90)");
ABSL_FLAG(int, confirm_days, 7, "days after resolution an unconfirmed request closes unrated (1-90)");
ABSL_FLAG(int, unanswered_days, 7, "days after which a request nobody took up is flagged and escalated (1-90)");
ABSL_FLAG(int, sweep_interval_ms, 1000, "how often timeouts and escalations are looked for (100-60000)");
ABSL_FLAG(int, watch_interval_ms, 250, "how often WatchRequests streams look for new changes (50-10000)");
ABSL_FLAG(int, watch_streams_per_caller, 4, "WatchRequests streams one caller may keep open (1-100)");
ABSL_FLAG(int, watch_streams_per_replica, 20000, "WatchRequests streams this replica serves at once (1-1000000)");
ABSL_FLAG(int, write_batch, 32, "at most this many request changes written in one transaction (1-256)");
ABSL_FLAG(int, write_leaders, 2, "at most this many such transactions at once (1-64)");
ABSL_FLAG(std::string, clock_offset_file, "", "tests only: seconds to add to the clock, read from this file");

namespace lianxin::dispatch {
ServiceFlagsReader DispatchFlags::Reader() {
  return [this](const ServerConfig& config, std::vector<std::string>& problems) {
    cipher = CipherFlag(absl::GetFlag(FLAGS_keys_file), absl::GetFlag(FLAGS_index_key_file), "keys_file", problems);
    rules.accept_limit =
        absl::Minutes(FlagInRange(absl::GetFlag(FLAGS_accept_minutes), "accept_minutes", 1, 1440, problems));
    rules.duplicate_days = FlagInRange(absl::GetFlag(FLAGS_duplicate_days), "duplicate_days", 0, 90, problems);
    rules.reopen_days = FlagInRange(absl::GetFlag(FLAGS_reopen_days), "reopen_days", 0, 90, problems);
    rules.confirm_days = FlagInRange(absl::GetFlag(FLAGS_confirm_days), "confirm_days", 1, 90, problems);
    rules.unanswered_days = FlagInRange(absl::GetFlag(FLAGS_unanswered_days), "unanswered_days", 1, 90, problems);
    sweep_interval = absl::Milliseconds(
        FlagInRange(absl::GetFlag(FLAGS_sweep_interval_ms), "sweep_interval_ms", 100, 60000, problems));
    watch_interval = absl::Milliseconds(
        FlagInRange(absl::GetFlag(FLAGS_watch_interval_ms), "watch_interval_ms", 50, 10000, problems));
    watch_streams_per_caller =
        FlagInRange(absl::GetFlag(FLAGS_watch_streams_per_caller), "watch_streams_per_caller", 1, 100, problems);
    watch_streams_per_replica =
        FlagInRange(absl::GetFlag(FLAGS_watch_streams_per_replica), "watch_streams_per_replica", 1, 1000000, problems);
    writer = BatcherFlags(absl::GetFlag(FLAGS_write_batch), absl::GetFlag(FLAGS_write_leaders), problems);
    org = ChannelFlag(absl::GetFlag(FLAGS_org_target), "org_target", config.tls, problems);
    member = ChannelFlag(absl::GetFlag(FLAGS_member_target), "member_target", config.tls, problems);
    if (!absl::GetFlag(FLAGS_clock_offset_file).empty()) {
      offset_clock = std::make_unique<OffsetFileClock>(absl::GetFlag(FLAGS_clock_offset_file));
    }
  };
}

}  // namespace lianxin::dispatch
