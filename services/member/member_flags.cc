#include "services/member/member_flags.h"

#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "common/tls.h"

ABSL_FLAG(std::string, org_target, "127.0.0.1:7101", "the organization service (host:port)");
ABSL_FLAG(std::string, keys_file, "", "field encryption keys (see common/crypto.h); required");
ABSL_FLAG(int, transfer_valid_days, 30, "days a transfer within the platform stays valid (1-90)");

namespace lianxin::member {

ServiceFlagsReader MemberFlags::Reader() {
  return [this](const ServerConfig& config, std::vector<std::string>& problems) {
    auto cipher_or = FieldCipher::FromFile(absl::GetFlag(FLAGS_keys_file));
    if (cipher_or.ok()) {
      cipher = *std::move(cipher_or);
    } else {
      problems.push_back(absl::StrCat("--keys_file: ", cipher_or.status().message()));
    }
    transfer_valid_days = absl::GetFlag(FLAGS_transfer_valid_days);
    if (transfer_valid_days < 1 || transfer_valid_days > 90) {
      problems.push_back("--transfer_valid_days: must be 1..90 (at most 3 months)");
    }
    auto channel = MakeChannel(absl::GetFlag(FLAGS_org_target), config.tls);
    if (channel.ok()) {
      org = *channel;
    } else {
      problems.push_back(absl::StrCat("--org_target: ", channel.status().message()));
    }
  };
}

}  // namespace lianxin::member
