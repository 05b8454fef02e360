// The gateway's own rules (docs/architecture.md "The gateway"): who may sign
// in and how (sessions.cc), the accounts, app backends and systems operators
// manage (accounts.cc, clients.cc), what a session is allowed to become on a
// call (lookups.cc), and the audit chain (audit.cc). One method per RPC,
// named as the RPC; its SQL is in gateway_store.h.
#ifndef LIANXIN_SERVICES_GATEWAY_GATEWAY_LOGIC_H_
#define LIANXIN_SERVICES_GATEWAY_GATEWAY_LOGIC_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/call_context.h"
#include "common/clock.h"
#include "common/crypto.h"
#include "common/db.h"
#include "common/keys.h"
#include "common/page_token.h"
#include "lianxin/gateway/v1/account_service.pb.h"
#include "lianxin/gateway/v1/audit_service.pb.h"
#include "lianxin/gateway/v1/session_service.pb.h"
#include "services/clients/member/member_client.h"
#include "services/clients/org/org_client.h"
#include "services/gateway/gateway_store.h"

namespace lianxin::gateway {

namespace v1 = ::lianxin::gateway::v1;

struct GatewaySettings {
  absl::Duration session_idle = absl::Minutes(30);
  absl::Duration session_max = absl::Hours(12);
  int max_failed_sign_ins = 5;
  absl::Duration lockout = absl::Minutes(15);
  absl::Duration audit_retention = absl::Hours(24 * 180);
  absl::Duration binding_code_ttl = absl::Hours(24);
};

// What a session is, as the front door needs it on every call.
struct SessionView {
  std::string id;
  std::string principal;  // accounts/{id} or clients/{id}
  bool restricted = false;
  int64_t last_seen_us = 0, expires_us = 0;
  // The account's or client's standing at the time it was read.
  std::string subject;  // members/{id} for a member's account, else the principal
  std::vector<std::string> roles;
  std::string org_scope;  // "*" or a unit id
  v1::ClientKind client_kind = v1::CLIENT_KIND_UNSPECIFIED;
  std::vector<std::string> allowed_roles, methods;
};

// For the front door: the prefix of the gateway's session tokens.
inline constexpr char kSessionTokenPrefix[] = "lxs_";

class GatewayLogic {
 public:
  GatewayLogic(DbPool& db, const PageTokens& tokens, const FieldCipher& cipher, SigningKey signing_key,
               TrustedKeys trusted, std::shared_ptr<grpc::Channel> org, std::shared_ptr<grpc::Channel> member,
               GatewaySettings settings, const Clock& clock = SystemClock::Get());

  // SessionService (sessions.cc).
  absl::Status SignIn(const CallContext& c, const v1::SignInRequest& req, v1::Session* out);
  absl::Status SignInClient(const CallContext& c, const v1::SignInClientRequest& req, v1::Session* out);
  absl::Status SignOut(const CallContext& c, const v1::SignOutRequest& req, v1::SignOutResponse* out);
  absl::Status ChangePassword(const CallContext& c, const v1::ChangePasswordRequest& req,
                              v1::ChangePasswordResponse* out);
  absl::Status BeginTotpEnrollment(const CallContext& c, const v1::BeginTotpEnrollmentRequest& req,
                                   v1::TotpEnrollment* out);
  absl::Status ConfirmTotpEnrollment(const CallContext& c, const v1::ConfirmTotpEnrollmentRequest& req,
                                     v1::Account* out);
  absl::Status BindMember(const CallContext& c, const v1::BindMemberRequest& req, v1::MemberBinding* out);

