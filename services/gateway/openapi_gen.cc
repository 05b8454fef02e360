// Writes the gateway's OpenAPI 3 document from the descriptors compiled in:
// every method with a google.api.http annotation, its path and query
// parameters, its request body and answer, google.rpc.Status for errors, and
// a schema per message (protobuf's JSON mapping: lowerCamel names, enums as
// names, 64-bit integers as strings, Timestamps as date-time strings). Run at
// build time; the gateway serves the result at GET /openapi.json.
//   lianxin-openapi-gen OUT.json OUT.cc
#include <google/protobuf/descriptor.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "google/rpc/status.pb.h"
#include "lianxin/activity/v1/activity_service.pb.h"
#include "lianxin/dispatch/v1/dispatch_service.pb.h"
#include "lianxin/gateway/v1/account_service.pb.h"
#include "lianxin/gateway/v1/audit_service.pb.h"
#include "lianxin/gateway/v1/session_service.pb.h"
#include "lianxin/member/v1/member_service.pb.h"
#include "lianxin/org/v1/org_service.pb.h"
#include "services/gateway/http_template.h"

namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using lianxin::gateway::BindingOf;

std::string Quote(const std::string& s) {
  return absl::StrCat("\"", absl::StrReplaceAll(s, {{"\\", "\\\\"}, {"\"", "\\\""}, {"\n", "\\n"}}), "\"");
}

std::string Ref(const Descriptor* d) {
  return absl::StrCat("{\"$ref\": \"#/components/schemas/", d->full_name(), "\"}");
}

class Writer {
 public:
  std::string FieldSchema(const FieldDescriptor* f) {
    std::string item;
    switch (f->type()) {
      case FieldDescriptor::TYPE_STRING:
        item = "{\"type\": \"string\"}";
        break;
      case FieldDescriptor::TYPE_BYTES:
        item = "{\"type\": \"string\", \"format\": \"byte\"}";
        break;
      case FieldDescriptor::TYPE_BOOL:
        item = "{\"type\": \"boolean\"}";
        break;
      case FieldDescriptor::TYPE_INT32:
      case FieldDescriptor::TYPE_SINT32:
      case FieldDescriptor::TYPE_SFIXED32:
      case FieldDescriptor::TYPE_UINT32:
      case FieldDescriptor::TYPE_FIXED32:
        item = "{\"type\": \"integer\", \"format\": \"int32\"}";
        break;
      case FieldDescriptor::TYPE_INT64:
      case FieldDescriptor::TYPE_SINT64:
      case FieldDescriptor::TYPE_SFIXED64:
      case FieldDescriptor::TYPE_UINT64:
      case FieldDescriptor::TYPE_FIXED64:
        item = "{\"type\": \"string\", \"format\": \"int64\"}";
        break;
      case FieldDescriptor::TYPE_DOUBLE:
      case FieldDescriptor::TYPE_FLOAT:
        item = "{\"type\": \"number\"}";
        break;
      case FieldDescriptor::TYPE_ENUM: {
        std::vector<std::string> names;
        for (int i = 0; i < f->enum_type()->value_count(); ++i)
          names.push_back(Quote(f->enum_type()->value(i)->name()));
        item = absl::StrCat("{\"type\": \"string\", \"enum\": [", absl::StrJoin(names, ", "), "]}");
        break;
      }
      default:
        item = MessageSchema(f->message_type());
    }
    return f->is_repeated() ? absl::StrCat("{\"type\": \"array\", \"items\": ", item, "}") : item;
  }

  std::string MessageSchema(const Descriptor* d) {
    const std::string& n = d->full_name();
    if (n == "google.protobuf.Timestamp") return "{\"type\": \"string\", \"format\": \"date-time\"}";
    if (n == "google.protobuf.Duration" || n == "google.protobuf.FieldMask") return "{\"type\": \"string\"}";
    if (n == "google.protobuf.Any") return "{\"type\": \"object\", \"additionalProperties\": true}";
    if (seen_.insert(n).second) {
      std::vector<std::string> props;
      for (int i = 0; i < d->field_count(); ++i) {
        props.push_back(absl::StrCat(Quote(d->field(i)->json_name()), ": ", FieldSchema(d->field(i))));
      }
      schemas_[n] = absl::StrCat("{\"type\": \"object\", \"properties\": {", absl::StrJoin(props, ", "), "}}");
    }
    return Ref(d);
  }

