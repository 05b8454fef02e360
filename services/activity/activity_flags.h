// The activity service's own settings, from its flags (each also settable as
// LIANXIN_<FLAG>), read and checked with the common ones (common/config.h):
// every bad setting is reported at once, naming it.
//
//   ActivityFlags flags;
//   ServerConfig config = LoadServerConfig(argc, argv, {"activity", 7105, 9105}, flags.Reader());
#ifndef LIANXIN_SERVICES_ACTIVITY_ACTIVITY_FLAGS_H_
#define LIANXIN_SERVICES_ACTIVITY_ACTIVITY_FLAGS_H_

#include <grpcpp/grpcpp.h>

#include <memory>

#include "absl/time/time.h"
#include "common/batcher.h"
#include "common/clock.h"
#include "common/config.h"
#include "common/crypto.h"
#include "services/activity/activity_logic.h"

namespace lianxin::activity {

struct ActivityFlags {
  std::shared_ptr<grpc::Channel> org, member;  // the other services
  std::shared_ptr<grpc::Channel> dispatch;     // its outbox; none: no credits from requests
  absl::Duration credit_interval = absl::Seconds(2);
  ActivitySettings rules;
  BatcherSettings writer;               // check-ins (attendance_writer.h)
  std::unique_ptr<FieldCipher> cipher;  // dues bases and reasons
  std::unique_ptr<Clock> offset_clock;  // tests only (--clock_offset_file)

  // The system clock, or the one tests move.
  const Clock& clock() const { return offset_clock ? *offset_clock : SystemClock::Get(); }
  // Fills this from the flags, for LoadServerConfig.
  ServiceFlagsReader Reader();
};

}  // namespace lianxin::activity

#endif  // LIANXIN_SERVICES_ACTIVITY_ACTIVITY_FLAGS_H_
