// The dispatch service's rules, tested on DispatchLogic itself with its
// RequestWriter: a real database, the org and member services a fake. The
// tree: 区 d → 街道 s → 社区 c → 支部 b → 楼栋党小组 g; place p1 covered by
// the group, p2 by the branch only, p3 by nobody but the community.
#include "services/dispatch/dispatch_logic.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "common/names.h"
#include "common/status.h"
#include "gtest/gtest.h"
#include "services/dispatch/request_writer.h"
#include "tests/fakes/fake_directories.h"
#include "tests/support/logic.h"

namespace lianxin::dispatch {
namespace {

using ::lianxin::testing::Await;
using ::lianxin::testing::Caller;
using ::lianxin::testing::FakeDirectories;
namespace mv1 = ::lianxin::member::v1;

class DispatchLogicTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::MigratedPool("dispatchlogic", DispatchMigrations());
    ASSERT_NE(db_, nullptr);
    BatcherSettings writer_settings;
    auto writes = DbPool::Create(WritePoolOptions(db_->options(), writer_settings), nullptr);
    ASSERT_TRUE(writes.ok()) << writes.status();
    writes_ = *std::move(writes);
    auto cipher = FieldCipher::FromText(*FieldCipher::GenerateKeyFile(FieldCipher::Algorithm::kSm4CtrHmacSm3, "k1"));
    ASSERT_TRUE(cipher.ok());
    cipher_ = *std::move(cipher);
    writer_ = std::make_unique<RequestWriter>(*writes_, writer_settings, nullptr, clock_);
    DispatchSettings rules;
    rules.accept_limit = absl::Minutes(30);
    logic_ = std::make_unique<DispatchLogic>(*db_, *writer_, testing::TestPageTokens(), *cipher_, dirs_, rules, clock_);

    dirs_.AddUnit("d", "/d/");
    dirs_.AddUnit("s", "/d/s/");
    dirs_.AddUnit("c", "/d/s/c/");
    dirs_.AddUnit("b", "/d/s/c/b/");
    dirs_.AddUnit("g", "/d/s/c/b/g/");
    dirs_.SetCoverage({"p1", "c", "g", "b"});
    dirs_.SetCoverage({"p2", "c", "", "b"});
    dirs_.SetCoverage({"p3", "c", "", ""});
    v1::CreateCategoryRequest category;
    category.set_parent(kOrgUnits.Name("d"));
    category.set_category_id("repair");
    category.mutable_category()->set_display_name("水电维修");
    category.mutable_category()->set_limit_hours(24);
    category.mutable_category()->add_skills("水电");
    v1::Category created;
    ASSERT_TRUE(logic_->CreateCategory(Caller("op", {"operator"}, "d"), category, &created).ok());
  }

  absl::StatusOr<v1::Request> Submit(const std::string& place) {
    v1::SubmitRequestRequest req;
    req.mutable_request()->set_category(CategoryName("d", "repair"));
    req.mutable_request()->set_place(kPlaces.Name(place));
    req.mutable_request()->set_description("楼道灯坏了");
    req.mutable_request()->set_urgency(v1::URGENCY_NORMAL);
    req.set_allow_duplicate(true);
    v1::Request out;
    RETURN_IF_ERROR(Await([&](UnaryDone done) { return logic_->SubmitRequest(resident_, req, &out, done); }));
    return out;
  }

  mv1::Member Member(const std::string& id, const std::string& building, std::vector<std::string> skills,
                     mv1::Lifecycle lifecycle = mv1::LIFECYCLE_ACTIVE) {
    mv1::Member m;
    m.set_name(kMembers.Name(id));
    m.set_display_name(id);
    m.set_branch(kOrgUnits.Name("b"));
    m.set_residence_community(kOrgUnits.Name("c"));
    if (!building.empty()) m.mutable_address()->set_building(kPlaces.Name(building));
    for (auto& s : skills) m.add_skills(s);
    m.set_lifecycle(lifecycle);
    return m;
  }

