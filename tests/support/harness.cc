#include "tests/support/harness.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/container/flat_hash_map.h"
#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/client.h"
#include "common/status.h"
#include "common/tls.h"
#include "tests/support/leftovers.h"

namespace lianxin::testing {
namespace {

std::string Env(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : fallback;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

std::string BuildDir() { return Env("LIANXIN_BUILD_DIR", "build"); }
std::string SourceDir() { return Env("LIANXIN_SOURCE_DIR", "."); }
std::string TestDbSocket() { return Env("LIANXIN_TEST_DB_SOCKET", ""); }

std::string UniqueDbName(const std::string& prefix) {
  static std::atomic<int> counter{0};
  return absl::StrCat("t_", prefix, "_", getpid(), "_", counter++);
}

void WriteSecretFile(const std::string& path, const std::string& text) {
  std::remove(path.c_str());
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return;
  ssize_t written = ::write(fd, text.data(), text.size());
  (void)written;
  ::close(fd);
}

std::vector<std::string> WriteFieldKeys(const std::string& dir, const std::string& name) {
  std::string keys = absl::StrCat(dir, "/", name, ".keys"), index = absl::StrCat(dir, "/", name, ".index");
  WriteSecretFile(keys, absl::StrCat("key k1 sm4 ", std::string(64, 'b'), "\n"));
  WriteSecretFile(index, absl::StrCat("index ", std::string(64, 'a'), "\n"));
  return {"--keys_file=" + keys, "--index_key_file=" + index};
}

TestKey::~TestKey() { RemoveTempDir(dir_); }

TestKey::TestKey() : dir_(TempDir("keys")) {
  for (const char* signer : {"gateway", "org", "member", "dispatch", "activity"}) {
    absl::Status made = MakeKeyPair(dir_, absl::StrCat(signer, "-1"));
    if (!made.ok()) std::fprintf(stderr, "TestKey: %s\n", std::string(made.message()).c_str());
  }
}

std::vector<std::string> TestKey::Flags(const std::string& service) const {
  return {"--trust_dir=" + dir_, absl::StrCat("--signing_key_file=", dir_, "/", service, "-1.key")};
}

SigningKey TestKey::Signer(const std::string& name) const {
  auto key = ReadSigningKey(absl::StrCat(dir_, "/", name, "-1.key"));
  return key.ok() ? *key : SigningKey{};
}

std::string TestKey::Token(const std::string& subject, std::vector<std::string> roles, const std::string& org,
                           absl::Duration ttl) const {
  TokenClaims claims;
  claims.subject = subject;
  claims.roles = std::move(roles);
  claims.org_scope = org;
  claims.ttl = ttl;
  auto token = MintToken(Signer(kGatewayIssuer), claims);
  return token.ok() ? *token : "";
}

std::string TestKey::ServiceToken(const std::string& service) const {
  ServiceTokens tokens(Signer(service), "lianxin");
  return tokens.Get();
}

ServiceProcess::ServiceProcess(std::string name, ServiceOptions options, const TestKey& key)
    : name_(std::move(name)), options_(std::move(options)), key_(key) {
  if (options_.db_socket.empty()) options_.db_socket = TestDbSocket();
  dir_ = TempDir(name_);
}

// As the run command does (deploy/local/services.sh): the schema's owner
// applies the migrations, then the service runs as its own user, with rights on
// its own tables only and the record of what happened append-only.
absl::Status ServiceProcess::MigrateAndGrant(const std::vector<std::string>& args, const std::string& log) {
  std::string command;
  for (const auto& a : args) absl::StrAppend(&command, "'", a, "' ");
  absl::StrAppend(&command, "--db_user=root --migrate_only >>'", log, "' 2>&1");
  if (RunCommand(command) != 0) return absl::InternalError(absl::StrCat(name_, " could not migrate: ", Log()));
  const std::string& db = options_.db_name;
  const std::string password = absl::StrCat("pw-", absl::Uniform<uint64_t>(absl::BitGen()));
  WriteSecretFile(dir_ + "/db.password", password);
  SqlProbe root(options_.db_socket, db);
  RETURN_IF_ERROR(root.Exec(absl::StrCat("CREATE USER IF NOT EXISTS '", db, "'@'localhost'")));
  RETURN_IF_ERROR(root.Exec(absl::StrCat("ALTER USER '", db, "'@'localhost' IDENTIFIED BY '", password, "'")));
  std::string tables = root.Scalar(
      absl::StrCat("SELECT GROUP_CONCAT(table_name) FROM information_schema.tables WHERE table_schema = '", db, "'"));
  // deploy/local/grants.txt: the tables a service may do less with.
  absl::flat_hash_map<std::string, std::string> limited;
  std::ifstream grants(SourceDir() + "/deploy/local/grants.txt");
  for (std::string line; std::getline(grants, line);) {
    if (line.empty() || line[0] == '#') continue;
    const size_t space = line.find(' ');
    if (space == std::string::npos) continue;
    limited[line.substr(0, space)] = std::string(absl::StripAsciiWhitespace(line.substr(space)));
  }
  for (absl::string_view table : absl::StrSplit(tables, ',', absl::SkipEmpty())) {
    auto it = limited.find(table);
    const std::string privileges = it != limited.end() ? it->second : "SELECT, INSERT, UPDATE, DELETE";
    RETURN_IF_ERROR(
        root.Exec(absl::StrCat("GRANT ", privileges, " ON `", db, "`.`", table, "` TO '", db, "'@'localhost'")));
  }
  return absl::OkStatus();
}

ServiceProcess::~ServiceProcess() {
  Stop();
  RemoveTempDir(dir_);
}

absl::Status ServiceProcess::Start() {
  std::string binary = absl::StrCat(BuildDir(), "/services/", name_, "/lianxin-", name_);
  std::string ready = dir_ + "/ready.json";
  std::remove(ready.c_str());
  std::vector<std::string> args = {binary,
                                   "--listen=127.0.0.1:0",
                                   "--metrics_listen=127.0.0.1:0",
                                   "--db_socket=" + options_.db_socket,
                                   "--db_name=" + options_.db_name,
                                   "--ready_file=" + ready,
                                   "--workers=4",
                                   "--health_interval_ms=200",
                                   "--shutdown_grace_seconds=2"};
  for (const auto& f : key_.Flags(name_)) args.push_back(f);
  for (const auto& f : options_.extra_flags) args.push_back(f);
  std::string log = dir_ + "/service.log";
  RETURN_IF_ERROR(MigrateAndGrant(args, log));
  args.push_back("--db_user=" + options_.db_name);
  args.push_back("--db_password_file=" + dir_ + "/db.password");
  args.push_back("--migrate=false");
  pid_ = fork();
  if (pid_ == 0) {
    // The service dies with the test, even when the test crashes, and holds
    // none of its output pipes (ctest would wait on them).
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    FILE* out = std::freopen(log.c_str(), "a", stderr);
    FILE* out2 = std::freopen(log.c_str(), "a", stdout);
    (void)out;
    (void)out2;
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  for (int i = 0; i < 300; ++i) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return absl::InternalError(absl::StrCat(name_, " exited at start-up: ", Log()));
    }
    std::string content = Slurp(ready);
    if (!content.empty() && content.back() == '\n') {
      std::sscanf(content.c_str(), "{\"grpc_port\": %d, \"metrics_port\": %d", &grpc_port_, &metrics_port_);
      ready_ = content;
      return absl::OkStatus();
    }
    absl::SleepFor(absl::Milliseconds(100));
  }
  return absl::DeadlineExceededError(absl::StrCat(name_, " not ready: ", Log()));
}

int ServiceProcess::ReadyField(const std::string& name) const {
  const std::string key = absl::StrCat("\"", name, "\": ");
  size_t at = ready_.find(key);
  int value = 0;
  if (at == std::string::npos ||
      !absl::SimpleAtoi(ready_.substr(at + key.size(), ready_.find_first_of(",}", at) - at - key.size()), &value)) {
    return 0;
  }
  return value;
}

int ServiceProcess::Stop() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::shared_ptr<grpc::Channel> ServiceProcess::Channel(const TlsFiles& tls) const {
  auto ch = MakeChannel(target(), tls);
  return ch.ok() ? *ch : nullptr;
}

std::string ServiceProcess::Log() const { return Slurp(dir_ + "/service.log"); }

PrivateMariaDb::PrivateMariaDb() : dir_(TempDir("mariadb")) {}
PrivateMariaDb::~PrivateMariaDb() {
  // A data directory holds a 256 MiB redo log: never leave one behind.
  if (Stop().ok()) RemoveTempDir(dir_);
}

absl::Status PrivateMariaDb::Start(int port) {
  internal::TrackServer(dir_);  // stopped at exit if still running then
  std::string cmd = absl::StrCat("bash ", SourceDir(), "/deploy/local/mariadb.sh start ", dir_, " ",
                                 port == 0 ? std::string("socket") : absl::StrCat(port));
  return RunCommand(cmd) == 0 ? absl::OkStatus() : absl::InternalError("mariadb did not start");
}

absl::Status PrivateMariaDb::Stop() {
  std::string cmd = absl::StrCat("bash ", SourceDir(), "/deploy/local/mariadb.sh stop ", dir_);
  if (RunCommand(cmd) != 0) return absl::InternalError("mariadb did not stop");
  internal::ServerStopped(dir_);
  return absl::OkStatus();
}

pid_t PrivateMariaDb::pid() const {
  int64_t pid = -1;
  std::string text = Slurp(dir_ + "/mysqld.pid");
  absl::StripAsciiWhitespace(&text);
  return absl::SimpleAtoi(text, &pid) ? static_cast<pid_t>(pid) : -1;
}

SqlProbe::SqlProbe(const std::string& socket, const std::string& database) {
  DbOptions options;
  options.socket = socket;
  options.database = database;
  options.pool_size = 2;
  auto pool = DbPool::Create(options, nullptr);
  if (pool.ok()) pool_ = std::move(pool).value();
}

std::string SqlProbe::Scalar(const std::string& sql) {
  std::string out = "<error>";
  if (pool_ == nullptr) return out;
  // A one-value query, as a subquery: its value has a name to read it by.
  absl::Status s = pool_->Run([&](Db& db) {
    return db.Query(absl::StrCat("SELECT (", sql, ") AS v"), {},
                    [&](const Row& r) { out = r.IsNull("v") ? "NULL" : r.Str("v"); });
  });
  return s.ok() ? out : absl::StrCat("<error: ", s.message(), ">");
}

absl::Status SqlProbe::Exec(const std::string& sql) {
  if (pool_ == nullptr) return absl::UnavailableError("no database");
  return pool_->Run([&](Db& db) { return db.Exec(sql).status(); });
}

int64_t SqlProbe::Count(const std::string& table, const std::string& where) {
  int64_t n = -1;
  (void)absl::SimpleAtoi(Scalar(absl::StrCat("SELECT COUNT(*) FROM ", table, " WHERE ", where)), &n);
  return n;
}

int RunCommand(const std::string& command, std::string* output) {
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return -1;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) {
    if (output != nullptr) output->append(buf, n);
  }
  int status = pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

absl::StatusOr<std::string> HttpGet(int port, const std::string& path) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return absl::UnavailableError("connect failed");
  }
  std::string req = absl::StrCat("GET ", path, " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
  if (write(fd, req.data(), req.size()) < 0) {
    close(fd);
    return absl::UnavailableError("write failed");
  }
  std::string resp;
  char buf[8192];
  ssize_t n;
  while ((n = read(fd, buf, sizeof(buf))) > 0) resp.append(buf, static_cast<size_t>(n));
  close(fd);
  auto body = resp.find("\r\n\r\n");
  if (resp.rfind("HTTP/1.", 0) != 0 || body == std::string::npos) return absl::InternalError("bad response");
  if (resp.find(" 200 ") == std::string::npos) return absl::InternalError(resp.substr(0, body));
  return resp.substr(body + 4);
}

std::vector<std::string> ViolatedFields(const grpc::Status& status) {
  std::vector<std::string> out;
  for (const auto& v : ViolationsOf(FromGrpcStatus(status))) out.push_back(v.field);
  return out;
}

std::string ErrorReason(const grpc::Status& status) { return ReasonOf(FromGrpcStatus(status)); }

namespace {

// Binds `port` on loopback (0: any) and returns the port bound, or 0.
int BindLoopback(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  socklen_t len = sizeof(addr);
  int bound = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    bound = ntohs(addr.sin_port);
  }
  close(fd);
  return bound;
}

}  // namespace

int FreePort() {
  // Below the kernel's ephemeral range: a port handed out from that range
  // (port 0) can be taken by any outgoing connection — the tests' own gRPC
  // and MariaDB clients — before the service that was given it listens.
  int ephemeral_low = 32768;
  std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range");
  range >> ephemeral_low;
  if (ephemeral_low > 11000) {
    absl::BitGen gen;
    for (int attempt = 0; attempt < 100; ++attempt) {
      const int port = BindLoopback(absl::Uniform(gen, 10000, ephemeral_low));
      if (port != 0) return port;
    }
  }
  return BindLoopback(0);
}

double MetricTotal(int metrics_port, const std::string& name) {
  auto body = HttpGet(metrics_port, "/metrics");
  if (!body.ok()) return 0;
  double total = 0;
  for (absl::string_view line : absl::StrSplit(*body, '\n')) {
    if (!absl::StartsWith(line, name)) continue;
    const char next = line.size() > name.size() ? line[name.size()] : '\0';
    if (next != '{' && next != ' ') continue;  // another metric whose name starts alike
    double v = 0;
    if (absl::SimpleAtod(line.substr(line.rfind(' ') + 1), &v)) total += v;
  }
  return total;
}

}  // namespace lianxin::testing
