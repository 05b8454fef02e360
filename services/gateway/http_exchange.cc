#include "services/gateway/http_exchange.h"

#include <google/protobuf/message.h>
#include <grpcpp/generic/generic_stub.h>

#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <deque>
#include <memory>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/call_context.h"
#include "common/ids.h"
#include "common/status.h"
#include "services/gateway/http_json.h"
#include "services/gateway/http_server.h"
#include "services/gateway/resources.h"

namespace lianxin::gateway {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using google::protobuf::Message;

constexpr char kDomain[] = "gateway.lianxin";

template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
 public:
  Session(HttpServer& server, Stream stream, std::string address)
      : server_(server), door_(server.door()), stream_(std::move(stream)), address_(std::move(address)) {}

  void Run() {
    if constexpr (std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>) {
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(30));
      stream_.async_handshake(net::ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code ec) {
        if (!ec) self->Read();
      });
    } else {
      Read();
    }
  }

 private:
  // An upstream stream: every request message written, answers as JSON lines.
  class Upstream : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
   public:
    Upstream(std::shared_ptr<Session> session, std::vector<std::string> messages)
        : session_(std::move(session)), messages_(std::move(messages)) {}
    void Begin() {
      StartRead(&response_);
      WriteNext();
      StartCall();
    }
    void OnWriteDone(bool ok) override {
      if (ok) WriteNext();
    }
    void OnReadDone(bool ok) override {
      if (!ok) return;
      std::string line = BytesToJson(session_->route_->route->descriptor->output_type(), BufferBytes(response_)) + "\n";
      auto s = session_;
      net::post(s->stream_.get_executor(), [s, line = std::move(line)] { s->Chunk(line); });
      StartRead(&response_);
    }
    void OnDone(const grpc::Status& status) override {
      auto s = session_;
      net::post(s->stream_.get_executor(), [s, status] { s->StreamDone(status); });
      delete this;
    }

   private:
    void WriteNext() {
      if (next_ >= messages_.size()) {
        if (next_++ == messages_.size()) StartWritesDone();
        return;
      }
      request_ = BytesBuffer(messages_[next_++]);
      StartWrite(&request_);
    }
    std::shared_ptr<Session> session_;
    std::vector<std::string> messages_;
    size_t next_ = 0;
    grpc::ByteBuffer request_, response_;
  };

  void Read() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_.options().max_header_bytes));
    parser_->body_limit(server_.options().max_stream_body_bytes);
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(60));
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == net::error::eof) return Close();
    if (ec == http::error::body_limit || ec == http::error::header_limit) {
      keep_alive_ = false;
      return Reply(413, StatusJson(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "the request is too large")));
    }
    if (ec) return Close();
    beast::get_lowest_layer(stream_).expires_never();
    Handle(parser_->release());
  }

  void Handle(http::request<http::string_body> req) {
    start_ = absl::Now();
    version_ = req.version();
    keep_alive_ = req.keep_alive();
    request_id_ = std::string(req["x-request-id"]);
    if (!ValidRequestId(request_id_)) request_id_ = NewRequestId();
    const std::string target(req.target());
    const size_t q = target.find('?');
    const std::string path = target.substr(0, q);
    const std::string query = q == std::string::npos ? "" : target.substr(q + 1);
    const std::string verb(req.method_string());
    if (verb == "GET" && path == "/openapi.json") return Reply(200, OpenApiJson());
    std::vector<std::pair<std::string, std::string>> bound;
    route_ = server_.Find(verb, path, &bound);
    if (route_ == nullptr) {
      return Reply(404,
                   StatusJson(grpc::Status(grpc::StatusCode::NOT_FOUND, absl::StrCat("no route ", verb, " ", path))));
    }
    const Route& r = *route_->route;
    if (!r.client_streaming && req.body().size() > server_.options().max_body_bytes) {
      grpc::Status big(grpc::StatusCode::RESOURCE_EXHAUSTED,
                       absl::StrCat("the body is larger than ", server_.options().max_body_bytes, " bytes"));
      Record(big);
      keep_alive_ = false;
      return Reply(413, StatusJson(big));
    }
    // The request messages: one, or for a client stream one per body line.
    const Message* proto =
        google::protobuf::MessageFactory::generated_factory()->GetPrototype(r.descriptor->input_type());
    std::vector<std::string> lines;
    if (r.client_streaming) {
      for (absl::string_view line : absl::StrSplit(req.body(), '\n', absl::SkipWhitespace())) lines.emplace_back(line);
      if (lines.empty()) lines.emplace_back("");
    } else {
      lines.push_back(req.body());
    }
    for (size_t i = 0; i < lines.size(); ++i) {
      std::unique_ptr<Message> m(proto->New());
      absl::Status s =
          BuildRequest(route_->binding, i == 0 ? bound : decltype(bound){}, i == 0 ? query : "", lines[i], m.get());
      if (!s.ok()) return Finish(ToGrpcStatus(s, kDomain));
      messages_.push_back(m->SerializeAsString());
    }
    resources_ = ResourceNames(r.descriptor->input_type(), messages_.front());
    std::string auth(req[http::field::authorization]);
    if (!auth.empty() && auth.rfind("Bearer ", 0) != 0) {
      return Finish(grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "Authorization must be 'Bearer <session token>'"));
    }
    creds_.bearer = auth.empty() ? "" : auth.substr(7);
    creds_.on_behalf = std::string(req["x-lianxin-on-behalf-of"]);
    if (const auto t = req["x-timeout-ms"]; !t.empty()) {
      int ms = 0;
      if (!absl::SimpleAtoi(std::string(t), &ms) || ms <= 0) {
        return Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "X-Timeout-Ms must be a positive number"));
      }
      timeout_ = absl::Milliseconds(ms);
    }
    creds_.client_address = address_;
    Admit(false);
  }

  // Who is calling, then the limits; on a worker when the database is asked.
  void Admit(bool on_worker) {
    absl::StatusOr<Identity> id;
    if (on_worker) {
      id = door_.callers().Resolve(*route_->route, creds_);
    } else {
      NoBlockingScope here;
      id = door_.callers().Resolve(*route_->route, creds_);
    }
    auto self = this->shared_from_this();
    if (!on_worker && IsWouldBlock(id.status())) {
      if (!door_.workers().TrySubmit([self] { self->Admit(true); })) Finish(ToGrpcStatus(AtCapacity(), kDomain));
      return;
    }
    net::post(stream_.get_executor(), [self, id = std::move(id)]() mutable { self->Admitted(std::move(id)); });
  }

  void Admitted(absl::StatusOr<Identity> id) {
    if (!id.ok()) return Finish(ToGrpcStatus(id.status(), kDomain));
    identity_ = *std::move(id);
    if (!door_.in_flight().Enter(identity_.limit_key)) {
      return Finish(
          ToGrpcStatus(WithReason(absl::ResourceExhaustedError("too many calls in flight; retry with backoff"),
                                  "TOO_MANY_IN_FLIGHT"),
                       kDomain));
    }
    entered_ = true;
    absl::Duration retry_after;
    if (!door_.rates().Take(identity_.limit_key, route_->route->method_class, absl::Now(), &retry_after)) {
      return Finish(ToGrpcStatus(RateLimited(retry_after), kDomain));
    }
    ctx_ = std::make_unique<grpc::ClientContext>();
    // The caller's deadline (X-Timeout-Ms), else the default for a unary call.
    if (timeout_ > absl::ZeroDuration()) {
      ctx_->set_deadline(absl::ToChronoTime(start_ + timeout_));
    } else if (!route_->route->streaming()) {
      ctx_->set_deadline(absl::ToChronoTime(absl::Now() + door_.options().default_deadline));
    }
    ctx_->AddMetadata("authorization", absl::StrCat("Bearer ", identity_.token));
    ctx_->AddMetadata("x-request-id", request_id_);
    auto self = this->shared_from_this();
    grpc::GenericStub* stub = door_.Stub(route_->route->upstream);
    if (route_->route->streaming()) {
      auto* up = new Upstream(self, std::move(messages_));
      stub->PrepareBidiStreamingCall(ctx_.get(), route_->route->path, grpc::StubOptions(), up);
      StartChunked();
      up->Begin();
      return;
    }
    request_ = BytesBuffer(messages_.front());
    stub->UnaryCall(
        ctx_.get(), route_->route->path, grpc::StubOptions(), &request_, &response_,
        [self](grpc::Status s) { net::post(self->stream_.get_executor(), [self, s] { self->Finish(s); }); });
  }

  // ---- answers (on the session's strand)

  void Finish(const grpc::Status& s) {
    Record(s);
    if (s.ok()) return Reply(200, BytesToJson(route_->route->descriptor->output_type(), BufferBytes(response_)));
    std::vector<std::pair<std::string, std::string>> extra;
    if (int after = RetryAfterSeconds(s); after > 0) extra.emplace_back("Retry-After", absl::StrCat(after));
    Reply(HttpStatusOf(s.error_code()), StatusJson(s), extra);
  }

  void Record(const grpc::Status& s) {
    if (recorded_) return;
    recorded_ = true;
    const absl::Duration latency = absl::Now() - start_;
    if (entered_) door_.in_flight().Leave(identity_.limit_key);
    const std::string method = route_ != nullptr ? route_->route->path : "http";
    door_.Count(method, s.error_code(), latency);
    store::AuditRow row;
    row.at_us = absl::ToUnixMicros(start_);
    row.caller = identity_.caller.empty() ? "unauthenticated" : identity_.caller;
    row.on_behalf = identity_.on_behalf;
    row.client_address = absl::StrCat(address_, " (http)");
    row.method = method;
    row.resources = resources_;
    row.code = absl::StatusCodeToString(static_cast<absl::StatusCode>(s.error_code()));
    row.latency_us = absl::ToInt64Microseconds(latency);
    row.request_id = request_id_;
    door_.audit().Add(std::move(row));
  }

  void Reply(int status, std::string body, const std::vector<std::pair<std::string, std::string>>& extra = {}) {
    auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(status), version_);
    res->set(http::field::content_type, "application/json");
    res->set("X-Request-Id", request_id_);
    for (const auto& [k, v] : extra) res->set(k, v);
    res->keep_alive(keep_alive_);
    res->body() = std::move(body);
    res->prepare_payload();
    http::async_write(stream_, *res, [self = this->shared_from_this(), res](beast::error_code ec, std::size_t) {
      if (ec || !res->keep_alive()) return self->Close();
      self->Reset();
      self->Read();
    });
  }

  void StartChunked() {
    header_ = std::make_shared<http::response<http::empty_body>>(http::status::ok, version_);
    header_->set(http::field::content_type, "application/x-ndjson");
    header_->set("X-Request-Id", request_id_);
    header_->chunked(true);
    serializer_ = std::make_shared<http::response_serializer<http::empty_body>>(*header_);
    Enqueue({Out::kHeader, ""});
    // A caller that hangs up ends the stream at the service.
    auto self = this->shared_from_this();
    stream_.async_read_some(net::buffer(probe_), [self](beast::error_code ec, std::size_t) {
      if (ec && self->ctx_ != nullptr && !self->stream_done_) self->ctx_->TryCancel();
    });
  }
  void Chunk(std::string line) { Enqueue({Out::kChunk, std::move(line)}); }
  void StreamDone(const grpc::Status& s) {
    stream_done_ = true;
    Record(s);
    if (!s.ok()) Enqueue({Out::kChunk, absl::StrCat("{\"error\":", StatusJson(s), "}\n")});
    Enqueue({Out::kLast, ""});
  }

  struct Out {
    enum Kind { kHeader, kChunk, kLast } kind;
    std::string data;
  };
  void Enqueue(Out out) {
    out_.push_back(std::move(out));
    if (!writing_) WriteNext();
  }
  void WriteNext() {
    if (out_.empty()) {
      writing_ = false;
      return;
    }
    writing_ = true;
    auto item = std::make_shared<Out>(std::move(out_.front()));
    out_.pop_front();
    auto self = this->shared_from_this();
    auto done = [self, item](beast::error_code ec, std::size_t) {
      if (ec) {
        if (self->ctx_ != nullptr && !self->stream_done_) self->ctx_->TryCancel();
        self->writing_ = false;
        return;
      }
      if (item->kind == Out::kLast) {
        self->writing_ = false;
        self->keep_alive_ = false;  // the probe read is still out: this connection ends here
        return self->Close();
      }
      self->WriteNext();
    };
    switch (item->kind) {
      case Out::kHeader:
        http::async_write_header(stream_, *serializer_, done);
        break;
      case Out::kChunk:
        net::async_write(stream_, http::make_chunk(net::buffer(item->data)), done);
        break;
      case Out::kLast:
        net::async_write(stream_, http::make_chunk_last(), done);
        break;
    }
  }

  void Reset() {
    route_ = nullptr;
    messages_.clear();
    resources_.clear();
    identity_ = Identity{};
    creds_ = Credentials{};
    entered_ = recorded_ = false;
    timeout_ = absl::ZeroDuration();
    ctx_.reset();
  }

  void Close() {
    beast::error_code ignored;
    beast::get_lowest_layer(stream_).socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  }

  HttpServer& server_;
  FrontDoor& door_;
  Stream stream_;
  const std::string address_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  unsigned version_ = 11;
  bool keep_alive_ = true;
  absl::Time start_;
  std::string request_id_;
  const HttpRoute* route_ = nullptr;
  std::vector<std::string> messages_;
  std::vector<std::string> resources_;
  Credentials creds_;
  Identity identity_;
  bool entered_ = false, recorded_ = false, stream_done_ = false;
  absl::Duration timeout_ = absl::ZeroDuration();
  std::unique_ptr<grpc::ClientContext> ctx_;
  grpc::ByteBuffer request_, response_;
  std::shared_ptr<http::response<http::empty_body>> header_;
  std::shared_ptr<http::response_serializer<http::empty_body>> serializer_;
  std::deque<Out> out_;
  bool writing_ = false;
  char probe_[1];
};

}  // namespace

void StartPlainSession(HttpServer& server, net::ip::tcp::socket socket, std::string address) {
  std::make_shared<Session<beast::tcp_stream>>(server, beast::tcp_stream(std::move(socket)), std::move(address))->Run();
}

void StartTlsSession(HttpServer& server, net::ip::tcp::socket socket, net::ssl::context& ssl, std::string address) {
  std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
      server, beast::ssl_stream<beast::tcp_stream>(beast::tcp_stream(std::move(socket)), ssl), std::move(address))
      ->Run();
}

}  // namespace lianxin::gateway
