// Reflection on the gateway's public port: the exposed services, and their
// files without the methods between services.
#include <google/protobuf/descriptor.pb.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/generic/generic_stub.h>

#include <condition_variable>
#include <mutex>

#include "tests/gateway/gateway_test_base.h"

namespace lianxin::testing {
namespace {

using google::protobuf::Message;

std::unique_ptr<Message> New(const char* type) {
  const auto* d = google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(type);
  if (d == nullptr) return nullptr;
  return std::unique_ptr<Message>(google::protobuf::MessageFactory::generated_factory()->GetPrototype(d)->New());
}

// One reflection request, one answer.
class Ask : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  Ask(grpc::GenericStub& stub, const Message& request) {
    std::string bytes = request.SerializeAsString();
    grpc::Slice slice(bytes);
    out_ = grpc::ByteBuffer(&slice, 1);
    ctx_.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    stub.PrepareBidiStreamingCall(&ctx_, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
                                  grpc::StubOptions(), this);
    StartWrite(&out_);
    StartRead(&in_);
    StartCall();
  }
  void OnWriteDone(bool) override { StartWritesDone(); }
  void OnReadDone(bool ok) override {
    if (!ok) return;
    std::vector<grpc::Slice> slices;
    if (in_.Dump(&slices).ok()) {
      for (const auto& s : slices) answer_.append(reinterpret_cast<const char*>(s.begin()), s.size());
    }
  }
  void OnDone(const grpc::Status& s) override {
    std::lock_guard<std::mutex> l(mu_);
    status_ = s;
    done_ = true;
    cv_.notify_one();
  }
  std::string Wait() {
    std::unique_lock<std::mutex> l(mu_);
    cv_.wait(l, [&] { return done_; });
    return answer_;
  }

 private:
  grpc::ClientContext ctx_;
  grpc::ByteBuffer out_, in_;
  std::string answer_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  grpc::Status status_;
};

TEST_F(GatewayTest, ReflectionListsThePublicServicesAndHidesMethodsBetweenServices) {
  // Loads gRPC's reflection library here too, for its messages' descriptors.
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  auto request = New("grpc.reflection.v1alpha.ServerReflectionRequest");
  auto response = New("grpc.reflection.v1alpha.ServerReflectionResponse");
  ASSERT_NE(request, nullptr);
  grpc::GenericStub stub(*public_);
  request->GetReflection()->SetString(request.get(), request->GetDescriptor()->FindFieldByName("list_services"), "*");
  ASSERT_TRUE(response->ParseFromString(Ask(stub, *request).Wait()));
  const std::string listed = response->DebugString();
  for (const char* s : {"lianxin.org.v1.OrgService", "lianxin.member.v1.MemberService",
                        "lianxin.dispatch.v1.DispatchService", "lianxin.gateway.v1.SessionService"}) {
    EXPECT_THAT(listed, ::testing::HasSubstr(s));
  }
  EXPECT_THAT(listed, ::testing::Not(::testing::HasSubstr("grpc.health")));

  request->Clear();
  request->GetReflection()->SetString(request.get(),
                                      request->GetDescriptor()->FindFieldByName("file_containing_symbol"),
                                      "lianxin.member.v1.MemberService");
  ASSERT_TRUE(response->ParseFromString(Ask(stub, *request).Wait()));
  const Message& files = response->GetReflection()->GetMessage(
      *response, response->GetDescriptor()->FindFieldByName("file_descriptor_response"));
  const auto* field = files.GetDescriptor()->FindFieldByName("file_descriptor_proto");
  ASSERT_GT(files.GetReflection()->FieldSize(files, field), 1);  // the file and what it imports
  google::protobuf::FileDescriptorProto file;
  ASSERT_TRUE(file.ParseFromString(files.GetReflection()->GetRepeatedString(files, field, 0)));
  EXPECT_EQ(file.name(), "lianxin/member/v1/member_service.proto");
  std::vector<std::string> methods;
  for (const auto& m : file.service(0).method()) methods.push_back(m.name());
  EXPECT_THAT(methods, ::testing::Contains("GetMember"));
  EXPECT_THAT(methods, ::testing::Not(::testing::Contains("CountMembers")));
  EXPECT_THAT(methods, ::testing::Not(::testing::Contains("MoveMembers")));
}

}  // namespace
}  // namespace lianxin::testing
