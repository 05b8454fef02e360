// The demo's ways in through the gateway: one person per role, an app
// backend and a government system. Their secrets are set anew on every load
// (passwords, TOTP secrets and client secrets are kept only as hashes or
// sealed, so a second load cannot print the first one's) and printed.
#include <cstdio>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/client.h"
#include "common/status.h"
#include "deploy/demo/demo.h"
#include "lianxin/gateway/v1/account_service.grpc.pb.h"
#include "lianxin/gateway/v1/session_service.grpc.pb.h"
#include "services/gateway/secrets.h"

namespace lianxin::demo {
namespace {

namespace gv1 = ::lianxin::gateway::v1;

struct PersonSpec {
  const char* username;
  const char* role;
  std::string org_unit, member;
};

absl::Status Check(const grpc::Status& s, const std::string& what) {
  if (s.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(s.error_code()), absl::StrCat(what, ": ", s.error_message()));
}

std::unique_ptr<grpc::ClientContext> Ctx(const std::string& bearer) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  PrepareClientContext(ctx.get(), bearer, "", absl::Seconds(20));
  return ctx;
}

// Creates the account, or resets it when an earlier load made it; returns the
// temporary password it now has.
absl::StatusOr<std::string> Ensure(gv1::AccountService::Stub& accounts, const std::string& token, const PersonSpec& p) {
  const std::string temporary = gateway::NewBearerToken("tmp-");
  gv1::CreateAccountRequest create;
  create.mutable_account()->set_username(p.username);
  create.mutable_account()->set_display_name(p.username);
  create.mutable_account()->add_roles(p.role);
  create.mutable_account()->set_org_unit(p.org_unit);
  if (!p.member.empty()) create.mutable_account()->set_member(p.member);
  create.set_initial_password(temporary);
  gv1::Account account;
  grpc::Status s = accounts.CreateAccount(Ctx(token).get(), create, &account);
  if (s.ok()) return temporary;
  if (s.error_code() != grpc::StatusCode::ALREADY_EXISTS) return Check(s, absl::StrCat("account ", p.username));
  gv1::ListAccountsRequest list;
  list.set_page_size(1000);
  gv1::ListAccountsResponse found;
  RETURN_IF_ERROR(Check(accounts.ListAccounts(Ctx(token).get(), list, &found), "accounts"));
  for (const auto& a : found.accounts()) {
    if (a.username() != p.username) continue;
    gv1::ResetAccountRequest reset;
    reset.set_name(a.name());
    reset.set_new_password(temporary);
    RETURN_IF_ERROR(Check(accounts.ResetAccount(Ctx(token).get(), reset, &account), p.username));
    return temporary;
  }
  return absl::NotFoundError(absl::StrCat("account ", p.username, " exists but is not listed"));
}

// Signs in with the temporary password, sets `password`, enrols TOTP when the
// role needs it (returns its secret) and signs out.
absl::StatusOr<std::string> Activate(gv1::SessionService::Stub& sessions, const PersonSpec& p,
                                     const std::string& temporary, const std::string& password) {
  gv1::SignInRequest in;
  in.set_username(p.username);
  in.set_password(temporary);
  gv1::Session session;
  RETURN_IF_ERROR(Check(sessions.SignIn(Ctx("").get(), in, &session), absl::StrCat("sign-in of ", p.username)));
  gv1::ChangePasswordRequest change;
  change.set_old_password(temporary);
  change.set_new_password(password);
  gv1::ChangePasswordResponse changed;
  RETURN_IF_ERROR(Check(sessions.ChangePassword(Ctx(session.token()).get(), change, &changed), "password"));
  std::string secret;
  if (std::string(p.role) == "operator" || std::string(p.role) == "secretary") {
    gv1::TotpEnrollment enrol;
    RETURN_IF_ERROR(Check(sessions.BeginTotpEnrollment(Ctx(session.token()).get(), {}, &enrol), "TOTP"));
    gv1::ConfirmTotpEnrollmentRequest confirm;
    confirm.set_totp_code(gateway::TotpCode(enrol.secret(), absl::Now()));
    gv1::Account account;
    RETURN_IF_ERROR(Check(sessions.ConfirmTotpEnrollment(Ctx(session.token()).get(), confirm, &account), "TOTP"));
    secret = enrol.secret();
  }
  gv1::SignOutResponse out;
  RETURN_IF_ERROR(Check(sessions.SignOut(Ctx(session.token()).get(), {}, &out), "sign-out"));
  return secret;
}

// Creates the client, or gives an earlier load's a new secret.
absl::StatusOr<std::pair<std::string, std::string>> EnsureClient(gv1::AccountService::Stub& accounts,
                                                                 const std::string& token, const gv1::Client& spec) {
  gv1::ListClientsRequest list;
  list.set_page_size(1000);
  gv1::ListClientsResponse found;
  RETURN_IF_ERROR(Check(accounts.ListClients(Ctx(token).get(), list, &found), "clients"));
  gv1::ClientWithSecret out;
  for (const auto& c : found.clients()) {
    if (c.display_name() != spec.display_name()) continue;
    gv1::ResetClientSecretRequest reset;
    reset.set_name(c.name());
    RETURN_IF_ERROR(Check(accounts.ResetClientSecret(Ctx(token).get(), reset, &out), spec.display_name()));
    return std::make_pair(out.client().name(), out.client_secret());
  }
  gv1::CreateClientRequest create;
  *create.mutable_client() = spec;
  RETURN_IF_ERROR(Check(accounts.CreateClient(Ctx(token).get(), create, &out), spec.display_name()));
  return std::make_pair(out.client().name(), out.client_secret());
}

}  // namespace

