#include "services/gateway/http_json.h"

#include <google/protobuf/util/json_util.h>

#include <cmath>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace lianxin::gateway {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

std::string Unescape(absl::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%' && i + 2 < s.size() && absl::ascii_isxdigit(s[i + 1]) && absl::ascii_isxdigit(s[i + 2])) {
      auto hex = [](char c) { return absl::ascii_isdigit(c) ? c - '0' : absl::ascii_tolower(c) - 'a' + 10; };
      out.push_back(static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

const FieldDescriptor* FindField(const google::protobuf::Descriptor* d, absl::string_view name) {
  const FieldDescriptor* f = d->FindFieldByName(std::string(name));
  return f != nullptr ? f : d->FindFieldByCamelcaseName(std::string(name));
}

// Sets the field at `path` ("org_unit.name") of `m` from text.
absl::Status SetField(Message* m, absl::string_view path, const std::string& value, bool from_path) {
  std::vector<std::string> parts = absl::StrSplit(path, '.');
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    const FieldDescriptor* f = FindField(m->GetDescriptor(), parts[i]);
    if (f == nullptr || f->type() != FieldDescriptor::TYPE_MESSAGE || f->is_repeated()) {
      return FieldError(path, "is not a field of the request");
    }
    m = m->GetReflection()->MutableMessage(m, f);
  }
  const FieldDescriptor* f = FindField(m->GetDescriptor(), parts.back());
  if (f == nullptr) return FieldError(path, "is not a field of the request");
  const auto* r = m->GetReflection();
  const bool rep = f->is_repeated();
  auto bad = [&](const char* what) { return FieldError(path, absl::StrCat("must be ", what)); };
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      if (from_path && !rep && r->HasField(*m, f) && r->GetString(*m, f) != value) {
        return FieldError(path, "differs between the path and the body");
      }
      rep ? r->AddString(m, f, value) : r->SetString(m, f, value);
      return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_INT32:
    case FieldDescriptor::CPPTYPE_INT64: {
      int64_t v;
      if (!absl::SimpleAtoi(value, &v)) return bad("an integer");
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_INT32) {
        if (v < INT32_MIN || v > INT32_MAX) return bad("a 32-bit integer");
        rep ? r->AddInt32(m, f, static_cast<int32_t>(v)) : r->SetInt32(m, f, static_cast<int32_t>(v));
      } else {
        rep ? r->AddInt64(m, f, v) : r->SetInt64(m, f, v);
      }
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT32:
    case FieldDescriptor::CPPTYPE_UINT64: {
      uint64_t v;
      if (!absl::SimpleAtoi(value, &v)) return bad("a non-negative integer");
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_UINT32) {
        rep ? r->AddUInt32(m, f, static_cast<uint32_t>(v)) : r->SetUInt32(m, f, static_cast<uint32_t>(v));
      } else {
        rep ? r->AddUInt64(m, f, v) : r->SetUInt64(m, f, v);
      }
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      bool v;
      if (!absl::SimpleAtob(value, &v)) return bad("true or false");
      rep ? r->AddBool(m, f, v) : r->SetBool(m, f, v);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT: {
      double v;
      if (!absl::SimpleAtod(value, &v)) return bad("a number");
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_FLOAT) {
        rep ? r->AddFloat(m, f, static_cast<float>(v)) : r->SetFloat(m, f, static_cast<float>(v));
      } else {
        rep ? r->AddDouble(m, f, v) : r->SetDouble(m, f, v);
      }
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const auto* e = f->enum_type()->FindValueByName(value);
      int64_t n;
      if (e == nullptr && absl::SimpleAtoi(value, &n)) e = f->enum_type()->FindValueByNumber(static_cast<int>(n));
      if (e == nullptr) return bad(absl::StrCat("a value of ", f->enum_type()->name()).c_str());
      rep ? r->AddEnum(m, f, e) : r->SetEnum(m, f, e);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      // Well-known types in the query: their JSON text ("2026-11-30T00:00:00Z").
      Message* sub = rep ? r->AddMessage(m, f) : r->MutableMessage(m, f);
      std::string json = absl::StrCat("\"", value, "\"");
      if (!google::protobuf::util::JsonStringToMessage(json, sub).ok()) return bad("in the field's JSON form");
      return absl::OkStatus();
    }
  }
  return bad("a value this gateway can read");
}

}  // namespace

