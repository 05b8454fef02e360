// Who is calling, as the front door works it out on every call: the session
// behind a bearer token, or the client behind a certificate (mTLS), or no one
// (signing in); for an app backend, the end user it calls for
// (x-lianxin-on-behalf-of: residents/{id} or members/{id}). The answer is an
// Identity with the short-lived token (ES256, common/auth.h) the services
// verify. Sessions, bindings and minted tokens are kept in memory for a few
// seconds; a miss asks GatewayLogic, which reads the database — on a gRPC
// thread that is WouldBlock() (common/call_context.h), and the front door
// asks again from a worker.
#ifndef LIANXIN_SERVICES_GATEWAY_CALLERS_H_
#define LIANXIN_SERVICES_GATEWAY_CALLERS_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/auth.h"
#include "common/clock.h"
#include "services/gateway/gateway_logic.h"
#include "services/gateway/routes.h"

namespace lianxin::gateway {

inline constexpr char kOnBehalfHeader[] = "x-lianxin-on-behalf-of";

struct Credentials {
  std::string bearer;        // from `authorization: Bearer ...`
  std::string on_behalf;     // x-lianxin-on-behalf-of
  std::string cert_subject;  // a verified client certificate's subject
  std::string client_address;
};

struct Identity {
  std::string caller;     // accounts/{id}, clients/{id}, or "anonymous"
  std::string on_behalf;  // the token's subject when it differs from the caller
  std::string limit_key;  // what rate limits count by
  std::string token;      // the bearer token for the service
};

class Callers {
 public:
  // `fresh_for`: how long a session read stays trusted before it is read
  // again (a sign-out elsewhere takes effect within it).
  Callers(GatewayLogic& logic, SigningKey key, std::string audience, absl::Duration fresh_for,
          const Clock& clock = SystemClock::Get());

  absl::StatusOr<Identity> Resolve(const Route& route, const Credentials& creds);
  // Ends a session here at once (SignOut through this replica).
  void Forget(const std::string& bearer);
  // Writes the last use of the sessions used since the last call.
  absl::Status FlushLastUse();

 private:
  struct Cached {
    absl::StatusOr<SessionView> view;
    absl::Time read_at;
  };
  struct Minted {
    std::string token;
    absl::Time refresh_at;
  };
  absl::StatusOr<SessionView> Session(const Credentials& creds, absl::Time now);
  absl::StatusOr<bool> Bound(const std::string& client_id, const std::string& member, absl::Time now);
  absl::StatusOr<std::string> Mint(const TokenClaims& claims, absl::Time now);

  GatewayLogic& logic_;
  const SigningKey key_;
  const std::string audience_;
  const absl::Duration fresh_for_;
  const Clock& clock_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Cached> sessions_ ABSL_GUARDED_BY(mu_);  // by token hash or "cert:" subject
  absl::flat_hash_map<std::string, std::pair<bool, absl::Time>> bindings_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, Minted> minted_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_set<std::string> used_ ABSL_GUARDED_BY(mu_);  // session ids since the last flush
};

}  // namespace lianxin::gateway

#endif  // LIANXIN_SERVICES_GATEWAY_CALLERS_H_
