// TLS to MariaDB (DbOptions::tls_ca_file, --db_tls_ca_file): a private server
// with a certificate from a test CA, reached over loopback TCP.
#include "absl/strings/str_cat.h"
#include "common/db.h"
#include "common/status.h"
#include "gtest/gtest.h"
#include "tests/support/harness.h"

namespace lianxin {
namespace {

// A CA and a server certificate for 127.0.0.1 and localhost in `dir`, and a
// second CA that vouches for nothing here.
void MakeCertificates(const std::string& dir) {
  const std::string script = absl::StrCat(
      "set -e; cd ", dir, "; ",
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.crt "
      "-days 2 -subj /CN=lianxin-test-ca 2>/dev/null; ",
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout other.key -out other.crt "
      "-days 2 -subj /CN=another-ca 2>/dev/null; ",
      "openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key -out server.csr "
      "-subj /CN=localhost 2>/dev/null; ",
      "echo subjectAltName=DNS:localhost,IP:127.0.0.1 > san.ext; ",
      "openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 2 "
      "-extfile san.ext 2>/dev/null");
  ASSERT_EQ(testing::RunCommand(script), 0);
}

TEST(DbTls, WithACaEveryConnectionIsEncryptedAndAServerTheCaDoesNotVouchForIsRefused) {
  testing::PrivateMariaDb server;
  ASSERT_EQ(testing::RunCommand(absl::StrCat("mkdir -p ", server.dir(), "/tls")), 0);
  const std::string tls = server.dir() + "/tls";
  ASSERT_NO_FATAL_FAILURE(MakeCertificates(tls));
  const int port = testing::FreePort();
  ASSERT_TRUE(server.Start(port).ok());
  {
    DbOptions root;
    root.socket = server.socket();
    root.database = "tls";
    root.commit_markers = false;
    auto admin = DbPool::Create(root, nullptr);
    ASSERT_TRUE(admin.ok()) << admin.status();
    for (const char* sql :
         {"CREATE USER 'svc'@'127.0.0.1' IDENTIFIED BY 'pw' REQUIRE SSL", "GRANT ALL ON tls.* TO 'svc'@'127.0.0.1'"}) {
      ASSERT_TRUE((*admin)->Run([&](Db& db) { return db.Execute(sql); }).ok()) << sql;
    }
  }
  DbOptions o;
  o.host = "127.0.0.1";
  o.port = port;
  o.user = "svc";
  o.password = "pw";
  o.database = "tls";
  o.create_database = false;
  o.commit_markers = false;
  o.pool_size = 2;

  o.tls_ca_file = tls + "/ca.crt";
  auto pool = DbPool::Create(o, nullptr);
  ASSERT_TRUE(pool.ok()) << pool.status();
  std::string cipher;
  ASSERT_TRUE((*pool)
                  ->Run([&](Db& db) {
                    return db.Query(
                        "SELECT VARIABLE_VALUE AS v FROM information_schema.SESSION_STATUS "
                        "WHERE VARIABLE_NAME = 'SSL_CIPHER'",
                        {}, [&](const Row& r) { cipher = r.Str("v"); });
                  })
                  .ok());
  EXPECT_FALSE(cipher.empty());

  o.tls_ca_file = tls + "/other.crt";  // not the server's CA
  auto stranger = DbPool::Create(o, nullptr);
  EXPECT_TRUE(absl::IsUnavailable(stranger.status())) << stranger.status();

  o.tls_ca_file.clear();  // the server asks this user for TLS: without it, no entry
  auto plain = DbPool::Create(o, nullptr);
  EXPECT_FALSE(plain.ok());
}

}  // namespace
}  // namespace lianxin