absl::Status BuildRequest(const HttpBinding& binding, const std::vector<std::pair<std::string, std::string>>& path,
                          absl::string_view query, absl::string_view body, Message* out) {
  google::protobuf::util::JsonParseOptions opts;
  opts.ignore_unknown_fields = false;
  if (binding.body.empty()) {
    if (!absl::StripAsciiWhitespace(body).empty()) {
      return absl::InvalidArgumentError(absl::StrCat(binding.verb, " ", binding.path.text, " takes no body"));
    }
  } else {
    Message* target = out;
    if (binding.body != "*") {
      const FieldDescriptor* f = out->GetDescriptor()->FindFieldByName(binding.body);
      if (f == nullptr) return absl::InternalError("the route's body field is not in the request");
      target = out->GetReflection()->MutableMessage(out, f);
    }
    const std::string text = absl::StripAsciiWhitespace(body).empty() ? "{}" : std::string(body);
    auto s = google::protobuf::util::JsonStringToMessage(text, target, opts);
    if (!s.ok()) {
      return FieldError(binding.body == "*" ? "body" : binding.body,
                        absl::StrCat("is not the request's JSON: ", std::string(s.message())));
    }
  }
  for (const auto& [field, value] : path) RETURN_IF_ERROR(SetField(out, field, value, true));
  if (!query.empty()) {
    for (absl::string_view pair : absl::StrSplit(query, '&', absl::SkipEmpty())) {
      std::vector<std::string> kv = absl::StrSplit(pair, absl::MaxSplits('=', 1));
      const std::string key = Unescape(kv[0]);
      const std::string value = kv.size() > 1 ? Unescape(kv[1]) : "";
      bool bound = false;
      for (const auto& [field, v] : path) bound |= field == key;
      if (bound) return FieldError(key, "is given by the path already");
      RETURN_IF_ERROR(SetField(out, key, value, false));
    }
  }
  return absl::OkStatus();
}

std::string ToJson(const Message& m) {
  std::string out;
  google::protobuf::util::JsonPrintOptions opts;
  (void)google::protobuf::util::MessageToJsonString(m, &out, opts);
  return out;
}

std::string BytesToJson(const google::protobuf::Descriptor* type, const std::string& bytes) {
  const Message* proto = google::protobuf::MessageFactory::generated_factory()->GetPrototype(type);
  if (proto == nullptr) return "";
  std::unique_ptr<Message> m(proto->New());
  if (!m->ParseFromString(bytes)) return "";
  return ToJson(*m);
}

int HttpStatusOf(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return 200;
    case grpc::StatusCode::CANCELLED:
      return 499;
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::OUT_OF_RANGE:
      return 400;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return 504;
    case grpc::StatusCode::NOT_FOUND:
      return 404;
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::ABORTED:
      return 409;
    case grpc::StatusCode::PERMISSION_DENIED:
      return 403;
    case grpc::StatusCode::UNAUTHENTICATED:
      return 401;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return 429;
    case grpc::StatusCode::UNIMPLEMENTED:
      return 501;
    case grpc::StatusCode::UNAVAILABLE:
      return 503;
    default:  // UNKNOWN, INTERNAL, DATA_LOSS
      return 500;
  }
}

std::string StatusJson(const grpc::Status& status) {
  google::rpc::Status rpc;
  if (status.error_details().empty() || !rpc.ParseFromString(status.error_details())) {
    rpc.Clear();
    rpc.set_code(status.error_code());
    rpc.set_message(status.error_message());
  }
  return ToJson(rpc);
}

int RetryAfterSeconds(const grpc::Status& status) {
  google::rpc::Status rpc;
  if (status.error_details().empty() || !rpc.ParseFromString(status.error_details())) return 0;
  for (const auto& any : rpc.details()) {
    google::rpc::RetryInfo info;
    if (any.UnpackTo(&info)) {
      const double s = static_cast<double>(info.retry_delay().seconds()) + info.retry_delay().nanos() / 1e9;
      return std::max(1, static_cast<int>(std::ceil(s)));
    }
  }
  return 0;
}

}  // namespace lianxin::gateway
