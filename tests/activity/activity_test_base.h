// Org, member and activity service processes on the test MariaDB, and a
// district per test: 区 → 街道 → 社区 → 支部 → 党小组, with five members of
// the branch (four full, one probationary, all in the group), and a member
// of another branch registered with the community where she lives. The
// activity service's clock stands at 2026-12-01 10:00 Beijing time
// (--clock_offset_file), so that the year's periods are the same whenever the
// tests run. To-dos are swept and gathered every 200 ms.
#ifndef LIANXIN_TESTS_ACTIVITY_ACTIVITY_TEST_BASE_H_
#define LIANXIN_TESTS_ACTIVITY_ACTIVITY_TEST_BASE_H_

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/client.h"
#include "common/timestamps.h"
#include "gtest/gtest.h"
#include "lianxin/activity/v1/activity_service.grpc.pb.h"
#include "lianxin/member/v1/member_service.grpc.pb.h"
#include "lianxin/org/v1/org_service.grpc.pb.h"
#include "services/clients/member/identity.h"
#include "tests/support/harness.h"

namespace lianxin::testing {

namespace av1 = ::lianxin::activity::v1;
namespace mv1 = ::lianxin::member::v1;
namespace ov1 = ::lianxin::org::v1;

class ActivityTest : public ::testing::Test {
 protected:
  // The activity service's "now".
  static absl::Time Now() { return absl::FromUnixSeconds(1796090400) + (absl::Now() - *started_); }

  static void SetUpTestSuite() {
    key_ = new TestKey();
    suffix_ = new std::string(UniqueDbName("a"));
    dir_ = new std::string(TempDir("activity"));
    std::vector<std::string> field_keys = WriteFieldKeys(*dir_, "fields");
    // 2026-12-01T02:00:00Z, whatever the real date.
    started_ = new absl::Time(absl::Now());
    std::ofstream(*dir_ + "/clock") << (1796090400 - absl::ToUnixSeconds(*started_));
    int member_port = FreePort(), activity_port = FreePort();
    // To-dos swept and gathered every 200 ms; the early warning's every sweep.
    org_ = new ServiceProcess("org",
                              {*suffix_ + "_org",
                               "",
                               {absl::StrCat("--member_target=127.0.0.1:", member_port),
                                absl::StrCat("--activity_target=127.0.0.1:", activity_port), "--todo_interval_ms=200"}},
                              *key_);
    ASSERT_TRUE(org_->Start().ok()) << org_->Log();
    member_ = new ServiceProcess("member",
                                 {*suffix_ + "_member",
                                  "",
                                  {"--org_target=" + org_->target(), field_keys[0], field_keys[1],
                                   absl::StrCat("--listen=127.0.0.1:", member_port)}},
                                 *key_);
    ASSERT_TRUE(member_->Start().ok()) << member_->Log();
    activity_ = new ServiceProcess("activity",
                                   {*suffix_ + "_activity",
                                    "",
                                    {"--org_target=" + org_->target(), "--member_target=" + member_->target(),
                                     field_keys[0], field_keys[1], "--clock_offset_file=" + *dir_ + "/clock",
                                     "--dispatch_target=", absl::StrCat("--listen=127.0.0.1:", activity_port),
                                     "--todo_interval_ms=200", "--drift_sweep_minutes=0"}},
                                   *key_);
    ASSERT_TRUE(activity_->Start().ok()) << activity_->Log();
  }
  static void TearDownTestSuite() {
    delete activity_;
    delete member_;
    delete org_;
    delete key_;
    delete suffix_;
    RemoveTempDir(*dir_);
    delete dir_;
    delete started_;
  }

