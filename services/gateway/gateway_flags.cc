#include "services/gateway/gateway_flags.h"

#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/access.h"

ABSL_FLAG(std::string, public_listen, "127.0.0.1:7100", "host:port of the public gRPC port");
ABSL_FLAG(std::string, http_listen, "127.0.0.1:7180", "host:port of the public HTTP/JSON port; empty: none");
ABSL_FLAG(int, http_threads, 2, "threads serving the HTTP/JSON port (1-64)");
ABSL_FLAG(std::string, public_tls_cert_file, "",
          "PEM certificate chain of the public ports (gRPC and HTTP); empty: plaintext");
ABSL_FLAG(std::string, public_tls_key_file, "", "PEM private key of the public ports");
ABSL_FLAG(std::string, public_client_ca_file, "",
          "PEM CA whose client certificates sign government systems in (mTLS); empty: no client certificates");
ABSL_FLAG(std::string, org_target, "127.0.0.1:7101", "the organization service (host:port)");
ABSL_FLAG(std::string, member_target, "127.0.0.1:7102", "the member service (host:port)");
ABSL_FLAG(std::string, dispatch_target, "127.0.0.1:7103", "the dispatch service (host:port)");
ABSL_FLAG(std::string, activity_target, "127.0.0.1:7105", "the activity service (host:port)");
ABSL_FLAG(std::string, gateway_keys_file, "", "field keys sealing TOTP secrets (common/crypto.h); required");
ABSL_FLAG(std::string, gateway_index_key_file, "", "the blind-index key file beside them; required");
ABSL_FLAG(int, default_deadline_ms, 30000, "deadline of a unary call that comes without one (100-600000)");
ABSL_FLAG(int, call_retries, 2, "more attempts of an idempotent call that met UNAVAILABLE (0-5)");
ABSL_FLAG(int, session_idle_minutes, 30, "a session unused this long ends (1-1440)");
ABSL_FLAG(int, session_max_hours, 12, "a session ends this long after sign-in (1-72)");
ABSL_FLAG(int, session_fresh_ms, 2000, "how long a session read is trusted before it is read again (0-60000)");
ABSL_FLAG(int, max_failed_sign_ins, 5, "failed sign-ins in a row that lock an account (1-100)");
ABSL_FLAG(int, lockout_minutes, 15, "how long a locked account stays locked (1-1440)");
ABSL_FLAG(std::string, rate_limits, "",
          "per caller and class, rate/s and burst: read=50/200,write=20/60,lookup=0.2/10,signin=0.2/10 (the defaults)");
ABSL_FLAG(std::string, lookup_methods,
          "lianxin.member.v1.MemberService/FindMember,lianxin.member.v1.MemberService/GetMember,"
          "lianxin.member.v1.MemberService/ListDisclosures,lianxin.dispatch.v1.DispatchService/ListPhoneReads,"
          "lianxin.activity.v1.DuesService/ListDuesAssessments,lianxin.activity.v1.DuesService/GetDuesStanding,"
          "lianxin.activity.v1.DuesService/ListDuesDisclosures",
          "methods that may disclose something about people: the strict 'lookup' rate class");
ABSL_FLAG(int, in_flight_per_caller, 64, "calls one caller may have in flight (1-100000)");
ABSL_FLAG(int, in_flight_total, 4096, "calls the gateway has in flight at most (1-1000000)");
ABSL_FLAG(int, audit_flush_ms, 200, "how often audit records are written (10-10000)");
ABSL_FLAG(int, audit_retention_days, 180, "days audit records are kept (1-3650)");

