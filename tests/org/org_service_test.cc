// The organization service over a real gRPC channel against the real MariaDB:
// units, the tree, history, access and every kind of bad input.
#include <set>
#include <thread>

#include "absl/time/civil_time.h"
#include "tests/org/org_test_base.h"

namespace lianxin::testing {
namespace {

using ::testing::ElementsAre;

TEST_F(OrgServiceTest, CreateGetAndEtag) {
  v1::OrgUnit group;
  ASSERT_THAT(Create(admin_, branch_, v1::ORG_UNIT_TYPE_PARTY_GROUP, "送学上门小组", &group), IsOk());
  EXPECT_EQ(group.parent(), branch_);
  EXPECT_EQ(group.district(), district_);
  EXPECT_EQ(group.depth(), 4);
  EXPECT_EQ(group.state(), v1::OrgUnit::STATE_ACTIVE);
  EXPECT_FALSE(group.etag().empty());
  v1::OrgUnit got = Get(group.name());
  EXPECT_EQ(got.display_name(), "送学上门小组");
  EXPECT_EQ(got.etag(), group.etag());
  EXPECT_EQ(Get(district_).district(), district_);
}

TEST_F(OrgServiceTest, SameRequestIdTwiceCreatesOneUnit) {
  v1::OrgUnit first, second;
  ASSERT_THAT(Create(admin_, branch_, v1::ORG_UNIT_TYPE_PARTY_GROUP, "小组", &first, "req-once", "DUP-1"), IsOk());
  ASSERT_THAT(Create(admin_, branch_, v1::ORG_UNIT_TYPE_PARTY_GROUP, "小组", &second, "req-once", "DUP-1"), IsOk());
  EXPECT_EQ(first.name(), second.name());
  EXPECT_EQ(probe_->Count("org_units", "code = 'DUP-1'"), 1);
}

TEST_F(OrgServiceTest, ConcurrentRetriesWithOneRequestIdCreateOneUnit) {
  constexpr int kClients = 8;
  std::vector<std::string> names(kClients);
  std::vector<std::thread> threads;
  std::string code = NextCode();
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&, i] {
      v1::OrgUnit out;
      grpc::Status s = Create(admin_, branch_, v1::ORG_UNIT_TYPE_PARTY_GROUP, "并发小组", &out, "req-race", code);
      EXPECT_TRUE(s.ok()) << s.error_message();
      names[i] = out.name();
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& n : names) EXPECT_EQ(n, names[0]);
  EXPECT_EQ(probe_->Count("org_units", absl::StrCat("code = '", code, "'")), 1);
}

struct BadCreate {
  const char* what;
  std::string parent;
  v1::OrgUnitType type;
  std::string display_name;
  std::string code;
  grpc::StatusCode code_expected;
  const char* field;
};

TEST_F(OrgServiceTest, BadCreatesNameTheFieldAndWriteNothing) {
  std::vector<BadCreate> cases = {
      {"empty name", branch_, v1::ORG_UNIT_TYPE_PARTY_GROUP, "", "X1", grpc::INVALID_ARGUMENT, "org_unit.display_name"},
      {"over-long name", branch_, v1::ORG_UNIT_TYPE_PARTY_GROUP, std::string(101, 'x'), "X2", grpc::INVALID_ARGUMENT,
       "org_unit.display_name"},
      {"control character", branch_, v1::ORG_UNIT_TYPE_PARTY_GROUP, "a\tb", "X3", grpc::INVALID_ARGUMENT,
       "org_unit.display_name"},
      {"empty code", branch_, v1::ORG_UNIT_TYPE_PARTY_GROUP, "组", "", grpc::INVALID_ARGUMENT, "org_unit.code"},
      {"no type", branch_, v1::ORG_UNIT_TYPE_UNSPECIFIED, "组", "X4", grpc::INVALID_ARGUMENT, "org_unit.type"},
      {"malformed parent", "branches/1", v1::ORG_UNIT_TYPE_PARTY_GROUP, "组", "X5", grpc::INVALID_ARGUMENT,
       "org_unit.parent"},
      {"unknown parent", "orgUnits/doesnotexist", v1::ORG_UNIT_TYPE_PARTY_GROUP, "组", "X6", grpc::NOT_FOUND,
       "org_unit.parent"},
      {"wrong level", branch_, v1::ORG_UNIT_TYPE_STREET_WORKING_COMMITTEE, "街道", "X7", grpc::INVALID_ARGUMENT,
       "org_unit.parent"},
      {"no parent", "", v1::ORG_UNIT_TYPE_BRANCH, "支部", "X8", grpc::INVALID_ARGUMENT, "org_unit.parent"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    std::string before = Snapshot();
    v1::CreateOrgUnitRequest req;
    req.mutable_org_unit()->set_parent(c.parent);
    req.mutable_org_unit()->set_type(c.type);
    req.mutable_org_unit()->set_display_name(c.display_name);
    req.mutable_org_unit()->set_code(c.code);
    req.set_request_id(absl::StrCat("bad-", c.code));
    v1::OrgUnit out;
    grpc::Status s = Call(admin_, [&](grpc::ClientContext* ctx) { return stub_->CreateOrgUnit(ctx, req, &out); });
    EXPECT_THAT(s, HasCode(c.code_expected));
    EXPECT_THAT(ViolatedFields(s), ::testing::Contains(c.field));
    EXPECT_NE(s.error_message().find(c.field), std::string::npos) << s.error_message();
    EXPECT_EQ(Snapshot(), before);
  }
}

TEST_F(OrgServiceTest, InvalidUtf8IsRefusedAndWritesNothing) {
  std::string before = Snapshot();
  v1::OrgUnit out;
  grpc::Status s = Create(admin_, branch_, v1::ORG_UNIT_TYPE_PARTY_GROUP, "bad \xff\xfe name", &out);
  EXPECT_THAT(s, HasCode(grpc::INVALID_ARGUMENT));
  EXPECT_THAT(ViolatedFields(s), ::testing::Contains("org_unit.display_name"));
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(OrgServiceTest, DuplicateCodeIsAlreadyExists) {
  v1::OrgUnit a, b;
  ASSERT_THAT(Create(admin_, branch_, v1::ORG_UNIT_TYPE_PARTY_GROUP, "甲", &a, "", "SAME"), IsOk());
  std::string before = Snapshot();
  grpc::Status s = Create(admin_, branch_, v1::ORG_UNIT_TYPE_PARTY_GROUP, "乙", &b, "", "SAME");
  EXPECT_THAT(s, HasCode(grpc::ALREADY_EXISTS));
  EXPECT_THAT(ViolatedFields(s), ElementsAre("org_unit.code"));
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(OrgServiceTest, UpdateWithFieldMaskAndStaleEtag) {
  v1::OrgUnit unit = Get(branch_);
  v1::UpdateOrgUnitRequest req;
  req.mutable_org_unit()->set_name(branch_);
  req.mutable_org_unit()->set_display_name("湘纺第一党支部");
  req.mutable_org_unit()->set_etag(unit.etag());
  req.mutable_update_mask()->add_paths("display_name");
  v1::OrgUnit updated;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->UpdateOrgUnit(c, req, &updated); }), IsOk());
  EXPECT_EQ(updated.display_name(), "湘纺第一党支部");
  EXPECT_NE(updated.etag(), unit.etag());

  // The same request again carries a stale etag.
  std::string before = Snapshot();
  req.mutable_org_unit()->set_display_name("另一个名字");
  grpc::Status s = Call(admin_, [&](grpc::ClientContext* c) { return stub_->UpdateOrgUnit(c, req, &updated); });
  EXPECT_THAT(s, HasCode(grpc::ABORTED));
  EXPECT_EQ(ErrorReason(s), "STALE_ETAG");
  EXPECT_THAT(ViolatedFields(s), ElementsAre("org_unit.etag"));
  EXPECT_EQ(Snapshot(), before);
  EXPECT_EQ(Get(branch_).display_name(), "湘纺第一党支部");

  // Unknown mask path.
  req.mutable_org_unit()->set_etag("");
  req.mutable_update_mask()->add_paths("parent");
  s = Call(admin_, [&](grpc::ClientContext* c) { return stub_->UpdateOrgUnit(c, req, &updated); });
  EXPECT_THAT(s, HasCode(grpc::INVALID_ARGUMENT));
  EXPECT_THAT(ViolatedFields(s), ElementsAre("update_mask"));
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(OrgServiceTest, TwoSecretariesUpdatingTheSameUnitOneWins) {
  std::string etag = Get(branch_).etag();
  std::string sec = key_->Token("sec-a", {"secretary"}, community_);
  std::atomic<int> ok{0}, aborted{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&, i] {
      v1::UpdateOrgUnitRequest req;
      req.mutable_org_unit()->set_name(branch_);
      req.mutable_org_unit()->set_display_name(absl::StrCat("名字", i));
      req.mutable_org_unit()->set_etag(etag);
      req.mutable_update_mask()->add_paths("display_name");
      v1::OrgUnit out;
      grpc::Status s = Call(sec, [&](grpc::ClientContext* c) { return stub_->UpdateOrgUnit(c, req, &out); });
      if (s.ok())
        ok++;
      else if (s.error_code() == grpc::ABORTED)
        aborted++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(aborted.load(), 5);
}

TEST_F(OrgServiceTest, MoveCarriesTheSubtreeAndRefusesCycles) {
  std::string group = MustCreate(branch_, v1::ORG_UNIT_TYPE_PARTY_GROUP, "小组");
  std::string community2 = MustCreate(street_, v1::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE, "新建社区");

  std::string before = Snapshot();
  v1::MoveOrgUnitRequest cycle;
  cycle.set_name(community_);
  cycle.set_new_parent(branch_);  // its own descendant
  v1::OrgUnit out;
  grpc::Status s = Call(admin_, [&](grpc::ClientContext* c) { return stub_->MoveOrgUnit(c, cycle, &out); });
  EXPECT_THAT(s, HasCode(grpc::INVALID_ARGUMENT));
  EXPECT_EQ(ErrorReason(s), "CYCLE");
  EXPECT_THAT(ViolatedFields(s), ElementsAre("new_parent"));
  EXPECT_EQ(Snapshot(), before);

  v1::MoveOrgUnitRequest move;
  move.set_name(branch_);
  move.set_new_parent(community2);
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->MoveOrgUnit(c, move, &out); }), IsOk());
  EXPECT_EQ(out.parent(), community2);
  // The grandchild moved too: it is in community2's subtree, not community_'s.
  v1::ListSubtreeOrgUnitsRequest sub;
  sub.set_root(community2);
  v1::ListOrgUnitsResponse list;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->ListSubtreeOrgUnits(c, sub, &list); }), IsOk());
  std::vector<std::string> names;
  for (const auto& u : list.org_units()) names.push_back(u.name());
  EXPECT_THAT(names, ElementsAre(community2, branch_, group));
  sub.set_root(community_);
  list.Clear();
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->ListSubtreeOrgUnits(c, sub, &list); }), IsOk());
  EXPECT_EQ(list.org_units_size(), 1);

  // History records the move, with who did it.
  v1::ListOrgEventsRequest ev;
  ev.set_org_unit(branch_);
  v1::ListOrgEventsResponse events;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->ListOrgEvents(c, ev, &events); }), IsOk());
  ASSERT_GE(events.events_size(), 2);
  EXPECT_EQ(events.events(0).action(), "create");
  EXPECT_EQ(events.events(events.events_size() - 1).action(), "move");
  EXPECT_EQ(events.events(events.events_size() - 1).actor(), "admin");
  EXPECT_NE(events.events(events.events_size() - 1).changes_json().find(community2), std::string::npos);
}