  v1::Request Get(const std::string& name) {
    v1::GetRequestRequest req;
    req.set_name(name);
    v1::Request out;
    absl::Status s = logic_->GetRequest(admin_, req, &out);
    EXPECT_TRUE(s.ok()) << s;
    return out;
  }

  int64_t Count(const std::string& table, const std::string& where = "1=1") {
    int64_t n = -1;
    EXPECT_TRUE(db_->Run([&](Db& db) {
                     return db.Query(absl::StrCat("SELECT COUNT(*) AS n FROM ", table, " WHERE ", where), {},
                                     [&](const Row& r) { n = r.Int("n"); });
                   })
                    .ok());
    return n;
  }

  ManualClock clock_{absl::FromCivil(absl::CivilSecond(2026, 11, 30, 10, 0, 0), BeijingTime())};
  FakeDirectories dirs_;
  std::unique_ptr<DbPool> db_, writes_;
  std::unique_ptr<FieldCipher> cipher_;
  std::unique_ptr<RequestWriter> writer_;
  std::unique_ptr<DispatchLogic> logic_;
  CallContext admin_ = Caller("admin", {"operator"}, "*");
  CallContext resident_ = Caller("resident-1", {"resident"}, "*");
};

TEST_F(DispatchLogicTest, ARequestGoesToTheGroupElseTheBranchElseTheCommunity) {
  auto to_group = Submit("p1");
  auto to_branch = Submit("p2");
  auto to_community = Submit("p3");
  ASSERT_TRUE(to_group.ok() && to_branch.ok() && to_community.ok()) << to_group.status();
  EXPECT_EQ(to_group->responsible_unit(), kOrgUnits.Name("g"));
  EXPECT_EQ(to_branch->responsible_unit(), kOrgUnits.Name("b"));
  EXPECT_EQ(to_community->responsible_unit(), kOrgUnits.Name("c"));
  // Due 24 hours on, by the category.
  EXPECT_EQ(to_group->due_time().seconds() - to_group->create_time().seconds(), 24 * 3600);
}

TEST_F(DispatchLogicTest, APeerAwayMeansUnavailableAndNothingWritten) {
  dirs_.SetAway(true);
  absl::StatusOr<v1::Request> r = Submit("p1");
  EXPECT_TRUE(absl::IsUnavailable(r.status())) << r.status();
  EXPECT_EQ(ReasonOf(r.status()), "ORG_UNAVAILABLE");
  EXPECT_EQ(Count("requests"), 0);
  EXPECT_EQ(Count("request_timeline"), 0);
}

TEST_F(DispatchLogicTest, AJobWhoseCallerStoppedWaitingIsNotWritten) {
  // The caller's deadline passes while the job waits for its batch: nobody
  // waits for the answer, so nothing is written.
  CallContext gone = resident_;
  gone.deadline = absl::Now() - absl::Milliseconds(1);
  v1::SubmitRequestRequest req;
  req.mutable_request()->set_category(CategoryName("d", "repair"));
  req.mutable_request()->set_place(kPlaces.Name("p1"));
  req.mutable_request()->set_description("楼道灯坏了");
  req.mutable_request()->set_urgency(v1::URGENCY_NORMAL);
  v1::Request out;
  absl::Status s = Await([&](UnaryDone done) { return logic_->SubmitRequest(gone, req, &out, done); });
  EXPECT_TRUE(absl::IsDeadlineExceeded(s)) << s;
  EXPECT_EQ(Count("requests"), 0);
  EXPECT_EQ(Count("request_timeline"), 0);

  absl::StatusOr<v1::Request> made = Submit("p1");
  ASSERT_TRUE(made.ok()) << made.status();
  const int64_t timeline = Count("request_timeline");
  v1::CancelRequestRequest cancel;
  cancel.set_name(made->name());
  s = Await([&](UnaryDone done) { return logic_->CancelRequest(gone, cancel, &out, done); });
  EXPECT_TRUE(absl::IsDeadlineExceeded(s)) << s;
  EXPECT_EQ(Count("request_timeline"), timeline);
  EXPECT_EQ(Count("requests", "state = 1"), 1);  // still pending
}

