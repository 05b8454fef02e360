// What the front door knows of each method it forwards, from the protos
// compiled in and the access table (proto/lianxin/access.txt): which service
// process serves it, whether it streams, whether a retry is safe (the
// method's idempotency_level), which class of rate limit it falls in, and
// whether it is public at all. A method whose row grants no outside caller
// (only peers: CountMembers, MoveMembers) is not exposed.
#ifndef LIANXIN_SERVICES_GATEWAY_ROUTES_H_
#define LIANXIN_SERVICES_GATEWAY_ROUTES_H_

#include <google/protobuf/descriptor.h>

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"

namespace lianxin::gateway {

// Rate-limit classes (settings: --rate_limits).
enum class MethodClass { kRead, kWrite, kLookup, kSignIn };
const char* MethodClassName(MethodClass c);

struct Route {
  std::string path;      // "/lianxin.org.v1.OrgService/GetOrgUnit"
  std::string method;    // "lianxin.org.v1.OrgService/GetOrgUnit" (the access table's key)
  std::string upstream;  // "org": the service process (the package's second part)
  const google::protobuf::MethodDescriptor* descriptor = nullptr;
  bool client_streaming = false, server_streaming = false;
  bool idempotent = false;     // NO_SIDE_EFFECTS or IDEMPOTENT
  bool public_method = false;  // callable with no credentials (signing in)
  MethodClass method_class = MethodClass::kRead;
  bool streaming() const { return client_streaming || server_streaming; }
};

class Routes {
 public:
  // Every exposed method; `lookups` names the methods (package.Service/Method)
  // that may disclose something about people and get the strict class.
  explicit Routes(const absl::flat_hash_set<std::string>& lookups);
  // nullptr for a method unknown or not exposed ("/pkg.Svc/Method").
  const Route* Find(absl::string_view path) const;
  // The exposed services, by full name, in the access table's order.
  const std::vector<std::string>& services() const { return services_; }
  // The service processes routes go to ("org", "member", "dispatch", "gateway").
  std::vector<std::string> upstreams() const;

 private:
  absl::flat_hash_map<std::string, Route> routes_;
  std::vector<std::string> services_;
};

// The methods an account with a restricted session (a password to change, a
// second factor to enrol) may call.
bool AllowedWhileRestricted(absl::string_view method);

}  // namespace lianxin::gateway

#endif  // LIANXIN_SERVICES_GATEWAY_ROUTES_H_
