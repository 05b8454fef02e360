// The organization service's rules that need the member service, tested on
// OrgLogic itself: a real database, the member service a fake.
#include "services/org/org_logic.h"

#include "common/names.h"
#include "common/status.h"
#include "gtest/gtest.h"
#include "tests/fakes/fake_member_directory.h"
#include "tests/support/logic.h"

namespace lianxin::org {
namespace {

using ::lianxin::testing::Caller;
using ::lianxin::testing::FakeMemberDirectory;

class OrgLogicTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::MigratedPool("orglogic", OrgMigrations());
    ASSERT_NE(db_, nullptr);
    logic_ = std::make_unique<OrgLogic>(*db_, testing::TestPageTokens());
    logic_->set_members(&members_);
    district_ = Unit("", v1::ORG_UNIT_TYPE_DISTRICT_COMMITTEE);
    street_ = Unit(district_, v1::ORG_UNIT_TYPE_STREET_WORKING_COMMITTEE);
    community_ = Unit(street_, v1::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE);
    branch_ = Unit(community_, v1::ORG_UNIT_TYPE_BRANCH);
  }

  std::string Unit(const std::string& parent, v1::OrgUnitType type) {
    v1::CreateOrgUnitRequest req;
    if (!parent.empty()) req.mutable_org_unit()->set_parent(kOrgUnits.Name(parent));
    req.mutable_org_unit()->set_type(type);
    req.mutable_org_unit()->set_display_name("单位");
    req.mutable_org_unit()->set_code(absl::StrCat("U", ++codes_));
    v1::OrgUnit out;
    absl::Status s = logic_->CreateOrgUnit(admin_, req, &out);
    EXPECT_TRUE(s.ok()) << s;
    return kOrgUnits.IdOf(out.name());
  }

  std::string Place(const std::string& parent, v1::PlaceKind kind) {
    v1::CreatePlaceRequest req;
    req.mutable_place()->set_community(kOrgUnits.Name(community_));
    if (!parent.empty()) req.mutable_place()->set_parent(kPlaces.Name(parent));
    req.mutable_place()->set_kind(kind);
    req.mutable_place()->set_display_name("楼");
    v1::Place out;
    absl::Status s = logic_->CreatePlace(admin_, req, &out);
    EXPECT_TRUE(s.ok()) << s;
    return kPlaces.IdOf(out.name());
  }

  // Rows and versions of everything a refused call must leave alone.
  std::string Snapshot() {
    std::string out;
    absl::Status s = db_->Run([&](Db& db) {
      return db.Query(
          "SELECT (SELECT COUNT(*) FROM org_units) AS units, (SELECT SUM(version) FROM org_units) AS versions, "
          "(SELECT COUNT(*) FROM history) AS history, (SELECT COUNT(*) FROM org_coverage) AS coverage",
          {}, [&](const Row& r) {
            out = absl::StrCat(r.Int("units"), "/", r.Int("versions"), "/", r.Int("history"), "/", r.Int("coverage"));
          });
    });
    EXPECT_TRUE(s.ok()) << s;
    return out;
  }

  FakeMemberDirectory members_;
  std::unique_ptr<DbPool> db_;
  std::unique_ptr<OrgLogic> logic_;
  CallContext admin_ = Caller("admin", {"operator"}, "*");
  int codes_ = 0;
  std::string district_, street_, community_, branch_;
};

