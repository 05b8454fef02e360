#include "common/page_token.h"

#include "absl/strings/escaping.h"
#include "common/status.h"
#include "gtest/gtest.h"

namespace lianxin {
namespace {

TEST(PageTokens, RoundTripAndTamper) {
  PageTokens tokens("k-0123456789abcdef0123456789abcdef");
  std::string t = tokens.Encode("subtree|a", "/a/b/");
  auto back = tokens.Decode(t, "subtree|a");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, "/a/b/");
  EXPECT_EQ(*tokens.Decode("", "subtree|a"), "");

  // Same token, other query.
  auto other = tokens.Decode(t, "subtree|b");
  EXPECT_EQ(other.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ViolationsOf(other.status())[0].field, "page_token");

  // Flip a byte of the cursor.
  std::string raw;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(t, &raw));
  raw.back() ^= 1;
  std::string tampered;
  absl::WebSafeBase64Escape(raw, &tampered);
  EXPECT_EQ(tokens.Decode(tampered, "subtree|a").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(tokens.Decode("!!!", "subtree|a").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(PageSize, ClampsAndRejectsNegative) {
  EXPECT_EQ(*PageSize(0, 50, 1000), 50);
  EXPECT_EQ(*PageSize(5000, 50, 1000), 1000);
  EXPECT_EQ(PageSize(-1).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace lianxin
