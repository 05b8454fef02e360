#include "services/gateway/http_template.h"

#include <google/protobuf/descriptor.pb.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "google/api/annotations.pb.h"

namespace lianxin::gateway {
namespace {

std::string PercentDecode(absl::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && absl::ascii_isxdigit(s[i + 1]) && absl::ascii_isxdigit(s[i + 2])) {
      auto hex = [](char c) { return absl::ascii_isdigit(c) ? c - '0' : absl::ascii_tolower(c) - 'a' + 10; };
      out.push_back(static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

}  // namespace

std::optional<PathTemplate> PathTemplate::Parse(absl::string_view text) {
  PathTemplate t;
  t.text = std::string(text);
  if (text.empty() || text[0] != '/') return std::nullopt;
  absl::string_view rest = text.substr(1);
  // The custom verb follows the last ':' outside braces.
  size_t close = rest.rfind('}');
  size_t colon = rest.rfind(':');
  if (colon != absl::string_view::npos && (close == absl::string_view::npos || colon > close)) {
    t.custom_verb = std::string(rest.substr(colon + 1));
    rest = rest.substr(0, colon);
  }
  while (!rest.empty()) {
    Segment seg;
    if (rest[0] == '{') {
      size_t end = rest.find('}');
      if (end == absl::string_view::npos) return std::nullopt;
      absl::string_view var = rest.substr(1, end - 1);
      size_t eq = var.find('=');
      seg.variable = true;
      seg.field = std::string(var.substr(0, eq));
      if (eq == absl::string_view::npos) {
        seg.pattern = {"*"};
      } else {
        seg.pattern = absl::StrSplit(var.substr(eq + 1), '/');
      }
      rest = rest.substr(end + 1);
    } else {
      size_t end = rest.find('/');
      seg.literal = std::string(rest.substr(0, end));
      rest = end == absl::string_view::npos ? absl::string_view() : rest.substr(end);
    }
    t.segments.push_back(std::move(seg));
    if (!rest.empty()) {
      if (rest[0] != '/') return std::nullopt;
      rest = rest.substr(1);
    }
  }
  return t;
}

std::optional<std::vector<std::pair<std::string, std::string>>> PathTemplate::Match(absl::string_view path) const {
  if (path.empty() || path[0] != '/') return std::nullopt;
  path = path.substr(1);
  std::string verb;
  size_t slash = path.rfind('/');
  size_t colon = path.rfind(':');
  if (colon != absl::string_view::npos && (slash == absl::string_view::npos || colon > slash)) {
    verb = std::string(path.substr(colon + 1));
    path = path.substr(0, colon);
  }
  if (verb != custom_verb) return std::nullopt;
  std::vector<std::string> parts;
  for (absl::string_view p : absl::StrSplit(path, '/')) parts.push_back(PercentDecode(p));
  std::vector<std::pair<std::string, std::string>> bound;
  size_t i = 0;
  for (const Segment& seg : segments) {
    if (!seg.variable) {
      if (i >= parts.size() || parts[i] != seg.literal) return std::nullopt;
      ++i;
      continue;
    }
    std::string value;
    for (const std::string& p : seg.pattern) {
      if (p == "**") {
        while (i < parts.size()) value += (value.empty() ? "" : "/") + parts[i++];
        break;
      }
      if (i >= parts.size() || parts[i].empty() || (p != "*" && parts[i] != p)) return std::nullopt;
      value += (value.empty() ? "" : "/") + parts[i++];
    }
    bound.emplace_back(seg.field, value);
  }
  if (i != parts.size()) return std::nullopt;
  return bound;
}

std::optional<HttpBinding> BindingOf(const google::protobuf::MethodDescriptor* method) {
  if (!method->options().HasExtension(google::api::http)) return std::nullopt;
  const google::api::HttpRule& rule = method->options().GetExtension(google::api::http);
  HttpBinding b;
  b.method = method;
  std::string path;
  switch (rule.pattern_case()) {
    case google::api::HttpRule::kGet:
      b.verb = "GET", path = rule.get();
      break;
    case google::api::HttpRule::kPost:
      b.verb = "POST", path = rule.post();
      break;
    case google::api::HttpRule::kPatch:
      b.verb = "PATCH", path = rule.patch();
      break;
    case google::api::HttpRule::kDelete:
      b.verb = "DELETE", path = rule.delete_();
      break;
    case google::api::HttpRule::kPut:
      b.verb = "PUT", path = rule.put();
      break;
    default:
      return std::nullopt;
  }
  auto t = PathTemplate::Parse(path);
  if (!t.has_value()) return std::nullopt;
  b.path = *std::move(t);
  b.body = rule.body();
  return b;
}

}  // namespace lianxin::gateway
