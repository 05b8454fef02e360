// The early warning over gRPC: members expected at the held activities of
// the last three months who took part in none, listed with what was tried,
// and raised as to-dos of their branch through the org service.
#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "tests/activity/activity_test_base.h"

namespace lianxin::testing {
namespace {

class ActivityDriftTest : public ActivityTest {
 protected:
  std::vector<av1::DriftingMember> Drifting(const std::string& unit, int months = 0, const std::string& token = "") {
    av1::ListDriftingMembersRequest req;
    req.set_parent(unit);
    req.set_months(months);
    req.set_page_size(1);
    std::vector<av1::DriftingMember> out;
    do {
      av1::ListDriftingMembersResponse page;
      EXPECT_THAT(Call(token.empty() ? secretary_ : token,
                       [&](grpc::ClientContext* c) { return stub_->ListDriftingMembers(c, req, &page); }),
                  IsOk());
      for (const auto& m : page.members()) out.push_back(m);
      req.set_page_token(page.next_page_token());
    } while (!req.page_token().empty());
    return out;
  }

  std::vector<std::string> DriftTodos() {
    ov1::ListTodosRequest req;
    req.set_parent(branch_);
    req.add_kinds(ov1::TODO_KIND_MEMBER_DRIFTING);
    ov1::ListTodosResponse out;
    EXPECT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return org_stub_->ListTodos(c, req, &out); }), IsOk());
    std::vector<std::string> subjects;
    for (const auto& t : out.todos()) subjects.push_back(t.subject());
    std::sort(subjects.begin(), subjects.end());
    return subjects;
  }

  // Waits (up to 10 s) for the branch's drifting to-dos to be `want`.
  bool WaitForTodos(std::vector<std::string> want) {
    std::sort(want.begin(), want.end());
    for (int i = 0; i < 100; ++i) {
      if (DriftTodos() == want) return true;
      absl::SleepFor(absl::Milliseconds(100));
    }
    return false;
  }
};

TEST_F(ActivityDriftTest, MembersWhoTookPartInNothingAreListedAndBecomeToDosUntilTheyComeBack) {
  // August: everyone came (outside the three months).
  Held(branch_, NewActivity(av1::ACTIVITY_TYPE_MEMBER_MEETING, "2026-08-11 14:00"), members_);
  // October: three came, one had leave, the probationary member stayed away.
  av1::Activity october;
  ASSERT_THAT(Create(admin_, branch_, NewActivity(av1::ACTIVITY_TYPE_MEMBER_MEETING, "2026-10-13 14:00"), &october),
              IsOk());
  ASSERT_THAT(Record(october.name(), {members_[0], members_[1], members_[2]}, av1::ATTENDANCE_STATUS_PRESENT), IsOk());
  ASSERT_THAT(Record(october.name(), {members_[3]}, av1::ATTENDANCE_STATUS_LEAVE, "在外地打工"), IsOk());
  av1::Activity held;
  ASSERT_THAT(Hold(october.name(), &held), IsOk());
  // November: online study for the one away, who did not take part either.
  Held(branch_, NewActivity(av1::ACTIVITY_TYPE_ONLINE_STUDY, "2026-11-20 20:00"), {members_[0]});

  std::vector<av1::DriftingMember> drifting = Drifting(branch_);
  ASSERT_EQ(drifting.size(), 2u);
  std::map<std::string, av1::DriftingMember> by;
  for (const auto& m : drifting) by[m.member()] = m;
  ASSERT_TRUE(by.count(members_[3]) && by.count(members_[4]));
  const av1::DriftingMember& away = by[members_[3]];
  EXPECT_EQ(away.org_unit(), branch_);
  EXPECT_EQ(away.expected(), 2);
  EXPECT_EQ(away.leave(), 1);
  EXPECT_EQ(away.online_study(), 1);  // what was tried
  EXPECT_EQ(away.age(), 46);
  EXPECT_FALSE(away.display_name().empty());
  // Last present in August.
  EXPECT_EQ(BeijingDate(absl::FromUnixSeconds(away.last_present_time().seconds())), "2026-08-11");
  // Over five months, August counts: nobody drifted.
  EXPECT_TRUE(Drifting(branch_, 5).empty());
  // The community's list holds its branches'.
  EXPECT_EQ(Drifting(community_, 0, admin_).size(), 2u);

  ASSERT_TRUE(WaitForTodos({members_[3], members_[4]})) << ::testing::PrintToString(DriftTodos());
  // Study delivered at home to one of them: they took part; the to-do closes.
  av1::Activity home = NewActivity(av1::ACTIVITY_TYPE_HOME_STUDY, "2026-11-25 10:00", 60);
  home.add_delivered_to(members_[4]);
  Held(branch_, home, {members_[4]});
  EXPECT_EQ(Drifting(branch_).size(), 1u);
  EXPECT_TRUE(WaitForTodos({members_[3]})) << ::testing::PrintToString(DriftTodos());

  av1::ListDriftingMembersRequest bad;
  bad.set_parent(branch_);
  bad.set_months(30);
  av1::ListDriftingMembersResponse out;
  grpc::Status s = Call(secretary_, [&](grpc::ClientContext* c) { return stub_->ListDriftingMembers(c, bad, &out); });
  EXPECT_THAT(s, HasCode(grpc::INVALID_ARGUMENT));
  EXPECT_EQ(FieldOf(FromGrpcStatus(s)), "months");
  bad.set_months(3);
  bad.set_parent(other_branch_);
  s = Call(secretary_, [&](grpc::ClientContext* c) { return stub_->ListDriftingMembers(c, bad, &out); });
  EXPECT_THAT(s, HasCode(grpc::PERMISSION_DENIED));
}

}  // namespace
}  // namespace lianxin::testing
