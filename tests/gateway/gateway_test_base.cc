#include "tests/gateway/gateway_test_base.h"

#include "absl/time/clock.h"
#include "services/gateway/secrets.h"

namespace lianxin::testing {

TestKey* GatewayTest::key_ = nullptr;
std::string* GatewayTest::suffix_ = nullptr;
std::string* GatewayTest::keys_dir_ = nullptr;
ServiceProcess* GatewayTest::org_ = nullptr;
ServiceProcess* GatewayTest::member_ = nullptr;
ServiceProcess* GatewayTest::dispatch_ = nullptr;
ServiceProcess* GatewayTest::activity_ = nullptr;
ServiceProcess* GatewayTest::gateway_ = nullptr;
std::shared_ptr<grpc::Channel>* GatewayTest::public_ = nullptr;
int GatewayTest::counter_ = 0;

void GatewayTest::SetUpTestSuite() {
  key_ = new TestKey();
  suffix_ = new std::string(UniqueDbName("g"));
  keys_dir_ = new std::string(TempDir("keys"));
  std::vector<std::string> field_keys = WriteFieldKeys(*keys_dir_, "fields");
  int member_port = FreePort();
  // To-dos swept and gathered every 200 ms, watched every 100 ms.
  org_ = new ServiceProcess(
      "org",
      {*suffix_ + "_org",
       "",
       {absl::StrCat("--member_target=127.0.0.1:", member_port), "--todo_interval_ms=200", "--watch_interval_ms=100"}},
      *key_);
  ASSERT_TRUE(org_->Start().ok()) << org_->Log();
  member_ = new ServiceProcess("member",
                               {*suffix_ + "_member",
                                "",
                                {"--org_target=" + org_->target(), field_keys[0], field_keys[1],
                                 absl::StrCat("--listen=127.0.0.1:", member_port)}},
                               *key_);
  ASSERT_TRUE(member_->Start().ok()) << member_->Log();
  dispatch_ = new ServiceProcess(
      "dispatch",
      {*suffix_ + "_dispatch",
       "",
       {"--org_target=" + org_->target(), "--member_target=" + member_->target(), field_keys[0], field_keys[1]}},
      *key_);
  ASSERT_TRUE(dispatch_->Start().ok()) << dispatch_->Log();
  activity_ = new ServiceProcess(
      "activity",
      {*suffix_ + "_activity",
       "",
       {"--org_target=" + org_->target(), "--member_target=" + member_->target(), field_keys[0], field_keys[1]}},
      *key_);
  ASSERT_TRUE(activity_->Start().ok()) << activity_->Log();
  std::vector<std::string> flags = {"--public_listen=127.0.0.1:0",
                                    "--org_target=" + org_->target(),
                                    "--member_target=" + member_->target(),
                                    "--dispatch_target=" + dispatch_->target(),
                                    "--activity_target=" + activity_->target(),
                                    "--gateway_keys_file=" + *keys_dir_ + "/fields.keys",
                                    "--gateway_index_key_file=" + *keys_dir_ + "/fields.index",
                                    "--session_fresh_ms=0",
                                    "--audit_flush_ms=50",
                                    "--http_listen=127.0.0.1:0"};
  for (auto& f : GatewayFlags()) flags.push_back(f);
  gateway_ = new ServiceProcess("gateway", {*suffix_ + "_gateway", "", flags}, *key_);
  ASSERT_TRUE(gateway_->Start().ok()) << gateway_->Log();
  public_ = new std::shared_ptr<grpc::Channel>(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", gateway_->ReadyField("public_grpc_port")), grpc::InsecureChannelCredentials()));
}

std::vector<std::string> GatewayTest::GatewayFlags() { return {"--rate_limits=signin=100/100"}; }

void GatewayTest::TearDownTestSuite() {
  delete public_;
  delete gateway_;
  delete activity_;
  delete dispatch_;
  delete member_;
  delete org_;
  delete key_;
  delete suffix_;
  RemoveTempDir(*keys_dir_);
  delete keys_dir_;
}

void GatewayTest::SetUp() {
  sessions_ = gv1::SessionService::NewStub(*public_);
  accounts_ = gv1::AccountService::NewStub(*public_);
  audit_ = gv1::AuditService::NewStub(*public_);
  org_stub_ = ov1::OrgService::NewStub(*public_);
  member_stub_ = mv1::MemberService::NewStub(*public_);
  dispatch_stub_ = dv1::DispatchService::NewStub(*public_);
  bootstrap_ = gv1::AccountService::NewStub(gateway_->Channel());
  probe_ = std::make_unique<SqlProbe>(TestDbSocket(), *suffix_ + "_gateway");
  admin_ = key_->Token("admin", {"operator"}, "*");
  district_ = Unit("", ov1::ORG_UNIT_TYPE_DISTRICT_COMMITTEE);
  community_ = Unit(district_, ov1::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE);
  branch_ = Unit(community_, ov1::ORG_UNIT_TYPE_BRANCH);
}

std::unique_ptr<grpc::ClientContext> GatewayTest::Ctx(const std::string& session, const std::string& on_behalf,
                                                      absl::Duration timeout) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  if (!session.empty()) ctx->AddMetadata("authorization", "Bearer " + session);
  if (!on_behalf.empty()) ctx->AddMetadata("x-lianxin-on-behalf-of", on_behalf);
  return ctx;
}

std::string GatewayTest::Unit(const std::string& parent, ov1::OrgUnitType type) {
  auto stub = ov1::OrgService::NewStub(org_->Channel());
  ov1::CreateOrgUnitRequest req;
  req.mutable_org_unit()->set_parent(parent);
  req.mutable_org_unit()->set_type(type);
  req.mutable_org_unit()->set_code(absl::StrCat("G", counter_++));
  req.mutable_org_unit()->set_display_name("单位");
  ov1::OrgUnit out;
  grpc::ClientContext ctx;
  PrepareClientContext(&ctx, admin_, "", absl::Seconds(10));
  ctx.set_wait_for_ready(true);  // set-up rides out a busy machine's slow connect
  grpc::Status s = stub->CreateOrgUnit(&ctx, req, &out);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return out.name();
}

std::string GatewayTest::CreateAccount(const std::string& username, const std::vector<std::string>& roles,
                                       const std::string& org_unit, const std::string& member) {
  gv1::CreateAccountRequest req;
  req.mutable_account()->set_username(username);
  req.mutable_account()->set_display_name(username);
  for (const auto& r : roles) req.mutable_account()->add_roles(r);
  req.mutable_account()->set_org_unit(org_unit);
  if (!member.empty()) req.mutable_account()->set_member(member);
  req.set_initial_password(kInitialPassword);
  gv1::Account out;
  grpc::ClientContext ctx;
  PrepareClientContext(&ctx, admin_, "", absl::Seconds(10));
  ctx.set_wait_for_ready(true);  // set-up rides out a busy machine's slow connect
  grpc::Status s = bootstrap_->CreateAccount(&ctx, req, &out);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return out.name();
}

grpc::Status GatewayTest::SignIn(const std::string& username, const std::string& password, const std::string& code,
                                 gv1::Session* out) {
  gv1::SignInRequest req;
  req.set_username(username);
  req.set_password(password);
  if (!code.empty()) req.set_totp_code(code);
  return sessions_->SignIn(Ctx("").get(), req, out);
}

Person GatewayTest::Activate(const std::string& username, const std::vector<std::string>& roles,
                             const std::string& org_unit, const std::string& member) {
  Person p;
  p.username = username;
  p.account = CreateAccount(username, roles, org_unit, member);
  p.password = username + "-password-2026";
  gv1::Session first;
  grpc::Status s = SignIn(username, kInitialPassword, "", &first);
  EXPECT_TRUE(s.ok()) << s.error_message();
  gv1::ChangePasswordRequest change;
  change.set_old_password(kInitialPassword);
  change.set_new_password(p.password);
  gv1::ChangePasswordResponse changed;
  s = sessions_->ChangePassword(Ctx(first.token()).get(), change, &changed);
  EXPECT_TRUE(s.ok()) << s.error_message();
  const bool two_factors = std::find(roles.begin(), roles.end(), "operator") != roles.end() ||
                           std::find(roles.begin(), roles.end(), "secretary") != roles.end();
  std::string code;
  if (two_factors) {
    gv1::TotpEnrollment enrol;
    s = sessions_->BeginTotpEnrollment(Ctx(first.token()).get(), {}, &enrol);
    EXPECT_TRUE(s.ok()) << s.error_message();
    p.totp_secret = enrol.secret();
    gv1::ConfirmTotpEnrollmentRequest confirm;
    confirm.set_totp_code(gateway::TotpCode(p.totp_secret, absl::Now()));
    gv1::Account account;
    s = sessions_->ConfirmTotpEnrollment(Ctx(first.token()).get(), confirm, &account);
    EXPECT_TRUE(s.ok()) << s.error_message();
    // The code just used is good once: the next step's (one step of drift).
    code = gateway::TotpCode(p.totp_secret, absl::Now() + absl::Seconds(30));
  }
  gv1::Session full;
  s = SignIn(username, p.password, code, &full);
  EXPECT_TRUE(s.ok()) << s.error_message();
  p.session = full.token();
  return p;
}

std::pair<std::string, std::string> GatewayTest::CreateClient(gv1::ClientKind kind,
                                                              const std::vector<std::string>& roles,
                                                              const std::vector<std::string>& methods,
                                                              const std::string& org_unit) {
  gv1::CreateClientRequest req;
  req.mutable_client()->set_display_name(absl::StrCat("client ", counter_++));
  req.mutable_client()->set_kind(kind);
  for (const auto& r : roles) req.mutable_client()->add_allowed_roles(r);
  for (const auto& m : methods) req.mutable_client()->add_methods(m);
  req.mutable_client()->set_org_unit(org_unit);
  gv1::ClientWithSecret out;
  grpc::ClientContext ctx;
  PrepareClientContext(&ctx, admin_, "", absl::Seconds(10));
  ctx.set_wait_for_ready(true);  // set-up rides out a busy machine's slow connect
  grpc::Status s = bootstrap_->CreateClient(&ctx, req, &out);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return {out.client().name().substr(std::string("clients/").size()), out.client_secret()};
}

std::string GatewayTest::SignInClient(const std::string& id, const std::string& secret) {
  gv1::SignInClientRequest req;
  req.set_client_id(id);
  req.set_client_secret(secret);
  gv1::Session out;
  grpc::Status s = sessions_->SignInClient(Ctx("").get(), req, &out);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return out.token();
}

}  // namespace lianxin::testing