TEST_F(DispatchLogicTest, CandidatesAreRankedByBuildingSkillsAndLoad) {
  dirs_.AddMember(Member("m-near", "p1", {"水电"}), "c");
  dirs_.AddMember(Member("m-skilled", "", {"水电"}), "c");
  dirs_.AddMember(Member("m-plain", "", {}), "c");
  dirs_.AddMember(Member("m-away", "p1", {"水电"}, mv1::LIFECYCLE_SUSPENDED), "c");
  auto r = Submit("p1");
  ASSERT_TRUE(r.ok()) << r.status();
  v1::SuggestCandidatesRequest req;
  req.set_name(r->name());
  v1::SuggestCandidatesResponse out;
  ASSERT_TRUE(logic_->SuggestCandidates(admin_, req, &out).ok());
  ASSERT_EQ(out.candidates_size(), 3);  // not the suspended member
  EXPECT_EQ(out.candidates(0).member(), kMembers.Name("m-near"));
  EXPECT_EQ(out.candidates(1).member(), kMembers.Name("m-skilled"));
  EXPECT_EQ(out.candidates(2).member(), kMembers.Name("m-plain"));
  EXPECT_EQ(out.candidates(0).reasons(0), "lives in the building");
}

TEST_F(DispatchLogicTest, AGroupLeaderWhoseReachIsNotKeptIsAskedOutsideTheBatch) {
  dirs_.AddMember(Member("m1", "p1", {}));
  auto r = Submit("p1");
  ASSERT_TRUE(r.ok());
  CallContext leader = Caller("leader", {"secretary"}, "g");
  v1::DispatchRequestRequest req;
  req.set_name(r->name());
  req.set_member(kMembers.Name("m1"));
  v1::Request out;
  ASSERT_TRUE(Await([&](UnaryDone done) { return logic_->DispatchRequest(leader, req, &out, done); }).ok());
  EXPECT_EQ(out.state(), v1::REQUEST_STATE_DISPATCHED);
  EXPECT_EQ(dirs_.reach_asked(), 1);
  // A secretary elsewhere is refused, and nothing changes.
  dirs_.AddUnit("c2", "/d/s/c2/");
  CallContext other = Caller("other", {"secretary"}, "c2");
  v1::Request again;
  req.set_etag(out.etag());
  absl::Status s = Await([&](UnaryDone done) { return logic_->DispatchRequest(other, req, &again, done); });
  EXPECT_TRUE(absl::IsPermissionDenied(s)) << s;
  EXPECT_EQ(Get(r->name()).etag(), out.etag());
}

TEST_F(DispatchLogicTest, AnUnansweredDispatchTimesOutThroughTheOneWritePath) {
  dirs_.AddMember(Member("m1", "p1", {}));
  auto r = Submit("p1");
  ASSERT_TRUE(r.ok());
  v1::DispatchRequestRequest req;
  req.set_name(r->name());
  req.set_member(kMembers.Name("m1"));
  v1::Request dispatched;
  ASSERT_TRUE(Await([&](UnaryDone done) { return logic_->DispatchRequest(admin_, req, &dispatched, done); }).ok());
  EXPECT_EQ(*logic_->SweepOnce(), 0);  // not yet
  clock_.Advance(absl::Minutes(31));
  EXPECT_EQ(*logic_->SweepOnce(), 1);
  v1::Request back = Get(r->name());
  EXPECT_EQ(back.state(), v1::REQUEST_STATE_PENDING);
  EXPECT_TRUE(back.assignee().empty());
  EXPECT_NE(back.etag(), dispatched.etag());  // the version moved on
  EXPECT_EQ(Count("request_timeline", "action = 'timeout' AND actor = 'system' AND member = 'm1'"), 1);
  // The member's late answer finds the request gone back: its etag is stale.
  v1::AcceptRequestRequest accept;
  accept.set_name(r->name());
  accept.set_etag(dispatched.etag());
  v1::Request accepted;
  absl::Status s = Await([&](UnaryDone done) {
    return logic_->AcceptRequest(Caller(kMembers.Name("m1"), {"member"}, "*"), accept, &accepted, done);
  });
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(*logic_->SweepOnce(), 0);  // once only
}