  void SetUp() override {
    org_stub_ = ov1::OrgService::NewStub(org_->Channel());
    member_stub_ = mv1::MemberService::NewStub(member_->Channel());
    stub_ = av1::ActivityService::NewStub(activity_->Channel());
    probe_ = std::make_unique<SqlProbe>(TestDbSocket(), *suffix_ + "_activity");
    admin_ = key_->Token("admin", {"operator"}, "*");
    district_ = Unit("", ov1::ORG_UNIT_TYPE_DISTRICT_COMMITTEE);
    street_ = Unit(district_, ov1::ORG_UNIT_TYPE_STREET_WORKING_COMMITTEE);
    community_ = Unit(street_, ov1::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE);
    branch_ = Unit(community_, ov1::ORG_UNIT_TYPE_BRANCH);
    other_branch_ = Unit(community_, ov1::ORG_UNIT_TYPE_BRANCH);
    group_ = Unit(branch_, ov1::ORG_UNIT_TYPE_PARTY_GROUP);
    for (int i = 0; i < 5; ++i) {
      members_.push_back(Member(branch_, i == 4 ? mv1::STANDING_PROBATIONARY : mv1::STANDING_FULL));
      PutInGroup(members_.back(), group_);
    }
    elsewhere_ = Member(other_branch_, mv1::STANDING_FULL);
    secretary_ = key_->Token("branch-secretary", {"secretary"}, branch_);
  }

  template <typename F>
  grpc::Status Call(const std::string& token, F f) {
    grpc::ClientContext ctx;
    PrepareClientContext(&ctx, token, "", absl::Seconds(15));
    return f(&ctx);
  }

