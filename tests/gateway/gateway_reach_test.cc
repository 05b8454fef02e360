// Who reaches what through the gateway: every exposed method for every kind
// of caller, as the access table says; app backends calling for residents
// and for bound members only; systems kept to their methods; the limits.
#include <grpcpp/generic/generic_stub.h>

#include <condition_variable>
#include <mutex>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/access.h"
#include "common/status.h"
#include "services/clients/member/identity.h"
#include "tests/gateway/gateway_test_base.h"

namespace lianxin::testing {
namespace {

using ::testing::HasSubstr;

grpc::Status CallEmpty(grpc::GenericStub& stub, grpc::ClientContext* ctx, const std::string& path) {
  grpc::ByteBuffer request, response;
  grpc::Slice empty(std::string(""));
  request = grpc::ByteBuffer(&empty, 1);
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  grpc::Status out;
  stub.UnaryCall(ctx, path, grpc::StubOptions(), &request, &response, [&](grpc::Status s) {
    std::lock_guard<std::mutex> l(mu);
    out = s;
    done = true;
    cv.notify_one();
  });
  std::unique_lock<std::mutex> l(mu);
  cv.wait(l, [&] { return done; });
  return out;
}

class GatewayReachTest : public GatewayTest {
 protected:
  std::string NewMember() {
    int seq = counter_++;
    std::string first17 = absl::StrCat("430302", "19700101", absl::StrCat(1000 + seq % 1000).substr(1));
    mv1::CreateMemberRequest req;
    auto* m = req.mutable_member();
    m->set_display_name(absl::StrCat("党员", seq));
    m->set_gender(seq % 2 == 1 ? mv1::GENDER_MALE : mv1::GENDER_FEMALE);
    m->set_birth_date("1970-01-01");
    m->set_national_id(first17 + member::NationalIdCheckChar(first17));
    m->set_standing(mv1::STANDING_FULL);
    m->set_branch(branch_);
    mv1::Member out;
    grpc::ClientContext ctx;
    PrepareClientContext(&ctx, admin_, "", absl::Seconds(10));
    EXPECT_THAT(mv1::MemberService::NewStub(member_->Channel())->CreateMember(&ctx, req, &out), IsOk());
    return out.name();
  }
};

TEST_F(GatewayReachTest, EveryCallerReachesEveryMethodAsTheAccessTableSays) {
  struct Caller {
    std::string role, session, on_behalf;
  };
  std::vector<Caller> callers;
  for (const char* role : {"operator", "secretary", "auditor"}) {
    callers.push_back({role, Activate(absl::StrCat(role, counter_++), {role}, community_).session, ""});
  }
  const std::string me = NewMember();
  callers.push_back({"member", Activate(absl::StrCat("member", counter_++), {"member"}, branch_, me).session, ""});
  auto [app_id, app_secret] = CreateClient(gv1::CLIENT_KIND_APP_BACKEND, {"resident"}, {}, district_);
  const std::string app = SignInClient(app_id, app_secret);
  callers.push_back({"resident", app, absl::StrCat("residents/r", counter_++)});
  callers.push_back({"app", app, ""});
  std::vector<std::string> all = AccessTable::Builtin().Methods();
  auto [sys_id, sys_secret] = CreateClient(gv1::CLIENT_KIND_SYSTEM, {}, all, district_);
  callers.push_back({"system", SignInClient(sys_id, sys_secret), ""});

  grpc::GenericStub stub(*public_);
  int checked = 0;
  for (const std::string& method : all) {
    // Streams, and the two calls that would end or change the caller's own
    // session, are covered elsewhere.
    if (absl::EndsWith(method, "/WatchRequests") || absl::EndsWith(method, "/ImportMembers") ||
        absl::EndsWith(method, "/SignOut") || absl::EndsWith(method, "/BeginTotpEnrollment")) {
      continue;
    }
    for (const Caller& c : callers) {
      Principal p;
      p.subject = "x";
      p.roles = {c.role};
      p.org_scope = "*";
      const bool granted = AccessTable::Builtin().Check(p, method).ok();
      bool exposed = false;
      for (const std::string& role : AccessTable::Builtin().roles()) {
        Principal any = p;
        any.roles = {role};
        exposed |= AccessTable::Builtin().Check(any, method).ok();
      }
      auto ctx = Ctx(c.session, c.on_behalf);
      grpc::Status s = CallEmpty(stub, ctx.get(), "/" + method);
      ++checked;
      if (!exposed) {
        EXPECT_EQ(s.error_code(), grpc::StatusCode::UNIMPLEMENTED) << method << " as " << c.role;
      } else if (!granted) {
        EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << method << " as " << c.role;
        EXPECT_THAT(s.error_message(), HasSubstr("may not call")) << method << " as " << c.role;
      } else {
        EXPECT_THAT(s.error_message(), ::testing::Not(HasSubstr("may not call"))) << method << " as " << c.role;
        EXPECT_NE(s.error_code(), grpc::StatusCode::UNAUTHENTICATED) << method << " as " << c.role;
      }
    }
  }
  EXPECT_GT(checked, 600);
}

TEST_F(GatewayReachTest, AnAppBackendCallsForResidentsAndForBoundMembersOnly) {
  const std::string m = NewMember();
  mv1::GetMemberRequest get;
  get.set_name(m);
  mv1::Member out;
  // A backend allowed residents only cannot call for a member.
  auto [resident_app, rs] = CreateClient(gv1::CLIENT_KIND_APP_BACKEND, {"resident"}, {}, district_);
  const std::string ra = SignInClient(resident_app, rs);
  grpc::Status s = member_stub_->GetMember(Ctx(ra, m).get(), get, &out);
  EXPECT_THAT(s, HasCode(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_EQ(ReasonOf(FromGrpcStatus(s)), "ROLE_NOT_ALLOWED");
  // One allowed members too needs the member's binding.
  auto [both_app, bs] = CreateClient(gv1::CLIENT_KIND_APP_BACKEND, {"resident", "member"}, {}, district_);
  const std::string ba = SignInClient(both_app, bs);
  s = member_stub_->GetMember(Ctx(ba, m).get(), get, &out);
  EXPECT_EQ(ReasonOf(FromGrpcStatus(s)), "MEMBER_NOT_BOUND");
  // The secretary issues a code, the member gives it to the app, the app binds.
  Person secretary = Activate(absl::StrCat("sec", counter_++), {"secretary"}, community_);
  gv1::IssueBindingCodeRequest issue;
  issue.set_member(m);
  gv1::BindingCode code;
  ASSERT_THAT(accounts_->IssueBindingCode(Ctx(secretary.session).get(), issue, &code), IsOk());
  gv1::BindMemberRequest bind;
  bind.set_code(code.code());
  bind.set_app_user("app-user-77");
  gv1::MemberBinding binding;
  ASSERT_THAT(sessions_->BindMember(Ctx(ba).get(), bind, &binding), IsOk());
  EXPECT_EQ(binding.member(), m);
  ASSERT_THAT(member_stub_->GetMember(Ctx(ba, m).get(), get, &out), IsOk());
  EXPECT_EQ(out.name(), m);
  // The code is good once, and not for the other backend.
  EXPECT_THAT(sessions_->BindMember(Ctx(ra).get(), bind, &binding), HasCode(grpc::StatusCode::INVALID_ARGUMENT));
  // The member's token is the member's: another member's file is refused.
  get.set_name(NewMember());
  EXPECT_THAT(member_stub_->GetMember(Ctx(ba, m).get(), get, &out), HasCode(grpc::StatusCode::PERMISSION_DENIED));
  // A person cannot call on behalf of anyone.
  s = member_stub_->GetMember(Ctx(secretary.session, m).get(), get, &out);
  EXPECT_EQ(ReasonOf(FromGrpcStatus(s)), "NOT_AN_APP_BACKEND");
}

TEST_F(GatewayReachTest, ASystemCallsItsMethodsWithinItsSubtreeOnly) {
  auto [id, secret] = CreateClient(gv1::CLIENT_KIND_SYSTEM, {}, {"lianxin.org.v1.OrgService/GetOrgUnit"}, community_);
  const std::string sys = SignInClient(id, secret);
  ov1::GetOrgUnitRequest get;
  get.set_name(branch_);
  ov1::OrgUnit unit;
  EXPECT_THAT(org_stub_->GetOrgUnit(Ctx(sys).get(), get, &unit), IsOk());
  get.set_name(district_);
  EXPECT_THAT(org_stub_->GetOrgUnit(Ctx(sys).get(), get, &unit), HasCode(grpc::StatusCode::PERMISSION_DENIED));
  ov1::ListChildOrgUnitsRequest list;
  list.set_parent(community_);
  ov1::ListOrgUnitsResponse units;
  grpc::Status s = org_stub_->ListChildOrgUnits(Ctx(sys).get(), list, &units);
  EXPECT_THAT(s, HasCode(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_EQ(ReasonOf(FromGrpcStatus(s)), "METHOD_NOT_ALLOWED");
}

TEST_F(GatewayReachTest, LookupsOfPeopleHitTheirRateLimit) {
  Person op = Activate(absl::StrCat("op", counter_++), {"operator"}, district_);
  mv1::GetMemberRequest get;
  get.set_name(NewMember());
  mv1::Member out;
  grpc::Status s;
  int ok = 0;
  for (int i = 0; i < 20; ++i) {
    s = member_stub_->GetMember(Ctx(op.session).get(), get, &out);
    if (!s.ok()) break;
    ++ok;
  }
  EXPECT_EQ(ok, 10);  // the burst of the lookup class
  EXPECT_THAT(s, HasCode(grpc::StatusCode::RESOURCE_EXHAUSTED));
  EXPECT_EQ(ReasonOf(FromGrpcStatus(s)), "RATE_LIMITED");
  // Other classes are counted apart.
  ov1::GetOrgUnitRequest unit;
  unit.set_name(district_);
  ov1::OrgUnit u;
  EXPECT_THAT(org_stub_->GetOrgUnit(Ctx(op.session).get(), unit, &u), IsOk());
}

}  // namespace
}  // namespace lianxin::testing
