#include "common/config.h"

#include "common/tls.h"
#include "gtest/gtest.h"

namespace lianxin {
namespace {

ServerConfig Good() {
  ServerConfig c;
  c.service = "org";
  c.listen = "127.0.0.1:7101";
  c.metrics_listen = "127.0.0.1:9101";
  c.db.database = "lianxin_org";
  c.db.pool_size = 4;
  c.trusted_keys["gateway-1"] = {"gateway", "-----BEGIN PUBLIC KEY-----"};
  c.signing_key = {"org-1", "org", "-----BEGIN PRIVATE KEY-----"};
  return c;
}

TEST(Config, AcceptsLoopbackPlaintext) { EXPECT_TRUE(ValidateServerConfig(Good()).ok()); }

TEST(Config, NamesEachBadSetting) {
  ServerConfig c = Good();
  c.listen = "0.0.0.0:7101";  // plaintext off loopback
  EXPECT_NE(ValidateServerConfig(c).message().find("--listen"), absl::string_view::npos);
  c = Good();
  c.workers = 0;
  EXPECT_NE(ValidateServerConfig(c).message().find("--workers"), absl::string_view::npos);
  c = Good();
  c.trusted_keys.clear();
  EXPECT_NE(ValidateServerConfig(c).message().find("--trust_dir"), absl::string_view::npos);
  c = Good();
  c.signing_key = {"member-1", "member", "-----BEGIN PRIVATE KEY-----"};  // another service's
  EXPECT_NE(ValidateServerConfig(c).message().find("--signing_key_file"), absl::string_view::npos);
  c = Good();
  c.tls.cert_file = "/nonexistent.pem";
  EXPECT_NE(ValidateServerConfig(c).message().find("--tls_key_file"), absl::string_view::npos);
  c = Good();
  c.metrics_listen = "nonsense";
  EXPECT_NE(ValidateServerConfig(c).message().find("--metrics_listen"), absl::string_view::npos);
}

TEST(Config, PlaintextChannelsGoToLoopbackOnly) {
  EXPECT_TRUE(MakeChannel("127.0.0.1:7102", {}).ok());
  EXPECT_TRUE(MakeChannel("localhost:7102", {}).ok());
  EXPECT_TRUE(MakeChannel("dns:///localhost:7102", {}).ok());
  auto remote = MakeChannel("10.2.3.4:7102", {});
  EXPECT_EQ(remote.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(remote.status().message().find("plaintext to 10.2.3.4:7102 is refused"), absl::string_view::npos);
  EXPECT_FALSE(MakeChannel("member.lianxin.svc:7102", {}).ok());
  TlsFiles allowed;
  allowed.allow_plaintext_remote = true;
  EXPECT_TRUE(MakeChannel("10.2.3.4:7102", allowed).ok());
}

TEST(Config, HostPort) {
  std::string host;
  int port = 0;
  EXPECT_TRUE(SplitHostPort("[::1]:80", &host, &port));
  EXPECT_EQ(host, "::1");
  EXPECT_TRUE(IsLoopbackHost(host));
  EXPECT_FALSE(SplitHostPort("127.0.0.1:99999", &host, &port));
  EXPECT_FALSE(IsLoopbackHost("10.0.0.1"));
}

}  // namespace
}  // namespace lianxin
