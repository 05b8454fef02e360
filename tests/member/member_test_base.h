// An org service and a member service process on the test MariaDB, with a
// fresh district per test: 区 → 街道 → two communities, each with a branch.
#ifndef LIANXIN_TESTS_MEMBER_MEMBER_TEST_BASE_H_
#define LIANXIN_TESTS_MEMBER_MEMBER_TEST_BASE_H_

#include <atomic>
#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/client.h"
#include "gtest/gtest.h"
#include "lianxin/member/v1/member_service.grpc.pb.h"
#include "lianxin/org/v1/org_service.grpc.pb.h"
#include "services/clients/member/identity.h"
#include "tests/support/harness.h"

namespace lianxin::testing {

namespace mv1 = ::lianxin::member::v1;
namespace ov1 = ::lianxin::org::v1;

class MemberServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    key_ = new TestKey();
    suffix_ = new std::string(UniqueDbName("m"));
    // The org service calls the member service back (members of a unit,
    // residents of buildings): the member port is chosen before either starts.
    int member_port = FreePort();
    org_ = new ServiceProcess("org", {*suffix_ + "_org", "", {absl::StrCat("--member_target=127.0.0.1:", member_port)}},
                              *key_);
    ASSERT_TRUE(org_->Start().ok()) << org_->Log();
    keys_file_ = new std::string(TempDir("keys") + "/member.keys");
    std::vector<std::string> field_keys = WriteFieldKeys(keys_file_->substr(0, keys_file_->rfind('/')), "member");
    member_ = new ServiceProcess("member",
                                 {*suffix_ + "_member",
                                  "",
                                  {absl::StrCat("--org_target=", org_->target()), field_keys[0], field_keys[1],
                                   absl::StrCat("--listen=127.0.0.1:", member_port), "--identity_matches_per_day=3"}},
                                 *key_);
    ASSERT_TRUE(member_->Start().ok()) << member_->Log();
  }
  // The blind-index key file beside keys_file_.
  static std::string IndexKeyFlag() {
    return "--index_key_file=" + keys_file_->substr(0, keys_file_->rfind('/')) + "/member.index";
  }
  static void TearDownTestSuite() {
    delete member_;
    delete org_;
    delete key_;
    delete suffix_;
    RemoveTempDir(keys_file_->substr(0, keys_file_->rfind('/')));
    delete keys_file_;
  }

  void SetUp() override {
    org_stub_ = ov1::OrgService::NewStub(org_->Channel());
    stub_ = mv1::MemberService::NewStub(member_->Channel());
    probe_ = std::make_unique<SqlProbe>(TestDbSocket(), *suffix_ + "_member");
    admin_ = key_->Token("admin", {"operator"}, "*");
    district_ = Unit("", ov1::ORG_UNIT_TYPE_DISTRICT_COMMITTEE);
    street_ = Unit(district_, ov1::ORG_UNIT_TYPE_STREET_WORKING_COMMITTEE);
    community_ = Unit(street_, ov1::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE);
    branch_ = Unit(community_, ov1::ORG_UNIT_TYPE_BRANCH);
    other_community_ = Unit(street_, ov1::ORG_UNIT_TYPE_GENERAL_BRANCH);
    other_branch_ = Unit(other_community_, ov1::ORG_UNIT_TYPE_BRANCH);
    secretary_ = key_->Token("sec-1", {"secretary"}, community_);
  }

  std::string Unit(const std::string& parent, ov1::OrgUnitType type) {
    ov1::CreateOrgUnitRequest req;
    req.mutable_org_unit()->set_parent(parent);
    req.mutable_org_unit()->set_type(type);
    req.mutable_org_unit()->set_code(absl::StrCat("U", counter_++));
    req.mutable_org_unit()->set_display_name("单位");
    ov1::OrgUnit out;
    grpc::ClientContext ctx;
    PrepareClientContext(&ctx, admin_, "", absl::Seconds(10));
    grpc::Status s = org_stub_->CreateOrgUnit(&ctx, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out.name();
  }

  std::string Place(const std::string& community, const std::string& parent, ov1::PlaceKind kind) {
    ov1::CreatePlaceRequest req;
    req.mutable_place()->set_community(community);
    req.mutable_place()->set_parent(parent);
    req.mutable_place()->set_kind(kind);
    req.mutable_place()->set_display_name("楼");
    ov1::Place out;
    grpc::ClientContext ctx;
    PrepareClientContext(&ctx, admin_, "", absl::Seconds(10));
    EXPECT_TRUE(org_stub_->CreatePlace(&ctx, req, &out).ok());
    return out.name();
  }

  // A valid national ID for someone born on `birth` (YYYYMMDD); male if odd `seq`.
  static std::string NationalId(const std::string& birth, int seq) {
    std::string first17 = absl::StrCat("430302", birth, seq < 10 ? "00" : (seq < 100 ? "0" : ""), seq);
    return first17 + member::NationalIdCheckChar(first17);
  }

  mv1::Member NewMember(const std::string& branch, int seq) {
    mv1::Member m;
    m.set_display_name(absl::StrCat("党员", seq));
    m.set_gender(seq % 2 == 1 ? mv1::GENDER_MALE : mv1::GENDER_FEMALE);
    m.set_ethnicity("汉族");
    m.set_birth_date("1960-05-01");
    m.set_national_id(NationalId("19600501", seq));
    m.set_phone(absl::StrCat("1390000", 1000 + seq));
    m.set_standing(mv1::STANDING_FULL);
    m.set_join_date("1985-07-01");
    m.add_categories(mv1::CATEGORY_RETIRED);
    m.set_branch(branch);
    return m;
  }

  // A masked answer holds neither digits 7–14 of `national_id` (the birth
  // date in it) nor the whole birth date: with either, the hidden digits of a
  // masked ID follow from its check digit.
  static void ExpectNoBirthDate(const google::protobuf::Message& answer, const std::string& national_id) {
    std::string text = answer.DebugString();
    std::string digits = national_id.substr(6, 8);
    std::string date = absl::StrCat(digits.substr(0, 4), "-", digits.substr(4, 2), "-", digits.substr(6, 2));
    EXPECT_EQ(text.find(digits), std::string::npos) << text;
    EXPECT_EQ(text.find(date), std::string::npos) << text;
  }

  template <typename F>
  grpc::Status Call(const std::string& token, F f) {
    grpc::ClientContext ctx;
    PrepareClientContext(&ctx, token, "", absl::Seconds(10));
    return f(&ctx);
  }

  grpc::Status Create(const std::string& token, const mv1::Member& m, mv1::Member* out,
                      const std::string& request_id = "", bool reveal = false) {
    mv1::CreateMemberRequest req;
    *req.mutable_member() = m;
    req.set_request_id(request_id);
    req.set_reveal(reveal);
    return Call(token, [&](grpc::ClientContext* c) { return stub_->CreateMember(c, req, out); });
  }

  std::string Snapshot() {
    return absl::StrCat(probe_->Count("members"), "/", probe_->Count("history"), "/",
                        probe_->Count("member_disclosures"), "/", probe_->Count("member_skills"), "/",
                        probe_->Count("request_ids"), "/",
                        probe_->Scalar("SELECT COALESCE(SUM(version),0) FROM members"));
  }

  static TestKey* key_;
  static std::string* suffix_;
  static std::string* keys_file_;
  static ServiceProcess* org_;
  static ServiceProcess* member_;
  static std::atomic<int> counter_;
  std::unique_ptr<ov1::OrgService::Stub> org_stub_;
  std::unique_ptr<mv1::MemberService::Stub> stub_;
  std::unique_ptr<SqlProbe> probe_;
  std::string admin_, secretary_;
  std::string district_, street_, community_, branch_, other_community_, other_branch_;
};

inline TestKey* MemberServiceTest::key_ = nullptr;
inline std::string* MemberServiceTest::suffix_ = nullptr;
inline std::string* MemberServiceTest::keys_file_ = nullptr;
inline ServiceProcess* MemberServiceTest::org_ = nullptr;
inline ServiceProcess* MemberServiceTest::member_ = nullptr;
inline std::atomic<int> MemberServiceTest::counter_{0};

}  // namespace lianxin::testing

#endif  // LIANXIN_TESTS_MEMBER_MEMBER_TEST_BASE_H_