TEST_F(OrgServiceTest, MergeMovesChildrenAndKeepsTheMergedUnitReadable) {
  std::string old_community = MustCreate(street_, v1::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE, "新建社区党委");
  std::string old_branch = MustCreate(old_community, v1::ORG_UNIT_TYPE_BRANCH, "新建第一支部");
  v1::MergeOrgUnitsRequest req;
  req.set_name(old_community);
  req.set_into(community_);
  v1::OrgUnit out;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->MergeOrgUnits(c, req, &out); }), IsOk());
  EXPECT_EQ(out.name(), community_);
  v1::OrgUnit merged = Get(old_community);
  EXPECT_EQ(merged.state(), v1::OrgUnit::STATE_MERGED);
  EXPECT_EQ(merged.merged_into(), community_);
  EXPECT_EQ(Get(old_branch).parent(), community_);
  // Merging into its own descendant is a cycle.
  v1::MergeOrgUnitsRequest bad;
  bad.set_name(street_);
  bad.set_into(community_);
  grpc::Status s = Call(admin_, [&](grpc::ClientContext* c) { return stub_->MergeOrgUnits(c, bad, &out); });
  EXPECT_THAT(s, HasCode(grpc::INVALID_ARGUMENT));
}

TEST_F(OrgServiceTest, DeleteIsRefusedWithChildrenUnlessTheyMove) {
  std::string group = MustCreate(branch_, v1::ORG_UNIT_TYPE_PARTY_GROUP, "小组");
  std::string branch2 = MustCreate(community_, v1::ORG_UNIT_TYPE_BRANCH, "第二支部");
  std::string before = Snapshot();
  v1::DeleteOrgUnitRequest req;
  req.set_name(branch_);
  v1::OrgUnit out;
  grpc::Status s = Call(admin_, [&](grpc::ClientContext* c) { return stub_->DeleteOrgUnit(c, req, &out); });
  EXPECT_THAT(s, HasCode(grpc::FAILED_PRECONDITION));
  EXPECT_EQ(ErrorReason(s), "HAS_CHILDREN");
  EXPECT_EQ(Snapshot(), before);

  req.set_move_children_to(branch2);
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->DeleteOrgUnit(c, req, &out); }), IsOk());
  EXPECT_EQ(out.state(), v1::OrgUnit::STATE_DISSOLVED);
  EXPECT_EQ(Get(group).parent(), branch2);
  EXPECT_EQ(Get(branch_).state(), v1::OrgUnit::STATE_DISSOLVED);  // still readable

  // Dissolved units leave the children list unless asked for.
  v1::ListChildOrgUnitsRequest children;
  children.set_parent(community_);
  v1::ListOrgUnitsResponse list;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->ListChildOrgUnits(c, children, &list); }),
              IsOk());
  EXPECT_EQ(list.org_units_size(), 1);
  children.set_show_inactive(true);
  list.Clear();
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->ListChildOrgUnits(c, children, &list); }),
              IsOk());
  EXPECT_EQ(list.org_units_size(), 2);
}

