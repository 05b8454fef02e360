#include "common/config.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/auth.h"
#include "common/batcher.h"
#include "common/tls.h"

ABSL_FLAG(std::string, listen, "", "gRPC listen address host:port (default 127.0.0.1:<service port>)");
ABSL_FLAG(std::string, metrics_listen, "", "Prometheus /metrics address host:port");
ABSL_FLAG(std::string, db_host, "127.0.0.1", "MySQL/MariaDB host");
ABSL_FLAG(int, db_port, 3306, "MySQL/MariaDB port");
ABSL_FLAG(std::string, db_socket, "", "MySQL/MariaDB unix socket (instead of host:port)");
ABSL_FLAG(std::string, db_user, "root", "database user");
ABSL_FLAG(std::string, db_password, "", "database password (prefer LIANXIN_DB_PASSWORD or --db_password_file)");
ABSL_FLAG(std::string, db_password_file, "", "file holding the database password");
ABSL_FLAG(std::string, db_tls_ca_file, "",
          "CA certificate (PEM): connect to MariaDB over TLS, verifying the server's certificate and name");
ABSL_FLAG(std::string, db_name, "", "database (schema) name (default lianxin_<service>)");
ABSL_FLAG(int, db_pool_size, 0, "database connections (default: workers + 2)");
ABSL_FLAG(int, workers, 8, "threads doing blocking database work");
ABSL_FLAG(int, queue_limit, 512, "requests waiting for a worker before RESOURCE_EXHAUSTED");
ABSL_FLAG(std::string, trust_dir, "", "directory of the public keys (KID.pub) whose tokens this service accepts");
ABSL_FLAG(std::string, signing_key_file, "",
          "this service's private key for its own tokens (SERVICE-N.key, mode 0600)");
ABSL_FLAG(std::string, peers, "*default*", "comma-separated services whose own tokens are accepted");
ABSL_FLAG(std::string, jwt_audience, "lianxin", "required token audience");
ABSL_FLAG(std::string, tls_cert_file, "", "PEM certificate; enables TLS on the listener and client channels");
ABSL_FLAG(std::string, tls_key_file, "", "PEM private key for --tls_cert_file");
ABSL_FLAG(std::string, tls_ca_file, "", "PEM roots trusted for peers");
ABSL_FLAG(bool, allow_plaintext_peers, false, "allow channels without TLS to addresses that are not loopback");
ABSL_FLAG(int, shutdown_grace_seconds, 10, "on SIGTERM, time given to calls in flight");
ABSL_FLAG(int, health_interval_ms, 1000, "how often readiness checks the database");
ABSL_FLAG(int, todo_interval_ms, 10000,
          "how often the to-dos this service raises are swept, or the organization service gathers them (100-600000)");
ABSL_FLAG(std::string, ready_file, "", "once serving, write the bound ports here as JSON");
ABSL_FLAG(bool, migrate, true, "apply schema migrations at start-up");
ABSL_FLAG(bool, migrate_only, false, "apply schema migrations, then exit (as the schema's owner)");
ABSL_FLAG(std::string, log_level, "info", "debug, info, warning or error");

namespace lianxin {
namespace {

// Applies LIANXIN_<NAME> environment variables to every flag defined here.
void ApplyEnvironment(std::vector<std::string>* problems) {
  for (const auto& [name, flag] : absl::GetAllFlags()) {
    std::string env = absl::StrCat("LIANXIN_", absl::AsciiStrToUpper(name));
    const char* value = std::getenv(env.c_str());
    if (value == nullptr) continue;
    std::string error;
    if (!flag->ParseFrom(value, &error)) {
      problems->push_back(absl::StrCat(env, ": ", error));
    }
  }
}

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out->assign(std::istreambuf_iterator<char>(in), {});
  return true;
}

LogLevel ParseLevel(const std::string& s, bool* ok) {
  *ok = true;
  if (s == "debug") return LogLevel::kDebug;
  if (s == "info") return LogLevel::kInfo;
  if (s == "warning") return LogLevel::kWarning;
  if (s == "error") return LogLevel::kError;
  *ok = false;
  return LogLevel::kInfo;
}

}  // namespace

