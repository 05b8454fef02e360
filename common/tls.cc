#include "common/tls.h"

#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace lianxin {
namespace {

absl::StatusOr<std::string> Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::InvalidArgumentError(absl::StrCat("cannot read ", path));
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

bool SplitHostPort(const std::string& hostport, std::string* host, int* port) {
  auto colon = hostport.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  *host = hostport.substr(0, colon);
  if (host->size() >= 2 && host->front() == '[' && host->back() == ']') {
    *host = host->substr(1, host->size() - 2);
  }
  return absl::SimpleAtoi(hostport.substr(colon + 1), port) && *port >= 0 && *port <= 65535;
}

bool IsLoopbackHost(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentials(const TlsFiles& tls) {
  if (!tls.enabled()) return grpc::InsecureServerCredentials();
  grpc::SslServerCredentialsOptions options(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
  auto key = Slurp(tls.key_file);
  if (!key.ok()) return key.status();
  auto cert = Slurp(tls.cert_file);
  if (!cert.ok()) return cert.status();
  pair.private_key = *key;
  pair.cert_chain = *cert;
  options.pem_key_cert_pairs.push_back(pair);
  return grpc::SslServerCredentials(options);
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentials(const TlsFiles& tls) {
  if (tls.ca_file.empty()) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions options;
  auto ca = Slurp(tls.ca_file);
  if (!ca.ok()) return ca.status();
  options.pem_root_certs = *ca;
  // A client certificate, where one signs the caller in (the gateway's
  // mTLS for government systems); servers of the platform ask for none.
  if (!tls.cert_file.empty()) {
    auto cert = Slurp(tls.cert_file);
    auto key = Slurp(tls.key_file);
    if (!cert.ok()) return cert.status();
    if (!key.ok()) return key.status();
    options.pem_cert_chain = *cert;
    options.pem_private_key = *key;
  }
  return grpc::SslCredentials(options);
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeChannel(const std::string& target, const TlsFiles& tls) {
  if (tls.ca_file.empty() && !tls.allow_plaintext_remote) {
    absl::string_view hostport(target);
    for (absl::string_view scheme : {"dns:///", "dns:", "ipv4:", "ipv6:"}) {
      if (absl::ConsumePrefix(&hostport, scheme)) break;
    }
    std::string host;
    int port = 0;
    if (!SplitHostPort(std::string(hostport), &host, &port) || !IsLoopbackHost(host)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "plaintext to ", target,
          " is refused: it is not a loopback address; set --tls_ca_file (or --allow_plaintext_peers on purpose)"));
    }
  }
  auto creds = ChannelCredentials(tls);
  if (!creds.ok()) return creds.status();
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 30000);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 10000);
  args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  // A restarted peer is found again within a second, not after gRPC's
  // default backoff of up to two minutes.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  return grpc::CreateCustomChannel(target, *creds, args);
}

}  // namespace lianxin
