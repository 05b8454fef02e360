#include "services/org/org_flags.h"

#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "common/tls.h"

ABSL_FLAG(std::string, member_target, "",
          "the member service (host:port), for the rules that need member data; empty: those checks are off");

namespace lianxin::org {

ServiceFlagsReader OrgFlags::Reader() {
  return [this](const ServerConfig& config, std::vector<std::string>& problems) {
    const std::string target = absl::GetFlag(FLAGS_member_target);
    if (target.empty()) return;
    auto channel = MakeChannel(target, config.tls);
    if (channel.ok()) {
      member = *channel;
    } else {
      problems.push_back(absl::StrCat("--member_target: ", channel.status().message()));
    }
  };
}

}  // namespace lianxin::org
