// The service under failure: its database restarted under it, TLS, bad
// configuration, health while the database is away.
#include <sys/stat.h>

#include <atomic>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/client.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "lianxin/org/v1/org_service.grpc.pb.h"
#include "tests/support/harness.h"

namespace lianxin::testing {
namespace {

namespace v1 = ::lianxin::org::v1;

grpc::Status CreateDistrict(v1::OrgService::Stub& stub, const std::string& token, const std::string& code) {
  v1::CreateOrgUnitRequest req;
  req.mutable_org_unit()->set_type(v1::ORG_UNIT_TYPE_DISTRICT_COMMITTEE);
  req.mutable_org_unit()->set_code(code);
  req.mutable_org_unit()->set_display_name("区委");
  v1::OrgUnit out;
  grpc::ClientContext ctx;
  PrepareClientContext(&ctx, token, "", absl::Seconds(15));
  return stub.CreateOrgUnit(&ctx, req, &out);
}

grpc::health::v1::HealthCheckResponse::ServingStatus Health(grpc::Channel& ch, const std::string& service) {
  auto stub = grpc::health::v1::Health::NewStub(std::shared_ptr<grpc::Channel>(&ch, [](grpc::Channel*) {}));
  grpc::health::v1::HealthCheckRequest req;
  req.set_service(service);
  grpc::health::v1::HealthCheckResponse resp;
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  if (!stub->Check(&ctx, req, &resp).ok()) return grpc::health::v1::HealthCheckResponse::UNKNOWN;
  return resp.status();
}

TEST(OrgResilience, SurvivesADatabaseRestartWithoutItsOwnRestart) {
  PrivateMariaDb db;
  ASSERT_TRUE(db.Start().ok());
  TestKey key;
  ServiceProcess org("org", {"lianxin_org", db.socket(), {}}, key);
  ASSERT_TRUE(org.Start().ok()) << org.Log();
  auto channel = org.Channel();
  auto stub = v1::OrgService::NewStub(channel);
  std::string admin = key.Token("admin", {"operator"}, "*");
  ASSERT_TRUE(CreateDistrict(*stub, admin, "R1").ok());
  EXPECT_EQ(Health(*channel, "lianxin.org.v1.OrgService"), grpc::health::v1::HealthCheckResponse::SERVING);

  ASSERT_TRUE(db.Stop().ok());
  // Readiness follows the database.
  grpc::health::v1::HealthCheckResponse::ServingStatus status = grpc::health::v1::HealthCheckResponse::SERVING;
  for (int i = 0; i < 50 && status == grpc::health::v1::HealthCheckResponse::SERVING; ++i) {
    absl::SleepFor(absl::Milliseconds(200));
    status = Health(*channel, "lianxin.org.v1.OrgService");
  }
  EXPECT_EQ(status, grpc::health::v1::HealthCheckResponse::NOT_SERVING);
  // Liveness stays SERVING: the process lives, a restart would not help.
  EXPECT_EQ(Health(*channel, ""), grpc::health::v1::HealthCheckResponse::SERVING);
  EXPECT_EQ(CreateDistrict(*stub, admin, "R2").error_code(), grpc::StatusCode::UNAVAILABLE);

  ASSERT_TRUE(db.Start().ok());
  // The very next calls succeed: broken connections were dropped, not reused.
  grpc::Status s = CreateDistrict(*stub, admin, "R3");
  EXPECT_TRUE(s.ok()) << s.error_message() << "\n" << org.Log();
  EXPECT_TRUE(CreateDistrict(*stub, admin, "R4").ok());
  for (int i = 0;
       i < 50 && Health(*channel, "lianxin.org.v1.OrgService") != grpc::health::v1::HealthCheckResponse::SERVING; ++i) {
    absl::SleepFor(absl::Milliseconds(200));
  }
  EXPECT_EQ(Health(*channel, "lianxin.org.v1.OrgService"), grpc::health::v1::HealthCheckResponse::SERVING);
  EXPECT_EQ(org.Stop(), 0);  // graceful exit on SIGTERM
}

TEST(OrgResilience, ServesTlsWithCertificatesTheTestMakes) {
  std::string dir = TempDir("tls");
  std::string cmd = absl::StrCat(
      "cd ", dir,
      " && openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj '/CN=lianxin-test-ca' "
      "-keyout ca.key -out ca.pem 2>/dev/null && "
      "openssl req -newkey rsa:2048 -nodes -subj '/CN=localhost' -keyout server.key -out server.csr 2>/dev/null && "
      "printf 'subjectAltName=DNS:localhost,IP:127.0.0.1' > san.ext && "
      "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 1 -extfile san.ext "
      "-out server.pem 2>/dev/null");
  ASSERT_EQ(RunCommand(cmd), 0);
  TestKey key;
  ServiceProcess org(
      "org",
      {UniqueDbName("tls"), "", {"--tls_cert_file=" + dir + "/server.pem", "--tls_key_file=" + dir + "/server.key"}},
      key);
  ASSERT_TRUE(org.Start().ok()) << org.Log();
  TlsFiles client_tls;
  client_tls.ca_file = dir + "/ca.pem";
  auto stub = v1::OrgService::NewStub(org.Channel(client_tls));
  EXPECT_TRUE(CreateDistrict(*stub, key.Token("admin", {"operator"}, "*"), "T1").ok());
  // A plaintext client cannot talk to it.
  auto plain = v1::OrgService::NewStub(org.Channel());
  EXPECT_EQ(CreateDistrict(*plain, key.Token("admin", {"operator"}, "*"), "T2").error_code(),
            grpc::StatusCode::UNAVAILABLE);
  RemoveTempDir(dir);
}

TEST(OrgResilience, AFullQueueAnswersResourceExhaustedAtOnce) {
  TestKey key;
  std::string db_name = UniqueDbName("busy");
  ServiceProcess org("org", {db_name, "", {"--workers=1", "--queue_limit=1"}}, key);
  ASSERT_TRUE(org.Start().ok()) << org.Log();
  std::string admin = key.Token("admin", {"operator"}, "*");
  auto channel = org.Channel();
  std::atomic<int> ok{0}, exhausted{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 32; ++t) {
    threads.emplace_back([&, t] {
      auto stub = v1::OrgService::NewStub(channel);
      for (int i = 0; i < 8; ++i) {
        grpc::Status s = CreateDistrict(*stub, admin, absl::StrCat("Q", t, "-", i));
        if (s.ok())
          ok++;
        else if (s.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED)
          exhausted++;
        else
          other++;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_GT(exhausted.load(), 0);
  EXPECT_GT(ok.load(), 0);
  EXPECT_EQ(other.load(), 0);
  // What was refused was not written.
  EXPECT_EQ(SqlProbe(TestDbSocket(), db_name).Count("org_units"), ok.load());
}

TEST(OrgResilience, BadConfigurationExitsAtOnceNamingTheSetting) {
  std::string out;
  int code = RunCommand(
      absl::StrCat(BuildDir(), "/services/org/lianxin-org --workers=0 --signing_key_file=/nonexistent 2>&1"), &out);
  EXPECT_EQ(code, 2);
  EXPECT_NE(out.find("--workers"), std::string::npos) << out;
  EXPECT_NE(out.find("--signing_key_file"), std::string::npos) << out;
  EXPECT_NE(out.find("--trust_dir: required"), std::string::npos) << out;
  out.clear();
  TestKey key;
  std::string keys = absl::StrJoin(key.Flags("org"), " ");
  code = RunCommand(absl::StrCat(BuildDir(), "/services/org/lianxin-org --listen=0.0.0.0:0 ", keys, " 2>&1"), &out);
  EXPECT_EQ(code, 2);
  EXPECT_NE(out.find("loopback"), std::string::npos) << out;
  // The environment works like flags.
  out.clear();
  code =
      RunCommand(absl::StrCat("LIANXIN_QUEUE_LIMIT=0 ", BuildDir(), "/services/org/lianxin-org ", keys, " 2>&1"), &out);
  EXPECT_EQ(code, 2);
  EXPECT_NE(out.find("--queue_limit"), std::string::npos) << out;
}

TEST(OrgResilience, RefusesKeysItMustNotUse) {
  TestKey key;
  std::string out;
  // Another service's key: the org service signs as the org service only.
  int code = RunCommand(absl::StrCat(BuildDir(), "/services/org/lianxin-org --trust_dir=", key.dir(),
                                     " --signing_key_file=", key.dir(), "/member-1.key 2>&1"),
                        &out);
  EXPECT_EQ(code, 2);
  EXPECT_NE(out.find("not the org service's"), std::string::npos) << out;
  // A private key its group may read is no secret any more.
  ASSERT_EQ(chmod((key.dir() + "/org-1.key").c_str(), 0640), 0);
  out.clear();
  code = RunCommand(
      absl::StrCat(BuildDir(), "/services/org/lianxin-org ", absl::StrJoin(key.Flags("org"), " "), " 2>&1"), &out);
  EXPECT_EQ(code, 2);
  EXPECT_NE(out.find("may be read by its group or others (mode 0640)"), std::string::npos) << out;
}

}  // namespace
}  // namespace lianxin::testing
