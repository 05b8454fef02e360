// WatchRequests on one replica: one poll for all its subscribers, fanned out
// to the ones who hear of each change.
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "tests/dispatch/dispatch_test_base.h"

namespace lianxin::testing {
namespace {

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

}  // namespace
}  // namespace lianxin::testing