TEST_F(OrgLogicTest, AUnitThatHoldsMembersIsNotDissolved) {
  members_.SetMembersOf(branch_, 3);
  std::string before = Snapshot();
  v1::DeleteOrgUnitRequest req;
  req.set_name(kOrgUnits.Name(branch_));
  v1::OrgUnit out;
  absl::Status s = logic_->DeleteOrgUnit(admin_, req, &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_EQ(ReasonOf(s), "HAS_MEMBERS");
  EXPECT_EQ(Snapshot(), before);
  members_.SetMembersOf(branch_, 0);
  EXPECT_TRUE(logic_->DeleteOrgUnit(admin_, req, &out).ok());
  EXPECT_EQ(out.state(), v1::OrgUnit::STATE_DISSOLVED);
}

TEST_F(OrgLogicTest, ABuildingPartyGroupNeedsItsResidentMembers) {
  std::string group = Unit(branch_, v1::ORG_UNIT_TYPE_BUILDING_PARTY_GROUP);
  std::string compound = Place("", v1::PLACE_KIND_COMPOUND);
  std::string building = Place(compound, v1::PLACE_KIND_BUILDING);
  members_.SetResidents(building, 4);  // the community's setting asks five by default
  v1::CoverPlacesRequest req;
  req.set_org_unit(kOrgUnits.Name(group));
  req.add_places(kPlaces.Name(building));
  v1::CoverPlacesResponse out;
  std::string before = Snapshot();
  absl::Status s = logic_->CoverPlaces(admin_, req, &out);
  EXPECT_EQ(ReasonOf(s), "TOO_FEW_RESIDENT_MEMBERS") << s;
  EXPECT_EQ(FieldOf(s), "places");
  EXPECT_EQ(Snapshot(), before);
  members_.SetResidents(building, 5);
  ASSERT_TRUE(logic_->CoverPlaces(admin_, req, &out).ok());
  EXPECT_EQ(out.places_size(), 1);
}

TEST_F(OrgLogicTest, TheMemberServiceAwayMeansUnavailableAndNothingWritten) {
  std::string group = Unit(branch_, v1::ORG_UNIT_TYPE_BUILDING_PARTY_GROUP);
  std::string building = Place(Place("", v1::PLACE_KIND_COMPOUND), v1::PLACE_KIND_BUILDING);
  members_.SetAway(true);
  std::string before = Snapshot();
  v1::CoverPlacesRequest cover;
  cover.set_org_unit(kOrgUnits.Name(group));
  cover.add_places(kPlaces.Name(building));
  v1::CoverPlacesResponse covered;
  absl::Status s = logic_->CoverPlaces(admin_, cover, &covered);
  EXPECT_TRUE(absl::IsUnavailable(s)) << s;
  EXPECT_EQ(ReasonOf(s), "MEMBER_UNAVAILABLE");
  v1::DeleteOrgUnitRequest dissolve;
  dissolve.set_name(kOrgUnits.Name(group));
  v1::OrgUnit out;
  EXPECT_TRUE(absl::IsUnavailable(logic_->DeleteOrgUnit(admin_, dissolve, &out)));
  v1::CreatePositionRequest post;
  post.mutable_position()->set_org_unit(kOrgUnits.Name(branch_));
  post.mutable_position()->set_role(v1::POSITION_ROLE_SECRETARY);
  post.mutable_position()->set_member("members/m1");
  post.mutable_position()->set_holder_display_name("书记");
  v1::Position position;
  EXPECT_TRUE(absl::IsUnavailable(logic_->CreatePosition(admin_, post, &position)));
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(OrgLogicTest, APositionNamesAMemberOnFile) {
  v1::CreatePositionRequest post;
  post.mutable_position()->set_org_unit(kOrgUnits.Name(branch_));
  post.mutable_position()->set_role(v1::POSITION_ROLE_SECRETARY);
  post.mutable_position()->set_member("members/m1");
  post.mutable_position()->set_holder_display_name("书记");
  v1::Position out;
  absl::Status s = logic_->CreatePosition(admin_, post, &out);
  EXPECT_TRUE(absl::IsNotFound(s)) << s;
  EXPECT_EQ(FieldOf(s), "position.member");
  members_.AddMember("members/m1");
  EXPECT_TRUE(logic_->CreatePosition(admin_, post, &out).ok());
}

TEST_F(OrgLogicTest, AMergeMovesTheMembersFirstThenTheUnit) {
  std::string other = Unit(community_, v1::ORG_UNIT_TYPE_BRANCH);
  members_.SetMembersOf(branch_, 7);
  v1::MergeOrgUnitsRequest req;
  req.set_name(kOrgUnits.Name(branch_));
  req.set_into(kOrgUnits.Name(other));
  v1::OrgUnit out;
  ASSERT_TRUE(logic_->MergeOrgUnits(admin_, req, &out).ok());
  ASSERT_EQ(members_.moves().size(), 1u);
  EXPECT_EQ(members_.moves()[0].first, branch_);
  EXPECT_EQ(members_.moves()[0].second, other);
  v1::GetOrgUnitRequest get;
  get.set_name(kOrgUnits.Name(branch_));
  v1::OrgUnit merged;
  ASSERT_TRUE(logic_->GetOrgUnit(admin_, get, &merged).ok());
  EXPECT_EQ(merged.state(), v1::OrgUnit::STATE_MERGED);
  EXPECT_EQ(merged.merged_into(), kOrgUnits.Name(other));
}

TEST_F(OrgLogicTest, ASecretaryActsOnlyInTheirSubtree) {
  std::string other_community = Unit(street_, v1::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE);
  CallContext secretary = Caller("sec", {"secretary"}, other_community);
  v1::GetOrgUnitRequest get;
  get.set_name(kOrgUnits.Name(branch_));
  v1::OrgUnit out;
  absl::Status s = logic_->GetOrgUnit(secretary, get, &out);
  EXPECT_TRUE(absl::IsPermissionDenied(s)) << s;
  get.set_name(kOrgUnits.Name("nosuchunit"));
  EXPECT_TRUE(absl::IsPermissionDenied(logic_->GetOrgUnit(secretary, get, &out)));  // existence does not leak
}

// Another service's outbox, as the org service reads it.
class FakeTodoSource : public TodoSource {
 public:
  absl::StatusOr<std::vector<TodoChangeRecord>> ChangesAfter(int64_t after_seq, int limit) override {
    if (!status.ok()) return status;
    std::vector<TodoChangeRecord> out;
    for (const auto& c : changes) {
      if (c.seq > after_seq && static_cast<int>(out.size()) < limit) out.push_back(c);
    }
    return out;
  }
  std::vector<TodoChangeRecord> changes;
  absl::Status status;
};

TEST_F(OrgLogicTest, ToDosAreGatheredOnceHoweverOftenTheyAreRead) {
  FakeTodoSource member, dispatch;
  logic_->add_todo_source("member", &member);
  logic_->add_todo_source("dispatch", &dispatch);
  auto change = [&](int64_t seq, bool opened, const std::string& subject) {
    TodoChangeRecord c;
    c.seq = seq;
    c.opened = opened;
    c.item = TodoItem{branch_, v1::TODO_KIND_SUSPENSION_DUE, subject, "lost", ""};
    c.opened_us = c.at_us = 1000 * seq;
    return c;
  };
  member.changes = {change(1, true, "members/a"), change(2, true, "members/b"), change(3, false, "members/a")};
  dispatch.status = absl::UnavailableError("the dispatch service is away");
  // The dispatch service away: the member service's are gathered all the same.
  EXPECT_TRUE(absl::IsUnavailable(logic_->GatherTodos()));
  EXPECT_TRUE(logic_->GatherTodos().code() == absl::StatusCode::kUnavailable);  // again: nothing twice
  auto count = [&](const std::string& table) {
    int64_t n = -1;
    EXPECT_TRUE(db_->Run([&](Db& db) {
                     return db.Query(absl::StrCat("SELECT COUNT(*) AS n FROM ", table), {},
                                     [&](const Row& r) { n = r.Int("n"); });
                   })
                    .ok());
    return n;
  };
  EXPECT_EQ(count("todo_feed"), 3);
  EXPECT_EQ(count("todo_items"), 1);  // b; a opened and closed
  // A replica that read the same page but gathers after another did adds nothing.
  int added = -1;
  ASSERT_TRUE(db_->Transact([&](Db& db) -> absl::Status {
                   ASSIGN_OR_RETURN(added, store::GatherTodos(db, "member", 0, member.changes));
                   return absl::OkStatus();
                 })
                  .ok());
  EXPECT_EQ(added, 0);
  EXPECT_EQ(count("todo_feed"), 3);
  // The branch's secretary lists it; the stream's read from 0 has all three.
  v1::ListTodosRequest req;
  req.set_parent(kOrgUnits.Name(community_));
  req.set_include_subtree(true);
  v1::ListTodosResponse out;
  ASSERT_TRUE(logic_->ListTodos(admin_, req, &out).ok());
  ASSERT_EQ(out.todos_size(), 1);
  EXPECT_EQ(out.todos(0).name(), absl::StrCat(kOrgUnits.Name(branch_), "/todos/suspension_due.b"));
  EXPECT_EQ(out.todos(0).source(), "member");
  EXPECT_EQ(out.watch_after_seq(), 3);
  auto read = logic_->TodoChangesFor({branch_, "", "", false}, 0, 10);
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->changes.size(), 3u);
  EXPECT_EQ(read->changes[2].action(), v1::TODO_ACTION_CLOSED);
  EXPECT_EQ(read->covered, 3);
}

}  // namespace
}  // namespace lianxin::org
