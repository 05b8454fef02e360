// The activity service over gRPC with the org and member services: who is
// expected, what the host records, holding, when a meeting is valid, lists,
// etags and request ids, and what is refused (attendance itself:
// activity_attendance_test.cc).
#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "lianxin/activity/v1/volunteer_service.grpc.pb.h"
#include "tests/activity/activity_test_base.h"

namespace lianxin::testing {
namespace {

class ActivityServiceTest : public ActivityTest {};

TEST_F(ActivityServiceTest, AMemberMeetingExpectsTheBranchAndOnlyFullMembersVote) {
  av1::Activity a;
  ASSERT_THAT(Create(secretary_, branch_, ActivityNow(av1::ACTIVITY_TYPE_MEMBER_MEETING), &a), IsOk());
  EXPECT_EQ(a.state(), av1::ACTIVITY_STATE_PLANNED);
  EXPECT_EQ(a.host_unit(), branch_);
  EXPECT_EQ(a.expected_count(), 5);         // the branch's five
  EXPECT_EQ(a.voting_expected_count(), 4);  // the probationary member does not vote
  auto rows = Attendances(a.name());
  ASSERT_EQ(rows.size(), 5u);
  for (const auto& r : rows) {
    EXPECT_EQ(r.status(), av1::ATTENDANCE_STATUS_EXPECTED);
    EXPECT_EQ(r.voting(), r.member() != members_[4]) << r.member();
    EXPECT_FALSE(r.display_name().empty());
  }
  // Two full members and the probationary one come: 2 of 4 voting is not
  // more than half, so the meeting does not count.
  const std::string code = Code(a.name());
  av1::Attendance att;
  for (int i : {0, 1, 4}) ASSERT_THAT(CheckIn(a.name(), members_[i], code, &att), IsOk()) << i;
  av1::Activity held;
  ASSERT_THAT(Hold(a.name(), &held), IsOk());
  EXPECT_EQ(held.state(), av1::ACTIVITY_STATE_HELD);
  EXPECT_EQ(held.present_count(), 3);
  EXPECT_EQ(held.voting_present_count(), 2);
  EXPECT_EQ(held.absent_count(), 2);
  EXPECT_FALSE(held.valid());
  EXPECT_EQ(StatusOf(a.name(), members_[2]), av1::ATTENDANCE_STATUS_ABSENT);

  // Three of four: valid.
  av1::Activity b;
  ASSERT_THAT(Create(secretary_, branch_, ActivityNow(av1::ACTIVITY_TYPE_MEMBER_MEETING), &b), IsOk());
  ASSERT_THAT(Record(b.name(), {members_[0], members_[1], members_[2]}, av1::ATTENDANCE_STATUS_PRESENT), IsOk());
  ASSERT_THAT(Record(b.name(), {members_[3]}, av1::ATTENDANCE_STATUS_LEAVE, "住院"), IsOk());
  ASSERT_THAT(Hold(b.name(), &held), IsOk());
  EXPECT_TRUE(held.valid());
  EXPECT_EQ(held.leave_count(), 1);
  EXPECT_EQ(held.absent_count(), 1);  // the probationary member
  EXPECT_EQ(StatusOf(b.name(), members_[3]), av1::ATTENDANCE_STATUS_LEAVE);
  // Held once: a second hold, a check-in or a record is refused.
  grpc::Status s = Hold(b.name(), &held);
  EXPECT_THAT(s, HasCode(grpc::FAILED_PRECONDITION));
  EXPECT_EQ(ReasonOf(FromGrpcStatus(s)), "ACTIVITY_HELD");
  s = Record(b.name(), {members_[4]}, av1::ATTENDANCE_STATUS_PRESENT);
  EXPECT_EQ(ReasonOf(FromGrpcStatus(s)), "ACTIVITY_HELD");
}

TEST_F(ActivityServiceTest, ACommitteeMeetingExpectsThePostHoldersAndAGroupMeetingTheGroup) {
  Post(branch_, ov1::POSITION_ROLE_SECRETARY, members_[0]);
  Post(branch_, ov1::POSITION_ROLE_ORGANIZATION_MEMBER, members_[1]);
  Post(branch_, ov1::POSITION_ROLE_PROPAGANDA_MEMBER, members_[2]);
  av1::Activity a;
  ASSERT_THAT(Create(secretary_, branch_, ActivityNow(av1::ACTIVITY_TYPE_COMMITTEE_MEETING), &a), IsOk());
  EXPECT_EQ(a.expected_count(), 3);
  EXPECT_EQ(a.voting_expected_count(), 3);
  ASSERT_THAT(Record(a.name(), {members_[0], members_[1]}, av1::ATTENDANCE_STATUS_PRESENT), IsOk());
  av1::Activity held;
  ASSERT_THAT(Hold(a.name(), &held), IsOk());
  EXPECT_TRUE(held.valid());  // 2 of 3

  av1::Activity g;
  ASSERT_THAT(Create(admin_, group_, ActivityNow(av1::ACTIVITY_TYPE_GROUP_MEETING), &g), IsOk());
  EXPECT_EQ(g.expected_count(), 5);
  // A group meeting is a group's; a member meeting a branch's.
  grpc::Status s = Create(admin_, branch_, ActivityNow(av1::ACTIVITY_TYPE_GROUP_MEETING), &g);
  EXPECT_THAT(s, HasCode(grpc::FAILED_PRECONDITION));
  EXPECT_EQ(ReasonOf(FromGrpcStatus(s)), "WRONG_HOST_UNIT");
  EXPECT_EQ(FieldOf(FromGrpcStatus(s)), "parent");
  s = Create(admin_, group_, ActivityNow(av1::ACTIVITY_TYPE_MEMBER_MEETING), &g);
  EXPECT_EQ(ReasonOf(FromGrpcStatus(s)), "WRONG_HOST_UNIT");
}

TEST_F(ActivityServiceTest, ACommunityLectureAlsoExpectsTheMembersRegisteredThere) {
  av1::Activity a;
  ASSERT_THAT(Create(admin_, community_, ActivityNow(av1::ACTIVITY_TYPE_LECTURE), &a), IsOk());
  // The two branches' six members, each once though all are registered here.
  EXPECT_EQ(a.expected_count(), 6);
  // Study delivered at home expects whom it is delivered to.
  av1::Activity home = ActivityNow(av1::ACTIVITY_TYPE_HOME_STUDY);
  home.add_delivered_to(members_[3]);
  ASSERT_THAT(Create(secretary_, branch_, home, &a), IsOk());
  EXPECT_EQ(a.expected_count(), 1);
  ASSERT_THAT(Record(a.name(), {members_[3]}, av1::ATTENDANCE_STATUS_PRESENT), IsOk());
  av1::Activity held;
  ASSERT_THAT(Hold(a.name(), &held), IsOk());
  EXPECT_TRUE(held.valid());
}

TEST_F(ActivityServiceTest, BadInputNamesEveryFieldAndWritesNothing) {
  av1::Activity bad = ActivityNow(av1::ACTIVITY_TYPE_UNSPECIFIED);
  bad.clear_title();
  *bad.mutable_end_time() = bad.start_time();
  bad.add_delivered_to(members_[0]);  // only for study at home
  bad.add_photo_urls("http://example.com/a.jpg");
  bad.set_check_in_radius_meters(100);  // without a venue
  av1::Activity out;
  grpc::Status s = Create(secretary_, branch_, bad, &out);
  ASSERT_THAT(s, HasCode(grpc::INVALID_ARGUMENT));
  std::set<std::string> fields;
  for (const auto& v : ViolationsOf(FromGrpcStatus(s))) fields.insert(v.field);
  EXPECT_EQ(fields, (std::set<std::string>{"activity.type", "activity.title", "activity.end_time",
                                           "activity.delivered_to", "activity.photo_urls", "activity.venue"}));
  av1::Activity home = ActivityNow(av1::ACTIVITY_TYPE_HOME_STUDY);
  s = Create(secretary_, branch_, home, &out);
  EXPECT_EQ(FieldOf(FromGrpcStatus(s)), "activity.delivered_to");
  av1::Activity old = NewActivity(av1::ACTIVITY_TYPE_THEME_DAY, "2024-06-15 09:00");
  s = Create(secretary_, branch_, old, &out);
  EXPECT_EQ(FieldOf(FromGrpcStatus(s)), "activity.start_time");
  // Outside the caller's subtree, and for members: refused.
  s = Create(key_->Token("other", {"secretary"}, other_branch_), branch_, ActivityNow(av1::ACTIVITY_TYPE_THEME_DAY),
             &out);
  EXPECT_THAT(s, HasCode(grpc::PERMISSION_DENIED));
  EXPECT_EQ(ReasonOf(FromGrpcStatus(s)), "OUTSIDE_SUBTREE");
  s = Create(MemberToken(members_[0]), branch_, ActivityNow(av1::ACTIVITY_TYPE_THEME_DAY), &out);
  EXPECT_THAT(s, HasCode(grpc::PERMISSION_DENIED));
  EXPECT_EQ(probe_->Count("activities", absl::StrCat("host_unit_id = '", branch_.substr(9), "'")), 0);
  EXPECT_EQ(probe_->Count("history", absl::StrCat("owner = '", branch_, "'")), 0);
}

TEST_F(ActivityServiceTest, ACreateSentTwiceMakesOneAndAStaleEtagChangesNothing) {
  av1::Activity first, second;
  ASSERT_THAT(Create(secretary_, branch_, ActivityNow(av1::ACTIVITY_TYPE_THEME_DAY), &first, "theme-day-12"), IsOk());
  ASSERT_THAT(Create(secretary_, branch_, ActivityNow(av1::ACTIVITY_TYPE_THEME_DAY), &second, "theme-day-12"), IsOk());
  EXPECT_EQ(first.name(), second.name());
  EXPECT_EQ(probe_->Count("activities", absl::StrCat("host_unit_id = '", branch_.substr(9), "'")), 1);
  EXPECT_EQ(probe_->Count("attendances", absl::StrCat("activity_id = '", first.name().substr(11), "'")), 5);

  av1::UpdateActivityRequest up;
  up.mutable_activity()->set_name(first.name());
  up.mutable_activity()->set_minutes("一、学习党章第三章。\n二、讨论。");
  up.mutable_activity()->set_etag(first.etag());
  up.mutable_update_mask()->add_paths("minutes");
  av1::Activity updated;
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->UpdateActivity(c, up, &updated); }), IsOk());
  EXPECT_EQ(updated.minutes(), "一、学习党章第三章。\n二、讨论。");
  EXPECT_NE(updated.etag(), first.etag());
  up.mutable_activity()->set_minutes("改");
  grpc::Status s = Call(secretary_, [&](grpc::ClientContext* c) { return stub_->UpdateActivity(c, up, &updated); });
  EXPECT_THAT(s, HasCode(grpc::ABORTED));
  av1::GetActivityRequest get;
  get.set_name(first.name());
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->GetActivity(c, get, &updated); }), IsOk());
  EXPECT_EQ(updated.minutes(), "一、学习党章第三章。\n二、讨论。");

  // Cancelled: no more check-ins, not held.
  av1::CancelActivityRequest cancel;
  cancel.set_name(first.name());
  cancel.set_reason("暴雨");
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->CancelActivity(c, cancel, &updated); }),
              IsOk());
  EXPECT_EQ(updated.state(), av1::ACTIVITY_STATE_CANCELLED);
  s = Hold(first.name(), &updated);
  EXPECT_EQ(ReasonOf(FromGrpcStatus(s)), "ACTIVITY_CANCELLED");
}