  std::string Document() {
    const auto* pool = google::protobuf::DescriptorPool::generated_pool();
    std::map<std::string, std::vector<std::string>> paths;  // path → operations
    const std::string error =
        absl::StrCat("{\"description\": \"google.rpc.Status\", \"content\": {\"application/json\": ", "{\"schema\": ",
                     MessageSchema(google::rpc::Status::descriptor()), "}}}");
    for (const char* service :
         {"lianxin.org.v1.OrgService", "lianxin.member.v1.MemberService", "lianxin.dispatch.v1.DispatchService",
          "lianxin.activity.v1.ActivityService", "lianxin.gateway.v1.SessionService",
          "lianxin.gateway.v1.AccountService", "lianxin.gateway.v1.AuditService"}) {
      const auto* sd = pool->FindServiceByName(service);
      if (sd == nullptr) continue;
      for (int i = 0; i < sd->method_count(); ++i) {
        auto b = BindingOf(sd->method(i));
        if (!b.has_value()) continue;
        std::string path;
        std::vector<std::string> params;
        std::set<std::string> bound;
        for (const auto& seg : b->path.segments) {
          if (!seg.variable) {
            absl::StrAppend(&path, "/", seg.literal);
            continue;
          }
          // As grpc-gateway writes them: the pattern stays in the path, so
          // that /v1/{name=orgUnits/*} and /v1/{name=members/*} stay apart.
          absl::StrAppend(&path, "/{", seg.field, "=", absl::StrJoin(seg.pattern, "/"), "}");
          bound.insert(seg.field);
          params.push_back(absl::StrCat("{\"name\": ", Quote(seg.field), ", \"in\": \"path\", \"required\": true, ",
                                        "\"description\": ", Quote(absl::StrJoin(seg.pattern, "/")),
                                        ", \"schema\": {\"type\": \"string\"}}"));
        }
        if (!b->path.custom_verb.empty()) absl::StrAppend(&path, ":", b->path.custom_verb);
        const Descriptor* in = sd->method(i)->input_type();
        if (b->body.empty()) {
          for (int f = 0; f < in->field_count(); ++f) {
            const FieldDescriptor* fd = in->field(f);
            if (bound.count(fd->name()) || fd->type() == FieldDescriptor::TYPE_MESSAGE) continue;
            params.push_back(absl::StrCat("{\"name\": ", Quote(fd->json_name()),
                                          ", \"in\": \"query\", \"schema\": ", FieldSchema(fd), "}"));
          }
        }
        std::string op = absl::StrCat("{\"operationId\": ", Quote(absl::StrCat(sd->name(), "_", sd->method(i)->name())),
                                      ", \"tags\": [", Quote(sd->full_name()), "], \"parameters\": [",
                                      absl::StrJoin(params, ", "), "]");
        if (!b->body.empty()) {
          const Descriptor* body = in;
          if (b->body != "*") body = in->FindFieldByName(b->body)->message_type();
          const char* type = sd->method(i)->client_streaming() ? "application/x-ndjson" : "application/json";
          absl::StrAppend(&op, ", \"requestBody\": {\"content\": {\"", type, "\": {\"schema\": ", MessageSchema(body),
                          "}}}");
        }
        const char* answer = sd->method(i)->server_streaming() ? "application/x-ndjson" : "application/json";
        absl::StrAppend(&op, ", \"responses\": {\"200\": {\"description\": \"OK\", \"content\": {\"", answer,
                        "\": {\"schema\": ", MessageSchema(sd->method(i)->output_type()), "}}}, \"default\": ", error,
                        "}}");
        std::string verb = b->verb;
        for (auto& c : verb) c = static_cast<char>(std::tolower(c));
        paths[path].push_back(absl::StrCat(Quote(verb), ": ", op));
      }
    }
    std::vector<std::string> path_items, schema_items;
    for (const auto& [p, ops] : paths)
      path_items.push_back(absl::StrCat(Quote(p), ": {", absl::StrJoin(ops, ", "), "}"));
    for (const auto& [n, s] : schemas_) schema_items.push_back(absl::StrCat(Quote(n), ": ", s));
    return absl::StrCat(
        "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"Lianxin\", \"version\": \"v1\", \"description\": ",
        Quote("The Lianxin platform through its gateway. Sign in with POST /v1/sessions:signIn (people) or "
              "/v1/sessions:signInClient (app backends, systems), then send Authorization: Bearer <token>."),
        "}, \"components\": {\"securitySchemes\": {\"session\": {\"type\": \"http\", \"scheme\": \"bearer\"}}, "
        "\"schemas\": {",
        absl::StrJoin(schema_items, ", "), "}}, \"security\": [{\"session\": []}], \"paths\": {",
        absl::StrJoin(path_items, ", "), "}}\n");
  }

 private:
  std::set<std::string> seen_;
  std::map<std::string, std::string> schemas_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: lianxin-openapi-gen OUT.json OUT.cc\n");
    return 2;
  }
  // The generated classes register their descriptors when linked in.
  (void)lianxin::org::v1::GetOrgUnitRequest::descriptor();
  (void)lianxin::member::v1::GetMemberRequest::descriptor();
  (void)lianxin::dispatch::v1::GetRequestRequest::descriptor();
  (void)lianxin::activity::v1::GetActivityRequest::descriptor();
  (void)lianxin::gateway::v1::SignInRequest::descriptor();
  (void)lianxin::gateway::v1::GetAccountRequest::descriptor();
  (void)lianxin::gateway::v1::VerifyAuditChainRequest::descriptor();
  Writer w;
  const std::string doc = w.Document();
  std::ofstream(argv[1]) << doc;
  std::ofstream cc(argv[2]);
  cc << "// Generated by lianxin-openapi-gen from the descriptors; do not edit.\n"
     << "#include \"services/gateway/http_server.h\"\n\nnamespace lianxin::gateway {\n\n"
     << "const char* OpenApiJson() {\n  static const char* const kDocument =\n";
  // In pieces: a string literal has a length limit.
  for (size_t i = 0; i < doc.size(); i += 2000) {
    cc << "      R\"lxoa(" << doc.substr(i, 2000) << ")lxoa\"\n";
  }
  cc << "      ;\n  return kDocument;\n}\n\n}  // namespace lianxin::gateway\n";
  return cc.good() ? 0 : 1;
}
