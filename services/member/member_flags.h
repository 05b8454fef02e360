// The member service's own settings, from its flags (each also settable as
// LIANXIN_<FLAG>), read and checked with the common ones (common/config.h).
#ifndef LIANXIN_SERVICES_MEMBER_MEMBER_FLAGS_H_
#define LIANXIN_SERVICES_MEMBER_MEMBER_FLAGS_H_

#include <grpcpp/grpcpp.h>

#include <memory>

#include "common/config.h"
#include "common/crypto.h"

namespace lianxin::member {

struct MemberFlags {
  std::shared_ptr<grpc::Channel> org;   // the organization service
  std::unique_ptr<FieldCipher> cipher;  // personal data
  int transfer_valid_days = 30;
  int import_max_rows = 50000;
  int identity_matches_per_day = 20;

  // Fills this from the flags, for LoadServerConfig.
  ServiceFlagsReader Reader();
};

}  // namespace lianxin::member

#endif  // LIANXIN_SERVICES_MEMBER_MEMBER_FLAGS_H_
