#include "common/auth.h"

#include "gtest/gtest.h"

namespace lianxin {
namespace {

constexpr char kKey[] = "0123456789abcdef0123456789abcdef";

TEST(Token, RoundTripsClaims) {
  ManualClock clock(absl::FromUnixSeconds(1'800'000'000));
  auto token =
      MintToken(kKey, {"sec-1", {"secretary", "member"}, "orgUnits/abc", "lianxin", absl::Minutes(5)}, clock.Now());
  ASSERT_TRUE(token.ok());
  TokenVerifier verifier(kKey, "lianxin", clock);
  auto p = verifier.Verify(*token);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->subject, "sec-1");
  EXPECT_EQ(p->org_scope, "abc");
  EXPECT_TRUE(p->HasRole("secretary"));
  EXPECT_TRUE(p->HasRole("member"));
  EXPECT_FALSE(p->HasRole("operator"));
  EXPECT_TRUE(p->CoversPath("/root/abc/x/"));
  EXPECT_FALSE(p->CoversPath("/root/abcd/"));
  EXPECT_FALSE(p->IsPlatformWide());
}

TEST(Token, RejectsExpiredForgedAndWrongAudience) {
  ManualClock clock(absl::FromUnixSeconds(1'800'000'000));
  TokenVerifier verifier(kKey, "lianxin", clock);
  auto token = MintToken(kKey, {"u", {"member"}, "*", "lianxin", absl::Minutes(1)}, clock.Now());
  ASSERT_TRUE(token.ok());
  EXPECT_TRUE(verifier.Verify(*token).ok());
  clock.Advance(absl::Minutes(2));
  EXPECT_EQ(verifier.Verify(*token).status().code(), absl::StatusCode::kUnauthenticated);

  auto forged = MintToken("another-key-another-key-another-key", {"u", {"operator"}, "*", "lianxin"}, clock.Now());
  EXPECT_EQ(verifier.Verify(*forged).status().code(), absl::StatusCode::kUnauthenticated);

  auto other_aud = MintToken(kKey, {"u", {"operator"}, "*", "elsewhere"}, clock.Now());
  EXPECT_EQ(verifier.Verify(*other_aud).status().code(), absl::StatusCode::kUnauthenticated);

  EXPECT_EQ(verifier.Verify("").status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(verifier.Verify("not.a.token").status().code(), absl::StatusCode::kUnauthenticated);
  // alg=none with the same claims.
  std::string none =
      "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJ1IiwiYXVkIjoibGlhbnhpbiIsIm9yZyI6IioiLCJleHAiOjQwMDAwMDAwMDB9.";
  EXPECT_EQ(verifier.Verify(none).status().code(), absl::StatusCode::kUnauthenticated);
}

TEST(Token, RequiresScope) {
  ManualClock clock(absl::FromUnixSeconds(1'800'000'000));
  TokenVerifier verifier(kKey, "lianxin", clock);
  auto token = MintToken(kKey, {"u", {"member"}, "members/x", "lianxin"}, clock.Now());
  EXPECT_EQ(verifier.Verify(*token).status().code(), absl::StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace lianxin
