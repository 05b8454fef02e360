// Org, member and dispatch service processes on the test MariaDB, and a
// district per test: 区 → 街道 → 社区 → 支部 → 楼栋党小组 covering one building
// where six members live; two categories; the dispatch service's clock
// moved through a file (--clock_offset_file), its sweeper every 100 ms,
// resolved requests closing unconfirmed after 14 days; to-dos swept and
// gathered by the org service every 200 ms.
#ifndef LIANXIN_TESTS_DISPATCH_DISPATCH_TEST_BASE_H_
#define LIANXIN_TESTS_DISPATCH_DISPATCH_TEST_BASE_H_

#include <atomic>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/client.h"
#include "gtest/gtest.h"
#include "lianxin/dispatch/v1/dispatch_service.grpc.pb.h"
#include "lianxin/member/v1/member_service.grpc.pb.h"
#include "lianxin/org/v1/org_service.grpc.pb.h"
#include "services/clients/member/identity.h"
#include "tests/support/harness.h"

namespace lianxin::testing {

namespace dv1 = ::lianxin::dispatch::v1;
namespace mv1 = ::lianxin::member::v1;
namespace ov1 = ::lianxin::org::v1;

class DispatchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    key_ = new TestKey();
    suffix_ = new std::string(UniqueDbName("d"));
    std::string keys_dir = TempDir("keys");
    keys_file_ = new std::string(keys_dir + "/fields.keys");
    std::vector<std::string> field_keys = WriteFieldKeys(keys_dir, "fields");
    clock_file_ = new std::string(keys_dir + "/clock");
    std::ofstream(*clock_file_) << 0;
    int member_port = FreePort(), dispatch_port = FreePort();
    // To-dos swept and gathered every 200 ms, watched every 100 ms.
    org_ = new ServiceProcess("org",
                              {*suffix_ + "_org",
                               "",
                               {absl::StrCat("--member_target=127.0.0.1:", member_port),
                                absl::StrCat("--dispatch_target=127.0.0.1:", dispatch_port), "--todo_interval_ms=200",
                                "--watch_interval_ms=100"}},
                              *key_);
    ASSERT_TRUE(org_->Start().ok()) << org_->Log();
    member_ = new ServiceProcess("member",
                                 {*suffix_ + "_member",
                                  "",
                                  {"--org_target=" + org_->target(), field_keys[0], field_keys[1],
                                   absl::StrCat("--listen=127.0.0.1:", member_port), "--todo_interval_ms=200"}},
                                 *key_);
    ASSERT_TRUE(member_->Start().ok()) << member_->Log();
    dispatch_ = new ServiceProcess(
        "dispatch",
        {*suffix_ + "_dispatch",
         "",
         {"--org_target=" + org_->target(), "--member_target=" + member_->target(), field_keys[0], field_keys[1],
          "--clock_offset_file=" + *clock_file_, "--sweep_interval_ms=100", "--accept_minutes=30",
          absl::StrCat("--listen=127.0.0.1:", dispatch_port), "--todo_interval_ms=200",
          // Longer than the 7 days to reopen, so that a test sees "too late to reopen".
          "--confirm_days=14"}},
        *key_);
    ASSERT_TRUE(dispatch_->Start().ok()) << dispatch_->Log();
  }
  // The blind-index key file beside keys_file_.
  static std::string IndexKeyFlag() {
    return "--index_key_file=" + keys_file_->substr(0, keys_file_->rfind('/')) + "/fields.index";
  }
  static void TearDownTestSuite() {
    delete dispatch_;
    delete member_;
    delete org_;
    delete key_;
    delete suffix_;
    RemoveTempDir(keys_file_->substr(0, keys_file_->rfind('/')));
    delete keys_file_;
    delete clock_file_;
  }

  void SetUp() override {
    SetClock(0);
    org_stub_ = ov1::OrgService::NewStub(org_->Channel());
    member_stub_ = mv1::MemberService::NewStub(member_->Channel());
    stub_ = dv1::DispatchService::NewStub(dispatch_->Channel());
    probe_ = std::make_unique<SqlProbe>(TestDbSocket(), *suffix_ + "_dispatch");
    admin_ = key_->Token("admin", {"operator"}, "*");
    district_ = Unit("", ov1::ORG_UNIT_TYPE_DISTRICT_COMMITTEE);
    street_ = Unit(district_, ov1::ORG_UNIT_TYPE_STREET_WORKING_COMMITTEE);
    community_ = Unit(street_, ov1::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE);
    branch_ = Unit(community_, ov1::ORG_UNIT_TYPE_BRANCH);
    group_ = Unit(branch_, ov1::ORG_UNIT_TYPE_BUILDING_PARTY_GROUP);
    compound_ = Place("", ov1::PLACE_KIND_COMPOUND);
    building_ = Place(compound_, ov1::PLACE_KIND_BUILDING);
    other_building_ = Place(compound_, ov1::PLACE_KIND_BUILDING);
    for (int i = 0; i < 6; ++i) {
      residents_.push_back(Member(building_, i == 0 ? "水电维修" : (i == 1 ? "" : "理发")));
    }
    Cover(branch_, {compound_});
    Cover(group_, {building_});
    secretary_ = key_->Token("group-leader", {"secretary"}, group_);
    resident_ = key_->Token("resident-1", {"resident"}, district_);
    Category("repair", 4, 0, {"水电维修"}, false);
    Category("policy", 0, 2, {"政策宣讲"}, true);
  }

  void SetClock(int64_t seconds) { std::ofstream(*clock_file_) << seconds; }

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
    req.mutable_org_unit()->set_display_name("单位");
    ov1::OrgUnit out;
    EXPECT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return org_stub_->CreateOrgUnit(c, req, &out); }), IsOk());
    return out.name();
  }

  std::string Place(const std::string& parent, ov1::PlaceKind kind) {
    ov1::CreatePlaceRequest req;
    req.mutable_place()->set_community(community_);
    req.mutable_place()->set_parent(parent);
    req.mutable_place()->set_kind(kind);
    req.mutable_place()->set_display_name("楼");
    ov1::Place out;
    EXPECT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return org_stub_->CreatePlace(c, req, &out); }), IsOk());
    return out.name();
  }

  void Cover(const std::string& unit, const std::vector<std::string>& places) {
    ov1::CoverPlacesRequest req;
    req.set_org_unit(unit);
    for (const auto& p : places) req.add_places(p);
    ov1::CoverPlacesResponse out;
    EXPECT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return org_stub_->CoverPlaces(c, req, &out); }), IsOk());
  }

  // A member of branch_ living in `building`, with one skill.
  std::string Member(const std::string& building, const std::string& skill) {
    int seq = counter_++;
    std::string first17 = absl::StrCat("430302", "19700101", absl::StrCat(1000 + seq % 1000).substr(1));
    mv1::CreateMemberRequest req;
    auto* m = req.mutable_member();
    m->set_display_name(absl::StrCat("党员", seq));
    m->set_gender(seq % 2 == 1 ? mv1::GENDER_MALE : mv1::GENDER_FEMALE);
    m->set_birth_date("1970-01-01");
    m->set_national_id(first17 + member::NationalIdCheckChar(first17));
    m->set_phone(absl::StrCat("137", absl::StrCat(100000000 + seq).substr(1)));
    m->set_standing(mv1::STANDING_FULL);
    m->set_branch(branch_);
    m->set_residence_community(community_);
    m->mutable_address()->set_building(building);
    if (!skill.empty()) m->add_skills(skill);
    m->add_availability(mv1::AVAILABILITY_ON_CALL);
    mv1::Member out;
    EXPECT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return member_stub_->CreateMember(c, req, &out); }), IsOk());
    return out.name();
  }

  void Category(const std::string& code, int hours, int days, std::vector<std::string> skills, bool grabbable) {
    dv1::CreateCategoryRequest req;
    req.set_parent(district_);
    req.set_category_id(code);
    req.mutable_category()->set_display_name(code);
    req.mutable_category()->set_limit_hours(hours);
    req.mutable_category()->set_limit_working_days(days);
    for (auto& s : skills) req.mutable_category()->add_skills(s);
    req.mutable_category()->set_grabbable(grabbable);
    dv1::Category out;
    EXPECT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->CreateCategory(c, req, &out); }), IsOk());
  }

  std::string MemberToken(const std::string& member) { return key_->Token(member, {"member"}, community_); }

  dv1::Request NewRequest(const std::string& category = "repair", const std::string& place = "") {
    dv1::Request r;
    r.set_category(absl::StrCat(district_, "/categories/", category));
    r.set_description("楼道灯坏了，晚上看不见");
    r.set_place(place.empty() ? building_ : place);
    r.set_address("3单元");
    r.set_contact_phone("13812345678");
    r.set_urgency(dv1::URGENCY_NORMAL);
    return r;
  }

  grpc::Status Submit(const std::string& token, const dv1::Request& r, dv1::Request* out, const std::string& id = "",
                      bool allow_duplicate = false) {
    dv1::SubmitRequestRequest req;
    *req.mutable_request() = r;
    req.set_request_id(id);
    req.set_allow_duplicate(allow_duplicate);
    return Call(token, [&](grpc::ClientContext* c) { return stub_->SubmitRequest(c, req, out); });
  }

  dv1::Request Get(const std::string& token, const std::string& name) {
    dv1::GetRequestRequest req;
    req.set_name(name);
    dv1::Request out;
    EXPECT_THAT(Call(token, [&](grpc::ClientContext* c) { return stub_->GetRequest(c, req, &out); }), IsOk());
    return out;
  }

  std::vector<std::string> Timeline(const std::string& name) {
    dv1::ListTimelineRequest req;
    req.set_name(name);
    dv1::ListTimelineResponse out;
    EXPECT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->ListTimeline(c, req, &out); }), IsOk());
    std::vector<std::string> actions;
    for (const auto& e : out.entries()) actions.push_back(e.action());
    return actions;
  }

  // Waits (up to 10 s) until `name` is in `state`.
  bool WaitFor(const std::string& name, dv1::RequestState state) {
    for (int i = 0; i < 100; ++i) {
      if (Get(admin_, name).state() == state) return true;
      absl::SleepFor(absl::Milliseconds(100));
    }
    return false;
  }

  std::string Written() {
    return absl::StrCat(probe_->Count("requests"), "/", probe_->Count("request_timeline"), "/",
                        probe_->Scalar("SELECT COALESCE(SUM(version),0) FROM requests"), "/", probe_->Count("outbox"));
  }

  // The same for one request: the sweeper may be moving others meanwhile.
  std::string WrittenFor(const std::string& name) {
    std::string id = name.substr(9);
    return absl::StrCat(probe_->Scalar(absl::StrCat("SELECT version FROM requests WHERE id = '", id, "'")), "/",
                        probe_->Count("request_timeline", absl::StrCat("request_id = '", id, "'")));
  }

  static TestKey* key_;
  static std::string *suffix_, *keys_file_, *clock_file_;
  static ServiceProcess *org_, *member_, *dispatch_;
  static std::atomic<int> counter_;
  std::unique_ptr<ov1::OrgService::Stub> org_stub_;
  std::unique_ptr<mv1::MemberService::Stub> member_stub_;
  std::unique_ptr<dv1::DispatchService::Stub> stub_;
  std::unique_ptr<SqlProbe> probe_;
  std::string admin_, secretary_, resident_;
  std::string district_, street_, community_, branch_, group_, compound_, building_, other_building_;
  std::vector<std::string> residents_;
};

inline TestKey* DispatchTest::key_ = nullptr;
inline std::string* DispatchTest::suffix_ = nullptr;
inline std::string* DispatchTest::keys_file_ = nullptr;
inline std::string* DispatchTest::clock_file_ = nullptr;
inline ServiceProcess* DispatchTest::org_ = nullptr;
inline ServiceProcess* DispatchTest::member_ = nullptr;
inline ServiceProcess* DispatchTest::dispatch_ = nullptr;
inline std::atomic<int> DispatchTest::counter_{0};

}  // namespace lianxin::testing

#endif  // LIANXIN_TESTS_DISPATCH_DISPATCH_TEST_BASE_H_
