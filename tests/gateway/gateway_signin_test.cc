// Signing in through the gateway, and each way it fails: a wrong password, a
// lockout, a wrong or missing second factor, an expired session, a revoked
// one; the restricted first session; an operator's reset.
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "services/gateway/secrets.h"
#include "tests/gateway/gateway_test_base.h"

namespace lianxin::testing {
namespace {

using ::testing::HasSubstr;

class GatewaySignInTest : public GatewayTest {
 protected:
  // Any call that needs a signed-in caller (every account here reaches the branch).
  grpc::Status Whoami(const std::string& session) {
    ov1::GetOrgUnitRequest req;
    req.set_name(branch_);
    ov1::OrgUnit out;
    return org_stub_->GetOrgUnit(Ctx(session).get(), req, &out);
  }
  std::string Reason(const grpc::Status& s) { return ReasonOf(FromGrpcStatus(s)); }
};

TEST_F(GatewaySignInTest, AnOperatorSignsInWithPasswordAndCodeAndCallsTheServices) {
  Person op = Activate(absl::StrCat("op", counter_++), {"operator"}, district_);
  ASSERT_FALSE(op.session.empty());
  EXPECT_THAT(Whoami(op.session), IsOk());
  // The session's token is kept only as a hash.
  EXPECT_EQ(probe_->Count("sessions", absl::StrCat("token_hash = UNHEX('",
                                                   absl::BytesToHexString(gateway::TokenHash(op.session)), "')")),
            1);
  EXPECT_EQ(probe_->Count("sessions", absl::StrCat("id = '", op.session, "'")), 0);
  // Nothing of the password or the TOTP secret is kept in clear.
  std::string row = probe_->Scalar(absl::StrCat(
      "SELECT CONCAT(password_hash, HEX(totp_secret)) FROM accounts WHERE id='", op.account.substr(9), "'"));
  EXPECT_THAT(row, HasSubstr("$argon2id$"));
  EXPECT_THAT(row, ::testing::Not(HasSubstr(op.password)));
  EXPECT_THAT(row, ::testing::Not(HasSubstr(absl::BytesToHexString(op.totp_secret))));
}

TEST_F(GatewaySignInTest, NoCredentialsAndUnknownSessionsAreUnauthenticated) {
  EXPECT_THAT(Whoami(""), HasCode(grpc::StatusCode::UNAUTHENTICATED));
  EXPECT_THAT(Whoami("lxs_not-a-session"), HasCode(grpc::StatusCode::UNAUTHENTICATED));
  // A service token is not a session: the gateway answers only its own.
  EXPECT_THAT(Whoami(admin_), HasCode(grpc::StatusCode::UNAUTHENTICATED));
}

TEST_F(GatewaySignInTest, AWrongPasswordAndAnUnknownNameGetTheSameAnswer) {
  Person m = Activate(absl::StrCat("mem", counter_++), {"member"}, branch_);
  gv1::Session out;
  grpc::Status wrong = SignIn(m.username, "not-the-password", "", &out);
  grpc::Status unknown = SignIn("nobody-here", "not-the-password", "", &out);
  EXPECT_THAT(wrong, HasCode(grpc::StatusCode::UNAUTHENTICATED));
  EXPECT_THAT(unknown, HasCode(grpc::StatusCode::UNAUTHENTICATED));
  EXPECT_EQ(wrong.error_message(), unknown.error_message());
  EXPECT_EQ(Reason(wrong), "WRONG_CREDENTIALS");
  // Bad input names its field, and nothing is written.
  const int64_t sessions = probe_->Count("sessions");
  grpc::Status bad = SignIn("", "", "", &out);
  EXPECT_THAT(bad, HasCode(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_THAT(bad.error_message(), HasSubstr("username"));
  EXPECT_EQ(probe_->Count("sessions"), sessions);
}

TEST_F(GatewaySignInTest, FiveFailuresLockTheAccountEvenForTheRightPassword) {
  Person m = Activate(absl::StrCat("mem", counter_++), {"member"}, branch_);
  gv1::Session out;
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(Reason(SignIn(m.username, "wrong-password", "", &out)), "WRONG_CREDENTIALS");
  }
  grpc::Status fifth = SignIn(m.username, "wrong-password", "", &out);
  EXPECT_THAT(fifth, HasCode(grpc::StatusCode::UNAUTHENTICATED));
  EXPECT_EQ(Reason(fifth), "ACCOUNT_LOCKED");
  grpc::Status right = SignIn(m.username, m.password, "", &out);
  EXPECT_EQ(Reason(right), "ACCOUNT_LOCKED");
  EXPECT_EQ(probe_->Count("accounts", absl::StrCat("id='", m.account.substr(9), "' AND locked_until_us > 0")), 1);
  // The lockout is recorded among the account events.
  EXPECT_EQ(probe_->Count("history", absl::StrCat("resource='", m.account, "' AND action='locked'")), 1);
  // Fifteen minutes later (moved back here) the right password works again.
  ASSERT_TRUE(
      probe_->Exec(absl::StrCat("UPDATE accounts SET locked_until_us = 1 WHERE id='", m.account.substr(9), "'")).ok());
  EXPECT_THAT(SignIn(m.username, m.password, "", &out), IsOk());
}

TEST_F(GatewaySignInTest, OperatorsNeedTheirSecondFactor) {
  Person op = Activate(absl::StrCat("op", counter_++), {"operator"}, district_);
  gv1::Session out;
  grpc::Status missing = SignIn(op.username, op.password, "", &out);
  EXPECT_EQ(Reason(missing), "TOTP_REQUIRED");
  grpc::Status wrong = SignIn(op.username, op.password, "000000", &out);
  if (gateway::TotpCode(op.totp_secret, absl::Now()) == "000000") GTEST_SKIP() << "the code happens to be 000000";
  EXPECT_EQ(Reason(wrong), "WRONG_CREDENTIALS");
  // The code Activate signed in with is spent: it cannot sign in twice.
  grpc::Status replay =
      SignIn(op.username, op.password, gateway::TotpCode(op.totp_secret, absl::Now() + absl::Seconds(30)), &out);
  EXPECT_EQ(Reason(replay), "WRONG_CREDENTIALS");
}

TEST_F(GatewaySignInTest, TheFirstSessionMayOnlyChangeThePasswordAndEnrol) {
  const std::string name = absl::StrCat("sec", counter_++);
  CreateAccount(name, {"secretary"}, community_);
  gv1::Session first;
  ASSERT_THAT(SignIn(name, kInitialPassword, "", &first), IsOk());
  grpc::Status s = Whoami(first.token());
  EXPECT_THAT(s, HasCode(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_EQ(Reason(s), "SESSION_RESTRICTED");
  gv1::ChangePasswordRequest change;
  change.set_old_password(kInitialPassword);
  change.set_new_password("short");
  gv1::ChangePasswordResponse changed;
  grpc::Status weak = sessions_->ChangePassword(Ctx(first.token()).get(), change, &changed);
  EXPECT_THAT(weak, HasCode(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_THAT(weak.error_message(), HasSubstr("new_password"));
}

TEST_F(GatewaySignInTest, AnIdleOrExpiredSessionEnds) {
  Person a = Activate(absl::StrCat("mem", counter_++), {"member"}, branch_);
  Person b = Activate(absl::StrCat("mem", counter_++), {"member"}, branch_);
  ASSERT_THAT(Whoami(a.session), IsOk());
  const std::string hash_a = absl::BytesToHexString(gateway::TokenHash(a.session));
  const std::string hash_b = absl::BytesToHexString(gateway::TokenHash(b.session));
  // 31 minutes without a call; and 12 hours since sign-in.
  ASSERT_TRUE(probe_
                  ->Exec(absl::StrCat("UPDATE sessions SET last_seen_us = last_seen_us - 31*60*1000000 ",
                                      "WHERE token_hash = UNHEX('", hash_a, "')"))
                  .ok());
  ASSERT_TRUE(
      probe_->Exec(absl::StrCat("UPDATE sessions SET expires_us = 1 WHERE token_hash = UNHEX('", hash_b, "')")).ok());
  for (const std::string& session : {a.session, b.session}) {
    grpc::Status s = Whoami(session);
    EXPECT_THAT(s, HasCode(grpc::StatusCode::UNAUTHENTICATED));
    EXPECT_EQ(Reason(s), "SESSION_ENDED");
  }
}

TEST_F(GatewaySignInTest, SigningOutAndAResetEndSessions) {
  Person m = Activate(absl::StrCat("mem", counter_++), {"member"}, branch_);
  gv1::SignOutResponse out;
  ASSERT_THAT(sessions_->SignOut(Ctx(m.session).get(), {}, &out), IsOk());
  EXPECT_EQ(Reason(Whoami(m.session)), "SESSION_ENDED");

  // An operator of the district resets a member's account: its sessions end,
  // and it must sign in with the new password and change it.
  Person op = Activate(absl::StrCat("op", counter_++), {"operator"}, district_);
  Person n = Activate(absl::StrCat("mem", counter_++), {"member"}, branch_);
  gv1::ResetAccountRequest reset;
  reset.set_name(n.account);
  reset.set_new_password("temporary-pass-99");
  gv1::Account account;
  ASSERT_THAT(accounts_->ResetAccount(Ctx(op.session).get(), reset, &account), IsOk());
  EXPECT_EQ(Reason(Whoami(n.session)), "SESSION_ENDED");
  gv1::Session again;
  ASSERT_THAT(SignIn(n.username, "temporary-pass-99", "", &again), IsOk());
  EXPECT_EQ(Reason(Whoami(again.token())), "SESSION_RESTRICTED");
  // The reset is recorded, by whom.
  gv1::ListAccountEventsRequest list;
  list.set_page_size(1000);
  gv1::ListAccountEventsResponse events;
  ASSERT_THAT(accounts_->ListAccountEvents(Ctx(op.session).get(), list, &events), IsOk());
  bool found = false;
  for (const auto& e : events.events()) found |= e.resource() == n.account && e.action() == "reset";
  EXPECT_TRUE(found);
}

TEST_F(GatewaySignInTest, AnOperatorResetsOnlyWithinTheirSubtree) {
  std::string other_community = Unit(district_, ov1::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE);
  Person local_op = Activate(absl::StrCat("op", counter_++), {"operator"}, community_);
  Person far = Activate(absl::StrCat("mem", counter_++), {"member"}, other_community);
  gv1::ResetAccountRequest reset;
  reset.set_name(far.account);
  reset.set_new_password("temporary-pass-99");
  gv1::Account account;
  grpc::Status s = accounts_->ResetAccount(Ctx(local_op.session).get(), reset, &account);
  EXPECT_THAT(s, HasCode(grpc::StatusCode::PERMISSION_DENIED));
  // Nothing changed: the member still signs in with their password.
  gv1::Session out;
  EXPECT_THAT(SignIn(far.username, far.password, "", &out), IsOk());
}

}  // namespace
}  // namespace lianxin::testing
