#include "services/dispatch/dispatch_flags.h"

#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "common/tls.h"

ABSL_FLAG(std::string, org_target, "127.0.0.1:7101", "the organization service (host:port)");
ABSL_FLAG(std::string, member_target, "127.0.0.1:7102", "the member service (host:port)");
ABSL_FLAG(std::string, keys_file, "", "field encryption keys for residents' phones (common/crypto.h); required");
ABSL_FLAG(int, accept_minutes, 60, "minutes a dispatched member has to answer (1-1440)");
ABSL_FLAG(int, duplicate_days, 7, "an open request of the same category and place this recent is a duplicate (0-90)");
ABSL_FLAG(int, reopen_days, 7, "days after resolution a resident may reopen (0-90)");
ABSL_FLAG(int, sweep_interval_ms, 1000, "how often timeouts and escalations are looked for (100-60000)");
ABSL_FLAG(int, watch_interval_ms, 250, "how often WatchRequests streams look for new changes (50-10000)");
ABSL_FLAG(int, write_batch, 32, "at most this many request changes written in one transaction (1-256)");
ABSL_FLAG(int, write_leaders, 2, "at most this many such transactions at once (1-64)");
ABSL_FLAG(std::string, clock_offset_file, "", "tests only: seconds to add to the clock, read from this file");

namespace lianxin::dispatch {
namespace {

// The flag's value if within [low, high]; else a problem naming it.
int InRange(const absl::Flag<int>& flag, const char* name, int low, int high, std::vector<std::string>& problems) {
  int value = absl::GetFlag(flag);
  if (value < low || value > high) problems.push_back(absl::StrCat("--", name, ": must be ", low, "..", high));
  return value;
}

std::shared_ptr<grpc::Channel> Channel(const std::string& target, const char* name, const TlsFiles& tls,
                                       std::vector<std::string>& problems) {
  auto channel = MakeChannel(target, tls);
  if (channel.ok()) return *channel;
  problems.push_back(absl::StrCat("--", name, ": ", channel.status().message()));
  return nullptr;
}

}  // namespace

ServiceFlagsReader DispatchFlags::Reader() {
  return [this](const ServerConfig& config, std::vector<std::string>& problems) {
    auto cipher_or = FieldCipher::FromFile(absl::GetFlag(FLAGS_keys_file));
    if (cipher_or.ok()) {
      cipher = *std::move(cipher_or);
    } else {
      problems.push_back(absl::StrCat("--keys_file: ", cipher_or.status().message()));
    }
    rules.accept_limit = absl::Minutes(InRange(FLAGS_accept_minutes, "accept_minutes", 1, 1440, problems));
    rules.duplicate_days = InRange(FLAGS_duplicate_days, "duplicate_days", 0, 90, problems);
    rules.reopen_days = InRange(FLAGS_reopen_days, "reopen_days", 0, 90, problems);
    sweep_interval = absl::Milliseconds(InRange(FLAGS_sweep_interval_ms, "sweep_interval_ms", 100, 60000, problems));
    watch_interval = absl::Milliseconds(InRange(FLAGS_watch_interval_ms, "watch_interval_ms", 50, 10000, problems));
    writer.write_batch = InRange(FLAGS_write_batch, "write_batch", 1, 256, problems);
    writer.write_leaders = InRange(FLAGS_write_leaders, "write_leaders", 1, 64, problems);
    org = Channel(absl::GetFlag(FLAGS_org_target), "org_target", config.tls, problems);
    member = Channel(absl::GetFlag(FLAGS_member_target), "member_target", config.tls, problems);
    if (!absl::GetFlag(FLAGS_clock_offset_file).empty()) {
      offset_clock = std::make_unique<OffsetFileClock>(absl::GetFlag(FLAGS_clock_offset_file));
    }
  };
}

}  // namespace lianxin::dispatch