TEST_F(OrgServiceTest, SubtreePagesAndTokens) {
  for (int i = 0; i < 24; ++i) MustCreate(branch_, v1::ORG_UNIT_TYPE_PARTY_GROUP, absl::StrCat("小组", i));
  v1::ListSubtreeOrgUnitsRequest req;
  req.set_root(community_);
  req.set_page_size(10);
  std::set<std::string> seen;
  std::string last_token;
  int pages = 0;
  do {
    v1::ListOrgUnitsResponse resp;
    ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->ListSubtreeOrgUnits(c, req, &resp); }),
                IsOk());
    for (const auto& u : resp.org_units()) EXPECT_TRUE(seen.insert(u.name()).second);
    last_token = req.page_token();
    req.set_page_token(resp.next_page_token());
    ++pages;
  } while (!req.page_token().empty());
  EXPECT_EQ(seen.size(), 26u);  // community, branch, 24 groups
  EXPECT_EQ(pages, 3);

  // Type filter.
  v1::ListSubtreeOrgUnitsRequest groups;
  groups.set_root(community_);
  groups.add_types(v1::ORG_UNIT_TYPE_BRANCH);
  v1::ListOrgUnitsResponse only;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->ListSubtreeOrgUnits(c, groups, &only); }),
              IsOk());
  ASSERT_EQ(only.org_units_size(), 1);
  EXPECT_EQ(only.org_units(0).name(), branch_);

  // A tampered token, and a token used with another query.
  v1::ListSubtreeOrgUnitsRequest tampered = req;
  tampered.set_page_token(last_token.substr(0, last_token.size() - 2) + "AA");
  v1::ListOrgUnitsResponse resp;
  grpc::Status s = Call(admin_, [&](grpc::ClientContext* c) { return stub_->ListSubtreeOrgUnits(c, tampered, &resp); });
  EXPECT_THAT(s, HasCode(grpc::INVALID_ARGUMENT));
  EXPECT_THAT(ViolatedFields(s), ElementsAre("page_token"));
  v1::ListSubtreeOrgUnitsRequest other;
  other.set_root(street_);
  other.set_page_token(last_token);
  s = Call(admin_, [&](grpc::ClientContext* c) { return stub_->ListSubtreeOrgUnits(c, other, &resp); });
  EXPECT_THAT(s, HasCode(grpc::INVALID_ARGUMENT));
}

