// The gateway's forwarding: request ids there and back, methods it does not
// expose, streams both ways through it, deadlines and cancellation passed
// on, and retries only where a method is idempotent.
#include <grpcpp/generic/generic_stub.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "services/clients/member/identity.h"
#include "services/clients/member/import_client.h"
#include "tests/gateway/gateway_test_base.h"

namespace lianxin::testing {
namespace {

using ::testing::HasSubstr;

class GatewayProxyTest : public GatewayTest {
 protected:
  void SetUp() override {
    GatewayTest::SetUp();
    if (op_ == nullptr) op_ = new Person(Activate(absl::StrCat("proxy-op", counter_++), {"operator"}, "*"));
  }
  static void TearDownTestSuite() {
    delete op_;
    op_ = nullptr;
    GatewayTest::TearDownTestSuite();
  }
  static std::string Initial(grpc::ClientContext& ctx, const std::string& key) {
    auto it = ctx.GetServerInitialMetadata().find(key);
    return it == ctx.GetServerInitialMetadata().end() ? "" : std::string(it->second.data(), it->second.size());
  }
  static Person* op_;
};
Person* GatewayProxyTest::op_ = nullptr;

TEST_F(GatewayProxyTest, TheRequestIdGoesOnToTheServiceAndComesBack) {
  auto ctx = Ctx(op_->session);
  ctx->AddMetadata("x-request-id", "gw-req-0001");
  ov1::CreateOrgUnitRequest req;
  req.mutable_org_unit()->set_parent(district_);
  req.mutable_org_unit()->set_type(ov1::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE);
  req.mutable_org_unit()->set_code(absl::StrCat("RID", counter_++));
  req.mutable_org_unit()->set_display_name("社区");
  ov1::OrgUnit out;
  ASSERT_THAT(org_stub_->CreateOrgUnit(ctx.get(), req, &out), IsOk());
  EXPECT_EQ(Initial(*ctx, "x-request-id"), "gw-req-0001");
  // The org service wrote it into the unit's history, with the operator's account as the actor.
  SqlProbe org_db(TestDbSocket(), *suffix_ + "_org");
  EXPECT_EQ(org_db.Count("history", absl::StrCat("request_id = 'gw-req-0001' AND owner = '", out.name(), "'")), 1);
  // A call without one gets one made up, and hears it.
  ov1::GetOrgUnitRequest get;
  get.set_name(out.name());
  auto ctx2 = Ctx(op_->session);
  ASSERT_THAT(org_stub_->GetOrgUnit(ctx2.get(), get, &out), IsOk());
  EXPECT_FALSE(Initial(*ctx2, "x-request-id").empty());
}

TEST_F(GatewayProxyTest, MethodsBetweenServicesAndUnknownMethodsAreNotThere) {
  mv1::CountMembersRequest req;
  mv1::CountMembersResponse out;
  grpc::Status internal = member_stub_->CountMembers(Ctx(op_->session).get(), req, &out);
  EXPECT_THAT(internal, HasCode(grpc::StatusCode::UNIMPLEMENTED));
  grpc::GenericStub generic(*public_);
  grpc::ByteBuffer request, response;
  std::string empty;
  grpc::Slice slice(empty);
  request = grpc::ByteBuffer(&slice, 1);
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  grpc::Status unknown;
  auto ctx = Ctx(op_->session);
  generic.UnaryCall(ctx.get(), "/lianxin.org.v1.OrgService/DropEverything", grpc::StubOptions(), &request, &response,
                    [&](grpc::Status s) {
                      std::lock_guard<std::mutex> l(mu);
                      unknown = s;
                      done = true;
                      cv.notify_one();
                    });
  std::unique_lock<std::mutex> l(mu);
  cv.wait(l, [&] { return done; });
  EXPECT_THAT(unknown, HasCode(grpc::StatusCode::UNIMPLEMENTED));
  // The two answers say the same: nothing tells an internal method from none.
  EXPECT_THAT(internal.error_message(), HasSubstr("no method"));
}

TEST_F(GatewayProxyTest, AnImportStreamsBothWaysThroughTheGateway) {
  std::vector<mv1::ImportRow> rows;
  for (int i = 0; i < 12; ++i) {
    mv1::ImportRow row;
    row.set_row(i + 1);
    auto* m = row.mutable_member();
    int seq = counter_++;
    std::string first17 = absl::StrCat("430302", "19650101", absl::StrCat(1000 + seq % 1000).substr(1));
    m->set_display_name(absl::StrCat("党员", seq));
    m->set_gender(seq % 2 == 1 ? mv1::GENDER_MALE : mv1::GENDER_FEMALE);  // the ID's 17th digit
    m->set_birth_date("1965-01-01");
    m->set_national_id(first17 + member::NationalIdCheckChar(first17));
    m->set_standing(mv1::STANDING_FULL);
    m->set_branch(branch_);
    rows.push_back(row);
  }
  mv1::ImportOptions options;
  options.set_source("网关导入");
  std::vector<int> progress;
  auto report = member::StreamImport(*member_stub_, op_->session, options, rows, 5,
                                     [&](const mv1::ImportProgress& p) { progress.push_back(p.received()); });
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_THAT(progress, ::testing::ElementsAre(5, 10, 12));
  EXPECT_EQ(report->progress().created(), 12);
}

TEST_F(GatewayProxyTest, AWatchStreamsThroughTheGatewayAndEndsAtItsDeadline) {
  dv1::CreateCategoryRequest cat;
  cat.set_parent(district_);
  cat.set_category_id("repair");
  cat.mutable_category()->set_display_name("维修");
  cat.mutable_category()->set_limit_hours(4);
  dv1::Category category;
  ASSERT_THAT(dispatch_stub_->CreateCategory(Ctx(op_->session).get(), cat, &category), IsOk());
  ov1::CreatePlaceRequest place;
  place.mutable_place()->set_community(community_);
  place.mutable_place()->set_kind(ov1::PLACE_KIND_BUILDING);
  place.mutable_place()->set_display_name("1号楼");
  ov1::Place building;
  ASSERT_THAT(org_stub_->CreatePlace(Ctx(op_->session).get(), place, &building), IsOk());

  auto [app_id, app_secret] = CreateClient(gv1::CLIENT_KIND_APP_BACKEND, {"resident"}, {}, district_);
  std::string app = SignInClient(app_id, app_secret);
  const std::string resident = absl::StrCat("residents/r", counter_++);
  auto watch_ctx = Ctx(app, resident, absl::Seconds(4));
  dv1::WatchRequestsRequest watch;
  auto reader = dispatch_stub_->WatchRequests(watch_ctx.get(), watch);

  dv1::SubmitRequestRequest submit;
  auto* r = submit.mutable_request();
  r->set_category(category.name());
  r->set_description("楼道灯坏了，晚上看不见");
  r->set_place(building.name());
  r->set_address("3单元");
  r->set_contact_phone("13812345678");
  r->set_urgency(dv1::URGENCY_NORMAL);
  dv1::Request created;
  ASSERT_THAT(dispatch_stub_->SubmitRequest(Ctx(app, resident).get(), submit, &created), IsOk());
  dv1::RequestChange change;
  ASSERT_TRUE(reader->Read(&change)) << reader->Finish().error_message();
  EXPECT_EQ(change.request(), created.name());
  // Nothing more comes; the caller's deadline ends the stream at the service.
  const absl::Time start = absl::Now();
  while (reader->Read(&change)) {
  }
  EXPECT_THAT(reader->Finish(), HasCode(grpc::StatusCode::DEADLINE_EXCEEDED));
  EXPECT_LT(absl::Now() - start, absl::Seconds(8));
}

TEST_F(GatewayProxyTest, ASecretarysToDosComeThroughTheGateway) {
  // A post of the community whose term ends in 60 days, held by a member on file.
  mv1::CreateMemberRequest file;
  const int seq = counter_++;
  std::string first17 = absl::StrCat("430302", "19710101", absl::StrCat(1000 + seq % 1000).substr(1));
  file.mutable_member()->set_display_name("李书记");
  file.mutable_member()->set_gender(seq % 2 == 1 ? mv1::GENDER_MALE : mv1::GENDER_FEMALE);  // the ID's 17th digit
  file.mutable_member()->set_birth_date("1971-01-01");
  file.mutable_member()->set_national_id(first17 + member::NationalIdCheckChar(first17));
  file.mutable_member()->set_standing(mv1::STANDING_FULL);
  file.mutable_member()->set_branch(branch_);
  mv1::Member holder;
  ASSERT_THAT(member_stub_->CreateMember(Ctx(op_->session).get(), file, &holder), IsOk());
  ov1::CreatePositionRequest create;
  create.mutable_position()->set_org_unit(community_);
  create.mutable_position()->set_role(ov1::POSITION_ROLE_SECRETARY);
  create.mutable_position()->set_member(holder.name());
  create.mutable_position()->set_holder_display_name("李书记");
  create.mutable_position()->set_term_start(BeijingDate(absl::Now() - absl::Hours(24 * 1000)));
  create.mutable_position()->set_term_end(BeijingDate(absl::Now() + absl::Hours(24 * 60)));
  ov1::Position post;
  ASSERT_THAT(org_stub_->CreatePosition(Ctx(op_->session).get(), create, &post), IsOk());

  // The community's secretary hears it on the stream, then finds it listed.
  Person secretary = Activate(absl::StrCat("todo-sec", counter_++), {"secretary"}, community_);
  auto watch_ctx = Ctx(secretary.session, "", absl::Seconds(15));
  ov1::WatchTodosRequest watch;
  watch.set_parent(community_);
  auto reader = org_stub_->WatchTodos(watch_ctx.get(), watch);
  ov1::TodoChange change;
  bool heard = false;
  while (!heard && reader->Read(&change)) heard = change.todo().subject() == post.name();
  watch_ctx->TryCancel();
  reader->Finish();
  ASSERT_TRUE(heard);
  EXPECT_EQ(change.action(), ov1::TODO_ACTION_OPENED);
  EXPECT_EQ(change.todo().kind(), ov1::TODO_KIND_TERM_ENDS_WITHIN_90_DAYS);
  ov1::ListTodosRequest list;
  list.set_parent(community_);
  ov1::ListTodosResponse listed;
  ASSERT_THAT(org_stub_->ListTodos(Ctx(secretary.session).get(), list, &listed), IsOk());
  ASSERT_EQ(listed.todos_size(), 1);
  EXPECT_EQ(listed.todos(0).subject(), post.name());
  // A member has no to-do list.
  Person member = Activate(absl::StrCat("todo-member", counter_++), {"member"}, branch_, holder.name());
  EXPECT_THAT(org_stub_->ListTodos(Ctx(member.session).get(), list, &listed), HasCode(grpc::PERMISSION_DENIED));
}

TEST_F(GatewayProxyTest, ACancelledWatchEndsAtTheService) {
  auto [app_id, app_secret] = CreateClient(gv1::CLIENT_KIND_APP_BACKEND, {"resident"}, {}, district_);
  std::string app = SignInClient(app_id, app_secret);
  const double before = MetricTotal(dispatch_->metrics_port(), "grpc_server_handled_total");
  auto ctx = Ctx(app, absl::StrCat("residents/r", counter_++), absl::Seconds(60));
  dv1::WatchRequestsRequest watch;
  auto reader = dispatch_stub_->WatchRequests(ctx.get(), watch);
  absl::SleepFor(absl::Milliseconds(300));
  ctx->TryCancel();
  dv1::RequestChange change;
  EXPECT_FALSE(reader->Read(&change));
  EXPECT_THAT(reader->Finish(), HasCode(grpc::StatusCode::CANCELLED));
  // The dispatch service saw its stream end (not after the 60 s deadline).
  bool ended = false;
  for (int i = 0; i < 50 && !ended; ++i) {
    ended = MetricTotal(dispatch_->metrics_port(), "grpc_server_handled_total") > before;
    if (!ended) absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_TRUE(ended);
}

// A gateway whose org service is away: reads are tried again, writes never.
class GatewayRetryTest : public GatewayTest {};

TEST_F(GatewayRetryTest, OnlyIdempotentMethodsAreTriedAgainOnUnavailable) {
  Person op = Activate(absl::StrCat("retry-op", counter_++), {"operator"}, "*");
  const std::string keys = *keys_dir_;
  ServiceProcess lonely(
      "gateway",
      {*suffix_ + "_gateway",
       "",
       {"--public_listen=127.0.0.1:0", "--http_listen=127.0.0.1:0", absl::StrCat("--org_target=127.0.0.1:", FreePort()),
        "--member_target=" + member_->target(), "--dispatch_target=" + dispatch_->target(),
        "--activity_target=" + activity_->target(), "--gateway_keys_file=" + keys + "/fields.keys",
        "--gateway_index_key_file=" + keys + "/fields.index"}},
      *key_);
  ASSERT_TRUE(lonely.Start().ok()) << lonely.Log();
  auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", lonely.ReadyField("public_grpc_port")),
                                     grpc::InsecureChannelCredentials());
  auto org = ov1::OrgService::NewStub(channel);
  ov1::GetOrgUnitRequest get;
  get.set_name(district_);
  ov1::OrgUnit out;
  EXPECT_THAT(org->GetOrgUnit(Ctx(op.session).get(), get, &out), HasCode(grpc::StatusCode::UNAVAILABLE));
  EXPECT_EQ(MetricTotal(lonely.metrics_port(), "gateway_retries_total"), 2);
  ov1::CreateOrgUnitRequest create;
  create.mutable_org_unit()->set_parent(district_);
  create.mutable_org_unit()->set_type(ov1::ORG_UNIT_TYPE_BRANCH);
  create.mutable_org_unit()->set_code("NEVER");
  create.mutable_org_unit()->set_display_name("支部");
  EXPECT_THAT(org->CreateOrgUnit(Ctx(op.session).get(), create, &out), HasCode(grpc::StatusCode::UNAVAILABLE));
  EXPECT_EQ(MetricTotal(lonely.metrics_port(), "gateway_retries_total"), 2);
}

}  // namespace
}  // namespace lianxin::testing
