// The gateway's public port with TLS, as the run command sets it up: a local
// CA, a server certificate, and government systems signing in with client
// certificates (mTLS) whose subject names their client.
#include <fstream>

#include "absl/strings/str_cat.h"
#include "common/tls.h"
#include "tests/gateway/gateway_test_base.h"

namespace lianxin::testing {
namespace {

class GatewayTlsTest : public GatewayTest {
 protected:
  static void SetUpTestSuite() {
    GatewayTest::SetUpTestSuite();
    dir_ = new std::string(TempDir("tls"));
    const std::string d = *dir_;
    ASSERT_EQ(RunCommand(absl::StrCat("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 ",
                                      "-subj '/CN=test CA' -keyout ", d, "/ca.key -out ", d, "/ca.crt 2>/dev/null")),
              0);
    for (auto [name, subject, ext] :
         {std::tuple<std::string, std::string, std::string>{"server", "/CN=localhost", "subjectAltName=IP:127.0.0.1"},
          {"system", "/O=District/CN=gov-hub", "extendedKeyUsage=clientAuth"},
          {"stranger", "/O=Elsewhere/CN=nobody", "extendedKeyUsage=clientAuth"}}) {
      std::ofstream(absl::StrCat(d, "/", name, ".ext")) << ext << "\n";
      ASSERT_EQ(RunCommand(absl::StrCat("openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj '",
                                        subject, "' -keyout ", d, "/", name, ".key -out ", d, "/", name,
                                        ".csr 2>/dev/null && openssl x509 -req -in ", d, "/", name, ".csr -CA ", d,
                                        "/ca.crt -CAkey ", d, "/ca.key -CAcreateserial -days 2 -extfile ", d, "/", name,
                                        ".ext -out ", d, "/", name, ".crt 2>/dev/null")),
                0);
    }
    tls_gateway_ = new ServiceProcess(
        "gateway",
        {*suffix_ + "_gateway",
         "",
         {"--public_listen=127.0.0.1:0", "--http_listen=127.0.0.1:0", "--org_target=" + org_->target(),
          "--member_target=" + member_->target(), "--dispatch_target=" + dispatch_->target(),
          "--activity_target=" + activity_->target(), "--gateway_keys_file=" + *keys_dir_ + "/fields.keys",
          "--gateway_index_key_file=" + *keys_dir_ + "/fields.index", "--session_fresh_ms=0",
          "--public_tls_cert_file=" + d + "/server.crt", "--public_tls_key_file=" + d + "/server.key",
          "--public_client_ca_file=" + d + "/ca.crt"}},
        *key_);
    ASSERT_TRUE(tls_gateway_->Start().ok()) << tls_gateway_->Log();
  }
  static void TearDownTestSuite() {
    delete tls_gateway_;
    RemoveTempDir(*dir_);
    delete dir_;
    GatewayTest::TearDownTestSuite();
  }
  // A channel to the TLS port, presenting `client` ("" for no certificate).
  std::unique_ptr<ov1::OrgService::Stub> Org(const std::string& client) {
    TlsFiles tls;
    tls.ca_file = *dir_ + "/ca.crt";
    if (!client.empty()) {
      tls.cert_file = absl::StrCat(*dir_, "/", client, ".crt");
      tls.key_file = absl::StrCat(*dir_, "/", client, ".key");
    }
    auto channel = MakeChannel(absl::StrCat("127.0.0.1:", tls_gateway_->ReadyField("public_grpc_port")), tls);
    EXPECT_TRUE(channel.ok());
    return ov1::OrgService::NewStub(*channel);
  }
  static std::string* dir_;
  static ServiceProcess* tls_gateway_;
};
std::string* GatewayTlsTest::dir_ = nullptr;
ServiceProcess* GatewayTlsTest::tls_gateway_ = nullptr;

TEST_F(GatewayTlsTest, ASystemSignsInWithItsClientCertificate) {
  // The subject as the gateway reads it from a verified certificate.
  auto [id, secret] = CreateClient(gv1::CLIENT_KIND_SYSTEM, {}, {"lianxin.org.v1.OrgService/GetOrgUnit"}, district_);
  gv1::UpdateClientRequest update;
  update.mutable_client()->set_name("clients/" + id);
  update.mutable_client()->set_certificate_subject("CN=gov-hub,O=District");
  update.mutable_update_mask()->add_paths("certificate_subject");
  gv1::Client client;
  grpc::ClientContext ctx;
  PrepareClientContext(&ctx, admin_, "", absl::Seconds(10));
  ASSERT_THAT(bootstrap_->UpdateClient(&ctx, update, &client), IsOk());

  ov1::GetOrgUnitRequest get;
  get.set_name(community_);
  ov1::OrgUnit unit;
  EXPECT_THAT(Org("system")->GetOrgUnit(Ctx("").get(), get, &unit), IsOk());
  EXPECT_EQ(unit.name(), community_);
  // Its method list holds: nothing else.
  ov1::ListChildOrgUnitsRequest list;
  list.set_parent(district_);
  ov1::ListOrgUnitsResponse units;
  EXPECT_THAT(Org("system")->ListChildOrgUnits(Ctx("").get(), list, &units),
              HasCode(grpc::StatusCode::PERMISSION_DENIED));
  // A certificate of the CA that names no client, or none at all, signs no one in.
  grpc::Status s = Org("stranger")->GetOrgUnit(Ctx("").get(), get, &unit);
  EXPECT_THAT(s, HasCode(grpc::StatusCode::UNAUTHENTICATED));
  EXPECT_THAT(Org("")->GetOrgUnit(Ctx("").get(), get, &unit), HasCode(grpc::StatusCode::UNAUTHENTICATED));
  // People sign in over TLS as anywhere.
  gv1::SignInRequest in;
  in.set_username("nobody");
  in.set_password("wrong-password");
  gv1::Session session;
  TlsFiles tls;
  tls.ca_file = *dir_ + "/ca.crt";
  auto channel = MakeChannel(absl::StrCat("127.0.0.1:", tls_gateway_->ReadyField("public_grpc_port")), tls);
  ASSERT_TRUE(channel.ok());
  EXPECT_THAT(gv1::SessionService::NewStub(*channel)->SignIn(Ctx("").get(), in, &session),
              HasCode(grpc::StatusCode::UNAUTHENTICATED));
}

TEST_F(GatewayTlsTest, APlaintextCallerIsNotServed) {
  auto plain = ov1::OrgService::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", tls_gateway_->ReadyField("public_grpc_port")), grpc::InsecureChannelCredentials()));
  ov1::GetOrgUnitRequest get;
  get.set_name(community_);
  ov1::OrgUnit unit;
  EXPECT_THAT(plain->GetOrgUnit(Ctx("", "", absl::Seconds(2)).get(), get, &unit),
              HasCode(grpc::StatusCode::UNAVAILABLE));
}

}  // namespace
}  // namespace lianxin::testing
