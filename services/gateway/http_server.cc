#include "services/gateway/http_server.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <deque>
#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/call_context.h"
#include "common/ids.h"
#include "common/log.h"
#include "common/status.h"
#include "common/tls.h"
#include "services/gateway/http_exchange.h"

namespace lianxin::gateway {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

class HttpServer::Impl {
 public:
  net::io_context ioc;
  std::optional<net::ssl::context> ssl;
  tcp::acceptor acceptor{ioc};
  std::vector<std::thread> threads;

  void Accept(HttpServer& server) {
    acceptor.async_accept(net::make_strand(ioc), [this, &server](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (ec == net::error::operation_aborted) return;
      } else {
        beast::error_code ignored;
        const auto remote = socket.remote_endpoint(ignored);
        std::string address = absl::StrCat(remote.address().is_v6() ? "ipv6:" : "ipv4:", remote.address().to_string());
        if (ssl.has_value()) {
          StartTlsSession(server, std::move(socket), *ssl, std::move(address));
        } else {
          StartPlainSession(server, std::move(socket), std::move(address));
        }
      }
      Accept(server);
    });
  }
};

HttpServer::HttpServer(FrontDoor& door, HttpOptions options)
    : door_(door), options_(std::move(options)), impl_(std::make_unique<Impl>()) {
  for (const std::string& service : door_.routes().services()) {
    const auto* sd = google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(service);
    if (sd == nullptr) continue;
    for (int i = 0; i < sd->method_count(); ++i) {
      const Route* r = door_.routes().Find(absl::StrCat("/", service, "/", sd->method(i)->name()));
      if (r == nullptr) continue;
      auto b = BindingOf(sd->method(i));
      if (b.has_value()) routes_.push_back({r, *std::move(b)});
    }
  }
}

HttpServer::~HttpServer() { Shutdown(); }

const HttpRoute* HttpServer::Find(const std::string& verb, const std::string& path,
                                  std::vector<std::pair<std::string, std::string>>* bound) const {
  for (const HttpRoute& r : routes_) {
    if (r.binding.verb != verb) continue;
    auto m = r.binding.path.Match(path);
    if (m.has_value()) {
      *bound = *std::move(m);
      return &r;
    }
  }
  return nullptr;
}

absl::Status HttpServer::Start() {
  std::string host;
  int port = 0;
  if (!SplitHostPort(options_.listen, &host, &port)) {
    return absl::InvalidArgumentError(absl::StrCat("--http_listen: not host:port: ", options_.listen));
  }
  if (options_.tls.enabled()) {
    impl_->ssl.emplace(net::ssl::context::tls_server);
    impl_->ssl->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                            net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 | net::ssl::context::no_tlsv1_1);
    beast::error_code ec;
    impl_->ssl->use_certificate_chain_file(options_.tls.cert_file, ec);
    if (!ec) impl_->ssl->use_private_key_file(options_.tls.key_file, net::ssl::context::pem, ec);
    if (ec) return absl::FailedPreconditionError(absl::StrCat("HTTP TLS: ", ec.message()));
  }
  beast::error_code ec;
  tcp::endpoint endpoint(net::ip::make_address(host, ec), static_cast<unsigned short>(port));
  if (ec) return absl::InvalidArgumentError(absl::StrCat("--http_listen: ", ec.message()));
  impl_->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl_->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl_->acceptor.bind(endpoint, ec);
  if (!ec) impl_->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return absl::UnavailableError(absl::StrCat("cannot listen on ", options_.listen, ": ", ec.message()));
  port_ = impl_->acceptor.local_endpoint().port();
  impl_->Accept(*this);
  for (int i = 0; i < options_.threads; ++i) impl_->threads.emplace_back([this] { impl_->ioc.run(); });
  return absl::OkStatus();
}

void HttpServer::Shutdown() {
  if (impl_->threads.empty()) return;
  net::post(impl_->ioc, [this] {
    beast::error_code ignored;
    impl_->acceptor.close(ignored);
  });
  impl_->ioc.stop();
  for (auto& t : impl_->threads) t.join();
  impl_->threads.clear();
}

}  // namespace lianxin::gateway
