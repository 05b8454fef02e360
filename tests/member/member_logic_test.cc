// The member service's rules that need the organization service, tested on
// MemberLogic itself: a real database, the org service a fake holding a small
// tree (区 → 街道 → 社区 A → 支部 A1, A2; 社区 B → 支部 B1).
#include "services/member/member_logic.h"

#include "absl/strings/str_cat.h"
#include "common/names.h"
#include "common/status.h"
#include "gtest/gtest.h"
#include "services/clients/member/identity.h"
#include "tests/fakes/fake_org_directory.h"
#include "tests/support/logic.h"

namespace lianxin::member {
namespace {

using ::lianxin::testing::Caller;
using ::lianxin::testing::FakeOrgDirectory;
namespace ov1 = ::lianxin::org::v1;

class MemberLogicTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::MigratedPool("memberlogic", MemberMigrations());
    ASSERT_NE(db_, nullptr);
    auto cipher = FieldCipher::FromText(*FieldCipher::GenerateKeyFile(FieldCipher::Algorithm::kSm4CtrHmacSm3, "k1"));
    ASSERT_TRUE(cipher.ok()) << cipher.status();
    cipher_ = *std::move(cipher);
    org_.AddUnit("d", "", ov1::ORG_UNIT_TYPE_DISTRICT_COMMITTEE);
    org_.AddUnit("s", "d", ov1::ORG_UNIT_TYPE_STREET_WORKING_COMMITTEE);
    org_.AddUnit("ca", "s", ov1::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE);
    org_.AddUnit("a1", "ca", ov1::ORG_UNIT_TYPE_BRANCH);
    org_.AddUnit("a2", "ca", ov1::ORG_UNIT_TYPE_BRANCH);
    org_.AddUnit("cb", "s", ov1::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE);
    org_.AddUnit("b1", "cb", ov1::ORG_UNIT_TYPE_BRANCH);
    logic_ = std::make_unique<MemberLogic>(*db_, testing::TestPageTokens(), *cipher_, org_);
  }

  v1::Member NewMember(const std::string& branch, int seq) {
    std::string first17 = absl::StrCat("43030219600501", seq < 10 ? "00" : "0", seq);
    v1::Member m;
    m.set_display_name(absl::StrCat("党员", seq));
    m.set_gender(seq % 2 == 1 ? v1::GENDER_MALE : v1::GENDER_FEMALE);
    m.set_birth_date("1960-05-01");
    m.set_national_id(first17 + NationalIdCheckChar(first17));
    m.set_standing(v1::STANDING_FULL);
    m.set_branch(kOrgUnits.Name(branch));
    return m;
  }

  std::string Create(const std::string& branch, int seq) {
    v1::CreateMemberRequest req;
    *req.mutable_member() = NewMember(branch, seq);
    v1::Member out;
    absl::Status s = logic_->CreateMember(admin_, req, &out);
    EXPECT_TRUE(s.ok()) << s;
    return kMembers.IdOf(out.name());
  }

  int64_t Count(const std::string& table) {
    int64_t n = -1;
    EXPECT_TRUE(db_->Run([&](Db& db) {
                     return db.Query(absl::StrCat("SELECT COUNT(*) AS n FROM ", table), {},
                                     [&](const Row& r) { n = r.Int("n"); });
                   })
                    .ok());
    return n;
  }

  FakeOrgDirectory org_;
  std::unique_ptr<FieldCipher> cipher_;
  std::unique_ptr<DbPool> db_;
  std::unique_ptr<MemberLogic> logic_;
  CallContext admin_ = Caller("admin", {"operator"}, "*");
};

