// The whole platform behind the gateway, on the test MariaDB: org, member,
// dispatch, activity and gateway processes, each started the way the run command
// starts them. Tests reach the services through the gateway's public port
// (public_), as callers do; set-up that no caller could do — the first
// accounts — goes to the gateway's own port with a token signed by the test
// key, as the demo loader does.
#ifndef LIANXIN_TESTS_GATEWAY_GATEWAY_TEST_BASE_H_
#define LIANXIN_TESTS_GATEWAY_GATEWAY_TEST_BASE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/client.h"
#include "gtest/gtest.h"
#include "lianxin/dispatch/v1/dispatch_service.grpc.pb.h"
#include "lianxin/gateway/v1/account_service.grpc.pb.h"
#include "lianxin/gateway/v1/audit_service.grpc.pb.h"
#include "lianxin/gateway/v1/session_service.grpc.pb.h"
#include "lianxin/member/v1/member_service.grpc.pb.h"
#include "lianxin/org/v1/org_service.grpc.pb.h"
#include "tests/support/harness.h"

namespace lianxin::testing {

namespace gv1 = ::lianxin::gateway::v1;
namespace ov1 = ::lianxin::org::v1;
namespace mv1 = ::lianxin::member::v1;
namespace dv1 = ::lianxin::dispatch::v1;

// A person's account made active: password changed, second factor enrolled.
struct Person {
  std::string account;  // accounts/{id}
  std::string username;
  std::string password;
  std::string totp_secret;  // "" without a second factor
  std::string session;      // a bearer token of a full session
};

class GatewayTest : public ::testing::Test {
 protected:
  static constexpr char kInitialPassword[] = "initial-pass-2026";

  static void SetUpTestSuite();
  static void TearDownTestSuite();
  // Extra flags for the gateway of a suite (rate limits, session settings).
  static std::vector<std::string> GatewayFlags();

  void SetUp() override;

  // A client context for the public port: `session` as the bearer (none if
  // empty), `on_behalf` as x-lianxin-on-behalf-of.
  static std::unique_ptr<grpc::ClientContext> Ctx(const std::string& session, const std::string& on_behalf = "",
                                                  absl::Duration timeout = absl::Seconds(10));
  // An account made on the gateway's own port by a platform operator's token.
  std::string CreateAccount(const std::string& username, const std::vector<std::string>& roles,
                            const std::string& org_unit, const std::string& member = "");
  // Signs in with the initial password, changes it, enrols TOTP when the
  // roles need it, and signs in again: a full session.
  Person Activate(const std::string& username, const std::vector<std::string>& roles, const std::string& org_unit,
                  const std::string& member = "");
  // A client (app backend or system); returns its id and secret.
  std::pair<std::string, std::string> CreateClient(gv1::ClientKind kind, const std::vector<std::string>& roles,
                                                   const std::vector<std::string>& methods,
                                                   const std::string& org_unit);
  // Signs a client in through the public port; returns its session token.
  std::string SignInClient(const std::string& id, const std::string& secret);
  std::string Unit(const std::string& parent, ov1::OrgUnitType type);
  grpc::Status SignIn(const std::string& username, const std::string& password, const std::string& code,
                      gv1::Session* out);

  static TestKey* key_;
  static std::string* suffix_;
  static std::string* keys_dir_;
  static ServiceProcess* org_;
  static ServiceProcess* member_;
  static ServiceProcess* dispatch_;
  static ServiceProcess* activity_;
  static ServiceProcess* gateway_;
  static std::shared_ptr<grpc::Channel>* public_;

  std::unique_ptr<gv1::SessionService::Stub> sessions_;
  std::unique_ptr<gv1::AccountService::Stub> accounts_;   // public port
  std::unique_ptr<gv1::AccountService::Stub> bootstrap_;  // the gateway's own port
  std::unique_ptr<gv1::AuditService::Stub> audit_;
  std::unique_ptr<ov1::OrgService::Stub> org_stub_;
  std::unique_ptr<mv1::MemberService::Stub> member_stub_;
  std::unique_ptr<dv1::DispatchService::Stub> dispatch_stub_;
  std::unique_ptr<SqlProbe> probe_;  // the gateway's schema
  std::string admin_;                // a platform operator's token (test key), for set-up
  std::string district_, community_, branch_;
  static int counter_;
};

}  // namespace lianxin::testing

#endif  // LIANXIN_TESTS_GATEWAY_GATEWAY_TEST_BASE_H_