TEST_F(DispatchLogicTest, AnOverdueRequestEscalatesUpItsUnitsPathThenStops) {
  auto r = Submit("p1");  // the group's
  ASSERT_TRUE(r.ok());
  clock_.Advance(absl::Hours(25));
  EXPECT_EQ(*logic_->SweepOnce(), 1);
  v1::Request up = Get(r->name());
  EXPECT_EQ(up.escalation_level(), 1);
  EXPECT_EQ(up.escalated_to(), kOrgUnits.Name("b"));
  clock_.Advance(absl::Hours(25));
  EXPECT_EQ(*logic_->SweepOnce(), 1);
  EXPECT_EQ(Get(r->name()).escalated_to(), kOrgUnits.Name("c"));
  clock_.Advance(absl::Hours(25));
  EXPECT_EQ(*logic_->SweepOnce(), 1);
  EXPECT_EQ(Get(r->name()).escalated_to(), kOrgUnits.Name("s"));  // the street: no further
  clock_.Advance(absl::Hours(100));
  // Seven days with nobody on it: flagged unanswered, and already as high as it goes.
  EXPECT_EQ(*logic_->SweepOnce(), 1);
  EXPECT_TRUE(Get(r->name()).has_unanswered_time());
  EXPECT_EQ(Get(r->name()).escalated_to(), kOrgUnits.Name("s"));
  EXPECT_EQ(*logic_->SweepOnce(), 0);
  EXPECT_EQ(Count("request_timeline", "action = 'escalate'"), 3);
}

TEST_F(DispatchLogicTest, AResolvedRequestNobodyConfirmsClosesUnratedAfterTheDaysAllowed) {
  dirs_.AddMember(Member("m1", "p1", {}));
  auto r = Submit("p1");
  ASSERT_TRUE(r.ok());
  const CallContext member = Caller(kMembers.Name("m1"), {"member"}, "*");
  v1::Request out;
  v1::DispatchRequestRequest d;
  d.set_name(r->name());
  d.set_member(kMembers.Name("m1"));
  ASSERT_TRUE(Await([&](UnaryDone done) { return logic_->DispatchRequest(admin_, d, &out, done); }).ok());
  v1::AcceptRequestRequest a;
  a.set_name(r->name());
  ASSERT_TRUE(Await([&](UnaryDone done) { return logic_->AcceptRequest(member, a, &out, done); }).ok());
  v1::ResolveRequestRequest res;
  res.set_name(r->name());
  res.set_resolution("换了灯泡");
  res.set_minutes_spent(20);
  ASSERT_TRUE(Await([&](UnaryDone done) { return logic_->ResolveRequest(member, res, &out, done); }).ok());
  const int64_t events = Count("outbox");
  clock_.Advance(absl::Hours(24 * 7) - absl::Minutes(1));
  EXPECT_EQ(*logic_->SweepOnce(), 0);  // not yet
  EXPECT_EQ(Get(r->name()).state(), v1::REQUEST_STATE_RESOLVED);
  clock_.Advance(absl::Minutes(2));
  EXPECT_EQ(*logic_->SweepOnce(), 1);
  v1::Request closed = Get(r->name());
  EXPECT_EQ(closed.state(), v1::REQUEST_STATE_CLOSED);
  EXPECT_FALSE(closed.has_rating());
  EXPECT_EQ(Count("request_timeline", "action = 'auto_confirm' AND actor = 'system'"), 1);
  EXPECT_EQ(Count("outbox"), events + 1);
  EXPECT_EQ(Count("outbox", "type = 'request.closed'"), 1);
  EXPECT_EQ(*logic_->SweepOnce(), 0);  // once only
  EXPECT_EQ(Count("outbox"), events + 1);
}