TEST_F(MemberLogicTest, AnImportStreamCarriesABoundedNumberOfRows) {
  logic_->set_import_max_rows(3);
  for (bool all_or_nothing : {true, false}) {
    SCOPED_TRACE(all_or_nothing ? "all or nothing" : "row by row");
    const int64_t before = Count("members");
    ImportState st;
    st.options.set_all_or_nothing(all_or_nothing);
    std::vector<v1::ImportRow> rows(2);
    for (int i = 0; i < 2; ++i) {
      rows[i].set_row(i + 1);
      *rows[i].mutable_member() = NewMember("a1", (all_or_nothing ? 40 : 50) + i);
    }
    ASSERT_TRUE(logic_->ImportBatch(admin_, rows, st).ok());
    for (int i = 0; i < 2; ++i) {
      rows[i].set_row(i + 3);
      *rows[i].mutable_member() = NewMember("a1", (all_or_nothing ? 42 : 52) + i);
    }
    absl::Status s = logic_->ImportBatch(admin_, rows, st);
    EXPECT_TRUE(absl::IsResourceExhausted(s)) << s;
    EXPECT_EQ(ReasonOf(s), "IMPORT_TOO_LARGE");
    EXPECT_NE(s.message().find("at most 3 rows"), absl::string_view::npos) << s;
    // All or nothing kept its rows in memory and wrote none; row by row wrote
    // the batch before the bound.
    EXPECT_EQ(st.pending.size(), all_or_nothing ? 2u : 0u);
    EXPECT_EQ(Count("members"), before + (all_or_nothing ? 0 : 2));
  }
}

TEST_F(MemberLogicTest, ATransferWalksItsApprovalPathStepByStep) {
  std::string member = Create("a1", 1);
  v1::StartTransferRequest start;
  start.mutable_transfer()->set_kind(v1::TRANSFER_KIND_WITHIN);
  start.mutable_transfer()->set_member(kMembers.Name(member));
  start.mutable_transfer()->set_to_unit(kOrgUnits.Name("b1"));
  start.mutable_transfer()->set_reason("搬家");
  CallContext sender = Caller("sec-a", {"secretary"}, "ca");
  v1::Transfer t;
  ASSERT_TRUE(logic_->StartTransfer(sender, start, &t).ok());
  // Up from the sender's branch to the street they share, then down: each
  // unit after the sender decides in turn.
  ASSERT_EQ(t.steps_size(), 4);
  EXPECT_EQ(t.steps(0).org_unit(), kOrgUnits.Name("ca"));
  EXPECT_EQ(t.steps(1).org_unit(), kOrgUnits.Name("s"));
  EXPECT_EQ(t.steps(2).org_unit(), kOrgUnits.Name("cb"));
  EXPECT_EQ(t.steps(3).org_unit(), kOrgUnits.Name("b1"));

  // The receiving community may not decide before its turn.
  CallContext receiver = Caller("sec-b", {"secretary"}, "cb");
  v1::ApproveTransferRequest approve;
  approve.set_name(t.name());
  absl::Status s = logic_->ApproveTransfer(receiver, approve, &t);
  EXPECT_EQ(ReasonOf(s), "NOT_YOUR_STEP") << s;

  CallContext street = Caller("sec-s", {"secretary"}, "s");
  for (const CallContext* who : {&sender, &street, &receiver, &receiver}) {
    approve.set_etag(t.etag());
    ASSERT_TRUE(logic_->ApproveTransfer(*who, approve, &t).ok());
  }
  EXPECT_EQ(t.state(), v1::TRANSFER_STATE_COMPLETED);
  v1::GetMemberRequest get;
  get.set_name(kMembers.Name(member));
  v1::Member moved;
  ASSERT_TRUE(logic_->GetMember(admin_, get, &moved).ok());
  EXPECT_EQ(moved.branch(), kOrgUnits.Name("b1"));
}

TEST_F(MemberLogicTest, AReturnedTransferLeavesTheMemberWhereTheyWere) {
  std::string member = Create("a1", 3);
  v1::StartTransferRequest start;
  start.mutable_transfer()->set_kind(v1::TRANSFER_KIND_WITHIN);
  start.mutable_transfer()->set_member(kMembers.Name(member));
  start.mutable_transfer()->set_to_unit(kOrgUnits.Name("a2"));
  start.mutable_transfer()->set_reason("换支部");
  v1::Transfer t;
  ASSERT_TRUE(logic_->StartTransfer(admin_, start, &t).ok());
  ASSERT_EQ(t.steps_size(), 2);  // a1 → ca → a2
  v1::ReturnTransferRequest ret;
  ret.set_name(t.name());
  ret.set_reason("材料不全");
  ASSERT_TRUE(logic_->ReturnTransfer(admin_, ret, &t).ok());
  EXPECT_EQ(t.state(), v1::TRANSFER_STATE_RETURNED);
  v1::ApproveTransferRequest approve;
  approve.set_name(t.name());
  EXPECT_EQ(ReasonOf(logic_->ApproveTransfer(admin_, approve, &t)), "TRANSFER_NOT_PENDING");
}