  std::string Unit(const std::string& parent, ov1::OrgUnitType type) {
    ov1::CreateOrgUnitRequest req;
    req.mutable_org_unit()->set_parent(parent);
    req.mutable_org_unit()->set_type(type);
    req.mutable_org_unit()->set_code(absl::StrCat("U", counter_++));
    req.mutable_org_unit()->set_display_name(absl::StrCat("单位", counter_));
    ov1::OrgUnit out;
    EXPECT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return org_stub_->CreateOrgUnit(c, req, &out); }), IsOk());
    return out.name();
  }

  // A member of `branch`, registered with community_ where they live.
  std::string Member(const std::string& branch, mv1::Standing standing) {
    int seq = counter_++;
    std::string first17 = absl::StrCat("430302", "19800101", absl::StrCat(1000 + seq % 1000).substr(1));
    mv1::CreateMemberRequest req;
    auto* m = req.mutable_member();
    m->set_display_name(absl::StrCat("党员", seq));
    m->set_gender(seq % 2 == 1 ? mv1::GENDER_MALE : mv1::GENDER_FEMALE);
    m->set_birth_date("1980-01-01");
    m->set_national_id(first17 + member::NationalIdCheckChar(first17));
    m->set_standing(standing);
    if (standing == mv1::STANDING_PROBATIONARY) m->set_join_date("2026-06-01");
    m->set_branch(branch);
    m->set_registered_community(community_);
    mv1::Member out;
    EXPECT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return member_stub_->CreateMember(c, req, &out); }), IsOk());
    return out.name();
  }

  void PutInGroup(const std::string& member, const std::string& group) {
    mv1::UpdateMemberRequest req;
    req.mutable_member()->set_name(member);
    req.mutable_member()->set_group(group);
    req.mutable_update_mask()->add_paths("group");
    mv1::Member out;
    EXPECT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return member_stub_->UpdateMember(c, req, &out); }), IsOk());
  }

  void Post(const std::string& unit, ov1::PositionRole role, const std::string& member) {
    ov1::CreatePositionRequest req;
    req.mutable_position()->set_org_unit(unit);
    req.mutable_position()->set_role(role);
    req.mutable_position()->set_member(member);
    req.mutable_position()->set_holder_display_name("委员");
    ov1::Position out;
    EXPECT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return org_stub_->CreatePosition(c, req, &out); }), IsOk());
  }

  // An activity of `type` at `unit`, starting `start` (Beijing "YYYY-MM-DD
  // HH:MM"), lasting `minutes`.
  static av1::Activity NewActivity(av1::ActivityType type, const std::string& start, int minutes = 120) {
    av1::Activity a;
    a.set_type(type);
    a.set_title("学习党章");
    a.set_place("社区党群服务中心");
    absl::Time t;
    std::string err;
    EXPECT_TRUE(absl::ParseTime("%Y-%m-%d %H:%M", start, BeijingTime(), &t, &err)) << err;
    SetTimestampUs(absl::ToUnixMicros(t), a.mutable_start_time());
    SetTimestampUs(absl::ToUnixMicros(t + absl::Minutes(minutes)), a.mutable_end_time());
    return a;
  }
  // One starting now (the service's), for check-ins.
  static av1::Activity ActivityNow(av1::ActivityType type) {
    av1::Activity a = NewActivity(type, "2026-12-01 09:50", 120);
    return a;
  }

  grpc::Status Create(const std::string& token, const std::string& unit, const av1::Activity& a, av1::Activity* out,
                      const std::string& request_id = "") {
    av1::CreateActivityRequest req;
    req.set_parent(unit);
    *req.mutable_activity() = a;
    req.set_request_id(request_id);
    return Call(token, [&](grpc::ClientContext* c) { return stub_->CreateActivity(c, req, out); });
  }

  grpc::Status Record(const std::string& activity, const std::vector<std::string>& members,
                      av1::AttendanceStatus status, const std::string& reason = "") {
    av1::RecordAttendanceRequest req;
    req.set_activity(activity);
    for (const auto& m : members) req.add_members(m);
    req.set_status(status);
    req.set_leave_reason(reason);
    av1::RecordAttendanceResponse out;
    return Call(secretary_, [&](grpc::ClientContext* c) { return stub_->RecordAttendance(c, req, &out); });
  }

  grpc::Status Hold(const std::string& activity, av1::Activity* out) {
    av1::HoldActivityRequest req;
    req.set_name(activity);
    return Call(secretary_, [&](grpc::ClientContext* c) { return stub_->HoldActivity(c, req, out); });
  }

  // Creates, records who came and holds: the activity as held.
  av1::Activity Held(const std::string& unit, const av1::Activity& a, const std::vector<std::string>& present) {
    av1::Activity created, held;
    EXPECT_THAT(Create(admin_, unit, a, &created), IsOk());
    if (!present.empty()) {
      EXPECT_THAT(Record(created.name(), present, av1::ATTENDANCE_STATUS_PRESENT), IsOk());
    }
    EXPECT_THAT(Hold(created.name(), &held), IsOk());
    return held;
  }

  std::string MemberToken(const std::string& member) { return key_->Token(member, {"member"}, community_); }

  // Attendance: the list (the secretary's, or as `token` sees it), the code
  // shown at the venue, and a member's own check-in.
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

  static TestKey* key_;
  static std::string* suffix_;
  static std::string* dir_;
  static absl::Time* started_;
  static ServiceProcess* org_;
  static ServiceProcess* member_;
  static ServiceProcess* activity_;
  static int counter_;
  std::unique_ptr<ov1::OrgService::Stub> org_stub_;
  std::unique_ptr<mv1::MemberService::Stub> member_stub_;
  std::unique_ptr<av1::ActivityService::Stub> stub_;
  std::unique_ptr<SqlProbe> probe_;
  std::string admin_, secretary_;
  std::string district_, street_, community_, branch_, other_branch_, group_;
  std::vector<std::string> members_;
  std::string elsewhere_;
};

inline TestKey* ActivityTest::key_ = nullptr;
inline std::string* ActivityTest::suffix_ = nullptr;
inline std::string* ActivityTest::dir_ = nullptr;
inline absl::Time* ActivityTest::started_ = nullptr;
inline ServiceProcess* ActivityTest::org_ = nullptr;
inline ServiceProcess* ActivityTest::member_ = nullptr;
inline ServiceProcess* ActivityTest::activity_ = nullptr;
inline int ActivityTest::counter_ = 0;

}  // namespace lianxin::testing

#endif  // LIANXIN_TESTS_ACTIVITY_ACTIVITY_TEST_BASE_H_