TEST_F(OrgServiceTest, AncestorsAndApprovalPath) {
  std::string group = MustCreate(branch_, v1::ORG_UNIT_TYPE_PARTY_GROUP, "小组");
  v1::ListAncestorOrgUnitsRequest req;
  req.set_name(group);
  v1::ListAncestorOrgUnitsResponse resp;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->ListAncestorOrgUnits(c, req, &resp); }), IsOk());
  std::vector<std::string> names;
  for (const auto& u : resp.org_units()) names.push_back(u.name());
  EXPECT_THAT(names, ElementsAre(district_, street_, community_, branch_));

  std::string community2 = MustCreate(street_, v1::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE, "另一社区");
  std::string branch2 = MustCreate(community2, v1::ORG_UNIT_TYPE_BRANCH, "另一支部");
  v1::GetApprovalPathRequest path;
  path.set_from(branch_);
  path.set_to(branch2);
  v1::GetApprovalPathResponse route;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->GetApprovalPath(c, path, &route); }), IsOk());
  names.clear();
  for (const auto& u : route.org_units()) names.push_back(u.name());
  EXPECT_THAT(names, ElementsAre(branch_, community_, street_, community2, branch2));
  EXPECT_EQ(route.common_ancestor(), street_);
}

TEST_F(OrgServiceTest, CallerOutsideItsSubtreeLearnsNothing) {
  std::string other_community = MustCreate(street_, v1::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE, "别的社区");
  std::string sec = key_->Token("sec-b", {"secretary"}, other_community);
  std::string before = Snapshot();
  v1::GetOrgUnitRequest get;
  get.set_name(branch_);
  v1::OrgUnit out;
  grpc::Status s = Call(sec, [&](grpc::ClientContext* c) { return stub_->GetOrgUnit(c, get, &out); });
  EXPECT_THAT(s, HasCode(grpc::PERMISSION_DENIED));
  // A unit that does not exist answers the same, so existence does not leak.
  get.set_name("orgUnits/nosuchunit");
  s = Call(sec, [&](grpc::ClientContext* c) { return stub_->GetOrgUnit(c, get, &out); });
  EXPECT_THAT(s, HasCode(grpc::PERMISSION_DENIED));
  s = Create(sec, branch_, v1::ORG_UNIT_TYPE_PARTY_GROUP, "越权小组", &out);
  EXPECT_THAT(s, HasCode(grpc::PERMISSION_DENIED));
  EXPECT_EQ(Snapshot(), before);
  // Inside its own subtree the same secretary may act.
  EXPECT_THAT(Create(sec, other_community, v1::ORG_UNIT_TYPE_BRANCH, "本社区支部", &out), IsOk());
}

