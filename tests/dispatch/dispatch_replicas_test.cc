// Two dispatch replicas on one database. Each keeps the requests it last
// wrote in memory and changes them without reading first; the version in its
// UPDATE (and the guard after it) must catch every change the other replica
// made meanwhile, so that no change is lost and no refusal rests on an old
// row.
#include "tests/dispatch/dispatch_test_base.h"

namespace lianxin::testing {
namespace {

using ::testing::ElementsAre;

class DispatchReplicasTest : public DispatchTest {
 protected:
  void SetUp() override {
    DispatchTest::SetUp();
    other_ = std::make_unique<ServiceProcess>(
        "dispatch",
        ServiceOptions{*suffix_ + "_dispatch",
                       "",
                       {"--org_target=" + org_->target(), "--member_target=" + member_->target(),
                        "--keys_file=" + *keys_file_, IndexKeyFlag(), "--migrate=false"}},
        *key_);
    ASSERT_TRUE(other_->Start().ok()) << other_->Log();
    other_stub_ = dv1::DispatchService::NewStub(other_->Channel());
  }

  std::unique_ptr<ServiceProcess> other_;
  std::unique_ptr<dv1::DispatchService::Stub> other_stub_;
};

TEST_F(DispatchReplicasTest, AChangeOnOneReplicaIsNeverLostOnTheOther) {
  // Submitted through the first replica, which now holds the row.
  dv1::Request r, out;
  ASSERT_THAT(Submit(resident_, NewRequest(), &r, "", true), IsOk());
  // Dispatched through the other.
  dv1::DispatchRequestRequest d;
  d.set_name(r.name());
  d.set_member(residents_[0]);
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return other_stub_->DispatchRequest(c, d, &out); }), IsOk());
  // The first replica's row still says PENDING: accepting there must not be
  // refused on it.
  const std::string member = MemberToken(residents_[0]);
  dv1::AcceptRequestRequest a;
  a.set_name(r.name());
  ASSERT_THAT(Call(member, [&](grpc::ClientContext* c) { return stub_->AcceptRequest(c, a, &out); }), IsOk());
  EXPECT_EQ(out.state(), dv1::REQUEST_STATE_IN_PROGRESS);
  // Progress through the other replica; then resolving through the first,
  // whose row is one version behind: its conditional UPDATE finds nothing,
  // nothing is written, and it is done again on the row itself.
  dv1::RecordProgressRequest p;
  p.set_name(r.name());
  p.set_note("买了灯泡");
  p.set_minutes_spent(20);
  ASSERT_THAT(Call(member, [&](grpc::ClientContext* c) { return other_stub_->RecordProgress(c, p, &out); }), IsOk());
  dv1::ResolveRequestRequest res;
  res.set_name(r.name());
  res.set_resolution("已更换");
  res.set_minutes_spent(10);
  ASSERT_THAT(Call(member, [&](grpc::ClientContext* c) { return stub_->ResolveRequest(c, res, &out); }), IsOk());
  EXPECT_EQ(out.minutes_spent(), 20);  // the progress made on the other replica is kept
  EXPECT_EQ(out.etag(), "v5");
  EXPECT_THAT(Timeline(r.name()), ElementsAre("submit", "dispatch", "accept", "progress", "resolve"));
  EXPECT_EQ(WrittenFor(r.name()), "5/5");
  // An etag the first replica has not seen is still checked against the row.
  dv1::ConfirmRequestRequest conf;
  conf.set_name(r.name());
  conf.set_rating(5);
  conf.set_etag(out.etag());
  dv1::Request confirmed;
  ASSERT_THAT(Call(resident_, [&](grpc::ClientContext* c) { return other_stub_->ConfirmRequest(c, conf, &confirmed); }),
              IsOk());
  dv1::ReopenRequestRequest reopen;
  reopen.set_name(r.name());
  reopen.set_reason("又坏了");
  reopen.set_etag(confirmed.etag());
  EXPECT_THAT(Call(resident_, [&](grpc::ClientContext* c) { return stub_->ReopenRequest(c, reopen, &out); }),
              HasCode(grpc::FAILED_PRECONDITION));  // closed now, as the row says, not resolved as remembered
  EXPECT_EQ(WrittenFor(r.name()), "6/6");
}

TEST_F(DispatchReplicasTest, RacingGrabsAcrossReplicasHaveOneWinner) {
  dv1::Request r, out;
  ASSERT_THAT(Submit(resident_, NewRequest("policy"), &r, "", true), IsOk());
  dv1::OpenForGrabRequest o;
  o.set_name(r.name());
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->OpenForGrab(c, o, &out); }), IsOk());
  std::atomic<int> won{0}, taken{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&, i] {
      dv1::GrabRequestRequest g;
      g.set_name(r.name());
      dv1::Request got;
      auto& stub = i % 2 == 0 ? stub_ : other_stub_;
      grpc::Status s = Call(MemberToken(residents_[static_cast<size_t>(i)]),
                            [&](grpc::ClientContext* c) { return stub->GrabRequest(c, g, &got); });
      if (s.ok()) ++won;
      if (ErrorReason(s) == "ALREADY_TAKEN") ++taken;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(taken.load(), 5);
  EXPECT_EQ(WrittenFor(r.name()), "3/3");
}

}  // namespace
}  // namespace lianxin::testing