TEST_F(ActivityServiceTest, ABranchListsItsActivitiesAndTheCommunityItsSubtrees) {
  av1::Activity a, b, c;
  ASSERT_THAT(Create(secretary_, branch_, NewActivity(av1::ACTIVITY_TYPE_THEME_DAY, "2026-11-15 09:00"), &a), IsOk());
  ASSERT_THAT(Create(admin_, group_, NewActivity(av1::ACTIVITY_TYPE_GROUP_MEETING, "2026-11-20 19:00"), &b), IsOk());
  ASSERT_THAT(Create(admin_, other_branch_, NewActivity(av1::ACTIVITY_TYPE_THEME_DAY, "2026-11-16 09:00"), &c), IsOk());
  auto list = [&](const std::string& token, const std::string& parent, bool subtree, int page_size) {
    std::vector<std::string> names;
    av1::ListActivitiesRequest req;
    req.set_parent(parent);
    req.set_include_subtree(subtree);
    req.set_page_size(page_size);
    do {
      av1::ListActivitiesResponse out;
      EXPECT_THAT(Call(token, [&](grpc::ClientContext* ctx) { return stub_->ListActivities(ctx, req, &out); }), IsOk());
      for (const auto& x : out.activities()) names.push_back(x.name());
      req.set_page_token(out.next_page_token());
    } while (!req.page_token().empty());
    return names;
  };
  EXPECT_EQ(list(secretary_, branch_, false, 10), std::vector<std::string>{a.name()});
  EXPECT_EQ(list(secretary_, branch_, true, 1), (std::vector<std::string>{b.name(), a.name()}));  // latest first
  EXPECT_EQ(list(admin_, community_, true, 2), (std::vector<std::string>{b.name(), c.name(), a.name()}));
  av1::ListActivitiesRequest req;
  req.set_parent(other_branch_);
  av1::ListActivitiesResponse out;
  EXPECT_THAT(Call(secretary_, [&](grpc::ClientContext* ctx) { return stub_->ListActivities(ctx, req, &out); }),
              HasCode(grpc::PERMISSION_DENIED));
}