TEST_F(OrgServiceTest, NoValidPrincipalIsUnauthenticated) {
  std::string before = Snapshot();
  v1::OrgUnit out;
  EXPECT_THAT(Create("", branch_, v1::ORG_UNIT_TYPE_PARTY_GROUP, "组", &out), HasCode(grpc::UNAUTHENTICATED));
  std::string expired = key_->Token("admin", {"operator"}, "*", absl::Minutes(-2));
  EXPECT_THAT(Create(expired, branch_, v1::ORG_UNIT_TYPE_PARTY_GROUP, "组", &out), HasCode(grpc::UNAUTHENTICATED));
  // Signed by a key nobody trusts, though it names the gateway's key id.
  TestKey stranger;
  auto forged = MintToken(stranger.Signer("gateway"), {"admin", {"operator"}, "*"});
  EXPECT_THAT(Create(*forged, branch_, v1::ORG_UNIT_TYPE_PARTY_GROUP, "组", &out), HasCode(grpc::UNAUTHENTICATED));
  // A service cannot mint a person's token: the member service's key
  // signing an operator token is refused, whatever it claims.
  auto minted_by_service = MintToken(key_->Signer("member"), {"admin", {"operator"}, "*"});
  EXPECT_THAT(Create(*minted_by_service, branch_, v1::ORG_UNIT_TYPE_PARTY_GROUP, "组", &out),
              HasCode(grpc::UNAUTHENTICATED));
  // Nor does a person's token pass as a service's.
  auto posing = MintToken(key_->Signer("gateway"), {"service:member", {"service"}, "*"});
  EXPECT_THAT(Create(*posing, branch_, v1::ORG_UNIT_TYPE_PARTY_GROUP, "组", &out), HasCode(grpc::UNAUTHENTICATED));
  // Longer than 15 minutes.
  std::string long_lived = key_->Token("admin", {"operator"}, "*", absl::Minutes(16));
  EXPECT_THAT(Create(long_lived, branch_, v1::ORG_UNIT_TYPE_PARTY_GROUP, "组", &out), HasCode(grpc::UNAUTHENTICATED));
  // A member may read but not change the tree.
  std::string member = key_->Token("m1", {"member"}, community_);
  EXPECT_THAT(Create(member, branch_, v1::ORG_UNIT_TYPE_PARTY_GROUP, "组", &out), HasCode(grpc::PERMISSION_DENIED));
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(OrgServiceTest, AnOversizedUnaryRequestIsRefused) {
  v1::GetOrgUnitRequest req;
  req.set_name("orgUnits/" + std::string(300 * 1024, 'a'));
  v1::OrgUnit out;
  grpc::ClientContext ctx;
  PrepareClientContext(&ctx, admin_, "", absl::Seconds(10));
  grpc::Status s = stub_->GetOrgUnit(&ctx, req, &out);
  EXPECT_THAT(s, HasCode(grpc::RESOURCE_EXHAUSTED));
  EXPECT_NE(s.error_message().find("256 KiB"), std::string::npos) << s.error_message();
}

TEST_F(OrgServiceTest, LogsCarryTheCallersRequestId) {
  v1::GetOrgUnitRequest req;
  req.set_name("orgUnits/nosuchunit");
  v1::OrgUnit out;
  grpc::ClientContext ctx;
  PrepareClientContext(&ctx, admin_, "trace-abc-123", absl::Seconds(5));
  EXPECT_THAT(stub_->GetOrgUnit(&ctx, req, &out), HasCode(grpc::NOT_FOUND));
  auto it = ctx.GetServerInitialMetadata().find("x-request-id");
  ASSERT_NE(it, ctx.GetServerInitialMetadata().end());
  EXPECT_EQ(std::string(it->second.data(), it->second.size()), "trace-abc-123");
  std::string log;
  for (int i = 0; i < 20 && log.find("trace-abc-123") == std::string::npos; ++i) {
    absl::SleepFor(absl::Milliseconds(50));
    log = service_->Log();
  }
  EXPECT_NE(log.find("\"request_id\":\"trace-abc-123\""), std::string::npos);
  EXPECT_NE(log.find("\"code\":\"NotFound\""), std::string::npos);
}

TEST_F(OrgServiceTest, PositionsAndExpiringTerms) {
  auto today = absl::ToCivilDay(absl::Now(), absl::FixedTimeZone(8 * 3600));
  auto date = [&](int days) { return absl::FormatCivilTime(today + days); };
  struct P {
    std::string unit;
    v1::PositionRole role;
    int ends_in;
  };
  std::vector<P> posts = {{community_, v1::POSITION_ROLE_SECRETARY, 10},
                          {branch_, v1::POSITION_ROLE_SECRETARY, 40},
                          {branch_, v1::POSITION_ROLE_DEPUTY_SECRETARY, 400}};
  for (size_t i = 0; i < posts.size(); ++i) {
    v1::CreatePositionRequest req;
    req.set_request_id(absl::StrCat("pos-", i));
    auto* p = req.mutable_position();
    p->set_org_unit(posts[i].unit);
    p->set_role(posts[i].role);
    p->set_member(absl::StrCat("members/m", i));
    p->set_holder_display_name(absl::StrCat("书记", i));
    p->set_term_start(date(-1000));
    p->set_term_end(date(posts[i].ends_in));
    v1::Position out;
    ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->CreatePosition(c, req, &out); }), IsOk());
  }
  v1::ListExpiringTermsRequest req;
  req.set_root(community_);
  req.set_within_days(60);
  v1::ListExpiringTermsResponse resp;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->ListExpiringTerms(c, req, &resp); }), IsOk());
  ASSERT_EQ(resp.positions_size(), 2);
  EXPECT_EQ(resp.positions(0).term_end(), date(10));
  EXPECT_EQ(resp.positions(1).term_end(), date(40));

  // A term ending before it starts, and a bad date, name their fields.
  std::string before = Snapshot();
  v1::CreatePositionRequest bad;
  bad.mutable_position()->set_org_unit(branch_);
  bad.mutable_position()->set_role(v1::POSITION_ROLE_GROUP_LEADER);
  bad.mutable_position()->set_member("members/x");
  bad.mutable_position()->set_holder_display_name("组长");
  bad.mutable_position()->set_term_start("2026-13-01");
  v1::Position out;
  grpc::Status s = Call(admin_, [&](grpc::ClientContext* c) { return stub_->CreatePosition(c, bad, &out); });
  EXPECT_THAT(s, HasCode(grpc::INVALID_ARGUMENT));
  EXPECT_THAT(ViolatedFields(s), ElementsAre("position.term_start"));
  bad.mutable_position()->set_term_start("2026-05-01");
  bad.mutable_position()->set_term_end("2026-04-01");
  s = Call(admin_, [&](grpc::ClientContext* c) { return stub_->CreatePosition(c, bad, &out); });
  EXPECT_THAT(ViolatedFields(s), ElementsAre("position.term_end"));
  EXPECT_EQ(Snapshot(), before);
}

}  // namespace
}  // namespace lianxin::testing
