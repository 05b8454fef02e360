// The audit chain: every call through the gateway leaves a record, an
// auditor lists them by caller and resource, and a record changed or removed
// behind the gateway's back is named by the verification.
#include "absl/strings/str_cat.h"
#include "tests/gateway/gateway_test_base.h"

namespace lianxin::testing {
namespace {

class GatewayAuditTest : public GatewayTest {
 protected:
  gv1::VerifyAuditChainResponse Verify(const std::string& auditor) {
    gv1::VerifyAuditChainResponse out;
    EXPECT_THAT(audit_->VerifyAuditChain(Ctx(auditor).get(), {}, &out), IsOk());
    return out;
  }
  // Waits until the gateway has written its records (every --audit_flush_ms).
  void Settle() { absl::SleepFor(absl::Milliseconds(300)); }
};

TEST_F(GatewayAuditTest, CallsAreRecordedListedAndTheChainVerifies) {
  Person op = Activate(absl::StrCat("op", counter_++), {"operator"}, district_);
  Person auditor = Activate(absl::StrCat("aud", counter_++), {"auditor"}, "*");
  ov1::GetOrgUnitRequest get;
  get.set_name(community_);
  ov1::OrgUnit unit;
  auto ctx = Ctx(op.session);
  ctx->AddMetadata("x-request-id", absl::StrCat("audit-", counter_));
  ASSERT_THAT(org_stub_->GetOrgUnit(ctx.get(), get, &unit), IsOk());
  get.set_name("orgUnits/doesnotexist0000");
  EXPECT_FALSE(org_stub_->GetOrgUnit(Ctx(op.session).get(), get, &unit).ok());
  Settle();

  gv1::ListAuditRecordsRequest list;
  list.set_caller(op.account);
  gv1::ListAuditRecordsResponse records;
  ASSERT_THAT(audit_->ListAuditRecords(Ctx(auditor.session).get(), list, &records), IsOk());
  ASSERT_GE(records.records_size(), 2);
  const auto& ok = records.records(records.records_size() - 2);
  EXPECT_EQ(ok.method(), "/lianxin.org.v1.OrgService/GetOrgUnit");
  EXPECT_EQ(ok.code(), "OK");
  EXPECT_EQ(ok.request_id(), absl::StrCat("audit-", counter_));
  EXPECT_THAT(ok.resources(), ::testing::ElementsAre(community_));
  EXPECT_THAT(ok.client_address(), ::testing::HasSubstr("127.0.0.1"));
  EXPECT_GT(ok.latency_us(), 0);
  EXPECT_EQ(records.records(records.records_size() - 1).code(), "PERMISSION_DENIED");
  // By resource: the community's record is among them.
  gv1::ListAuditRecordsRequest by_resource;
  by_resource.set_resource(community_);
  ASSERT_THAT(audit_->ListAuditRecords(Ctx(auditor.session).get(), by_resource, &records), IsOk());
  bool found = false;
  for (const auto& r : records.records()) found |= r.caller() == op.account;
  EXPECT_TRUE(found);
  // Sign-ins are recorded too, as anonymous callers.
  EXPECT_GE(probe_->Count("audit_records", "caller = 'anonymous' AND method LIKE '%/SignIn'"), 2);
  // Operators do not read the audit; auditors do.
  EXPECT_THAT(audit_->ListAuditRecords(Ctx(op.session).get(), list, &records),
              HasCode(grpc::StatusCode::PERMISSION_DENIED));

  gv1::VerifyAuditChainResponse v = Verify(auditor.session);
  EXPECT_TRUE(v.intact()) << v.problem();
  EXPECT_GT(v.checked(), 5);
}

TEST_F(GatewayAuditTest, AChangedOrRemovedRecordIsNamed) {
  Person auditor = Activate(absl::StrCat("aud", counter_++), {"auditor"}, "*");
  Settle();
  ASSERT_TRUE(Verify(auditor.session).intact());
  const std::string seq = probe_->Scalar("SELECT MAX(seq) - 3 FROM audit_records");
  // Someone with the database's keys turns a refusal into a success.
  const std::string code = probe_->Scalar(absl::StrCat("SELECT code FROM audit_records WHERE seq = ", seq));
  ASSERT_TRUE(probe_->Exec(absl::StrCat("UPDATE audit_records SET code = 'X' WHERE seq = ", seq)).ok());
  gv1::VerifyAuditChainResponse v = Verify(auditor.session);
  EXPECT_FALSE(v.intact());
  EXPECT_EQ(absl::StrCat(v.first_broken_seq()), seq);
  EXPECT_THAT(v.problem(), ::testing::HasSubstr("changed"));
  ASSERT_TRUE(probe_->Exec(absl::StrCat("UPDATE audit_records SET code = '", code, "' WHERE seq = ", seq)).ok());
  Settle();
  EXPECT_TRUE(Verify(auditor.session).intact());

  // ... or removes it.
  const std::string row = absl::StrCat("seq = ", seq);
  ASSERT_TRUE(probe_->Exec(absl::StrCat("CREATE TABLE kept AS SELECT * FROM audit_records WHERE ", row)).ok());
  ASSERT_TRUE(probe_->Exec(absl::StrCat("DELETE FROM audit_records WHERE ", row)).ok());
  v = Verify(auditor.session);
  EXPECT_FALSE(v.intact());
  EXPECT_EQ(absl::StrCat(v.first_broken_seq()), seq);
  EXPECT_THAT(v.problem(), ::testing::HasSubstr("missing"));
  ASSERT_TRUE(probe_->Exec("INSERT INTO audit_records SELECT * FROM kept").ok());
  ASSERT_TRUE(probe_->Exec("DROP TABLE kept").ok());
  Settle();
  EXPECT_TRUE(Verify(auditor.session).intact());

  // ... or the newest ones.
  Settle();
  const std::string last = probe_->Scalar("SELECT MAX(seq) FROM audit_records");
  ASSERT_TRUE(probe_->Exec(absl::StrCat("CREATE TABLE newest AS SELECT * FROM audit_records WHERE seq = ", last)).ok());
  ASSERT_TRUE(probe_->Exec(absl::StrCat("DELETE FROM audit_records WHERE seq = ", last)).ok());
  v = Verify(auditor.session);
  EXPECT_FALSE(v.intact());
  EXPECT_THAT(v.problem(), ::testing::HasSubstr("missing"));
  ASSERT_TRUE(probe_->Exec("INSERT INTO audit_records SELECT * FROM newest").ok());
  ASSERT_TRUE(probe_->Exec("DROP TABLE newest").ok());
}

}  // namespace
}  // namespace lianxin::testing
