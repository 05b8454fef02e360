// Start-up configuration shared by every service: flags, each also settable
// through the environment as LIANXIN_<FLAG_IN_UPPER_CASE> (a flag given on the
// command line wins). LoadServerConfig() checks everything at once and exits
// with status 2 and a message naming the setting when anything is wrong.
//
//   int main(int argc, char** argv) {
//     ServerConfig config = LoadServerConfig(argc, argv, {"org", 7101, 9101});
#ifndef LIANXIN_COMMON_CONFIG_H_
#define LIANXIN_COMMON_CONFIG_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/crypto.h"
#include "common/db.h"
#include "common/keys.h"
#include "common/log.h"

namespace lianxin {

struct ServiceDefaults {
  std::string name;  // "org": database lianxin_org, logs service=org
  int grpc_port;
  int metrics_port;
  // The services whose own tokens this one accepts (--peers overrides).
  std::vector<std::string> peers;
};

struct TlsFiles {
  std::string cert_file;  // PEM certificate chain of this process
  std::string key_file;   // PEM private key
  std::string ca_file;    // PEM roots: to verify peers (clients and servers)
  // Channels without TLS go to loopback only, unless this is set
  // (--allow_plaintext_peers): personal data must not cross a network in clear.
  bool allow_plaintext_remote = false;
  bool enabled() const { return !cert_file.empty(); }
};

struct ServerConfig {
  std::string service;
  std::string listen;          // host:port for gRPC
  std::string metrics_listen;  // host:port for /metrics
  DbOptions db;
  int workers = 8;
  int queue_limit = 512;
  TrustedKeys trusted_keys;  // --trust_dir: the public keys of the gateway and the peers
  SigningKey signing_key;    // --signing_key_file: this service's own (issuer = service)
  std::vector<std::string> peers;
  std::string jwt_audience = "lianxin";
  TlsFiles tls;
  absl::Duration shutdown_grace = absl::Seconds(10);
  absl::Duration health_interval = absl::Seconds(1);
  // How often to-dos are swept and gathered (common/todos.h).
  absl::Duration todo_interval = absl::Seconds(10);
  std::string ready_file;
  bool migrate = true;
  // Apply migrations and exit (the schema owner's step, before the service
  // runs as its own user with --migrate=false).
  bool migrate_only = false;
  LogLevel log_level = LogLevel::kInfo;
  std::vector<std::string> args;  // positional arguments left over
};

// A service's own settings, read from its own flags once the common ones are:
// each bad one adds a problem naming it ("--accept_minutes: must be 1..1440").
using ServiceFlagsReader = std::function<void(const ServerConfig& config, std::vector<std::string>& problems)>;

// Parses flags and environment — the common ones, then the service's through
// `read_service_flags` —; on bad configuration prints every problem and
// exits(2).
ServerConfig LoadServerConfig(int argc, char** argv, const ServiceDefaults& defaults,
                              const ServiceFlagsReader& read_service_flags = {});

// For a service's flags reader: what a flag names, or a problem naming the
// flag ("--org_target: ...") and an empty value.
int FlagInRange(int value, absl::string_view flag, int low, int high, std::vector<std::string>& problems);
// A writer's --write_batch (1-256) and --write_leaders (1-64), checked
// (common/batcher.h).
struct BatcherSettings;
BatcherSettings BatcherFlags(int write_batch, int write_leaders, std::vector<std::string>& problems);
std::shared_ptr<grpc::Channel> ChannelFlag(const std::string& target, absl::string_view flag, const TlsFiles& tls,
                                           std::vector<std::string>& problems);
std::unique_ptr<FieldCipher> CipherFlag(const std::string& keys_file, const std::string& index_key_file,
                                        absl::string_view flag, std::vector<std::string>& problems);

// The checks behind LoadServerConfig, for tests.
absl::Status ValidateServerConfig(const ServerConfig& config);

}  // namespace lianxin

#endif  // LIANXIN_COMMON_CONFIG_H_