  // AccountService: people (accounts.cc).
  absl::Status CreateAccount(const CallContext& c, const v1::CreateAccountRequest& req, v1::Account* out);
  absl::Status GetAccount(const CallContext& c, const v1::GetAccountRequest& req, v1::Account* out);
  absl::Status ListAccounts(const CallContext& c, const v1::ListAccountsRequest& req, v1::ListAccountsResponse* out);
  absl::Status UpdateAccount(const CallContext& c, const v1::UpdateAccountRequest& req, v1::Account* out);
  absl::Status ResetAccount(const CallContext& c, const v1::ResetAccountRequest& req, v1::Account* out);
  absl::Status IssueBindingCode(const CallContext& c, const v1::IssueBindingCodeRequest& req, v1::BindingCode* out);
  absl::Status ListAccountEvents(const CallContext& c, const v1::ListAccountEventsRequest& req,
                                 v1::ListAccountEventsResponse* out);
  // AccountService: programs (clients.cc).
  absl::Status CreateClient(const CallContext& c, const v1::CreateClientRequest& req, v1::ClientWithSecret* out);
  absl::Status ListClients(const CallContext& c, const v1::ListClientsRequest& req, v1::ListClientsResponse* out);
  absl::Status UpdateClient(const CallContext& c, const v1::UpdateClientRequest& req, v1::Client* out);
  absl::Status ResetClientSecret(const CallContext& c, const v1::ResetClientSecretRequest& req,
                                 v1::ClientWithSecret* out);

  // AuditService (audit.cc).
  absl::Status ListAuditRecords(const CallContext& c, const v1::ListAuditRecordsRequest& req,
                                v1::ListAuditRecordsResponse* out);
  absl::Status VerifyAuditChain(const CallContext& c, const v1::VerifyAuditChainRequest& req,
                                v1::VerifyAuditChainResponse* out);
  // Appends records to the chain in one transaction (the audit log's batches).
  absl::Status AppendAudit(std::vector<store::AuditRow> rows);
  // Removes records older than the retention, leaving a signed checkpoint
  // where the chain now starts (a background task).
  absl::Status PruneAudit();

  // For the front door (lookups.cc). The session a bearer token opens:
  // UNAUTHENTICATED when unknown, ended, idle too long or expired, or when
  // its account or client is disabled.
  absl::StatusOr<SessionView> OpenSession(const std::string& token);
  // The client a certificate subject names (mTLS), as a session without an id.
  absl::StatusOr<SessionView> ClientByCertificate(const std::string& subject);
  // Whether an app backend may call for members/{id} (a binding exists).
  absl::StatusOr<bool> MemberBound(const std::string& client_id, const std::string& member);
  // Moves sessions' last use forward (the front door's batches).
  absl::Status TouchSessions(const std::vector<std::string>& ids, absl::Time at);

  const GatewaySettings& settings() const { return settings_; }

 private:
  int64_t NowUs() const { return absl::ToUnixMicros(clock_.Now()); }
  absl::StatusOr<std::string> NewSession(const std::string& principal, bool restricted, const CallContext& c,
                                         v1::Session* out);
  // The caller's own account (a person's session); UNAUTHENTICATED otherwise.
  absl::StatusOr<std::string> OwnAccountId(const CallContext& c) const;
  // The materialized path of `org_unit` ("*" → "/"), asked of the org
  // service with the caller's token; errors name `field`.
  absl::StatusOr<std::string> OrgPath(const CallContext& c, const std::string& org_unit, const std::string& field,
                                      std::string* scope);
  absl::Status Audit(const std::vector<store::AuditRow>& rows);
  // A hash of a password, at most kConcurrentHashes at once.
  absl::StatusOr<std::string> Hash(absl::string_view password);
  bool Verify(absl::string_view hash, absl::string_view password);

  DbPool& db_;
  const PageTokens& tokens_;
  const FieldCipher& cipher_;
  const SigningKey signing_key_;
  const TrustedKeys trusted_;
  std::unique_ptr<org::OrgClient> org_;
  std::unique_ptr<member::MemberClient> member_;
  const GatewaySettings settings_;
  const Clock& clock_;
  class HashSlot;
  absl::Mutex hash_mu_;
  int hashing_ ABSL_GUARDED_BY(hash_mu_) = 0;
};

}  // namespace lianxin::gateway

#endif  // LIANXIN_SERVICES_GATEWAY_GATEWAY_LOGIC_H_
