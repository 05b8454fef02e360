#include "common/access.h"

#include <google/protobuf/descriptor.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/support/harness.h"

namespace lianxin {
namespace {

Principal Person(std::vector<std::string> roles) {
  Principal p;
  p.subject = "someone";
  p.roles = std::move(roles);
  p.org_scope = "*";
  return p;
}

Principal Peer(const std::string& service) {
  Principal p = Person({kRoleService});
  p.peer = service;
  return p;
}

TEST(AccessTable, TheBuiltinTableParses) {
  auto table = AccessTable::Parse(BuiltinAccessText());
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->roles(), (std::vector<std::string>{"operator", "secretary", "auditor", "member", "resident",
                                                      "system", "app", "public"}));
}

// Every RPC of every service in proto/ has its row, and every row is an RPC.
TEST(AccessTable, EveryMethodOfEveryServiceHasAnEntry) {
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  std::set<std::string> methods;
  int services = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(testing::SourceDir() + "/proto/lianxin")) {
    if (entry.path().extension() != ".proto") continue;
    std::string relative = std::filesystem::relative(entry.path(), testing::SourceDir() + "/proto").string();
    const auto* file = pool->FindFileByName(relative);
    ASSERT_NE(file, nullptr) << relative << " is not linked in";
    for (int s = 0; s < file->service_count(); ++s, ++services) {
      const auto* service = file->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        methods.insert(absl::StrCat(service->full_name(), "/", service->method(m)->name()));
      }
    }
  }
  EXPECT_GE(services, 3);
  const AccessTable& table = AccessTable::Builtin();
  Principal operator_ = Person({kRoleOperator});
  for (const auto& m : methods) {
    auto verdict = table.Check(operator_, m);
    EXPECT_FALSE(absl::StrContains(verdict.status().message(), "no entry")) << m << " has no row in access.txt";
  }
  for (const auto& m : table.Methods()) EXPECT_TRUE(methods.count(m)) << m << " in access.txt is no RPC";
}

TEST(AccessTable, DocsPrintTheTable) {
  std::ifstream in(testing::SourceDir() + "/docs/api.md");
  std::stringstream docs;
  docs << in.rdbuf();
  std::string table = AccessTable::Builtin().Markdown();
  EXPECT_TRUE(absl::StrContains(docs.str(), table)) << "docs/api.md should hold the access table as:\n" << table;
}

TEST(AccessTable, DeniesByDefault) {
  const AccessTable& table = AccessTable::Builtin();
  const std::string move = "lianxin.member.v1.MemberService/MoveMembers";
  EXPECT_EQ(table.Check(Peer("org"), move).value_or(Access::kNone), Access::kFull);
  EXPECT_EQ(table.Check(Peer("dispatch"), move).status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(table.Check(Person({kRoleOperator}), move).status().code(), absl::StatusCode::kPermissionDenied);
  // A service token gets its peer column, never a role's: the role "service"
  // has no column at all.
  EXPECT_EQ(table.Check(Peer("dispatch"), "lianxin.org.v1.OrgService/CreateOrgUnit").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(table.Check(Person({kRoleService}), "lianxin.org.v1.OrgService/GetOrgUnit").status().code(),
            absl::StatusCode::kPermissionDenied);
  const std::string get_member = "lianxin.member.v1.MemberService/GetMember";
  EXPECT_EQ(table.Check(Person({kRoleMember}), get_member).value_or(Access::kNone), Access::kOwn);
  EXPECT_EQ(table.Check(Person({kRoleMember, kRoleSecretary}), get_member).value_or(Access::kNone), Access::kFull);
  EXPECT_EQ(table.Check(Person({kRoleResident}), get_member).status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(table.Check(Person({kRoleSystem}), get_member).status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(table.Check(Person({"admin"}), "lianxin.org.v1.OrgService/GetOrgUnit").status().code(),
            absl::StatusCode::kPermissionDenied);
  auto unknown = table.Check(Person({kRoleOperator}), "lianxin.org.v1.OrgService/DropEverything");
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(absl::StrContains(unknown.status().message(), "no entry")) << unknown.status();
}

TEST(AccessTable, MalformedTablesNameTheLine) {
  EXPECT_FALSE(AccessTable::Parse("x.Y/Z yes\n").ok());
  auto bad = AccessTable::Parse("# method a b peers\nx.Y/Z yes maybe -\n");
  EXPECT_NE(bad.status().message().find("line 2"), absl::string_view::npos) << bad.status();
  EXPECT_FALSE(AccessTable::Parse("# method a b peers\nx.Y/Z yes -\nx.Y/Z yes - -\n").ok());
}

}  // namespace
}  // namespace lianxin
