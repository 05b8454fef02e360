#include "tests/support/logic.h"

#include <utility>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "tests/support/harness.h"

namespace lianxin::testing {

std::unique_ptr<DbPool> MigratedPool(const std::string& prefix, const std::vector<Migration>& migrations,
                                     DbOptions options) {
  options.socket = TestDbSocket();
  options.database = UniqueDbName(prefix);
  if (options.pool_size == DbOptions().pool_size) options.pool_size = 4;
  auto pool = DbPool::Create(options, nullptr);
  EXPECT_TRUE(pool.ok()) << pool.status();
  if (!pool.ok()) return nullptr;
  auto applied = ApplyMigrations(**pool, {CommonMigrations(), migrations});
  EXPECT_TRUE(applied.ok()) << applied.status();
  if (!applied.ok()) return nullptr;
  return std::move(pool).value();
}

CallContext Caller(const std::string& subject, std::vector<std::string> roles, const std::string& scope) {
  CallContext c;
  c.principal.subject = subject;
  c.principal.roles = std::move(roles);
  c.principal.org_scope = scope;
  c.request_id = "test";
  return c;
}

const PageTokens& TestPageTokens() {
  static const PageTokens* tokens = new PageTokens(std::string(32, 'k'));
  return *tokens;
}

absl::Status Await(const std::function<absl::Status(UnaryDone done)>& start) {
  absl::Notification answered;
  absl::Status answer;
  absl::Status s = start([&](const absl::Status& result) {
    answer = result;
    answered.Notify();
  });
  if (!s.ok()) return s;
  answered.WaitForNotification();
  return answer;
}

}  // namespace lianxin::testing
