// Who may call what, as data: proto/lianxin/access.txt, one row per RPC and
// one column per role, compiled into every service. ServiceHost checks it
// once per call, after the token and before the handler; deny by default.
//
//   const AccessTable& table = AccessTable::Builtin();
//   absl::StatusOr<Access> a = table.Check(principal, "lianxin.org.v1.OrgService/GetOrgUnit");
#ifndef LIANXIN_COMMON_ACCESS_H_
#define LIANXIN_COMMON_ACCESS_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/auth.h"
#include "common/call_context.h"

namespace lianxin {

class AccessTable {
 public:
  // The table compiled in from proto/lianxin/access.txt.
  static const AccessTable& Builtin();
  // INVALID_ARGUMENT naming the line for a malformed table.
  static absl::StatusOr<AccessTable> Parse(absl::string_view text);

  // What `p` may do with `method` ("lianxin.org.v1.OrgService/GetOrgUnit"):
  // a service token what its peer column gives (kFull) and nothing else; a
  // person the best of their roles' cells. PERMISSION_DENIED naming the
  // method when that is nothing, or when the method has no row.
  absl::StatusOr<Access> Check(const Principal& p, absl::string_view method) const;

  std::vector<std::string> Methods() const;  // in the table's order
  const std::vector<std::string>& roles() const { return roles_; }
  // The table as markdown, for docs/api.md.
  std::string Markdown() const;

 private:
  struct Row {
    std::string method;
    std::vector<Access> cells;  // by roles_
    std::vector<std::string> peers;
  };
  std::vector<std::string> roles_;
  std::vector<Row> rows_;
  absl::flat_hash_map<std::string, size_t> index_;
};

// The compiled-in text (generated from proto/lianxin/access.txt).
absl::string_view BuiltinAccessText();

}  // namespace lianxin

#endif  // LIANXIN_COMMON_ACCESS_H_
