// The activity service over gRPC with the org and member services: who is
// expected, signing up, leave, the rotating check-in code, what the host
// records, holding, when a meeting is valid, and what is refused.
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "lianxin/activity/v1/volunteer_service.grpc.pb.h"
#include "tests/activity/activity_test_base.h"

namespace lianxin::testing {
namespace {

using ::testing::HasSubstr;

class ActivityServiceTest : public ActivityTest {
 protected:
  std::vector<av1::Attendance> Attendances(const std::string& activity, const std::string& token = "") {
    av1::ListAttendancesRequest req;
    req.set_parent(activity);
    av1::ListAttendancesResponse out;
    EXPECT_THAT(Call(token.empty() ? secretary_ : token,
                     [&](grpc::ClientContext* c) { return stub_->ListAttendances(c, req, &out); }),
                IsOk());
    return {out.attendances().begin(), out.attendances().end()};
  }
  av1::AttendanceStatus StatusOf(const std::string& activity, const std::string& member) {
    for (const auto& a : Attendances(activity)) {
      if (a.member() == member) return a.status();
    }
    return av1::ATTENDANCE_STATUS_UNSPECIFIED;
  }
  std::string Code(const std::string& activity, const std::string& token = "") {
    av1::GetCheckInCodeRequest req;
    req.set_name(activity);
    av1::CheckInCode out;
    EXPECT_THAT(Call(token.empty() ? secretary_ : token,
                     [&](grpc::ClientContext* c) { return stub_->GetCheckInCode(c, req, &out); }),
                IsOk());
    EXPECT_LE(TimestampUs(out.expire_time()), absl::ToUnixMicros(Now() + absl::Seconds(61)));
    return out.code();
  }
  grpc::Status CheckIn(const std::string& activity, const std::string& member, const std::string& code,
                       av1::Attendance* out, const av1::GeoPoint* where = nullptr) {
    av1::CheckInRequest req;
    req.set_activity(activity);
    req.set_member(member);
    req.set_code(code);
    if (where != nullptr) *req.mutable_location() = *where;
    return Call(MemberToken(member), [&](grpc::ClientContext* c) { return stub_->CheckIn(c, req, out); });
  }
};

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

TEST_F(ActivityServiceTest, CheckingInTakesTheCodeOfTheLastMinuteAndTheVenuesRadius) {
  av1::Activity in = ActivityNow(av1::ACTIVITY_TYPE_THEME_DAY);
  in.mutable_venue()->set_latitude(30.2741);
  in.mutable_venue()->set_longitude(120.1551);
  in.set_check_in_radius_meters(300);
  av1::Activity a;
  ASSERT_THAT(Create(secretary_, branch_, in, &a), IsOk());
  const std::string code = Code(a.name());
  ASSERT_EQ(code.size(), 6u);
  av1::GeoPoint here, far;
  here.set_latitude(30.2750);  // about 100 m north
  here.set_longitude(120.1551);
  far.set_latitude(30.2941);  // about 2 km
  far.set_longitude(120.1551);
  av1::Attendance att;
  // A wrong code, no location, too far: refused, nothing written.
  const std::string wrong = code == "000000" ? "000001" : "000000";
  grpc::Status s = CheckIn(a.name(), members_[0], wrong, &att, &here);
  EXPECT_THAT(s, HasCode(grpc::FAILED_PRECONDITION));
  EXPECT_EQ(ReasonOf(FromGrpcStatus(s)), "CODE_EXPIRED");
  EXPECT_EQ(FieldOf(FromGrpcStatus(s)), "code");
  s = CheckIn(a.name(), members_[0], code, &att);
  EXPECT_EQ(ReasonOf(FromGrpcStatus(s)), "LOCATION_REQUIRED");
  s = CheckIn(a.name(), members_[0], code, &att, &far);
  EXPECT_EQ(ReasonOf(FromGrpcStatus(s)), "TOO_FAR");
  EXPECT_EQ(StatusOf(a.name(), members_[0]), av1::ATTENDANCE_STATUS_EXPECTED);
  // Bad input names its fields.
  av1::GeoPoint nowhere;
  nowhere.set_latitude(91);
  s = CheckIn(a.name(), members_[0], "12", &att, &nowhere);
  EXPECT_THAT(s, HasCode(grpc::INVALID_ARGUMENT));
  auto fields = ViolationsOf(FromGrpcStatus(s));
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields[0].field, "code");
  EXPECT_EQ(fields[1].field, "location.latitude");
  // Right: present, with where; sent twice, the same answer.
  ASSERT_THAT(CheckIn(a.name(), members_[0], code, &att, &here), IsOk());
  EXPECT_EQ(att.status(), av1::ATTENDANCE_STATUS_PRESENT);
  EXPECT_EQ(att.check_in_method(), av1::CHECK_IN_METHOD_CODE);
  EXPECT_NEAR(att.location().latitude(), 30.2750, 1e-6);
  av1::Attendance again;
  ASSERT_THAT(CheckIn(a.name(), members_[0], code, &again, &here), IsOk());
  EXPECT_EQ(again.etag(), att.etag());
  // Only for oneself; and only those expected, unless it is open.
  av1::CheckInRequest other;
  other.set_activity(a.name());
  other.set_member(members_[1]);
  other.set_code(code);
  s = Call(MemberToken(members_[0]), [&](grpc::ClientContext* c) { return stub_->CheckIn(c, other, &att); });
  EXPECT_THAT(s, HasCode(grpc::PERMISSION_DENIED));
  s = CheckIn(a.name(), elsewhere_, code, &att, &here);
  EXPECT_THAT(s, HasCode(grpc::PERMISSION_DENIED));  // not expected: the activity is not even visible
  EXPECT_EQ(probe_->Count("attendances", absl::StrCat("activity_id = '", a.name().substr(11), "'")), 5);
}

TEST_F(ActivityServiceTest, AnOpenActivityTakesAnyMembersSignUpAndCheckIn) {
  av1::Activity in = ActivityNow(av1::ACTIVITY_TYPE_VOLUNTEER_SERVICE);
  in.set_open(true);
  av1::Activity a;
  ASSERT_THAT(Create(admin_, community_, in, &a), IsOk());
  EXPECT_EQ(a.expected_count(), 0);  // who serves signs up
  av1::SignUpRequest up;
  up.set_activity(a.name());
  up.set_member(elsewhere_);
  av1::Attendance att;
  ASSERT_THAT(Call(MemberToken(elsewhere_), [&](grpc::ClientContext* c) { return stub_->SignUp(c, up, &att); }),
              IsOk());
  EXPECT_EQ(att.status(), av1::ATTENDANCE_STATUS_SIGNED_UP);
  EXPECT_FALSE(att.expected());
  EXPECT_THAT(att.display_name(), HasSubstr("党员"));
  // One who did not sign up checks in too.
  // The community's activity: the branch's secretary has no code for it.
  av1::GetCheckInCodeRequest code;
  code.set_name(a.name());
  av1::CheckInCode shown;
  EXPECT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->GetCheckInCode(c, code, &shown); }),
              HasCode(grpc::PERMISSION_DENIED));
  ASSERT_THAT(CheckIn(a.name(), members_[2], Code(a.name(), admin_), &att), IsOk());
  EXPECT_THAT(att.display_name(), HasSubstr("党员"));
  // The member sees it among their own, and their own row only.
  av1::ListActivitiesRequest mine;
  mine.set_parent(members_[2]);
  av1::ListActivitiesResponse list;
  ASSERT_THAT(
      Call(MemberToken(members_[2]), [&](grpc::ClientContext* c) { return stub_->ListActivities(c, mine, &list); }),
      IsOk());
  ASSERT_EQ(list.activities_size(), 1);
  EXPECT_EQ(list.activities(0).name(), a.name());
  EXPECT_EQ(Attendances(a.name(), MemberToken(members_[2])).size(), 1u);
  av1::ListAttendancesRequest all;
  all.set_parent(a.name());
  av1::ListAttendancesResponse rows;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->ListAttendances(c, all, &rows); }), IsOk());
  EXPECT_EQ(rows.attendances_size(), 2);
  // Another member's list is not theirs to read.
  mine.set_parent(members_[3]);
  EXPECT_THAT(
      Call(MemberToken(members_[2]), [&](grpc::ClientContext* c) { return stub_->ListActivities(c, mine, &list); }),
      HasCode(grpc::PERMISSION_DENIED));
}