namespace lianxin::gateway {

ServiceFlagsReader GatewayFlags::Reader() {
  return [this](const ServerConfig& config, std::vector<std::string>& problems) {
    front.listen = absl::GetFlag(FLAGS_public_listen);
    front.tls.cert_file = absl::GetFlag(FLAGS_public_tls_cert_file);
    front.tls.key_file = absl::GetFlag(FLAGS_public_tls_key_file);
    front.tls.ca_file = absl::GetFlag(FLAGS_public_client_ca_file);
    if (front.tls.cert_file.empty() != front.tls.key_file.empty()) {
      problems.push_back("--public_tls_cert_file and --public_tls_key_file go together");
    }
    if (!front.tls.ca_file.empty() && front.tls.cert_file.empty()) {
      problems.push_back("--public_client_ca_file needs TLS on the public port (--public_tls_cert_file)");
    }
    http.listen = absl::GetFlag(FLAGS_http_listen);
    http.tls.cert_file = front.tls.cert_file;
    http.tls.key_file = front.tls.key_file;
    http.threads = FlagInRange(absl::GetFlag(FLAGS_http_threads), "http_threads", 1, 64, problems);
    front.default_deadline = absl::Milliseconds(
        FlagInRange(absl::GetFlag(FLAGS_default_deadline_ms), "default_deadline_ms", 100, 600000, problems));
    front.retries = FlagInRange(absl::GetFlag(FLAGS_call_retries), "call_retries", 0, 5, problems);
    for (const auto& [name, flag] : {std::pair<const char*, std::string>{"org", absl::GetFlag(FLAGS_org_target)},
                                     {"member", absl::GetFlag(FLAGS_member_target)},
                                     {"dispatch", absl::GetFlag(FLAGS_dispatch_target)},
                                     {"activity", absl::GetFlag(FLAGS_activity_target)}}) {
      upstreams[name] = ChannelFlag(flag, absl::StrCat(name, "_target"), config.tls, problems);
    }
    cipher = CipherFlag(absl::GetFlag(FLAGS_gateway_keys_file), absl::GetFlag(FLAGS_gateway_index_key_file),
                        "gateway_keys_file", problems);
    settings.session_idle = absl::Minutes(
        FlagInRange(absl::GetFlag(FLAGS_session_idle_minutes), "session_idle_minutes", 1, 1440, problems));
    settings.session_max =
        absl::Hours(FlagInRange(absl::GetFlag(FLAGS_session_max_hours), "session_max_hours", 1, 72, problems));
    session_fresh_for =
        absl::Milliseconds(FlagInRange(absl::GetFlag(FLAGS_session_fresh_ms), "session_fresh_ms", 0, 60000, problems));
    settings.max_failed_sign_ins =
        FlagInRange(absl::GetFlag(FLAGS_max_failed_sign_ins), "max_failed_sign_ins", 1, 100, problems);
    settings.lockout =
        absl::Minutes(FlagInRange(absl::GetFlag(FLAGS_lockout_minutes), "lockout_minutes", 1, 1440, problems));
    settings.audit_retention = absl::Hours(
        24 * FlagInRange(absl::GetFlag(FLAGS_audit_retention_days), "audit_retention_days", 1, 3650, problems));
    auto rates_or = ParseRates(absl::GetFlag(FLAGS_rate_limits));
    if (rates_or.ok()) {
      rates = *rates_or;
    } else {
      problems.push_back(absl::StrCat("--rate_limits: ", rates_or.status().message()));
    }
    const std::vector<std::string> known = AccessTable::Builtin().Methods();
    for (absl::string_view m : absl::StrSplit(absl::GetFlag(FLAGS_lookup_methods), ',', absl::SkipWhitespace())) {
      if (std::find(known.begin(), known.end(), m) == known.end()) {
        problems.push_back(absl::StrCat("--lookup_methods: '", m, "' is not a method of the platform"));
      }
      lookups.insert(std::string(m));
    }
    in_flight_per_caller =
        FlagInRange(absl::GetFlag(FLAGS_in_flight_per_caller), "in_flight_per_caller", 1, 100000, problems);
    in_flight_total = FlagInRange(absl::GetFlag(FLAGS_in_flight_total), "in_flight_total", 1, 1000000, problems);
    audit_flush_every =
        absl::Milliseconds(FlagInRange(absl::GetFlag(FLAGS_audit_flush_ms), "audit_flush_ms", 10, 10000, problems));
  };
}

}  // namespace lianxin::gateway
