#include "services/gateway/reflection.h"

#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/message.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/gateway/resources.h"

namespace lianxin::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptor;
using google::protobuf::Message;

const google::protobuf::DescriptorPool* Pool() { return google::protobuf::DescriptorPool::generated_pool(); }

std::unique_ptr<Message> New(const char* type) {
  const Descriptor* d = Pool()->FindMessageTypeByName(type);
  if (d == nullptr) return nullptr;
  const Message* proto = google::protobuf::MessageFactory::generated_factory()->GetPrototype(d);
  return proto == nullptr ? nullptr : std::unique_ptr<Message>(proto->New());
}

class ReflectionCall : public grpc::ServerGenericBidiReactor {
 public:
  explicit ReflectionCall(const Routes& routes) : routes_(routes) {
    request_ = New("grpc.reflection.v1alpha.ServerReflectionRequest");
    response_ = New("grpc.reflection.v1alpha.ServerReflectionResponse");
    if (request_ == nullptr || response_ == nullptr) {
      Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "reflection is not built in"));
      return;
    }
    StartRead(&in_);
  }
  void OnReadDone(bool ok) override {
    if (!ok) return Finish(grpc::Status::OK);
    request_->Clear();
    if (!request_->ParseFromString(BufferBytes(in_))) {
      return Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "not a ServerReflectionRequest"));
    }
    Answer();
    out_ = BytesBuffer(response_->SerializeAsString());
    StartWrite(&out_);
  }
  void OnWriteDone(bool ok) override {
    if (!ok) return Finish(grpc::Status::CANCELLED);
    StartRead(&in_);
  }
  void OnDone() override { delete this; }

 private:
  void Answer() {
    response_->Clear();
    const auto* rd = request_->GetDescriptor();
    const auto* rr = request_->GetReflection();
    auto* sr = response_->GetReflection();
    const auto* sd = response_->GetDescriptor();
    sr->SetString(response_.get(), sd->FindFieldByName("valid_host"),
                  rr->GetString(*request_, rd->FindFieldByName("host")));
    sr->MutableMessage(response_.get(), sd->FindFieldByName("original_request"))->CopyFrom(*request_);
    const FieldDescriptor* which = nullptr;
    for (const char* f : {"list_services", "file_containing_symbol", "file_by_filename", "file_containing_extension",
                          "all_extension_numbers_of_type"}) {
      if (rr->HasField(*request_, rd->FindFieldByName(f))) which = rd->FindFieldByName(f);
    }
    if (which != nullptr && which->name() == "list_services") {
      Message* list = sr->MutableMessage(response_.get(), sd->FindFieldByName("list_services_response"));
      for (const std::string& name : routes_.services()) {
        Message* s = list->GetReflection()->AddMessage(list, list->GetDescriptor()->FindFieldByName("service"));
        s->GetReflection()->SetString(s, s->GetDescriptor()->FindFieldByName("name"), name);
      }
      return;
    }
    const FileDescriptor* file = nullptr;
    if (which != nullptr && which->name() == "file_containing_symbol") {
      file = Pool()->FindFileContainingSymbol(rr->GetString(*request_, which));
    } else if (which != nullptr && which->name() == "file_by_filename") {
      file = Pool()->FindFileByName(rr->GetString(*request_, which));
    }
    if (file == nullptr || !Public(file)) return Error(5, "not found");
    Message* files = sr->MutableMessage(response_.get(), sd->FindFieldByName("file_descriptor_response"));
    std::set<std::string> sent;
    AddFile(file, files, &sent);
  }

  // A file a caller may see: one of Lianxin's, or what they import.
  bool Public(const FileDescriptor* file) const {
    for (const std::string& service : routes_.services()) {
      const auto* s = Pool()->FindServiceByName(service);
      if (s != nullptr && Reaches(s->file(), file)) return true;
    }
    return false;
  }
  static bool Reaches(const FileDescriptor* from, const FileDescriptor* to) {
    if (from == to) return true;
    for (int i = 0; i < from->dependency_count(); ++i) {
      if (Reaches(from->dependency(i), to)) return true;
    }
    return false;
  }

  // The file and everything it imports, each once; services keep only the
  // methods the gateway forwards.
  void AddFile(const FileDescriptor* file, Message* files, std::set<std::string>* sent) {
    if (!sent->insert(file->name()).second) return;
    google::protobuf::FileDescriptorProto proto;
    file->CopyTo(&proto);
    for (auto& service : *proto.mutable_service()) {
      auto* methods = service.mutable_method();
      for (int i = methods->size() - 1; i >= 0; --i) {
        const std::string path = absl::StrCat("/", proto.package(), ".", service.name(), "/", methods->Get(i).name());
        if (routes_.Find(path) == nullptr) methods->DeleteSubrange(i, 1);
      }
    }
    files->GetReflection()->AddString(files, files->GetDescriptor()->FindFieldByName("file_descriptor_proto"),
                                      proto.SerializeAsString());
    for (int i = 0; i < file->dependency_count(); ++i) AddFile(file->dependency(i), files, sent);
  }

  void Error(int code, const char* message) {
    auto* sr = response_->GetReflection();
    Message* e = sr->MutableMessage(response_.get(), response_->GetDescriptor()->FindFieldByName("error_response"));
    e->GetReflection()->SetInt32(e, e->GetDescriptor()->FindFieldByName("error_code"), code);
    e->GetReflection()->SetString(e, e->GetDescriptor()->FindFieldByName("error_message"), message);
  }

  const Routes& routes_;
  std::unique_ptr<Message> request_, response_;
  grpc::ByteBuffer in_, out_;
};

}  // namespace

grpc::ServerGenericBidiReactor* NewReflectionCall(const Routes& routes) { return new ReflectionCall(routes); }

}  // namespace lianxin::gateway
