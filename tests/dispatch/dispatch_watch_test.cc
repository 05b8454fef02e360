// WatchRequests on one replica: one poll for all its subscribers, fanned out
// to the ones who hear of each change.
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "tests/dispatch/dispatch_test_base.h"

namespace lianxin::testing {
namespace {

using ::testing::ElementsAre;

// Statements the service has sent to the database so far, over all pools.
double QueriesSoFar(int metrics_port) { return MetricTotal(metrics_port, "db_query_duration_seconds_count"); }

class DispatchWatchTest : public DispatchTest {};

TEST_F(DispatchWatchTest, IdleSubscribersCostNoQueriesAndEachHearsOnlyOfItsOwn) {
  constexpr int kSubscribers = 40;
  struct Subscription {
    std::string token;
    grpc::ClientContext ctx;
    absl::Mutex mu;
    std::vector<dv1::RequestChange> got;
    std::thread reader;
  };
  // What the replica asks of the database in two seconds with no subscriber
  // (its sweeper, the settled seqs), then with forty idle ones.
  double start = QueriesSoFar(dispatch_->metrics_port());
  absl::SleepFor(absl::Seconds(2));
  const double alone = QueriesSoFar(dispatch_->metrics_port()) - start;

  std::vector<std::unique_ptr<Subscription>> subs;
  for (int i = 0; i < kSubscribers; ++i) {
    auto s = std::make_unique<Subscription>();
    s->token = key_->Token(absl::StrCat("watcher-", i), {"resident"}, district_);
    PrepareClientContext(&s->ctx, s->token, "", absl::Seconds(60));
    Subscription* raw = s.get();
    s->reader = std::thread([this, raw] {
      dv1::WatchRequestsRequest req;
      auto reader = stub_->WatchRequests(&raw->ctx, req);
      dv1::RequestChange change;
      while (reader->Read(&change)) {
        absl::MutexLock lock(&raw->mu);
        raw->got.push_back(change);
      }
      reader->Finish().IgnoreError();
    });
    subs.push_back(std::move(s));
  }
  absl::SleepFor(absl::Seconds(1));  // each has caught up (nothing to read) and is fed by the replica's poll

  // A poll every 250 ms: the same few queries, not one more per subscriber
  // per poll (that was 320 more).
  start = QueriesSoFar(dispatch_->metrics_port());
  absl::SleepFor(absl::Seconds(2));
  const double idle = QueriesSoFar(dispatch_->metrics_port()) - start;
  EXPECT_LT(idle, alone + 20) << "queries in 2 s: " << alone << " alone, " << idle << " with " << kSubscribers
                              << " idle subscribers";

  // Three of them submit: each hears of its own request, nobody else of any.
  std::vector<std::string> names;
  for (int i = 0; i < 3; ++i) {
    dv1::Request r;
    ASSERT_THAT(Submit(subs[static_cast<size_t>(i)]->token, NewRequest(), &r, "", true), IsOk());
    names.push_back(r.name());
  }
  for (int waited = 0; waited < 100; ++waited) {
    bool all = true;
    for (int i = 0; i < 3; ++i) {
      absl::MutexLock lock(&subs[static_cast<size_t>(i)]->mu);
      all = all && !subs[static_cast<size_t>(i)]->got.empty();
    }
    if (all) break;
    absl::SleepFor(absl::Milliseconds(50));
  }
  absl::SleepFor(absl::Milliseconds(600));  // time for anything misdelivered to arrive
  for (auto& s : subs) s->ctx.TryCancel();
  for (auto& s : subs) s->reader.join();
  for (int i = 0; i < kSubscribers; ++i) {
    const Subscription& s = *subs[static_cast<size_t>(i)];
    if (i < 3) {
      ASSERT_EQ(s.got.size(), 1u) << "subscriber " << i;
      EXPECT_EQ(s.got[0].request(), names[static_cast<size_t>(i)]);
      EXPECT_EQ(s.got[0].entry().action(), "submit");
    } else {
      EXPECT_TRUE(s.got.empty()) << "subscriber " << i << " heard of another's request";
    }
  }
}

TEST_F(DispatchWatchTest, AReplicaServesAtMostItsSettingOfStreams) {
  // A second replica of the service, on the same database, set to two.
  ServiceProcess replica("dispatch",
                         {*suffix_ + "_dispatch",
                          "",
                          {"--org_target=" + org_->target(), "--member_target=" + member_->target(),
                           "--keys_file=" + *keys_file_, IndexKeyFlag(), "--watch_streams_per_replica=2"}},
                         *key_);
  ASSERT_TRUE(replica.Start().ok()) << replica.Log();
  auto stub = dv1::DispatchService::NewStub(replica.Channel());
  struct Open {
    grpc::ClientContext ctx;
    std::unique_ptr<grpc::ClientReader<dv1::RequestChange>> reader;
  };
  dv1::WatchRequestsRequest req;
  std::vector<std::unique_ptr<Open>> open;
  for (int i = 0; i < 2; ++i) {  // two callers, one stream each
    open.push_back(std::make_unique<Open>());
    PrepareClientContext(&open.back()->ctx, key_->Token(absl::StrCat("replica-watcher-", i), {"resident"}, district_),
                         "", absl::Seconds(30));
    open.back()->reader = stub->WatchRequests(&open.back()->ctx, req);
  }
  absl::SleepFor(absl::Milliseconds(500));  // both are being served
  auto third = [&](dv1::DispatchService::Stub& on) {
    grpc::ClientContext ctx;
    PrepareClientContext(&ctx, key_->Token("replica-watcher-3", {"resident"}, district_), "", absl::Milliseconds(800));
    auto reader = on.WatchRequests(&ctx, req);
    dv1::RequestChange change;
    while (reader->Read(&change)) {
    }
    return reader->Finish();
  };
  grpc::Status refused = third(*stub);
  EXPECT_THAT(refused, HasCode(grpc::RESOURCE_EXHAUSTED));
  EXPECT_EQ(ErrorReason(refused), "WATCH_STREAMS_PER_REPLICA");
  EXPECT_THAT(third(*stub_), HasCode(grpc::DEADLINE_EXCEEDED));  // the other replica serves it until its deadline
  for (auto& o : open) o->ctx.TryCancel();
  for (auto& o : open) o->reader->Finish().IgnoreError();
  EXPECT_EQ(replica.Stop(), 0);
}

// A resident who said "me too" follows the request on their stream, live and
// after a resume, without the requester's details; a resident who did not
// hears nothing of it.
TEST_F(DispatchWatchTest, AResidentWhoSaidMeTooHearsOfTheRequestLiveAndOnResume) {
  const std::string asker = key_->Token(absl::StrCat("asker-", counter_++), {"resident"}, district_);
  const std::string joiner = key_->Token(absl::StrCat("joiner-", counter_++), {"resident"}, district_);
  const std::string other = key_->Token(absl::StrCat("other-", counter_++), {"resident"}, district_);
  dv1::Request r, out;
  ASSERT_THAT(Submit(asker, NewRequest(), &r, "", true), IsOk());
  dv1::MeTooRequest me_too;
  me_too.set_name(r.name());
  ASSERT_THAT(Call(joiner, [&](grpc::ClientContext* c) { return stub_->MeToo(c, me_too, &out); }), IsOk());

  struct Stream {
    grpc::ClientContext ctx;
    absl::Mutex mu;
    std::vector<dv1::RequestChange> got;
    std::thread reader;
  };
  auto open = [&](const std::string& token, int64_t after) {
    auto s = std::make_unique<Stream>();
    PrepareClientContext(&s->ctx, token, "", absl::Seconds(60));
    Stream* raw = s.get();
    s->reader = std::thread([this, raw, after] {
      dv1::WatchRequestsRequest req;
      req.set_after_seq(after);
      auto reader = stub_->WatchRequests(&raw->ctx, req);
      dv1::RequestChange change;
      while (reader->Read(&change)) {
        absl::MutexLock lock(&raw->mu);
        raw->got.push_back(change);
      }
      reader->Finish().IgnoreError();
    });
    return s;
  };
  auto actions = [](Stream& s) {
    absl::MutexLock lock(&s.mu);
    std::vector<std::string> a;
    for (const auto& c : s.got) a.push_back(c.entry().action());
    return a;
  };
  auto wait_for = [&](Stream& s, size_t n) {
    for (int i = 0; i < 100 && actions(s).size() < n; ++i) absl::SleepFor(absl::Milliseconds(50));
  };
  auto close = [](Stream& s) {
    s.ctx.TryCancel();
    s.reader.join();
  };

  auto joined = open(joiner, 0), asked = open(asker, 0), stranger = open(other, 0);
  wait_for(*joined, 2);  // caught up: the submission and the "me too"
  EXPECT_THAT(actions(*joined), ElementsAre("submit", "me_too"));
  // Live: a dispatch, heard by both, its detail by the asker only.
  dv1::DispatchRequestRequest d;
  d.set_name(r.name());
  d.set_member(residents_[0]);
  d.set_note("请尽快处理");
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->DispatchRequest(c, d, &out); }), IsOk());
  wait_for(*joined, 3);
  wait_for(*asked, 3);
  {
    absl::MutexLock l1(&joined->mu), l2(&asked->mu);
    ASSERT_EQ(joined->got.size(), 3u);
    ASSERT_EQ(asked->got.size(), 3u);
    EXPECT_EQ(joined->got[2].entry().action(), "dispatch");
    EXPECT_FALSE(joined->got[2].entry().has_detail());
    EXPECT_THAT(asked->got[2].entry().detail(), ::testing::HasSubstr("请尽快处理"));
  }
  const int64_t last = [&] {
    absl::MutexLock l(&joined->mu);
    return joined->got.back().entry().seq();
  }();
  close(*joined);
  // Resumed after the last change received: the member's acceptance, and
  // nothing twice.
  dv1::AcceptRequestRequest a;
  a.set_name(r.name());
  ASSERT_THAT(
      Call(MemberToken(residents_[0]), [&](grpc::ClientContext* c) { return stub_->AcceptRequest(c, a, &out); }),
      IsOk());
  auto resumed = open(joiner, last);
  wait_for(*resumed, 1);
  absl::SleepFor(absl::Milliseconds(400));  // time for anything more to arrive
  EXPECT_THAT(actions(*resumed), ElementsAre("accept"));
  close(*resumed);
  close(*asked);
  close(*stranger);
  EXPECT_TRUE(actions(*stranger).empty());
}

}  // namespace
}  // namespace lianxin::testing
