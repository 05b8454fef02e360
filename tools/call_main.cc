// lianxin-call: calls any Lianxin method with JSON in and JSON out, the way a
// government system or an operator's script would call the gateway (no gRPC
// tool ships with Debian). Messages are read with the descriptors compiled
// in; a server stream prints one JSON line per message.
//   build/tools/lianxin-call --target=127.0.0.1:7100 --session="$LIANXIN_SESSION"
//     --method=lianxin.org.v1.OrgService/GetOrgUnit --data='{"name": "orgUnits/…"}'
#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/util/json_util.h>
#include <grpcpp/generic/generic_stub.h>

#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <mutex>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/tls.h"
#include "google/rpc/status.pb.h"

ABSL_FLAG(std::string, target, "127.0.0.1:7100", "host:port (the gateway's public port)");
ABSL_FLAG(std::string, method, "", "package.Service/Method");
ABSL_FLAG(std::string, data, "{}", "the request as JSON (protobuf's JSON mapping)");
ABSL_FLAG(std::string, session, "", "bearer token (a session); default $LIANXIN_SESSION");
ABSL_FLAG(std::string, on_behalf_of, "", "for app backends: residents/{id} or members/{id}");
ABSL_FLAG(std::string, tls_ca_file, "",
          "PEM roots of the port's TLS; default .local/run/tls/ca.crt when it exists (the run command's CA)");
ABSL_FLAG(std::string, tls_cert_file, "", "a client certificate (a government system's, mTLS)");
ABSL_FLAG(std::string, tls_key_file, "", "the client certificate's key");
ABSL_FLAG(int, timeout_ms, 30000, "deadline");

namespace {

using google::protobuf::Message;

std::string ToJson(const Message& m) {
  std::string out;
  google::protobuf::util::JsonPrintOptions opts;
  opts.preserve_proto_field_names = false;
  (void)google::protobuf::util::MessageToJsonString(m, &out, opts);
  return out;
}

grpc::ByteBuffer Serialize(const Message& m) {
  std::string bytes = m.SerializeAsString();
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

bool Parse(const grpc::ByteBuffer& buffer, Message* m) {
  std::vector<grpc::Slice> slices;
  if (!buffer.Dump(&slices).ok()) return false;
  std::string bytes;
  for (const auto& s : slices) bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  return m->ParseFromString(bytes);
}

int Fail(const grpc::Status& s) {
  google::rpc::Status rpc;
  if (s.error_details().empty() || !rpc.ParseFromString(s.error_details())) {
    rpc.set_code(s.error_code());
    rpc.set_message(s.error_message());
  }
  std::fprintf(stderr, "%s\n", ToJson(rpc).c_str());
  return 1;
}

// One request written, every answer printed as it comes.
class Call : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  Call(grpc::GenericStub& stub, grpc::ClientContext* ctx, const std::string& path, grpc::ByteBuffer request,
       const Message& prototype)
      : request_(std::move(request)), answer_(prototype.New()) {
    stub.PrepareBidiStreamingCall(ctx, path, grpc::StubOptions(), this);
    StartWrite(&request_);
    StartRead(&response_);
    StartCall();
  }
  void OnWriteDone(bool) override { StartWritesDone(); }
  void OnReadDone(bool ok) override {
    if (!ok) return;
    answer_->Clear();
    if (Parse(response_, answer_.get())) std::printf("%s\n", ToJson(*answer_).c_str());
    std::fflush(stdout);
    StartRead(&response_);
  }
  void OnDone(const grpc::Status& s) override {
    std::lock_guard<std::mutex> l(mu_);
    status_ = s;
    done_ = true;
    cv_.notify_one();
  }
  grpc::Status Wait() {
    std::unique_lock<std::mutex> l(mu_);
    cv_.wait(l, [&] { return done_; });
    return status_;
  }

 private:
  grpc::ByteBuffer request_, response_;
  std::unique_ptr<Message> answer_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  grpc::Status status_;
};

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string method = absl::GetFlag(FLAGS_method);
  const auto slash = method.find('/');
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  const auto* service = slash == std::string::npos ? nullptr : pool->FindServiceByName(method.substr(0, slash));
  const auto* m = service == nullptr ? nullptr : service->FindMethodByName(method.substr(slash + 1));
  if (m == nullptr) {
    std::fprintf(stderr, "lianxin-call: no method '%s' (package.Service/Method)\n", method.c_str());
    return 2;
  }
  auto* factory = google::protobuf::MessageFactory::generated_factory();
  std::unique_ptr<Message> request(factory->GetPrototype(m->input_type())->New());
  auto parsed = google::protobuf::util::JsonStringToMessage(absl::GetFlag(FLAGS_data), request.get());
  if (!parsed.ok()) {
    std::fprintf(stderr, "lianxin-call: --data: %s\n", std::string(parsed.message()).c_str());
    return 2;
  }
  lianxin::TlsFiles tls;
  tls.ca_file = absl::GetFlag(FLAGS_tls_ca_file);
  if (tls.ca_file.empty() && std::ifstream(".local/run/tls/ca.crt").good()) tls.ca_file = ".local/run/tls/ca.crt";
  tls.cert_file = absl::GetFlag(FLAGS_tls_cert_file);
  tls.key_file = absl::GetFlag(FLAGS_tls_key_file);
  tls.allow_plaintext_remote = true;
  auto channel = lianxin::MakeChannel(absl::GetFlag(FLAGS_target), tls);
  if (!channel.ok()) {
    std::fprintf(stderr, "lianxin-call: %s\n", std::string(channel.status().message()).c_str());
    return 2;
  }
  grpc::GenericStub stub(*channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Milliseconds(absl::GetFlag(FLAGS_timeout_ms))));
  std::string session = absl::GetFlag(FLAGS_session);
  if (session.empty() && std::getenv("LIANXIN_SESSION") != nullptr) session = std::getenv("LIANXIN_SESSION");
  if (!session.empty()) ctx.AddMetadata("authorization", "Bearer " + session);
  if (!absl::GetFlag(FLAGS_on_behalf_of).empty()) {
    ctx.AddMetadata("x-lianxin-on-behalf-of", absl::GetFlag(FLAGS_on_behalf_of));
  }
  Call call(stub, &ctx, absl::StrCat("/", method), Serialize(*request), *factory->GetPrototype(m->output_type()));
  grpc::Status s = call.Wait();
  return s.ok() ? 0 : Fail(s);
}