absl::Status ValidateServerConfig(const ServerConfig& c) {
  std::vector<std::string> problems;
  std::string host;
  int port = 0;
  if (!SplitHostPort(c.listen, &host, &port)) {
    problems.push_back(absl::StrCat("--listen: '", c.listen, "' is not host:port"));
  } else if (!c.tls.enabled() && !IsLoopbackHost(host)) {
    problems.push_back(absl::StrCat("--listen: ", host,
                                    " is not loopback; plaintext is only allowed on loopback "
                                    "(set --tls_cert_file and --tls_key_file)"));
  }
  std::string mhost;
  if (!SplitHostPort(c.metrics_listen, &mhost, &port)) {
    problems.push_back(absl::StrCat("--metrics_listen: '", c.metrics_listen, "' is not host:port"));
  }
  if (c.workers < 1 || c.workers > 512) problems.push_back(absl::StrCat("--workers: must be 1..512, got ", c.workers));
  if (c.queue_limit < 1) problems.push_back(absl::StrCat("--queue_limit: must be positive, got ", c.queue_limit));
  if (c.db.pool_size < 1 || c.db.pool_size > 1024)
    problems.push_back(absl::StrCat("--db_pool_size: must be 1..1024, got ", c.db.pool_size));
  if (c.db.database.empty() || c.db.database.find('`') != std::string::npos)
    problems.push_back("--db_name: must be a plain schema name");
  if (c.db.socket.empty() && (c.db.port < 1 || c.db.port > 65535))
    problems.push_back(absl::StrCat("--db_port: must be 1..65535, got ", c.db.port));
  if (c.trusted_keys.empty()) problems.push_back("--trust_dir: required (a directory of KID.pub public keys)");
  if (c.signing_key.pem.empty()) {
    problems.push_back("--signing_key_file: required (this service's own SERVICE-N.key)");
  } else if (c.signing_key.issuer != c.service) {
    problems.push_back(absl::StrCat("--signing_key_file: the key '", c.signing_key.kid, "' is not the ", c.service,
                                    " service's (its id must be ", c.service, "-N)"));
  }
  if (c.jwt_audience.empty()) problems.push_back("--jwt_audience: must not be empty");
  if (c.tls.cert_file.empty() != c.tls.key_file.empty())
    problems.push_back("--tls_cert_file and --tls_key_file: give both or neither");
  for (const auto* f : {&c.tls.cert_file, &c.tls.key_file, &c.tls.ca_file}) {
    std::string unused;
    if (!f->empty() && !ReadFile(*f, &unused)) problems.push_back(absl::StrCat("TLS file ", *f, ": cannot be read"));
  }
  if (c.shutdown_grace < absl::ZeroDuration()) problems.push_back("--shutdown_grace_seconds: must not be negative");
  if (problems.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrJoin(problems, "\n"));
}

int FlagInRange(int value, absl::string_view flag, int low, int high, std::vector<std::string>& problems) {
  if (value < low || value > high) problems.push_back(absl::StrCat("--", flag, ": must be ", low, "..", high));
  return value;
}

BatcherSettings BatcherFlags(int write_batch, int write_leaders, std::vector<std::string>& problems) {
  BatcherSettings settings;
  settings.batch = FlagInRange(write_batch, "write_batch", 1, 256, problems);
  settings.leaders = FlagInRange(write_leaders, "write_leaders", 1, 64, problems);
  return settings;
}

std::shared_ptr<grpc::Channel> ChannelFlag(const std::string& target, absl::string_view flag, const TlsFiles& tls,
                                           std::vector<std::string>& problems) {
  auto channel = MakeChannel(target, tls);
  if (channel.ok()) return *channel;
  problems.push_back(absl::StrCat("--", flag, ": ", channel.status().message()));
  return nullptr;
}

std::unique_ptr<FieldCipher> CipherFlag(const std::string& keys_file, const std::string& index_key_file,
                                        absl::string_view flag, std::vector<std::string>& problems) {
  auto cipher = FieldCipher::FromFiles(keys_file, index_key_file);
  if (cipher.ok()) return *std::move(cipher);
  problems.push_back(absl::StrCat("--", flag, ": ", cipher.status().message()));
  return nullptr;
}

