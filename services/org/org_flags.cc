#include "services/org/org_flags.h"

#include <string>
#include <vector>

#include "absl/flags/flag.h"

ABSL_FLAG(std::string, member_target, "",
          "the member service (host:port), for the rules that need member data; empty: those checks are off");

namespace lianxin::org {

ServiceFlagsReader OrgFlags::Reader() {
  return [this](const ServerConfig& config, std::vector<std::string>& problems) {
    const std::string target = absl::GetFlag(FLAGS_member_target);
    if (target.empty()) return;
    member = ChannelFlag(target, "member_target", config.tls, problems);
  };
}

}  // namespace lianxin::org
