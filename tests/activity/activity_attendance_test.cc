// Attendance over gRPC: the rotating check-in code and the venue's radius,
// signing up and checking in at an open activity, leave, and check-ins sent
// together or racing the hold.
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "tests/activity/activity_test_base.h"

namespace lianxin::testing {
namespace {

using ::testing::HasSubstr;

class ActivityAttendanceTest : public ActivityTest {};

TEST_F(ActivityAttendanceTest, CheckingInTakesTheCodeOfTheLastMinuteAndTheVenuesRadius) {
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

TEST_F(ActivityAttendanceTest, AnOpenActivityTakesAnyMembersSignUpAndCheckIn) {
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

TEST_F(ActivityAttendanceTest, LeaveNeedsAReasonAndIsKeptWhenHeld) {
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

// Check-ins are written many to a transaction: each sent at the same time as
// the others, and each again, is written once; a wrong one fails alone.
TEST_F(ActivityAttendanceTest, CheckInsSentTogetherAreEachWrittenOnceAndAWrongOneFailsAlone) {
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
TEST_F(ActivityAttendanceTest, CheckInsRacingTheHoldAreCountedOrRefused) {
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
