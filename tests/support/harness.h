// What service tests share: the test MariaDB started by ctest, service
// processes started the way the run command starts them, tokens signed with a
// test key, direct SQL checks, and status matchers.
//
//   TestKey key;                                     // writes a key file
//   ServiceProcess org("org", {.db_name = UniqueDbName("org")}, key);
//   ASSERT_TRUE(org.Start().ok());
//   auto stub = lianxin::org::v1::OrgService::NewStub(org.Channel());
#ifndef LIANXIN_TESTS_SUPPORT_HARNESS_H_
#define LIANXIN_TESTS_SUPPORT_HARNESS_H_

#include <grpcpp/grpcpp.h>
#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/auth.h"
#include "common/config.h"
#include "common/db.h"
#include "gmock/gmock.h"

namespace lianxin::testing {

// Environment set by tests/CMakeLists.txt.
std::string BuildDir();
std::string SourceDir();
// The unix socket of the MariaDB that ctest's fixture started.
std::string TestDbSocket();
// A database name no other test uses.
std::string UniqueDbName(const std::string& prefix);
// A fresh temporary directory.
std::string TempDir(const std::string& prefix);
// Removes a directory TempDir made, with everything in it — unless
// LIANXIN_KEEP_TEMP is set (to look at a failed run's logs and data).
void RemoveTempDir(const std::string& dir);

// The token keys of a test platform, as the run command makes them: an
// ES256 key pair for the gateway and for each service (KID.key, owner-only,
// and KID.pub) in one fresh directory, which is also the trust directory.
class TestKey {
 public:
  TestKey();
  ~TestKey();
  TestKey(const TestKey&) = delete;
  TestKey& operator=(const TestKey&) = delete;
  const std::string& dir() const { return dir_; }
  // The flags a service process gets: --trust_dir and its --signing_key_file.
  std::vector<std::string> Flags(const std::string& service) const;
  // A person's token, signed as the gateway signs: `subject` with `roles`,
  // acting in `org` ("*" or orgUnits/x).
  std::string Token(const std::string& subject, std::vector<std::string> roles, const std::string& org,
                    absl::Duration ttl = absl::Minutes(10)) const;
  // A service's own token, as that service mints it.
  std::string ServiceToken(const std::string& service) const;
  // A signer's key ("gateway", "org", ...).
  SigningKey Signer(const std::string& name) const;

 private:
  std::string dir_;
};

// Writes a secret file readable by its owner only (services refuse others).
void WriteSecretFile(const std::string& path, const std::string& text);
// Field keys for a test service: DIR/NAME.keys (data key k1, SM4) and
// DIR/NAME.index (the blind-index key); returns the service's two flags.
std::vector<std::string> WriteFieldKeys(const std::string& dir, const std::string& name);

struct ServiceOptions {
  std::string db_name;
  std::string db_socket;  // default: TestDbSocket()
  std::vector<std::string> extra_flags;
};

// One service binary (build/services/<name>/lianxin-<name>) run as a child
// process on ephemeral ports.
class ServiceProcess {
 public:
  ServiceProcess(std::string name, ServiceOptions options, const TestKey& key);
  ~ServiceProcess();
  absl::Status Start();
  // SIGTERM and wait; returns the exit status.
  int Stop();
  int grpc_port() const { return grpc_port_; }
  int metrics_port() const { return metrics_port_; }
  // Another number of the ready file ("public_grpc_port"); 0 if absent.
  int ReadyField(const std::string& name) const;
  std::string target() const { return "127.0.0.1:" + std::to_string(grpc_port_); }
  std::shared_ptr<grpc::Channel> Channel(const TlsFiles& tls = {}) const;
  std::string Log() const;
  pid_t pid() const { return pid_; }

 private:
  absl::Status MigrateAndGrant(const std::vector<std::string>& args, const std::string& log);
  std::string name_;
  ServiceOptions options_;
  const TestKey& key_;
  std::string dir_;
  pid_t pid_ = -1;
  int grpc_port_ = 0, metrics_port_ = 0;
  std::string ready_;  // the ready file's content
};

// A private MariaDB for tests that stop and restart it.
class PrivateMariaDb {
 public:
  PrivateMariaDb();
  ~PrivateMariaDb();
  // On `port` of loopback too when not 0; with TLS when dir()/tls holds
  // ca.crt, server.crt and server.key.
  absl::Status Start(int port = 0);
  absl::Status Stop();
  std::string socket() const { return dir_ + "/mysqld.sock"; }
  const std::string& dir() const { return dir_; }
  // The running server's pid (from its pid file); -1 if not running.
  pid_t pid() const;

 private:
  std::string dir_;
};

// Direct SQL for assertions ("nothing was written").
class SqlProbe {
 public:
  SqlProbe(const std::string& socket, const std::string& database);
  int64_t Count(const std::string& table, const std::string& where = "1=1");
  // The value of a query of one value ("NULL" for NULL).
  std::string Scalar(const std::string& sql);
  // A change made behind the service's back (a test's set-up).
  absl::Status Exec(const std::string& sql);

 private:
  std::unique_ptr<DbPool> pool_;
};

// Runs a shell command; returns its exit status and collects stdout.
int RunCommand(const std::string& command, std::string* output = nullptr);

// A loopback port nothing listens on now (for services that must know each
// other's port before either starts).
int FreePort();

// HTTP GET on loopback (for /metrics); returns the body.
absl::StatusOr<std::string> HttpGet(int port, const std::string& path);
// The sum of a metric's samples, over all their labels, from a process's
// /metrics (0 if it cannot be read): MetricTotal(port, "db_query_duration_seconds_count").
double MetricTotal(int metrics_port, const std::string& name);

MATCHER_P(HasCode, code, "") {
  if (arg.error_code() == code) return true;
  *result_listener << "status is " << arg.error_code() << ": " << arg.error_message();
  return false;
}

MATCHER(IsOk, "") {
  if (arg.ok()) return true;
  *result_listener << "status is " << arg.error_code() << ": " << arg.error_message();
  return false;
}

// The BadRequest field violations of a gRPC status.
std::vector<std::string> ViolatedFields(const grpc::Status& status);
std::string ErrorReason(const grpc::Status& status);

}  // namespace lianxin::testing

#endif  // LIANXIN_TESTS_SUPPORT_HARNESS_H_
