#include "common/validate.h"

#include "common/names.h"
#include "gtest/gtest.h"

namespace lianxin {
namespace {

TEST(Utf8, AcceptsChineseAndRejectsBrokenSequences) {
  EXPECT_TRUE(IsValidUtf8("学卫社区党委"));
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_FALSE(IsValidUtf8("\xff"));
  EXPECT_FALSE(IsValidUtf8("\xe5\xad"));      // truncated
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));      // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));  // surrogate
  EXPECT_EQ(Utf8Length("学卫"), 2u);
}

TEST(Validator, CollectsOneViolationPerField) {
  Validator v;
  v.Text("display_name", "", 1, 10);
  v.Text("code", std::string(11, 'x'), 1, 10);
  v.Text("note", "a\x01", 0, 10);
  v.Text("ok", "学卫", 1, 2);
  absl::Status s = v.status();
  ASSERT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  auto violations = ViolationsOf(s);
  ASSERT_EQ(violations.size(), 3u);
  EXPECT_EQ(violations[0].field, "display_name");
  EXPECT_EQ(violations[1].field, "code");
  EXPECT_EQ(violations[2].field, "note");
  EXPECT_NE(s.message().find("display_name: must not be empty"), absl::string_view::npos);
}

TEST(Validator, ResourceNames) {
  Validator v;
  EXPECT_EQ(v.Name("parent", "orgUnits/abc123", kOrgUnits), "abc123");
  EXPECT_EQ(v.Name("parent", "members/abc", kOrgUnits), "");
  EXPECT_EQ(v.Name("parent", "orgUnits/ABC", kOrgUnits), "");
  EXPECT_EQ(v.Name("parent", "orgUnits/", kOrgUnits), "");
  EXPECT_EQ(v.Name("parent", "", kOrgUnits, false), "");
  EXPECT_EQ(v.Name("branch", "", kOrgUnits), "");  // required
  EXPECT_EQ(ViolationsOf(v.status()).size(), 4u);
  EXPECT_EQ(ViolationsOf(v.status())[3].field, "branch");
}

TEST(Validator, Dates) {
  Validator v;
  v.Date("a", "2026-02-28", true);
  v.Date("b", "2026-02-30", true);
  v.Date("c", "2026-2-1", true);
  v.Date("d", "", false);
  auto violations = ViolationsOf(v.status());
  ASSERT_EQ(violations.size(), 2u);
  EXPECT_EQ(violations[0].field, "b");
  EXPECT_EQ(violations[1].field, "c");
}

}  // namespace
}  // namespace lianxin
