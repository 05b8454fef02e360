#include "services/gateway/routes.h"

#include <google/protobuf/descriptor.pb.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/access.h"
#include "common/auth.h"

namespace lianxin::gateway {
namespace {

// Whether any outside caller (a role, not a peer) is granted the method.
bool Exposed(const AccessTable& table, const std::string& method) {
  for (const std::string& role : table.roles()) {
    Principal p;
    p.subject = "probe";
    p.roles = {role};
    p.org_scope = "*";
    if (table.Check(p, method).ok()) return true;
  }
  return false;
}

bool Grants(const AccessTable& table, const std::string& method, const char* role) {
  Principal p;
  p.subject = "probe";
  p.roles = {role};
  p.org_scope = "*";
  return table.Check(p, method).ok();
}

}  // namespace

const char* MethodClassName(MethodClass c) {
  switch (c) {
    case MethodClass::kRead:
      return "read";
    case MethodClass::kWrite:
      return "write";
    case MethodClass::kLookup:
      return "lookup";
    case MethodClass::kSignIn:
      return "signin";
  }
  return "read";
}

Routes::Routes(const absl::flat_hash_set<std::string>& lookups) {
  const AccessTable& table = AccessTable::Builtin();
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const std::string& method : table.Methods()) {
    if (!Exposed(table, method)) continue;
    std::vector<std::string> parts = absl::StrSplit(method, '/');
    if (parts.size() != 2) continue;
    const auto* service = pool->FindServiceByName(parts[0]);
    if (service == nullptr) continue;
    const auto* m = service->FindMethodByName(parts[1]);
    if (m == nullptr) continue;
    std::vector<std::string> pkg = absl::StrSplit(service->file()->package(), '.');
    Route r;
    r.path = absl::StrCat("/", method);
    r.method = method;
    r.upstream = pkg.size() >= 2 ? pkg[1] : "";
    r.descriptor = m;
    r.client_streaming = m->client_streaming();
    r.server_streaming = m->server_streaming();
    const auto level = m->options().idempotency_level();
    r.idempotent = level == google::protobuf::MethodOptions::NO_SIDE_EFFECTS ||
                   level == google::protobuf::MethodOptions::IDEMPOTENT;
    r.public_method = Grants(table, method, kRolePublic);
    if (r.public_method || method == "lianxin.gateway.v1.SessionService/BindMember") {
      r.method_class = MethodClass::kSignIn;
    } else if (lookups.contains(method)) {
      r.method_class = MethodClass::kLookup;
    } else {
      r.method_class = r.idempotent ? MethodClass::kRead : MethodClass::kWrite;
    }
    if (std::find(services_.begin(), services_.end(), parts[0]) == services_.end()) services_.push_back(parts[0]);
    routes_.emplace(r.path, std::move(r));
  }
}

const Route* Routes::Find(absl::string_view path) const {
  auto it = routes_.find(path);
  return it == routes_.end() ? nullptr : &it->second;
}

std::vector<std::string> Routes::upstreams() const {
  std::vector<std::string> out;
  for (const auto& [path, r] : routes_) {
    if (std::find(out.begin(), out.end(), r.upstream) == out.end()) out.push_back(r.upstream);
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool AllowedWhileRestricted(absl::string_view method) {
  return method == "lianxin.gateway.v1.SessionService/ChangePassword" ||
         method == "lianxin.gateway.v1.SessionService/BeginTotpEnrollment" ||
         method == "lianxin.gateway.v1.SessionService/ConfirmTotpEnrollment" ||
         method == "lianxin.gateway.v1.SessionService/SignOut";
}

}  // namespace lianxin::gateway
