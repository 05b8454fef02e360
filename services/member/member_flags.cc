#include "services/member/member_flags.h"

#include <string>
#include <vector>

#include "absl/flags/flag.h"

ABSL_FLAG(std::string, org_target, "127.0.0.1:7101", "the organization service (host:port)");
ABSL_FLAG(std::string, keys_file, "", "field encryption keys (see common/crypto.h); required");
ABSL_FLAG(std::string, index_key_file, "", "the blind-index key, in a file of its own; required");
ABSL_FLAG(int, transfer_valid_days, 30, "days a transfer within the platform stays valid (1-90)");
ABSL_FLAG(int, import_max_rows, 50000, "rows one ImportMembers stream may carry (1-1000000)");
ABSL_FLAG(int, identity_matches_per_day, 20,
          "ID numbers a caller may match against members outside its subtree in a day (0-10000)");

namespace lianxin::member {

ServiceFlagsReader MemberFlags::Reader() {
  return [this](const ServerConfig& config, std::vector<std::string>& problems) {
    cipher = CipherFlag(absl::GetFlag(FLAGS_keys_file), absl::GetFlag(FLAGS_index_key_file), "keys_file", problems);
    // An introduction letter is valid at most three months (docs/domain.md).
    transfer_valid_days = FlagInRange(absl::GetFlag(FLAGS_transfer_valid_days), "transfer_valid_days", 1, 90, problems);
    import_max_rows = FlagInRange(absl::GetFlag(FLAGS_import_max_rows), "import_max_rows", 1, 1000000, problems);
    identity_matches_per_day =
        FlagInRange(absl::GetFlag(FLAGS_identity_matches_per_day), "identity_matches_per_day", 0, 10000, problems);
    org = ChannelFlag(absl::GetFlag(FLAGS_org_target), "org_target", config.tls, problems);
  };
}

}  // namespace lianxin::member
