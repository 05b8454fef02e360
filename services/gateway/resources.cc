#include "services/gateway/resources.h"

#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/message.h>

#include <algorithm>
#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "common/names.h"

namespace lianxin::gateway {
namespace {

constexpr size_t kMaxNames = 16;
constexpr int kMaxDepth = 3;
constexpr size_t kMaxLength = 128;

bool LooksLikeName(const std::string& v) {
  if (v.size() > kMaxLength || v.find('/') == std::string::npos) return false;
  absl::string_view first = absl::string_view(v).substr(0, v.find('/'));
  for (const Collection* c :
       {&kOrgUnits, &kPlaces, &kPositions, &kPartners, &kMembers, &kRegistrations, &kRegistrationCodes, &kTransfers,
        &kRequests, &kAccounts, &kClients, &kSessions, &kResidents}) {
    if (first == c->plural()) return v.size() > first.size() + 1;
  }
  return false;
}

// Fields whose values never go into a record, whatever they look like.
bool IsSecret(const std::string& field) {
  return absl::StrContains(field, "password") || absl::StrContains(field, "secret") ||
         absl::StrContains(field, "code") || absl::StrContains(field, "token");
}

void Collect(const google::protobuf::Message& m, int depth, std::vector<std::string>* out) {
  const auto* refl = m.GetReflection();
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  refl->ListFields(m, &fields);
  for (const auto* f : fields) {
    if (out->size() >= kMaxNames) return;
    if (IsSecret(f->name())) continue;
    if (f->type() == google::protobuf::FieldDescriptor::TYPE_STRING) {
      if (f->is_repeated()) {
        for (int i = 0; i < refl->FieldSize(m, f) && out->size() < kMaxNames; ++i) {
          std::string v = refl->GetRepeatedString(m, f, i);
          if (LooksLikeName(v)) out->push_back(std::move(v));
        }
      } else if (std::string v = refl->GetString(m, f); LooksLikeName(v)) {
        out->push_back(std::move(v));
      }
    } else if (f->type() == google::protobuf::FieldDescriptor::TYPE_MESSAGE && depth < kMaxDepth) {
      if (f->is_repeated()) {
        for (int i = 0; i < refl->FieldSize(m, f) && out->size() < kMaxNames; ++i) {
          Collect(refl->GetRepeatedMessage(m, f, i), depth + 1, out);
        }
      } else {
        Collect(refl->GetMessage(m, f), depth + 1, out);
      }
    }
  }
}

}  // namespace

std::string BufferBytes(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!buffer.Dump(&slices).ok()) return out;
  for (const auto& s : slices) out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  return out;
}

grpc::ByteBuffer BytesBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

std::vector<std::string> ResourceNames(const google::protobuf::Descriptor* type, const std::string& bytes) {
  std::vector<std::string> out;
  if (type == nullptr) return out;
  const google::protobuf::Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(type);
  if (prototype == nullptr) return out;
  std::unique_ptr<google::protobuf::Message> m(prototype->New());
  if (!m->ParseFromString(bytes)) return out;
  Collect(*m, 0, &out);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace lianxin::gateway