ServerConfig LoadServerConfig(int argc, char** argv, const ServiceDefaults& d,
                              const ServiceFlagsReader& read_service_flags) {
  absl::SetProgramUsageMessage(absl::StrCat("lianxin ", d.name, " service"));
  std::vector<std::string> problems;
  ApplyEnvironment(&problems);
  std::vector<char*> rest = absl::ParseCommandLine(argc, argv);

  ServerConfig c;
  c.service = d.name;
  for (size_t i = 1; i < rest.size(); ++i) c.args.emplace_back(rest[i]);
  c.listen = absl::GetFlag(FLAGS_listen);
  if (c.listen.empty()) c.listen = absl::StrCat("127.0.0.1:", d.grpc_port);
  c.metrics_listen = absl::GetFlag(FLAGS_metrics_listen);
  if (c.metrics_listen.empty()) c.metrics_listen = absl::StrCat("127.0.0.1:", d.metrics_port);
  c.workers = absl::GetFlag(FLAGS_workers);
  c.queue_limit = absl::GetFlag(FLAGS_queue_limit);
  c.db.host = absl::GetFlag(FLAGS_db_host);
  c.db.port = absl::GetFlag(FLAGS_db_port);
  c.db.socket = absl::GetFlag(FLAGS_db_socket);
  c.db.user = absl::GetFlag(FLAGS_db_user);
  c.db.tls_ca_file = absl::GetFlag(FLAGS_db_tls_ca_file);
  c.db.password = absl::GetFlag(FLAGS_db_password);
  std::string pw_file = absl::GetFlag(FLAGS_db_password_file);
  if (!pw_file.empty()) {
    if (auto pw = ReadSecretFile(pw_file); pw.ok()) {
      c.db.password = *std::move(pw);
    } else {
      problems.push_back(absl::StrCat("--db_password_file: ", pw.status().message()));
    }
    while (!c.db.password.empty() && (c.db.password.back() == '\n' || c.db.password.back() == '\r'))
      c.db.password.pop_back();
  }
  c.db.database = absl::GetFlag(FLAGS_db_name);
  if (c.db.database.empty()) c.db.database = absl::StrCat("lianxin_", d.name);
  c.db.pool_size = absl::GetFlag(FLAGS_db_pool_size);
  if (c.db.pool_size == 0) c.db.pool_size = c.workers + 2;
  if (std::string dir = absl::GetFlag(FLAGS_trust_dir); !dir.empty()) {
    auto keys = ReadTrustDir(dir);
    if (keys.ok())
      c.trusted_keys = *std::move(keys);
    else
      problems.push_back(absl::StrCat("--trust_dir: ", keys.status().message()));
  }
  if (std::string file = absl::GetFlag(FLAGS_signing_key_file); !file.empty()) {
    auto key = ReadSigningKey(file);
    if (key.ok())
      c.signing_key = *std::move(key);
    else
      problems.push_back(absl::StrCat("--signing_key_file: ", key.status().message()));
  }
  c.peers = d.peers;
  if (std::string peers = absl::GetFlag(FLAGS_peers); peers != "*default*") {
    c.peers = absl::StrSplit(peers, ',', absl::SkipWhitespace());
  }
  c.jwt_audience = absl::GetFlag(FLAGS_jwt_audience);
  c.tls = {absl::GetFlag(FLAGS_tls_cert_file), absl::GetFlag(FLAGS_tls_key_file), absl::GetFlag(FLAGS_tls_ca_file),
           absl::GetFlag(FLAGS_allow_plaintext_peers)};
  c.shutdown_grace = absl::Seconds(absl::GetFlag(FLAGS_shutdown_grace_seconds));
  c.health_interval = absl::Milliseconds(absl::GetFlag(FLAGS_health_interval_ms));
  const int todo_ms = absl::GetFlag(FLAGS_todo_interval_ms);
  if (todo_ms < 100 || todo_ms > 600000) problems.push_back("--todo_interval_ms must be 100-600000");
  c.todo_interval = absl::Milliseconds(todo_ms);
  c.ready_file = absl::GetFlag(FLAGS_ready_file);
  c.migrate = absl::GetFlag(FLAGS_migrate);
  c.migrate_only = absl::GetFlag(FLAGS_migrate_only);
  if (c.migrate_only) c.migrate = true;
  bool level_ok = true;
  c.log_level = ParseLevel(absl::GetFlag(FLAGS_log_level), &level_ok);
  if (!level_ok) problems.push_back("--log_level: must be debug, info, warning or error");

  absl::Status s = ValidateServerConfig(c);
  if (!s.ok()) problems.push_back(std::string(s.message()));
  if (read_service_flags) read_service_flags(c, problems);
  if (!problems.empty()) {
    std::fprintf(stderr, "lianxin-%s: bad configuration:\n%s\n", d.name.c_str(), absl::StrJoin(problems, "\n").c_str());
    std::exit(2);
  }
  return c;
}

}  // namespace lianxin