absl::Status LoadAccounts(const std::shared_ptr<grpc::Channel>& gateway_own,
                          const std::shared_ptr<grpc::Channel>& gateway_public, const std::string& token,
                          const Tree& tree, const std::string& out_file) {
  auto accounts = gv1::AccountService::NewStub(gateway_own);
  auto sessions = gv1::SessionService::NewStub(gateway_public);
  std::string text = "Demo sign-ins (set anew on every run of the demo loader):\n";
  const std::vector<PersonSpec> people = {
      {"demo-operator", "operator", tree.district, ""},
      {"demo-secretary", "secretary", tree.xihu, ""},
      {"demo-auditor", "auditor", "*", ""},
      {"demo-member", "member", tree.xihu_branch, tree.xihu_members.empty() ? "" : tree.xihu_members.front()},
  };
  for (const PersonSpec& p : people) {
    ASSIGN_OR_RETURN(std::string temporary, Ensure(*accounts, token, p));
    const std::string password = gateway::NewBearerToken("").substr(0, 16);
    ASSIGN_OR_RETURN(std::string secret, Activate(*sessions, p, temporary, password));
    absl::StrAppend(&text, "  ", p.role, std::string(10 - std::string(p.role).size(), ' '), p.username, " / ",
                    password);
    if (!secret.empty())
      absl::StrAppend(&text, "  TOTP secret ", secret, "  (a code: oathtool --totp -b ", secret, ")");
    absl::StrAppend(&text, "\n");
  }
  gv1::Client app;
  app.set_display_name("demo app backend");
  app.set_kind(gv1::CLIENT_KIND_APP_BACKEND);
  app.add_allowed_roles("resident");
  app.add_allowed_roles("member");
  app.set_org_unit(tree.district);
  ASSIGN_OR_RETURN(auto app_creds, EnsureClient(*accounts, token, app));
  gv1::Client gov;
  gov.set_display_name("demo government system");
  gov.set_kind(gv1::CLIENT_KIND_SYSTEM);
  for (const char* m : {"GetOrgUnit", "ListChildOrgUnits", "ListSubtreeOrgUnits", "ListPlaces", "ListPositions"}) {
    gov.add_methods(absl::StrCat("lianxin.org.v1.OrgService/", m));
  }
  gov.set_org_unit(tree.district);
  // The client certificate the run command made (.local/run/tls/gov-system.crt) signs it in too.
  gov.set_certificate_subject("CN=demo-gov-system,O=Lianxin demo");
  ASSIGN_OR_RETURN(auto gov_creds, EnsureClient(*accounts, token, gov));
  absl::StrAppend(&text, "  app backend  ", app_creds.first.substr(8), " / ", app_creds.second,
                  "  (for residents/{id}, and members once bound)\n");
  absl::StrAppend(&text, "  system       ", gov_creds.first.substr(8), " / ", gov_creds.second,
                  "  (org unit reads in the district; or its certificate .local/run/tls/gov-system.crt)\n");
  std::fputs(text.c_str(), stdout);
  if (!out_file.empty()) {
    std::ofstream out(out_file, std::ios::trunc);
    out << text;
  }
  return absl::OkStatus();
}

}  // namespace lianxin::demo