TEST_F(ActivityServiceTest, HoldingCreditsPointsWithinTheMonthsCapAndHoursForService) {
  for (const char* day :
       {"2026-11-02 09:00", "2026-11-09 09:00", "2026-11-15 09:00", "2026-11-22 09:00", "2026-11-29 09:00"}) {
    Held(branch_, NewActivity(av1::ACTIVITY_TYPE_THEME_DAY, day), {members_[0]});
  }
  av1::Activity service = NewActivity(av1::ACTIVITY_TYPE_VOLUNTEER_SERVICE, "2026-12-01 08:00", 120);
  service.set_open(true);
  Held(branch_, service, {members_[0], members_[1]});
  auto volunteer = av1::VolunteerService::NewStub(activity_->Channel());
  auto balances = [&](const std::string& m) {
    av1::GetBalancesRequest req;
    req.set_member(m);
    av1::Balances out;
    EXPECT_THAT(Call(MemberToken(m), [&](grpc::ClientContext* c) { return volunteer->GetBalances(c, req, &out); }),
                IsOk());
    return out;
  };
  // November: 3 points a theme day, at most 12; December's service: 3 more
  // and its two hours.
  av1::Balances b = balances(members_[0]);
  EXPECT_EQ(b.points(), 15);
  EXPECT_DOUBLE_EQ(b.hours(), 2);
  b = balances(members_[1]);
  EXPECT_EQ(b.points(), 3);
  EXPECT_DOUBLE_EQ(b.hours(), 2);
  EXPECT_EQ(probe_->Count("ledger_entries", absl::StrCat("member_id = '", members_[0].substr(8), "'")), 6);
}

}  // namespace
}  // namespace lianxin::testing
