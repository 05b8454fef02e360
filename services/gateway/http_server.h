// The gateway's HTTP/JSON port for app backends (Boost.Beast): every exposed
// method at the path of its google.api.http annotation, bodies in protobuf's
// JSON mapping, errors as google.rpc.Status JSON with grpc-gateway's HTTP
// statuses (429 with Retry-After), server streams as newline-delimited JSON,
// and GET /openapi.json (made from the descriptors at build time). The same
// callers, limits and audit as the gRPC port (front_door.h), over HTTP/1.1,
// with TLS when certificates are set. X-Timeout-Ms sets a call's deadline.
#ifndef LIANXIN_SERVICES_GATEWAY_HTTP_SERVER_H_
#define LIANXIN_SERVICES_GATEWAY_HTTP_SERVER_H_

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "common/config.h"
#include "services/gateway/front_door.h"
#include "services/gateway/http_template.h"

namespace lianxin::gateway {

struct HttpOptions {
  std::string listen = "127.0.0.1:7180";
  TlsFiles tls;  // certificate and key; no client certificates here
  int threads = 2;
  size_t max_body_bytes = 256 * 1024;              // a unary request's body
  size_t max_stream_body_bytes = 8 * 1024 * 1024;  // an import's lines
  size_t max_header_bytes = 16 * 1024;
};

// One exposed method's HTTP binding.
struct HttpRoute {
  const Route* route;
  HttpBinding binding;
};

class HttpServer {
 public:
  HttpServer(FrontDoor& door, HttpOptions options);
  ~HttpServer();
  absl::Status Start();
  void Shutdown();
  int port() const { return port_; }

  // For sessions.
  const HttpRoute* Find(const std::string& verb, const std::string& path,
                        std::vector<std::pair<std::string, std::string>>* bound) const;
  FrontDoor& door() { return door_; }
  const HttpOptions& options() const { return options_; }

 private:
  class Impl;
  FrontDoor& door_;
  HttpOptions options_;
  std::vector<HttpRoute> routes_;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

// The OpenAPI document, generated at build time (openapi_gen.cc).
const char* OpenApiJson();

}  // namespace lianxin::gateway

#endif  // LIANXIN_SERVICES_GATEWAY_HTTP_SERVER_H_
