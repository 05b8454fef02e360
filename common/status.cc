#include "common/status.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "lianxin/rpc/v1/error.pb.h"

namespace lianxin {
namespace {

constexpr absl::string_view kTypePrefix = "type.googleapis.com/";

std::string TypeUrl(const google::protobuf::Message& m) {
  return absl::StrCat(kTypePrefix, m.GetDescriptor()->full_name());
}

template <typename T>
void SetDetail(absl::Status& s, const T& detail) {
  s.SetPayload(TypeUrl(detail), absl::Cord(detail.SerializeAsString()));
}

template <typename T>
bool GetDetail(const absl::Status& s, T* detail) {
  auto payload = s.GetPayload(TypeUrl(*detail));
  return payload.has_value() && detail->ParseFromString(std::string(*payload));
}

}  // namespace

absl::Status InvalidFields(const std::vector<FieldViolation>& violations) {
  google::rpc::BadRequest bad;
  std::vector<std::string> parts;
  for (const auto& v : violations) {
    auto* fv = bad.add_field_violations();
    fv->set_field(v.field);
    fv->set_description(v.description);
    parts.push_back(absl::StrCat(v.field, ": ", v.description));
  }
  absl::Status s = absl::InvalidArgumentError(absl::StrJoin(parts, "; "));
  SetDetail(s, bad);
  return WithReason(std::move(s), "INVALID_FIELD", {{"field", violations.empty() ? "" : violations[0].field}});
}

absl::Status FieldError(absl::string_view field, absl::string_view description) {
  return InvalidFields({{std::string(field), std::string(description)}});
}

absl::Status FieldStatus(absl::StatusCode code, absl::string_view field, absl::string_view description,
                         absl::string_view reason) {
  google::rpc::BadRequest bad;
  auto* fv = bad.add_field_violations();
  fv->set_field(std::string(field));
  fv->set_description(std::string(description));
  absl::Status s(code, absl::StrCat(field, ": ", description));
  SetDetail(s, bad);
  return WithReason(std::move(s), reason, {{"field", std::string(field)}});
}

absl::Status ResourceNotFound(absl::string_view resource_type, absl::string_view resource_name,
                              absl::string_view field) {
  google::rpc::ResourceInfo info;
  info.set_resource_type(std::string(resource_type));
  info.set_resource_name(std::string(resource_name));
  info.set_description("not found");
  absl::Status s = absl::NotFoundError(field.empty() ? absl::StrCat(resource_name, " not found")
                                                     : absl::StrCat(field, ": ", resource_name, " not found"));
  SetDetail(s, info);
  if (!field.empty()) {
    google::rpc::BadRequest bad;
    auto* fv = bad.add_field_violations();
    fv->set_field(std::string(field));
    fv->set_description(absl::StrCat(resource_name, " not found"));
    SetDetail(s, bad);
  }
  return WithReason(std::move(s), "NOT_FOUND", {{"resource", std::string(resource_name)}});
}

std::string EtagOf(int64_t version) { return absl::StrCat("v", version); }

absl::Status CheckEtag(absl::string_view field, absl::string_view given, int64_t version) {
  if (given.empty() || given == EtagOf(version)) return absl::OkStatus();
  return FieldStatus(
      absl::StatusCode::kAborted, field,
      absl::StrCat("stale etag ", given, ": the resource changed (now ", EtagOf(version), "); read it again and retry"),
      "STALE_ETAG");
}

absl::Status OutsideSubtree(absl::string_view resource_name, absl::string_view field) {
  return WithReason(absl::PermissionDeniedError(
                        absl::StrCat(field, ": ", resource_name, " is outside the caller's organization subtree")),
                    "OUTSIDE_SUBTREE", {{"field", std::string(field)}});
}

absl::Status Missing(bool platform_wide, absl::string_view resource_type, absl::string_view resource_name,
                     absl::string_view field) {
  return platform_wide ? ResourceNotFound(resource_type, resource_name, field) : OutsideSubtree(resource_name, field);
}

absl::Status WithReason(absl::Status status, absl::string_view reason,
                        std::vector<std::pair<std::string, std::string>> metadata) {
  lianxin::rpc::v1::ErrorInfo info;
  info.set_reason(std::string(reason));
  for (auto& [k, v] : metadata) (*info.mutable_metadata())[k] = v;
  SetDetail(status, info);
  return status;
}

std::string ReasonOf(const absl::Status& status) {
  lianxin::rpc::v1::ErrorInfo info;
  return GetDetail(status, &info) ? info.reason() : "";
}

std::vector<FieldViolation> ViolationsOf(const absl::Status& status) {
  google::rpc::BadRequest bad;
  std::vector<FieldViolation> out;
  if (GetDetail(status, &bad)) {
    for (const auto& v : bad.field_violations()) out.push_back({v.field(), v.description()});
  }
  return out;
}

std::string FieldOf(const absl::Status& status) {
  auto violations = ViolationsOf(status);
  if (!violations.empty()) return violations[0].field;
  lianxin::rpc::v1::ErrorInfo info;
  if (GetDetail(status, &info)) {
    auto it = info.metadata().find("field");
    if (it != info.metadata().end()) return it->second;
  }
  return "";
}

absl::Status RenameFields(const absl::Status& status, absl::string_view from, absl::string_view to) {
  if (status.ok()) return status;
  auto rename = [&](const std::string& field) {
    return absl::StartsWith(field, from) ? absl::StrCat(to, field.substr(from.size())) : field;
  };
  std::string message = absl::StrReplaceAll(status.message(), {{from, to}});
  absl::Status out(status.code(), message);
  status.ForEachPayload([&](absl::string_view url, const absl::Cord& payload) { out.SetPayload(url, payload); });
  google::rpc::BadRequest bad;
  if (GetDetail(status, &bad)) {
    for (auto& fv : *bad.mutable_field_violations()) fv.set_field(rename(fv.field()));
    SetDetail(out, bad);
  }
  lianxin::rpc::v1::ErrorInfo info;
  if (GetDetail(status, &info)) {
    auto it = info.mutable_metadata()->find("field");
    if (it != info.mutable_metadata()->end()) it->second = rename(it->second);
    SetDetail(out, info);
  }
  return out;
}

grpc::Status ToGrpcStatus(const absl::Status& status, absl::string_view domain) {
  if (status.ok()) return grpc::Status::OK;
  google::rpc::Status rpc;
  rpc.set_code(static_cast<int>(status.code()));
  rpc.set_message(std::string(status.message()));
  bool has_reason = false;
  const std::string error_info_url = absl::StrCat(kTypePrefix, "lianxin.rpc.v1.ErrorInfo");
  status.ForEachPayload([&](absl::string_view url, const absl::Cord& payload) {
    if (url == error_info_url) {
      lianxin::rpc::v1::ErrorInfo info;
      info.ParseFromString(std::string(payload));
      info.set_domain(std::string(domain));
      auto* any = rpc.add_details();
      any->PackFrom(info);
      has_reason = true;
      return;
    }
    auto* any = rpc.add_details();
    any->set_type_url(std::string(url));
    any->set_value(std::string(payload));
  });
  if (!has_reason) {
    lianxin::rpc::v1::ErrorInfo info;
    info.set_reason(absl::AsciiStrToUpper(absl::StatusCodeToString(status.code())));
    info.set_domain(std::string(domain));
    rpc.add_details()->PackFrom(info);
  }
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()),
                      rpc.SerializeAsString());
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  absl::Status s(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  google::rpc::Status rpc;
  if (!status.error_details().empty() && rpc.ParseFromString(status.error_details())) {
    for (const auto& any : rpc.details()) s.SetPayload(any.type_url(), absl::Cord(any.value()));
  }
  return s;
}

absl::Status AtCapacity() { return absl::ResourceExhaustedError("the service is at capacity; retry with backoff"); }

absl::Status WouldBlock() { return WithReason(absl::UnavailableError("would block on a gRPC thread"), "WOULD_BLOCK"); }

bool IsWouldBlock(const absl::Status& status) { return ReasonOf(status) == "WOULD_BLOCK"; }

}  // namespace lianxin
