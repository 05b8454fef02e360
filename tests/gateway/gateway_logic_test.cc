// The gateway's rules built directly on a database of their own: the audit
// chain pruned behind a signed checkpoint and still verifiable; a forged
// checkpoint found; password hashes and TOTP codes.
#include "services/gateway/gateway_logic.h"

#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "services/gateway/audit_chain.h"
#include "services/gateway/secrets.h"
#include "tests/support/harness.h"
#include "tests/support/logic.h"

namespace lianxin::testing {
namespace {

namespace gv1 = ::lianxin::gateway::v1;
using gateway::GatewayLogic;

class GatewayLogicTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = MigratedPool("gwlogic", GatewayMigrations());
    ASSERT_NE(db_, nullptr);
    auto cipher = FieldCipher::FromText(
        absl::StrCat("key k1 sm4 ", std::string(64, 'b'), "\nindex ", std::string(64, 'a'), "\n"));
    ASSERT_TRUE(cipher.ok());
    cipher_ = *std::move(cipher);
    auto trusted = ReadTrustDir(key_.dir());
    ASSERT_TRUE(trusted.ok());
    gateway::GatewaySettings settings;
    settings.audit_retention = absl::Hours(24);
    logic_ = std::make_unique<GatewayLogic>(*db_, TestPageTokens(), *cipher_, key_.Signer("gateway"), *trusted, nullptr,
                                            nullptr, settings, clock_);
  }
  void Append(int n, absl::Time at) {
    std::vector<gateway::store::AuditRow> rows;
    for (int i = 0; i < n; ++i) {
      gateway::store::AuditRow r;
      r.at_us = absl::ToUnixMicros(at);
      r.caller = "accounts/a";
      r.method = "/lianxin.org.v1.OrgService/GetOrgUnit";
      r.resources = {"orgUnits/x"};
      r.code = "OK";
      r.request_id = absl::StrCat("r", i);
      rows.push_back(r);
    }
    ASSERT_TRUE(logic_->AppendAudit(rows).ok());
  }
  gv1::VerifyAuditChainResponse Verify() {
    gv1::VerifyAuditChainResponse out;
    EXPECT_TRUE(logic_->VerifyAuditChain(Caller("aud", {"auditor"}, "*"), {}, &out).ok());
    return out;
  }

  TestKey key_;
  ManualClock clock_{absl::FromUnixSeconds(1800000000)};
  std::unique_ptr<DbPool> db_;
  std::unique_ptr<FieldCipher> cipher_;
  std::unique_ptr<GatewayLogic> logic_;
};

TEST_F(GatewayLogicTest, PruningLeavesASignedCheckpointAndAVerifiableChain) {
  Append(30, clock_.Now() - absl::Hours(48));  // past the retention
  Append(20, clock_.Now() - absl::Hours(1));
  ASSERT_TRUE(Verify().intact());
  ASSERT_TRUE(logic_->PruneAudit().ok());
  SqlProbe probe(TestDbSocket(), db_->options().database);
  EXPECT_EQ(probe.Count("audit_records"), 20);
  EXPECT_EQ(probe.Count("audit_resources"), 20);
  gv1::VerifyAuditChainResponse v = Verify();
  EXPECT_TRUE(v.intact()) << v.problem();
  EXPECT_EQ(v.checkpoint_seq(), 30);
  EXPECT_EQ(v.checked(), 20);
  // Pruning again finds nothing more to do, and the chain goes on.
  ASSERT_TRUE(logic_->PruneAudit().ok());
  Append(5, clock_.Now());
  EXPECT_TRUE(Verify().intact());
  // A checkpoint whose hash was changed (to hide what came before) is found.
  ASSERT_TRUE(probe.Exec("UPDATE audit_checkpoints SET hash = REPEAT(CHAR(1), 32)").ok());
  v = Verify();
  EXPECT_FALSE(v.intact());
  EXPECT_THAT(v.problem(), ::testing::HasSubstr("not signed"));
}

TEST(GatewaySecrets, PasswordsAndCodes) {
  auto hash = gateway::HashPassword("correct horse battery");
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(gateway::VerifyPassword(*hash, "correct horse battery"));
  EXPECT_FALSE(gateway::VerifyPassword(*hash, "correct horse battery "));
  EXPECT_NE(*gateway::HashPassword("correct horse battery"), *hash);  // salted
  // RFC 6238's SHA-1 test vector: secret "12345678901234567890", T = 59 s.
  const std::string secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
  EXPECT_EQ(gateway::TotpCode(secret, absl::FromUnixSeconds(59)), "287082");
  auto step = gateway::CheckTotp(secret, "287082", absl::FromUnixSeconds(59), 0);
  ASSERT_TRUE(step.has_value());
  EXPECT_EQ(*step, 1);
  EXPECT_FALSE(gateway::CheckTotp(secret, "287082", absl::FromUnixSeconds(59), 1).has_value());   // used
  EXPECT_FALSE(gateway::CheckTotp(secret, "287082", absl::FromUnixSeconds(200), 0).has_value());  // too late
  EXPECT_FALSE(gateway::CheckTotp(secret, "28708", absl::FromUnixSeconds(59), 0).has_value());
  EXPECT_TRUE(gateway::CheckNewPassword("short", "u", "new_password").code() == absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(gateway::CheckNewPassword("long-enough-pass", "u", "new_password").ok());
}

}  // namespace
}  // namespace lianxin::testing
