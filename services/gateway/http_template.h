// google.api.http path templates (AIP-127): parsed from a method's HttpRule,
// matched against a request path, and listed for the OpenAPI document.
//   "/v1/{name=requests/*}:accept" → literal v1, variable name = requests/*,
//   custom verb "accept".
#ifndef LIANXIN_SERVICES_GATEWAY_HTTP_TEMPLATE_H_
#define LIANXIN_SERVICES_GATEWAY_HTTP_TEMPLATE_H_

#include <google/protobuf/descriptor.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace lianxin::gateway {

struct PathTemplate {
  struct Segment {
    bool variable = false;
    std::string literal;               // a literal segment
    std::string field;                 // a variable's field path ("org_unit.name")
    std::vector<std::string> pattern;  // its segments: literals and "*" ("**": the rest)
  };
  std::vector<Segment> segments;
  std::string custom_verb;  // "accept", or ""
  std::string text;         // as written

  // nullopt for a template this parser does not take.
  static std::optional<PathTemplate> Parse(absl::string_view text);
  // The variables' values for `path` ("/v1/requests/x:accept"), or nullopt
  // when it does not match. Segments are percent-decoded.
  std::optional<std::vector<std::pair<std::string, std::string>>> Match(absl::string_view path) const;
};

// A method's HTTP binding, from its google.api.http option.
struct HttpBinding {
  const google::protobuf::MethodDescriptor* method = nullptr;
  std::string verb;  // "GET", "POST", "PATCH", "DELETE", "PUT"
  PathTemplate path;
  std::string body;  // "", "*", or a top-level field name
};

// The binding of `method`, if it has a google.api.http option.
std::optional<HttpBinding> BindingOf(const google::protobuf::MethodDescriptor* method);

}  // namespace lianxin::gateway

#endif  // LIANXIN_SERVICES_GATEWAY_HTTP_TEMPLATE_H_
