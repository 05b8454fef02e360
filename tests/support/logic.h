// What logic-level tests share: a service's logic class built directly, on a
// database of its own on the test MariaDB (real SQL, real transactions), with
// fakes for the other services (tests/fakes/).
//
//   auto db = MigratedPool("orglogic", org::OrgMigrations());
//   FakeMemberDirectory members;
//   org::OrgLogic logic(*db, Tokens(), clock);
//   CallContext admin = Caller("admin", {"operator"}, "*");
#ifndef LIANXIN_TESTS_SUPPORT_LOGIC_H_
#define LIANXIN_TESTS_SUPPORT_LOGIC_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/call_context.h"
#include "common/db.h"
#include "common/migrations.h"
#include "common/page_token.h"

namespace lianxin::testing {

// A database no other test uses, with the shared tables and `migrations`
// applied; nullptr (and a test failure) if that cannot be done.
std::unique_ptr<DbPool> MigratedPool(const std::string& prefix, const std::vector<Migration>& migrations,
                                     DbOptions options = {});

// A caller as a verified token names it: `scope` is "*" or a unit's id.
CallContext Caller(const std::string& subject, std::vector<std::string> roles, const std::string& scope);

// Page tokens signed with a test key.
const PageTokens& TestPageTokens();

// Starts a method that answers through `done` and waits for the answer (its
// error at once, or what `done` said).
absl::Status Await(const std::function<absl::Status(UnaryDone done)>& start);

}  // namespace lianxin::testing

#endif  // LIANXIN_TESTS_SUPPORT_LOGIC_H_
