// A running org service (one process per test binary) on the test MariaDB,
// a stub, tokens and helpers shared by the org service tests.
#ifndef LIANXIN_TESTS_ORG_ORG_TEST_BASE_H_
#define LIANXIN_TESTS_ORG_ORG_TEST_BASE_H_

#include <atomic>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/client.h"
#include "gtest/gtest.h"
#include "lianxin/org/v1/org_service.grpc.pb.h"
#include "tests/support/harness.h"

namespace lianxin::testing {

namespace v1 = ::lianxin::org::v1;

class OrgServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    key_ = new TestKey();
    db_name_ = new std::string(UniqueDbName("org"));
    service_ = new ServiceProcess("org", {*db_name_, "", {}}, *key_);
    absl::Status s = service_->Start();
    ASSERT_TRUE(s.ok()) << s;
  }
  static void TearDownTestSuite() {
    delete service_;
    delete key_;
    delete db_name_;
  }

  void SetUp() override {
    stub_ = v1::OrgService::NewStub(service_->Channel());
    probe_ = std::make_unique<SqlProbe>(TestDbSocket(), *db_name_);
    admin_ = key_->Token("admin", {"operator"}, "*");
    // A fresh district per test: 区 → 街道 → 社区 → 支部.
    district_ = MustCreate("", v1::ORG_UNIT_TYPE_DISTRICT_COMMITTEE, "区委");
    street_ = MustCreate(district_, v1::ORG_UNIT_TYPE_STREET_WORKING_COMMITTEE, "街道党工委");
    community_ = MustCreate(street_, v1::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE, "社区党委");
    branch_ = MustCreate(community_, v1::ORG_UNIT_TYPE_BRANCH, "第一党支部");
  }

  std::string NextCode() { return absl::StrCat("C", counter_++); }

  grpc::Status Create(const std::string& token, const std::string& parent, v1::OrgUnitType type,
                      const std::string& name, v1::OrgUnit* out, const std::string& request_id = "",
                      const std::string& code = "") {
    v1::CreateOrgUnitRequest req;
    req.mutable_org_unit()->set_parent(parent);
    req.mutable_org_unit()->set_type(type);
    req.mutable_org_unit()->set_display_name(name);
    req.mutable_org_unit()->set_code(code.empty() ? NextCode() : code);
    req.set_request_id(request_id);
    return Call(token, [&](grpc::ClientContext* c) { return stub_->CreateOrgUnit(c, req, out); });
  }

  std::string MustCreate(const std::string& parent, v1::OrgUnitType type, const std::string& name) {
    v1::OrgUnit out;
    grpc::Status s = Create(admin_, parent, type, name, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out.name();
  }

  // A place of community_ (parent "" for a compound).
  v1::Place NewPlace(const std::string& parent, v1::PlaceKind kind, const std::string& name) {
    v1::CreatePlaceRequest req;
    req.mutable_place()->set_community(community_);
    req.mutable_place()->set_parent(parent);
    req.mutable_place()->set_kind(kind);
    req.mutable_place()->set_display_name(name);
    v1::Place out;
    EXPECT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->CreatePlace(c, req, &out); }), IsOk());
    return out;
  }

  v1::OrgUnit Get(const std::string& name) {
    v1::GetOrgUnitRequest req;
    req.set_name(name);
    v1::OrgUnit out;
    grpc::Status s = Call(admin_, [&](grpc::ClientContext* c) { return stub_->GetOrgUnit(c, req, &out); });
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  template <typename F>
  grpc::Status Call(const std::string& token, F f) {
    grpc::ClientContext ctx;
    PrepareClientContext(&ctx, token, "", absl::Seconds(10));
    return f(&ctx);
  }

  static std::string Id(const std::string& name) { return name.substr(name.find('/') + 1); }

  // Row counts of every table a failed call must leave alone.
  std::string Snapshot() {
    return absl::StrCat(probe_->Count("org_units"), "/", probe_->Count("history"), "/", probe_->Count("request_ids"),
                        "/", probe_->Count("org_positions"), "/", probe_->Count("org_places"), "/",
                        probe_->Count("org_coverage"), "/", probe_->Count("org_partners"), "/",
                        probe_->Scalar("SELECT COALESCE(SUM(version),0) FROM org_units"));
  }

  static TestKey* key_;
  static std::string* db_name_;
  static ServiceProcess* service_;
  static std::atomic<int> counter_;
  std::unique_ptr<v1::OrgService::Stub> stub_;
  std::unique_ptr<SqlProbe> probe_;
  std::string admin_;
  std::string district_, street_, community_, branch_;
};

inline TestKey* OrgServiceTest::key_ = nullptr;
inline std::string* OrgServiceTest::db_name_ = nullptr;
inline ServiceProcess* OrgServiceTest::service_ = nullptr;
inline std::atomic<int> OrgServiceTest::counter_{0};

}  // namespace lianxin::testing

#endif  // LIANXIN_TESTS_ORG_ORG_TEST_BASE_H_
