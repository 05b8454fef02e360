// lianxin-demo: loads the demo district into a running platform.
//   build/deploy/lianxin-demo --org=127.0.0.1:7101 --member=127.0.0.1:7102 --dispatch=127.0.0.1:7103
//       --activity=127.0.0.1:7105
//       --key_file=.local/run/keys/signing/gateway-1.key
#include <cstdio>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "common/auth.h"
#include "common/tls.h"
#include "deploy/demo/demo.h"

ABSL_FLAG(std::string, org, "127.0.0.1:7101", "organization service address");
ABSL_FLAG(std::string, member, "127.0.0.1:7102", "member service address");
ABSL_FLAG(std::string, dispatch, "127.0.0.1:7103", "dispatch service address");
ABSL_FLAG(std::string, activity, "127.0.0.1:7105", "activity service address");
ABSL_FLAG(std::string, key_file, ".local/run/keys/signing/gateway-1.key",
          "the local gateway's private key, which signs people's tokens");
ABSL_FLAG(std::string, tls_ca_file, "", "PEM roots, when the services use TLS");
ABSL_FLAG(std::string, gateway, "", "the gateway's own port (accounts); empty: no demo sign-ins");
ABSL_FLAG(std::string, gateway_public, "", "the gateway's public gRPC port");
ABSL_FLAG(std::string, gateway_ca_file, "", "PEM roots of the gateway's public port, when it serves TLS");
ABSL_FLAG(std::string, accounts_file, "", "where to write the demo sign-ins as well (owner-only)");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  auto key = lianxin::ReadSigningKey(absl::GetFlag(FLAGS_key_file));
  if (!key.ok()) {
    std::fprintf(stderr, "lianxin-demo: %s\n", std::string(key.status().message()).c_str());
    return 2;
  }
  auto token = lianxin::MintToken(
      *key, {"demo-loader", {lianxin::kRoleOperator}, "*", "lianxin", lianxin::kMaxUserTokenLifetime});
  lianxin::TlsFiles tls;
  tls.ca_file = absl::GetFlag(FLAGS_tls_ca_file);
  auto org_channel = lianxin::MakeChannel(absl::GetFlag(FLAGS_org), tls);
  auto member_channel = lianxin::MakeChannel(absl::GetFlag(FLAGS_member), tls);
  auto dispatch_channel = lianxin::MakeChannel(absl::GetFlag(FLAGS_dispatch), tls);
  auto activity_channel = lianxin::MakeChannel(absl::GetFlag(FLAGS_activity), tls);
  if (!token.ok() || !org_channel.ok() || !member_channel.ok() || !dispatch_channel.ok() || !activity_channel.ok()) {
    std::fprintf(stderr, "lianxin-demo: cannot set up the clients\n");
    return 1;
  }
  auto org = lianxin::org::v1::OrgService::NewStub(*org_channel);
  auto members = lianxin::member::v1::MemberService::NewStub(*member_channel);
  auto dispatch = lianxin::dispatch::v1::DispatchService::NewStub(*dispatch_channel);
  lianxin::demo::Summary summary;
  lianxin::demo::OrgLoader loader(*org, *token, summary);
  auto tree = lianxin::demo::LoadOrgTree(loader, summary);
  absl::Status people =
      tree.ok() ? lianxin::demo::LoadPeople(loader, *members, *token, *key, *tree, summary) : tree.status();
  if (people.ok()) {
    people = lianxin::demo::LoadRequests(*dispatch, *token, *key, *tree, tree->xihu_members, summary);
  }
  if (people.ok()) people = lianxin::demo::LoadActivity(*activity_channel, *members, *token, *tree, summary);
  if (people.ok() && !absl::GetFlag(FLAGS_gateway).empty()) {
    auto own = lianxin::MakeChannel(absl::GetFlag(FLAGS_gateway), tls);
    lianxin::TlsFiles public_tls;
    public_tls.ca_file = absl::GetFlag(FLAGS_gateway_ca_file);
    auto front = lianxin::MakeChannel(absl::GetFlag(FLAGS_gateway_public), public_tls);
    people = own.ok() && front.ok()
                 ? lianxin::demo::LoadAccounts(*own, *front, *token, *tree, absl::GetFlag(FLAGS_accounts_file))
                 : absl::InvalidArgumentError("--gateway and --gateway_public must be host:port");
  }
  if (!people.ok()) {
    std::fprintf(stderr, "lianxin-demo: %s\n", people.ToString().c_str());
    return 1;
  }
  std::printf("demo: district %s — %d org units, %d places, %d positions, %d partners\n", summary.district.c_str(),
              summary.units, summary.places, summary.positions, summary.partners);
  std::printf("demo: %d members (%d lost), %d registrations waiting, %d transfers under way\n", summary.members,
              summary.lost, summary.pending_registrations, summary.transfers);
  std::printf("demo: %d request categories, %d requests at 西湖新村 and %d from its ledger\n", summary.categories,
              summary.requests, summary.ledger);
  std::printf("demo: %d activities held, %d attendances; %d volunteer teams, %d service records\n", summary.activities,
              summary.attendances, summary.teams, summary.service_records);
  std::printf("demo: party dues of %d members at 黄金, %d payments\n", summary.dues_members, summary.dues_payments);
  return 0;
}