TEST_F(DispatchLogicTest, ARequestNobodyTakesUpIsFlaggedAndEscalatedOnce) {
  // A category with a month to answer, so that only the unanswered rule moves it.
  v1::CreateCategoryRequest category;
  category.set_parent(kOrgUnits.Name("d"));
  category.set_category_id("slow");
  category.mutable_category()->set_display_name("慢件");
  category.mutable_category()->set_limit_working_days(30);
  v1::Category created;
  ASSERT_TRUE(logic_->CreateCategory(Caller("op", {"operator"}, "d"), category, &created).ok());
  v1::SubmitRequestRequest req;
  req.mutable_request()->set_category(CategoryName("d", "slow"));
  req.mutable_request()->set_place(kPlaces.Name("p1"));
  req.mutable_request()->set_description("楼道堆物");
  req.mutable_request()->set_urgency(v1::URGENCY_NORMAL);
  req.set_allow_duplicate(true);
  v1::Request waiting, taken;
  ASSERT_TRUE(Await([&](UnaryDone done) { return logic_->SubmitRequest(resident_, req, &waiting, done); }).ok());
  // Another one that a member took up: not flagged.
  dirs_.AddMember(Member("m1", "p1", {}));
  ASSERT_TRUE(Await([&](UnaryDone done) { return logic_->SubmitRequest(resident_, req, &taken, done); }).ok());
  v1::DispatchRequestRequest d;
  d.set_name(taken.name());
  d.set_member(kMembers.Name("m1"));
  v1::Request out;
  ASSERT_TRUE(Await([&](UnaryDone done) { return logic_->DispatchRequest(admin_, d, &out, done); }).ok());
  v1::AcceptRequestRequest a;
  a.set_name(taken.name());
  const CallContext member = Caller(kMembers.Name("m1"), {"member"}, "*");  // outlives the batch
  ASSERT_TRUE(Await([&](UnaryDone done) { return logic_->AcceptRequest(member, a, &out, done); }).ok());

  clock_.Advance(absl::Hours(24 * 7) - absl::Minutes(1));
  EXPECT_EQ(*logic_->SweepOnce(), 0);  // not yet
  clock_.Advance(absl::Minutes(2));
  EXPECT_EQ(*logic_->SweepOnce(), 1);
  v1::Request flagged = Get(waiting.name());
  EXPECT_TRUE(flagged.has_unanswered_time());
  EXPECT_EQ(flagged.escalation_level(), 1);
  EXPECT_EQ(flagged.escalated_to(), kOrgUnits.Name("b"));  // from the group to its branch
  EXPECT_EQ(flagged.state(), v1::REQUEST_STATE_PENDING);
  EXPECT_FALSE(Get(taken.name()).has_unanswered_time());
  EXPECT_EQ(Count("request_timeline", "action = 'unanswered' AND actor = 'system'"), 1);
  clock_.Advance(absl::Hours(24));
  EXPECT_EQ(*logic_->SweepOnce(), 0);  // once only
}

TEST_F(DispatchLogicTest, ADistrictsOperatorKeepsItsCategories) {
  v1::UpdateCategoryRequest req;
  req.mutable_category()->set_name(CategoryName("d", "repair"));
  req.mutable_category()->set_limit_working_days(3);
  req.mutable_update_mask()->add_paths("limit_working_days");
  v1::Category out;
  ASSERT_TRUE(logic_->UpdateCategory(Caller("op", {"operator"}, "d"), req, &out).ok());
  EXPECT_EQ(out.limit_working_days(), 3);
  EXPECT_EQ(out.limit_hours(), 0);  // hours or working days, never both
  EXPECT_TRUE(absl::IsPermissionDenied(logic_->UpdateCategory(Caller("op2", {"operator"}, "s"), req, &out)));
  EXPECT_EQ(Count("history", "action = 'update'"), 1);
}

}  // namespace
}  // namespace lianxin::dispatch
