#include "common/auth.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/support/harness.h"

namespace lianxin {
namespace {

using ::lianxin::testing::TestKey;

class TokenTest : public ::testing::Test {
 protected:
  TokenTest() : clock_(absl::FromUnixSeconds(1'800'000'000)) { keys_ = *ReadTrustDir(key_.dir()); }
  TokenVerifier Verifier(std::vector<std::string> peers = {"org"}) {
    return TokenVerifier(keys_, "lianxin", std::move(peers), clock_);
  }
  std::string Mint(const std::string& signer, TokenClaims claims, absl::Time now) {
    auto token = MintToken(key_.Signer(signer), claims, now);
    return token.ok() ? *token : "";
  }
  absl::StatusCode Code(const TokenVerifier& v, const std::string& token) { return v.Verify(token).status().code(); }

  TestKey key_;
  TrustedKeys keys_;
  ManualClock clock_;
};

TEST_F(TokenTest, RoundTripsClaims) {
  std::string token =
      Mint("gateway", {"sec-1", {"secretary", "member"}, "orgUnits/abc", "lianxin", absl::Minutes(5)}, clock_.Now());
  auto p = Verifier().Verify(token);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->subject, "sec-1");
  EXPECT_EQ(p->org_scope, "abc");
  EXPECT_EQ(p->issuer, "gateway");
  EXPECT_EQ(p->peer, "");
  EXPECT_TRUE(p->HasRole("secretary"));
  EXPECT_TRUE(p->HasRole("member"));
  EXPECT_FALSE(p->HasRole("operator"));
  EXPECT_TRUE(p->CoversPath("/root/abc/x/"));
  EXPECT_FALSE(p->CoversPath("/root/abcd/"));
  EXPECT_FALSE(p->IsPlatformWide());
}

TEST_F(TokenTest, LifetimeAndClockSkew) {
  TokenVerifier v = Verifier();
  std::string token = Mint("gateway", {"u", {"member"}, "*", "lianxin", absl::Minutes(1)}, clock_.Now());
  EXPECT_TRUE(v.Verify(token).ok());
  clock_.Advance(absl::Minutes(1) + absl::Seconds(30));  // within the 60 s of skew
  EXPECT_TRUE(v.Verify(token).ok());
  clock_.Advance(absl::Seconds(31));
  EXPECT_EQ(Code(v, token), absl::StatusCode::kUnauthenticated);

  // People's tokens live at most 15 minutes.
  EXPECT_TRUE(v.Verify(Mint("gateway", {"u", {"member"}, "*", "lianxin", absl::Minutes(15)}, clock_.Now())).ok());
  EXPECT_EQ(Code(v, Mint("gateway", {"u", {"member"}, "*", "lianxin", absl::Minutes(16)}, clock_.Now())),
            absl::StatusCode::kUnauthenticated);
  // Issued in the future, beyond the skew; not valid yet.
  EXPECT_TRUE(v.Verify(Mint("gateway", {"u", {"member"}, "*"}, clock_.Now() + absl::Seconds(50))).ok());
  EXPECT_EQ(Code(v, Mint("gateway", {"u", {"member"}, "*"}, clock_.Now() + absl::Seconds(70))),
            absl::StatusCode::kUnauthenticated);
  TokenClaims later{"u", {"member"}, "*"};
  later.not_before = absl::Minutes(5);
  EXPECT_EQ(Code(v, Mint("gateway", later, clock_.Now())), absl::StatusCode::kUnauthenticated);
}

TEST_F(TokenTest, ServiceTokensComeFromNamedPeersOnly) {
  TokenVerifier v = Verifier({"org"});
  TokenClaims service{"service:org", {"service"}, "*", "lianxin", absl::Minutes(10)};
  auto p = v.Verify(Mint("org", service, clock_.Now()));
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->peer, "org");
  // Not a peer of this service.
  TokenClaims dispatch{"service:dispatch", {"service"}, "*", "lianxin", absl::Minutes(10)};
  EXPECT_EQ(Code(v, Mint("dispatch", dispatch, clock_.Now())), absl::StatusCode::kUnauthenticated);
  // A service's token speaks for itself: no other subject, role or scope,
  // and at most 10 minutes.
  for (TokenClaims bad : {TokenClaims{"service:member", {"service"}, "*", "lianxin", absl::Minutes(10)},
                          TokenClaims{"admin", {"operator"}, "*", "lianxin", absl::Minutes(10)},
                          TokenClaims{"service:org", {"service", "operator"}, "*", "lianxin", absl::Minutes(10)},
                          TokenClaims{"service:org", {"service"}, "orgUnits/a", "lianxin", absl::Minutes(10)},
                          TokenClaims{"service:org", {"service"}, "*", "lianxin", absl::Minutes(11)}}) {
    EXPECT_EQ(Code(v, Mint("org", bad, clock_.Now())), absl::StatusCode::kUnauthenticated) << bad.subject;
  }
  // The gateway never mints the role service.
  EXPECT_EQ(Code(v, Mint("gateway", service, clock_.Now())), absl::StatusCode::kUnauthenticated);
}

TEST_F(TokenTest, RejectsForgedMalformedAndOtherAlgorithms) {
  TokenVerifier v = Verifier();
  TestKey stranger;  // the same key ids, other keys
  auto forged = MintToken(stranger.Signer("gateway"), {"u", {"operator"}, "*"}, clock_.Now());
  EXPECT_EQ(Code(v, *forged), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(Code(v, Mint("gateway", {"u", {"operator"}, "*", "elsewhere"}, clock_.Now())),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(Code(v, ""), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(Code(v, "not.a.token"), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(Code(v, Mint("gateway", {"u", {"member"}, "members/x"}, clock_.Now())), absl::StatusCode::kUnauthenticated);

  // A valid token whose header is swapped: alg none, HS256 with the public
  // key as the HMAC secret, or an unknown kid.
  std::string good = Mint("gateway", {"u", {"operator"}, "*"}, clock_.Now());
  std::vector<std::string> parts = absl::StrSplit(good, '.');
  for (const char* header :
       {R"({"alg":"none","typ":"JWT","kid":"gateway-1"})", R"({"alg":"HS256","typ":"JWT","kid":"gateway-1"})",
        R"({"alg":"ES256","typ":"JWT","kid":"gateway-9"})", R"({"alg":"ES256","typ":"JWT"})",
        // Not one JSON object, or a key twice.
        R"(["ES256","gateway-1"])", R"("ES256")", R"({"alg":"ES256","kid":"gateway-1")",
        R"({"alg":"none","kid":"gateway-1","alg":"ES256"})", R"({"alg":"ES256","kid":7})"}) {
    std::string swapped = absl::StrCat(absl::WebSafeBase64Escape(header), ".", parts[1], ".", parts[2]);
    EXPECT_EQ(Code(v, swapped), absl::StatusCode::kUnauthenticated) << header;
  }
  // The body changed under the signature.
  std::string body;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(parts[1], &body));
  body.replace(body.find("\"u\""), 3, "\"v\"");
  EXPECT_EQ(Code(v, absl::StrCat(parts[0], ".", absl::WebSafeBase64Escape(body), ".", parts[2])),
            absl::StatusCode::kUnauthenticated);
  // The signature itself: one bit flipped, cut short, padded, empty, not
  // base64url.
  std::string sig;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(parts[2], &sig));
  ASSERT_EQ(sig.size(), 64u);
  std::string flipped = sig;
  flipped[40] ^= 0x01;
  for (const std::string& bad_sig :
       {absl::WebSafeBase64Escape(flipped), absl::WebSafeBase64Escape(sig.substr(0, 63)),
        absl::WebSafeBase64Escape(sig + "x"), std::string("*not*base64*"), std::string()}) {
    EXPECT_EQ(Code(v, absl::StrCat(parts[0], ".", parts[1], ".", bad_sig)), absl::StatusCode::kUnauthenticated)
        << bad_sig;
  }
}

TEST(Es256PublicKey, RefusesWhatIsNotAP256PublicKey) {
  EXPECT_EQ(Es256PublicKey::FromPem("").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Es256PublicKey::FromPem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n").status().code(),
            absl::StatusCode::kInvalidArgument);
  TestKey key;
  auto keys = ReadTrustDir(key.dir());
  ASSERT_TRUE(keys.ok()) << keys.status();
  ASSERT_FALSE(keys->empty());
  auto parsed = Es256PublicKey::FromPem(keys->begin()->second.pem);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_FALSE(parsed->Verify("message", std::string(64, '\0')));
  EXPECT_FALSE(parsed->Verify("message", ""));
}

TEST(Keys, SecretFilesAreOwnerOnly) {
  TestKey key;
  std::string path = key.dir() + "/gateway-1.key";
  EXPECT_TRUE(ReadSigningKey(path).ok());
  ASSERT_EQ(chmod(path.c_str(), 0644), 0);
  auto refused = ReadSigningKey(path);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("mode 0644"), absl::string_view::npos) << refused.status();
  EXPECT_EQ(IssuerOfKid("org-1"), "org");
  EXPECT_EQ(IssuerOfKid("org"), "");
  EXPECT_EQ(IssuerOfKid("-1"), "");
}

}  // namespace
}  // namespace lianxin
