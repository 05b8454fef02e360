// The organization service's own settings, from its flags (each also settable
// as LIANXIN_<FLAG>), read and checked with the common ones (common/config.h).
#ifndef LIANXIN_SERVICES_ORG_ORG_FLAGS_H_
#define LIANXIN_SERVICES_ORG_ORG_FLAGS_H_

#include <grpcpp/grpcpp.h>

#include <memory>

#include "common/config.h"

namespace lianxin::org {

struct OrgFlags {
  // The member service, for the rules that need member data; none when
  // --member_target is empty (the org service alone: those checks are off).
  std::shared_ptr<grpc::Channel> member;

  // Fills this from the flags, for LoadServerConfig.
  ServiceFlagsReader Reader();
};

}  // namespace lianxin::org

#endif  // LIANXIN_SERVICES_ORG_ORG_FLAGS_H_