TEST_F(ActivityServiceTest, LeaveNeedsAReasonAndIsKeptWhenHeld) {
  av1::Activity a;
  ASSERT_THAT(Create(secretary_, branch_, ActivityNow(av1::ACTIVITY_TYPE_PARTY_LECTURE), &a), IsOk());
  av1::RequestLeaveRequest leave;
  leave.set_activity(a.name());
  leave.set_member(members_[1]);
  av1::Attendance att;
  grpc::Status s =
      Call(MemberToken(members_[1]), [&](grpc::ClientContext* c) { return stub_->RequestLeave(c, leave, &att); });
  EXPECT_THAT(s, HasCode(grpc::INVALID_ARGUMENT));
  EXPECT_EQ(FieldOf(FromGrpcStatus(s)), "reason");
  leave.set_reason("在外地打工");
  ASSERT_THAT(
      Call(MemberToken(members_[1]), [&](grpc::ClientContext* c) { return stub_->RequestLeave(c, leave, &att); }),
      IsOk());
  EXPECT_EQ(att.status(), av1::ATTENDANCE_STATUS_LEAVE);
  EXPECT_EQ(att.leave_reason(), "在外地打工");
  av1::Activity held;
  ASSERT_THAT(Hold(a.name(), &held), IsOk());
  EXPECT_EQ(held.leave_count(), 1);
  EXPECT_EQ(held.absent_count(), 4);
  EXPECT_FALSE(held.valid());  // nobody came
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

// Check-ins are written many to a transaction: each sent at the same time as
// the others, and each again, is written once; a wrong one fails alone.
TEST_F(ActivityServiceTest, CheckInsSentTogetherAreEachWrittenOnceAndAWrongOneFailsAlone) {
  av1::Activity in = ActivityNow(av1::ACTIVITY_TYPE_THEME_DAY);
  in.set_open(true);  // elsewhere_ too: looked up by name on the way
  av1::Activity a;
  ASSERT_THAT(Create(secretary_, branch_, in, &a), IsOk());
  const std::string code = Code(a.name());
  const std::string wrong = code == "000000" ? "000001" : "000000";
  std::vector<std::string> who = members_;
  who.push_back(elsewhere_);
  constexpr int kTimes = 4;
  std::vector<grpc::Status> status(who.size() * kTimes + 2);
  std::vector<av1::Attendance> att(status.size());
  std::vector<std::thread> calls;
  for (size_t i = 0; i < status.size(); ++i) {
    const bool bad = i >= who.size() * kTimes;
    const std::string& m = bad ? members_[1] : who[i % who.size()];
    calls.emplace_back([&, i, bad, m] { status[i] = CheckIn(a.name(), m, bad ? wrong : code, &att[i]); });
  }
  for (auto& t : calls) t.join();
  for (size_t i = 0; i < who.size() * kTimes; ++i) {
    ASSERT_THAT(status[i], IsOk()) << i;
    EXPECT_EQ(att[i].status(), av1::ATTENDANCE_STATUS_PRESENT);
    EXPECT_EQ(att[i].etag(), att[i % who.size()].etag()) << "one write per member: " << who[i % who.size()];
  }
  for (size_t i = who.size() * kTimes; i < status.size(); ++i) {
    EXPECT_EQ(ReasonOf(FromGrpcStatus(status[i])), "CODE_EXPIRED");
  }
  const std::string here = absl::StrCat("activity_id = '", a.name().substr(11), "'");
  EXPECT_EQ(probe_->Count("attendances", here), 6);
  EXPECT_EQ(probe_->Count("attendances", here + " AND status = 4 AND check_in_method = 1"), 6);
  EXPECT_EQ(probe_->Count("attendances", here + " AND version = 1"), 1);  // the one not expected: new
}

// Holding waits for the check-ins being written, and they for it: each is
// either counted present or refused as held.
TEST_F(ActivityServiceTest, CheckInsRacingTheHoldAreCountedOrRefused) {
  av1::Activity a;
  ASSERT_THAT(Create(secretary_, branch_, ActivityNow(av1::ACTIVITY_TYPE_THEME_DAY), &a), IsOk());
  const std::string code = Code(a.name());
  std::vector<grpc::Status> status(members_.size());
  std::vector<std::thread> calls;
  for (size_t i = 0; i < members_.size(); ++i) {
    calls.emplace_back([&, i] {
      av1::Attendance att;
      status[i] = CheckIn(a.name(), members_[i], code, &att);
    });
  }
  av1::Activity held;
  ASSERT_THAT(Hold(a.name(), &held), IsOk());
  for (auto& t : calls) t.join();
  int present = 0;
  for (const auto& s : status) {
    if (s.ok()) {
      ++present;
    } else {
      EXPECT_EQ(ReasonOf(FromGrpcStatus(s)), "ACTIVITY_HELD") << s.error_message();
    }
  }
  EXPECT_EQ(held.present_count(), present);
  EXPECT_EQ(probe_->Count("attendances", absl::StrCat("activity_id = '", a.name().substr(11), "' AND status = 4")),
            present);
}

}  // namespace
}  // namespace lianxin::testing
