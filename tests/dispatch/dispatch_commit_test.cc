// Writes whose COMMIT answer is lost, over gRPC: a replica of the dispatch
// service reaches MariaDB through a proxy that forwards the next writing
// COMMIT and drops the connection before its answer. Each call must answer
// as it happened — done — and apply once.
#include "absl/strings/str_cat.h"
#include "tests/dispatch/dispatch_test_base.h"
#include "tests/support/cutting_proxy.h"

namespace lianxin::testing {
namespace {

class DispatchCommitTest : public DispatchTest {
 protected:
  std::vector<std::string> Actions(const std::string& request) {
    dv1::ListTimelineRequest req;
    req.set_name(request);
    dv1::ListTimelineResponse out;
    EXPECT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->ListTimeline(c, req, &out); }), IsOk());
    std::vector<std::string> actions;
    for (const auto& e : out.entries()) actions.push_back(e.action());
    return actions;
  }
};

TEST_F(DispatchCommitTest, AcceptProgressAndMeTooCutOffAfterCommitAnswerDoneAndApplyOnce) {
  CuttingProxy proxy;
  ServiceProcess replica(
      "dispatch",
      {*suffix_ + "_dispatch",
       "",
       {"--org_target=" + org_->target(), "--member_target=" + member_->target(), "--keys_file=" + *keys_file_,
        IndexKeyFlag(), "--db_socket=", "--db_host=127.0.0.1", absl::StrCat("--db_port=", proxy.port())}},
      *key_);
  ASSERT_TRUE(replica.Start().ok()) << replica.Log();
  auto cut = dv1::DispatchService::NewStub(replica.Channel());

  dv1::Request r, out;
  ASSERT_THAT(Submit(resident_, NewRequest(), &r, "", true), IsOk());
  dv1::DispatchRequestRequest d;
  d.set_name(r.name());
  d.set_member(residents_[2]);
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->DispatchRequest(c, d, &out); }), IsOk());
  const std::string member = MemberToken(residents_[2]);

  // Before: the batch ran again on the row it had just changed, and the
  // accept that had succeeded was refused as already in progress.
  proxy.Arm(Cut::kAfterCommitAnswered, "commit_markers");
  dv1::AcceptRequestRequest a;
  a.set_name(r.name());
  EXPECT_THAT(Call(member, [&](grpc::ClientContext* c) { return cut->AcceptRequest(c, a, &out); }), IsOk());
  EXPECT_EQ(out.state(), dv1::REQUEST_STATE_IN_PROGRESS);
  EXPECT_EQ(proxy.cuts(), 1);

  proxy.Arm(Cut::kAfterCommitAnswered, "commit_markers");
  dv1::RecordProgressRequest p;
  p.set_name(r.name());
  p.set_note("材料已买好");
  EXPECT_THAT(Call(member, [&](grpc::ClientContext* c) { return cut->RecordProgress(c, p, &out); }), IsOk());
  EXPECT_EQ(proxy.cuts(), 2);
  EXPECT_THAT(Actions(r.name()), ::testing::ElementsAre("submit", "dispatch", "accept", "progress"));

  proxy.Arm(Cut::kAfterCommitAnswered, "commit_markers");
  const std::string neighbour = key_->Token("neighbour-of-cut", {"resident"}, district_);
  dv1::MeTooRequest m;
  m.set_name(r.name());
  EXPECT_THAT(Call(neighbour, [&](grpc::ClientContext* c) { return cut->MeToo(c, m, &out); }), IsOk());
  EXPECT_EQ(proxy.cuts(), 3);
  dv1::GetRequestRequest g;
  g.set_name(r.name());
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->GetRequest(c, g, &out); }), IsOk());
  EXPECT_EQ(out.me_too_count(), 1);
  EXPECT_EQ(replica.Stop(), 0);
}

}  // namespace
}  // namespace lianxin::testing
