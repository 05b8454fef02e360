// The gateway's own settings, from its flags (each also settable as
// LIANXIN_<FLAG>), read and checked with the common ones (common/config.h).
// The common --listen is the gateway's own API for the front door, reached
// only from inside; --public_listen is the port callers use.
#ifndef LIANXIN_SERVICES_GATEWAY_GATEWAY_FLAGS_H_
#define LIANXIN_SERVICES_GATEWAY_GATEWAY_FLAGS_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "common/config.h"
#include "common/crypto.h"
#include "services/gateway/front_door.h"
#include "services/gateway/gateway_logic.h"
#include "services/gateway/http_server.h"
#include "services/gateway/limits.h"

namespace lianxin::gateway {

struct GatewayFlags {
  FrontDoorOptions front;
  HttpOptions http;
  GatewaySettings settings;
  // The services callers reach ("org", "member", "dispatch").
  absl::flat_hash_map<std::string, std::shared_ptr<grpc::Channel>> upstreams;
  std::unique_ptr<FieldCipher> cipher;  // seals TOTP secrets
  RateSettings rates;
  absl::flat_hash_set<std::string> lookups;
  int in_flight_per_caller = 64;
  int in_flight_total = 4096;
  absl::Duration session_fresh_for = absl::Seconds(2);
  absl::Duration audit_flush_every = absl::Milliseconds(200);

  ServiceFlagsReader Reader();
};

}  // namespace lianxin::gateway

#endif  // LIANXIN_SERVICES_GATEWAY_GATEWAY_FLAGS_H_