TEST_F(MemberLogicTest, TheOrgServiceAwayMeansUnavailableAndNothingWritten) {
  Create("a1", 5);
  org_.SetAway(true);
  const int64_t members = Count("members"), history = Count("history"), ids = Count("request_ids");
  v1::CreateMemberRequest req;
  *req.mutable_member() = NewMember("a2", 7);
  req.set_request_id("r-7");
  v1::Member out;
  absl::Status s = logic_->CreateMember(admin_, req, &out);
  EXPECT_TRUE(absl::IsUnavailable(s)) << s;
  EXPECT_EQ(ReasonOf(s), "ORG_UNAVAILABLE");
  v1::ListMembersRequest list;
  list.set_parent(kOrgUnits.Name("ca"));
  v1::ListMembersResponse page;
  EXPECT_TRUE(absl::IsUnavailable(logic_->ListMembers(admin_, list, &page)));
  EXPECT_EQ(Count("members"), members);
  EXPECT_EQ(Count("history"), history);
  EXPECT_EQ(Count("request_ids"), ids);
  org_.SetAway(false);
  EXPECT_TRUE(logic_->CreateMember(admin_, req, &out).ok());
}

TEST_F(MemberLogicTest, AMemberDiesOnlyOnceTheirPostsHaveEnded) {
  std::string id = Create("a1", 8);
  v1::ChangeLifecycleRequest died;
  died.set_name(kMembers.Name(id));
  died.set_lifecycle(v1::LIFECYCLE_DECEASED);
  died.set_reason("病故");
  v1::Member out;
  org_.SetAway(true);
  const int64_t history = Count("history");
  absl::Status s = logic_->ChangeLifecycle(admin_, died, &out);
  EXPECT_TRUE(absl::IsUnavailable(s)) << s;
  EXPECT_EQ(Count("history"), history);
  EXPECT_TRUE(org_.ended().empty());
  org_.SetAway(false);
  ASSERT_TRUE(logic_->ChangeLifecycle(admin_, died, &out).ok());
  EXPECT_EQ(out.lifecycle(), v1::LIFECYCLE_DECEASED);
  EXPECT_EQ(org_.ended(), std::vector<std::string>{kMembers.Name(id)});
  // Suspension ends no posts.
  v1::ChangeLifecycleRequest suspend;
  suspend.set_name(kMembers.Name(Create("a1", 9)));
  suspend.set_lifecycle(v1::LIFECYCLE_SUSPENDED);
  suspend.set_reason("失联");
  ASSERT_TRUE(logic_->ChangeLifecycle(admin_, suspend, &out).ok());
  EXPECT_EQ(org_.ended().size(), 1u);
}

TEST_F(MemberLogicTest, AMemberIsPutOnlyInABranchTheCallerReaches) {
  CallContext secretary = Caller("sec-a", {"secretary"}, "ca");
  v1::CreateMemberRequest req;
  *req.mutable_member() = NewMember("b1", 9);
  v1::Member out;
  absl::Status s = logic_->CreateMember(secretary, req, &out);
  EXPECT_TRUE(absl::IsPermissionDenied(s)) << s;
  *req.mutable_member() = NewMember("ca", 9);  // a community committee holds members too
  EXPECT_TRUE(logic_->CreateMember(secretary, req, &out).ok());
  *req.mutable_member() = NewMember("s", 11);  // a street does not
  EXPECT_EQ(FieldOf(logic_->CreateMember(admin_, req, &out)), "member.branch");
}

}  // namespace
}  // namespace lianxin::member
