// One HTTP connection to the gateway's HTTP/JSON port (http_server.h): read
// a request, find its route, work out the caller and the limits, call the
// service over gRPC, answer in JSON (or newline-delimited JSON for a
// stream), and read the next request while the connection is kept alive.
#ifndef LIANXIN_SERVICES_GATEWAY_HTTP_EXCHANGE_H_
#define LIANXIN_SERVICES_GATEWAY_HTTP_EXCHANGE_H_

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <string>

namespace lianxin::gateway {

class HttpServer;

void StartPlainSession(HttpServer& server, boost::asio::ip::tcp::socket socket, std::string address);
void StartTlsSession(HttpServer& server, boost::asio::ip::tcp::socket socket, boost::asio::ssl::context& ssl,
                     std::string address);

}  // namespace lianxin::gateway

#endif  // LIANXIN_SERVICES_GATEWAY_HTTP_EXCHANGE_H_
