// gRPC credentials for listeners and client channels: TLS when certificate
// files are configured, plaintext otherwise (which config.cc allows only on
// loopback). Callers are authenticated by their token, not by a client
// certificate, so the server asks for none.
#ifndef LIANXIN_COMMON_TLS_H_
#define LIANXIN_COMMON_TLS_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/config.h"

namespace lianxin {

// "127.0.0.1:7101" → host and port; false if malformed.
bool SplitHostPort(const std::string& hostport, std::string* host, int* port);
bool IsLoopbackHost(const std::string& host);

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentials(const TlsFiles& tls);
// For channels to other services: trusts tls.ca_file when TLS is on, and
// presents tls.cert_file (with its key) when set.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentials(const TlsFiles& tls);
// A channel with keepalive settings matching the servers'.
absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeChannel(const std::string& target, const TlsFiles& tls);

}  // namespace lianxin

#endif  // LIANXIN_COMMON_TLS_H_
