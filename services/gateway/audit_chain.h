// The audit chain's arithmetic: each record's hash is SM3(previous hash ||
// canonical record), and a pruned chain starts again from a checkpoint the
// gateway signed (ES256 over "lianxin-audit-checkpoint|seq|hex hash").
#ifndef LIANXIN_SERVICES_GATEWAY_AUDIT_CHAIN_H_
#define LIANXIN_SERVICES_GATEWAY_AUDIT_CHAIN_H_

#include <string>

#include "absl/status/statusor.h"
#include "common/keys.h"
#include "services/gateway/gateway_store.h"

namespace lianxin::gateway {

// 32 bytes.
std::string Sm3(const std::string& data);
std::string ChainHash(const std::string& previous, const store::AuditRow& row);

absl::StatusOr<store::AuditCheckpoint> SignCheckpoint(const SigningKey& key, int64_t seq, const std::string& hash,
                                                      int64_t at_us);
// OK when a trusted key of the gateway signed `cp`.
absl::Status VerifyCheckpoint(const TrustedKeys& trusted, const store::AuditCheckpoint& cp);

}  // namespace lianxin::gateway

#endif  // LIANXIN_SERVICES_GATEWAY_AUDIT_CHAIN_H_
