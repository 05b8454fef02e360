// The dispatch service's own settings, from its flags (each also settable as
// LIANXIN_<FLAG>), read and checked in one place, together with the common
// ones (common/config.h): every bad setting is reported at once, naming it.
//
//   DispatchFlags flags;
//   ServerConfig config = LoadServerConfig(argc, argv, {"dispatch", 7103, 9103}, flags.Reader());
#ifndef LIANXIN_SERVICES_DISPATCH_DISPATCH_FLAGS_H_
#define LIANXIN_SERVICES_DISPATCH_DISPATCH_FLAGS_H_

#include <grpcpp/grpcpp.h>

#include <memory>

#include "absl/time/time.h"
#include "common/clock.h"
#include "common/config.h"
#include "common/crypto.h"
#include "services/dispatch/dispatch_logic.h"
#include "services/dispatch/request_writer.h"

namespace lianxin::dispatch {

struct DispatchFlags {
  std::shared_ptr<grpc::Channel> org, member;  // the other services
  std::unique_ptr<FieldCipher> cipher;         // residents' phones
  DispatchSettings rules;
  BatcherSettings writer;
  absl::Duration sweep_interval = absl::Seconds(1);
  absl::Duration watch_interval = absl::Milliseconds(250);
  int watch_streams_per_caller = 4;
  int watch_streams_per_replica = 20000;
  std::unique_ptr<Clock> offset_clock;  // tests only (--clock_offset_file)

  // The system clock, or the one tests move.
  const Clock& clock() const { return offset_clock ? *offset_clock : SystemClock::Get(); }
  // Fills this from the flags, for LoadServerConfig.
  ServiceFlagsReader Reader();
};

}  // namespace lianxin::dispatch

#endif  // LIANXIN_SERVICES_DISPATCH_DISPATCH_FLAGS_H_
