// The organization service's own settings, from its flags (each also settable
// as LIANXIN_<FLAG>), read and checked with the common ones (common/config.h).
#ifndef LIANXIN_SERVICES_ORG_ORG_FLAGS_H_
#define LIANXIN_SERVICES_ORG_ORG_FLAGS_H_

#include <grpcpp/grpcpp.h>

#include <memory>

#include "absl/time/time.h"
#include "common/config.h"

namespace lianxin::org {

struct OrgFlags {
  // The member service, for the rules that need member data; none when
  // --member_target is empty (the org service alone: those checks are off).
  std::shared_ptr<grpc::Channel> member;
  // The dispatch service, whose to-dos (escalated requests) are gathered
  // with the others; none when --dispatch_target is empty.
  std::shared_ptr<grpc::Channel> dispatch;
  // The activity service, whose to-dos (members drifting) are gathered too;
  // none when --activity_target is empty.
  std::shared_ptr<grpc::Channel> activity;
  // WatchTodos: how often the feed's head is looked at, and the open streams
  // allowed per caller and per replica.
  absl::Duration watch_interval = absl::Seconds(1);
  int watch_streams_per_caller = 5;
  int watch_streams_per_replica = 2000;

  // Fills this from the flags, for LoadServerConfig.
  ServiceFlagsReader Reader();
};

}  // namespace lianxin::org

#endif  // LIANXIN_SERVICES_ORG_ORG_FLAGS_H_
