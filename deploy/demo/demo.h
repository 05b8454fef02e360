// The demo district, drawn from the seed articles, loaded through the public
// APIs with fixed request ids: loading twice creates nothing new.
//
// Order matters, as it would for a real district: the tree and its places
// first (demo_org.cc), then the people (demo_people.cc) — members imported
// from their lists, and only then what needs members: building party groups'
// buildings (five resident members), positions (held by members on file),
// registrations waiting, transfers under way, members out of contact; then
// the requests residents ordered (demo_requests.cc); organizational life,
// volunteer teams and dues (demo_activity.cc).
#ifndef LIANXIN_DEPLOY_DEMO_DEMO_H_
#define LIANXIN_DEPLOY_DEMO_DEMO_H_

#include <grpcpp/grpcpp.h>

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/keys.h"
#include "lianxin/activity/v1/activity_service.grpc.pb.h"
#include "lianxin/activity/v1/dues.grpc.pb.h"
#include "lianxin/activity/v1/team.grpc.pb.h"
#include "lianxin/dispatch/v1/dispatch_service.grpc.pb.h"
#include "lianxin/member/v1/member_service.grpc.pb.h"
#include "lianxin/org/v1/org_service.grpc.pb.h"

namespace lianxin::demo {

struct Summary {
  int units = 0, places = 0, positions = 0, partners = 0;
  int members = 0, lost = 0, pending_registrations = 0, transfers = 0;
  int categories = 0, requests = 0, ledger = 0;
  int activities = 0, attendances = 0, teams = 0, service_records = 0, dues_members = 0, dues_payments = 0;
  std::string district;
};

// The units and places the people are filed under.
struct Tree {
  std::string district;
  std::string xuewei;                                          // 学卫社区党委
  std::vector<std::string> xuewei_branches, xuewei_buildings;  // 21 each
  // Per branch: the groups of members who attend in person, who are ill at
  // home (study brought to them), and who live or work away (online).
  std::vector<std::array<std::string, 3>> xuewei_groups;
  std::string huangjin;                                                   // 黄金社区党总支
  std::vector<std::string> huangjin_branches, huangjin_compounds;         // 3 each
  std::vector<std::string> organ_branches;                                // 区直机关 branches of employed members
  std::vector<std::string> tiexi_branches;                                // 3
  std::string xihu, xihu_branch;                                          // 西湖新村
  std::vector<std::string> xihu_buildings, xihu_stairwells, xihu_groups;  // 8, 16, 4
  std::vector<std::string> xihu_members;  // members/{id}, 7 per building, in building order
};

// Calls the org service with the loader's token; counts what it made.
class OrgLoader {
 public:
  OrgLoader(org::v1::OrgService::Stub& org, std::string token, Summary& summary)
      : org_(org), token_(std::move(token)), summary_(summary) {}

  absl::StatusOr<std::string> Unit(const std::string& parent, org::v1::OrgUnitType type, const std::string& code,
                                   const std::string& name);
  absl::StatusOr<std::string> Place(const std::string& community, const std::string& parent, org::v1::PlaceKind kind,
                                    const std::string& key, const std::string& name, const std::string& address);
  absl::Status Position(const std::string& unit, org::v1::PositionRole role, const std::string& key,
                        const std::string& member, const std::string& holder, const std::string& start,
                        const std::string& end);
  absl::Status Partner(const std::string& community, org::v1::PartnerKind kind, const std::string& key,
                       const std::string& name, const std::string& liaison, const std::string& contact);
  absl::Status Cover(const std::string& unit, const std::vector<std::string>& places);
  // Merges `from` into `into` unless an earlier load already did.
  absl::Status MergeOnce(const std::string& from, const std::string& into);

 private:
  absl::Status Call(const std::function<grpc::Status(grpc::ClientContext*)>& rpc);
  org::v1::OrgService::Stub& org_;
  std::string token_;
  Summary& summary_;
};

absl::StatusOr<Tree> LoadOrgTree(OrgLoader& org, Summary& summary);

// `signing_key` mints the tokens of the residents who register themselves.
// Fills tree.xihu_members.
absl::Status LoadPeople(OrgLoader& org, member::v1::MemberService::Stub& members, const std::string& token,
                        const SigningKey& signing_key, Tree& tree, Summary& summary);

// demo_requests.cc: categories, the calendar, requests at 西湖新村.
absl::Status LoadRequests(dispatch::v1::DispatchService::Stub& dispatch, const std::string& token,
                          const SigningKey& signing_key, const Tree& tree, const std::vector<std::string>& xihu_members,
                          Summary& summary);

// demo_activity.cc: 学卫's theme days and study brought home, 黄金's lectures,
// volunteer teams and a year of its dues.
absl::Status LoadActivity(const std::shared_ptr<grpc::Channel>& activity, member::v1::MemberService::Stub& members,
                          const std::string& token, const Tree& tree, Summary& summary);

// People, an app backend and a system that sign in at the gateway: made on
// its own port (`gateway_own`, with `token`), activated through its public
// one; their secrets printed, and written to `out_file` when set.
absl::Status LoadAccounts(const std::shared_ptr<grpc::Channel>& gateway_own,
                          const std::shared_ptr<grpc::Channel>& gateway_public, const std::string& token,
                          const Tree& tree, const std::string& out_file);

}  // namespace lianxin::demo

#endif  // LIANXIN_DEPLOY_DEMO_DEMO_H_
