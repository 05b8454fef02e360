#include "services/activity/activity_flags.h"

#include <string>
#include <vector>

#include "absl/flags/flag.h"

ABSL_FLAG(std::string, org_target, "127.0.0.1:7101", "the organization service (host:port)");
ABSL_FLAG(std::string, member_target, "127.0.0.1:7102", "the member service (host:port)");
ABSL_FLAG(std::string, dispatch_target, "127.0.0.1:7103",
          "the dispatch service (host:port), whose closed requests credit members; empty: none");
ABSL_FLAG(int, credit_interval_ms, 2000, "how often closed requests are looked for and credited (100-60000)");
ABSL_FLAG(int, drift_months, 3, "members taking part in nothing for this many months are to-dos (1-24)");
ABSL_FLAG(int, drift_sweep_minutes, 60, "the early warning's to-dos are worked out at most this often (0-1440)");
ABSL_FLAG(std::string, keys_file, "", "field encryption keys (see common/crypto.h) sealing dues bases; required");
ABSL_FLAG(std::string, index_key_file, "", "the blind-index key, in a file of its own; required");
ABSL_FLAG(int, write_batch, 32, "at most this many check-ins written in one transaction (1-256)");
ABSL_FLAG(int, write_leaders, 2, "at most this many such transactions at once (1-64)");
ABSL_FLAG(std::string, clock_offset_file, "", "tests only: seconds to add to the clock, read from this file");

namespace lianxin::activity {

ServiceFlagsReader ActivityFlags::Reader() {
  return [this](const ServerConfig& config, std::vector<std::string>& problems) {
    org = ChannelFlag(absl::GetFlag(FLAGS_org_target), "org_target", config.tls, problems);
    member = ChannelFlag(absl::GetFlag(FLAGS_member_target), "member_target", config.tls, problems);
    if (!absl::GetFlag(FLAGS_dispatch_target).empty()) {
      dispatch = ChannelFlag(absl::GetFlag(FLAGS_dispatch_target), "dispatch_target", config.tls, problems);
    }
    credit_interval = absl::Milliseconds(
        FlagInRange(absl::GetFlag(FLAGS_credit_interval_ms), "credit_interval_ms", 100, 60000, problems));
    writer = BatcherFlags(absl::GetFlag(FLAGS_write_batch), absl::GetFlag(FLAGS_write_leaders), problems);
    rules.drift_months = FlagInRange(absl::GetFlag(FLAGS_drift_months), "drift_months", 1, 24, problems);
    rules.drift_sweep =
        absl::Minutes(FlagInRange(absl::GetFlag(FLAGS_drift_sweep_minutes), "drift_sweep_minutes", 0, 1440, problems));
    cipher = CipherFlag(absl::GetFlag(FLAGS_keys_file), absl::GetFlag(FLAGS_index_key_file), "keys_file", problems);
    if (!absl::GetFlag(FLAGS_clock_offset_file).empty()) {
      offset_clock = std::make_unique<OffsetFileClock>(absl::GetFlag(FLAGS_clock_offset_file));
    }
  };
}

}  // namespace lianxin::activity
