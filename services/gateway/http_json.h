// HTTP/JSON to and from gRPC, as grpc-gateway does it: a request message
// built from the path's variables, the query string and the JSON body
// (protobuf's JSON mapping); errors as google.rpc.Status JSON with the HTTP
// status of grpc-gateway's table.
#ifndef LIANXIN_SERVICES_GATEWAY_HTTP_JSON_H_
#define LIANXIN_SERVICES_GATEWAY_HTTP_JSON_H_

#include <google/protobuf/message.h>
#include <grpcpp/grpcpp.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "services/gateway/http_template.h"

namespace lianxin::gateway {

// Fills `out` for `binding`: the body as its `body` says ("*": the whole
// message; a field: that field; none: no body allowed), then the path's
// variables, then the query parameters (GET and DELETE: any field not bound
// by the path, "a.b=v", repeated fields by repetition). INVALID_ARGUMENT
// naming the field for anything that does not fit.
absl::Status BuildRequest(const HttpBinding& binding, const std::vector<std::pair<std::string, std::string>>& path,
                          absl::string_view query, absl::string_view body, google::protobuf::Message* out);

// A message as JSON (lowerCamel names, enums as names).
std::string ToJson(const google::protobuf::Message& m);
// A serialized message of `type` as JSON; "" when it does not parse.
std::string BytesToJson(const google::protobuf::Descriptor* type, const std::string& bytes);

// grpc-gateway's table: OK 200, CANCELLED 499, INVALID_ARGUMENT 400, ...
int HttpStatusOf(grpc::StatusCode code);
// google.rpc.Status as JSON: the details the status carries, or code and message.
std::string StatusJson(const grpc::Status& status);
// Seconds until a retry, from a RetryInfo detail (Retry-After); 0 if none.
int RetryAfterSeconds(const grpc::Status& status);

}  // namespace lianxin::gateway

#endif  // LIANXIN_SERVICES_GATEWAY_HTTP_JSON_H_
