// Opening a connection (common/db.h): its session settings, TLS when a CA is
// configured, and what a lost connection's commit check needs to know of it.
#include <cppconn/connection.h>
#include <cppconn/exception.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <mysql_driver.h>

#include "absl/strings/str_cat.h"
#include "common/db.h"
#include "common/log.h"

namespace lianxin {

absl::StatusOr<std::unique_ptr<Db>> DbPool::Connect(bool with_database) {
  sql::ConnectOptionsMap props;
  props["hostName"] = options_.socket.empty()
                          ? sql::SQLString(absl::StrCat("tcp://", options_.host, ":", options_.port))
                          : sql::SQLString(absl::StrCat("unix://", options_.socket));
  props["userName"] = sql::SQLString(options_.user);
  props["password"] = sql::SQLString(options_.password);
  if (with_database) props["schema"] = sql::SQLString(options_.database);
  props["OPT_CONNECT_TIMEOUT"] = static_cast<int>(absl::ToInt64Seconds(options_.connect_timeout));
  props["OPT_RECONNECT"] = false;
  props["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
  if (!options_.tls_ca_file.empty()) {  // encrypted, to a server the CA vouches for
    props["sslCA"] = sql::SQLString(options_.tls_ca_file);
    props["sslVerify"] = true;
    props["sslEnforce"] = true;
  }
  std::unique_ptr<sql::Connection> conn;
  int64_t connection_id = 0, server_started = 0;
  std::string cipher;
  try {
    conn.reset(sql::mysql::get_mysql_driver_instance()->connect(props));
    std::unique_ptr<sql::Statement> st(conn->createStatement());
    st->execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
    st->execute("SET SESSION time_zone = '+00:00'");
    if (!options_.autocommit) st->execute("SET SESSION autocommit = 0");
    // Who this connection is, on which run of the server, and its cipher.
    std::unique_ptr<sql::ResultSet> rs(st->executeQuery(
        "SELECT CONNECTION_ID() AS id, UNIX_TIMESTAMP() - VARIABLE_VALUE AS started, "
        "(SELECT VARIABLE_VALUE FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME = 'SSL_CIPHER') "
        "AS cipher FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'UPTIME'"));
    if (rs->next()) {
      connection_id = rs->getInt64("id");
      server_started = rs->getInt64("started");
      cipher = rs->getString("cipher").asStdString();
    }
  } catch (const sql::SQLException& e) {
    Log(LogLevel::kWarning, "db_connect_failed", {{"code", absl::StrCat(e.getErrorCode())}, {"error", e.what()}});
    return absl::UnavailableError(absl::StrCat("cannot connect to the database: ", e.what()));
  }
  if (!options_.tls_ca_file.empty() && cipher.empty()) {
    return absl::UnavailableError("the database connection is not encrypted, and a CA is configured");
  }
  auto db = std::unique_ptr<Db>(new Db(std::move(conn), metrics_.get(), options_.one_round_trip_scripts));
  db->connection_id_ = connection_id;
  db->server_started_ = server_started;
  db->markers_ = options_.commit_markers;
  return db;
}

}  // namespace lianxin
