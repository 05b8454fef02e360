// What the dispatch service tells others: the outbox, read from a cursor and
// surviving a restart of the service with no event lost; and the figures per
// subtree and period.
#include <set>
#include <thread>

#include "absl/synchronization/notification.h"
#include "common/db.h"
#include "common/status.h"
#include "tests/dispatch/dispatch_test_base.h"

namespace lianxin::testing {
namespace {

using ::testing::ElementsAre;

class DispatchEventsTest : public DispatchTest {
 protected:
  // Submits, dispatches to residents_[who], accepts and resolves; confirms
  // with `rating` unless 0.
  dv1::Request Serve(int who, int rating, const std::string& place = "") {
    dv1::Request r, out;
    EXPECT_THAT(Submit(resident_, NewRequest("repair", place), &r, "", true), IsOk());
    dv1::DispatchRequestRequest d;
    d.set_name(r.name());
    d.set_member(residents_[static_cast<size_t>(who)]);
    EXPECT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->DispatchRequest(c, d, &out); }), IsOk());
    std::string member = MemberToken(residents_[static_cast<size_t>(who)]);
    dv1::AcceptRequestRequest a;
    a.set_name(r.name());
    EXPECT_THAT(Call(member, [&](grpc::ClientContext* c) { return stub_->AcceptRequest(c, a, &out); }), IsOk());
    dv1::ResolveRequestRequest res;
    res.set_name(r.name());
    res.set_resolution("修好了");
    res.set_minutes_spent(30);
    EXPECT_THAT(Call(member, [&](grpc::ClientContext* c) { return stub_->ResolveRequest(c, res, &out); }), IsOk());
    if (rating > 0) {
      dv1::ConfirmRequestRequest conf;
      conf.set_name(r.name());
      conf.set_rating(rating);
      EXPECT_THAT(Call(resident_, [&](grpc::ClientContext* c) { return stub_->ConfirmRequest(c, conf, &out); }),
                  IsOk());
    }
    return out;
  }

  dv1::ListEventsResponse Events(int64_t after) {
    dv1::ListEventsRequest req;
    req.set_after_seq(after);
    dv1::ListEventsResponse out;
    EXPECT_THAT(
        Call(key_->ServiceToken("activity"), [&](grpc::ClientContext* c) { return stub_->ListEvents(c, req, &out); }),
        IsOk());
    return out;
  }
};

TEST_F(DispatchEventsTest, TheOutboxSurvivesARestartAndAConsumerMissesNothing) {
  int64_t cursor = Events(0).last_seq();  // what earlier tests left
  dv1::Request first = Serve(0, 5);
  dv1::ListEventsResponse got = Events(cursor);
  ASSERT_EQ(got.events_size(), 1);
  EXPECT_EQ(got.events(0).type(), "request.closed");
  EXPECT_EQ(got.events(0).request().name(), first.name());
  EXPECT_EQ(got.events(0).request().assignee(), residents_[0]);
  EXPECT_EQ(got.events(0).request().minutes_spent(), 30);
  EXPECT_EQ(got.events(0).request().rating(), 5);
  EXPECT_FALSE(got.events(0).request().has_contact_phone());  // no personal data leaves

  // The service restarts; the consumer goes on from its cursor.
  ASSERT_EQ(dispatch_->Stop(), 0);
  ASSERT_TRUE(dispatch_->Start().ok()) << dispatch_->Log();
  stub_ = dv1::DispatchService::NewStub(dispatch_->Channel());
  dv1::Request second = Serve(1, 4);
  dv1::ListEventsResponse next = Events(got.last_seq());
  ASSERT_EQ(next.events_size(), 1);
  EXPECT_EQ(next.events(0).request().name(), second.name());
  // Reading again from an older cursor (a consumer that crashed before saving
  // it) gives the same events with the same ids: duplicates are droppable.
  std::set<std::string> ids;
  dv1::ListEventsResponse replay = Events(cursor);
  for (const auto& e : replay.events()) ids.insert(e.id());
  EXPECT_EQ(ids.size(), 2u);
  EXPECT_TRUE(ids.count(got.events(0).id()) && ids.count(next.events(0).id()));
  // Residents and secretaries do not read the outbox.
  dv1::ListEventsRequest req;
  dv1::ListEventsResponse out;
  EXPECT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->ListEvents(c, req, &out); }),
              HasCode(grpc::PERMISSION_DENIED));
}

// A resolved request its resident never confirms closes on its own after
// --confirm_days, and the activity service hears of it as of a confirmation.
TEST_F(DispatchEventsTest, AnUnconfirmedRequestClosesUnratedAndTellsTheOutbox) {
  int64_t cursor = Events(0).last_seq();
  dv1::Request resolved = Serve(2, 0);
  ASSERT_EQ(resolved.state(), dv1::REQUEST_STATE_RESOLVED);
  SetClock(13 * 86400);  // within the 14 days: nothing moves
  absl::SleepFor(absl::Milliseconds(500));
  EXPECT_EQ(Get(admin_, resolved.name()).state(), dv1::REQUEST_STATE_RESOLVED);
  SetClock(14 * 86400 + 60);
  ASSERT_TRUE(WaitFor(resolved.name(), dv1::REQUEST_STATE_CLOSED));
  dv1::Request closed = Get(resident_, resolved.name());
  EXPECT_FALSE(closed.has_rating());
  EXPECT_THAT(Timeline(resolved.name()), ::testing::Contains("auto_confirm"));
  dv1::ListEventsResponse got = Events(cursor);
  int closed_events = 0;
  for (const auto& e : got.events()) {
    if (e.request().name() != resolved.name()) continue;
    ++closed_events;
    EXPECT_EQ(e.type(), "request.closed");
    EXPECT_EQ(e.request().assignee(), residents_[2]);
    EXPECT_EQ(e.request().minutes_spent(), 30);
    EXPECT_FALSE(e.request().has_rating());
  }
  EXPECT_EQ(closed_events, 1);
  // The resident can no longer confirm it: it is closed.
  dv1::ConfirmRequestRequest conf;
  conf.set_name(resolved.name());
  conf.set_rating(5);
  dv1::Request out;
  EXPECT_THAT(Call(resident_, [&](grpc::ClientContext* c) { return stub_->ConfirmRequest(c, conf, &out); }),
              HasCode(grpc::FAILED_PRECONDITION));
}

// Transactions commit in any order: an event must not be handed out while an
// earlier seq may still commit, or a consumer's cursor would pass it forever.
TEST_F(DispatchEventsTest, AConsumerNeverSkipsAnEventThatCommitsLate) {
  int64_t cursor = Events(0).last_seq();
  DbOptions options;
  options.socket = TestDbSocket();
  options.database = *suffix_ + "_dispatch";
  options.pool_size = 1;
  auto pool = DbPool::Create(options, nullptr);
  ASSERT_TRUE(pool.ok()) << pool.status();
  for (bool commit : {true, false}) {
    // Another writer takes the next seq and has not committed yet...
    absl::Notification inserted, release;
    std::thread writer([&] {
      (void)(*pool)->Transact([&](Db& db) -> absl::Status {
        RETURN_IF_ERROR(db.Exec("INSERT INTO outbox (id, district_id, type, payload, created_us) VALUES "
                                "(?, 'd', 'test.late', '', 0)",
                                {absl::StrCat("late-", commit)})
                            .status());
        inserted.Notify();
        release.WaitForNotification();
        return commit ? absl::OkStatus() : absl::AbortedError("rolled back");
      });
    });
    inserted.WaitForNotification();
    // ...while a confirmation commits an event after it.
    dv1::Request served = Serve(0, 5);
    EXPECT_EQ(Events(cursor).events_size(), 0);  // not before the earlier seq is settled
    release.Notify();
    writer.join();
    // Committed: both, in seq order. Rolled back: the gap is given up once
    // it is old (5 s), and the event comes.
    dv1::ListEventsResponse got;
    for (int i = 0; i < 100 && got.events_size() < (commit ? 2 : 1); ++i) {
      absl::SleepFor(absl::Milliseconds(100));
      got = Events(cursor);
    }
    ASSERT_EQ(got.events_size(), commit ? 2 : 1);
    if (commit) {
      EXPECT_EQ(got.events(0).type(), "test.late");
    }
    EXPECT_EQ(got.events(got.events_size() - 1).request().name(), served.name());
    cursor = got.last_seq();
  }
}

TEST_F(DispatchEventsTest, FiguresPerSubtreeCategoryAndMember) {
  Serve(0, 4);
  Serve(0, 0);  // resolved, not yet confirmed
  Serve(2, 2, other_building_);
  dv1::Request waiting;
  ASSERT_THAT(Submit(resident_, NewRequest("policy"), &waiting), IsOk());
  dv1::GetFiguresRequest req;
  req.set_parent(community_);
  req.mutable_start_time()->set_seconds(absl::ToUnixSeconds(absl::Now() - absl::Hours(1)));
  req.mutable_end_time()->set_seconds(absl::ToUnixSeconds(absl::Now() + absl::Hours(1)));
  dv1::GetFiguresResponse f;
  // A period longer than two years is refused, naming end_time.
  dv1::GetFiguresRequest too_long = req;
  too_long.mutable_start_time()->set_seconds(absl::ToUnixSeconds(absl::Now() - absl::Hours(24 * 800)));
  grpc::Status refused = Call(admin_, [&](grpc::ClientContext* c) { return stub_->GetFigures(c, too_long, &f); });
  EXPECT_THAT(refused, HasCode(grpc::INVALID_ARGUMENT));
  EXPECT_THAT(ViolatedFields(refused), ElementsAre("end_time"));
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->GetFigures(c, req, &f); }), IsOk());
  EXPECT_EQ(f.total().submitted(), 4);
  EXPECT_EQ(f.total().dispatched(), 3);
  EXPECT_EQ(f.total().accepted(), 3);
  EXPECT_EQ(f.total().resolved(), 3);
  EXPECT_EQ(f.total().on_time(), 3);
  EXPECT_EQ(f.total().rated(), 2);
  EXPECT_DOUBLE_EQ(f.total().average_rating(), 3.0);
  EXPECT_EQ(f.total().minutes_spent(), 90);
  ASSERT_EQ(f.by_category_size(), 2);
  ASSERT_EQ(f.by_member_size(), 2);
  for (const auto& m : f.by_member()) {
    if (m.member() == residents_[0]) {
      EXPECT_EQ(m.figures().resolved(), 2);
    }
  }
  // The group's subtree holds only what the group is responsible for.
  req.set_parent(group_);
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->GetFigures(c, req, &f); }), IsOk());
  EXPECT_EQ(f.total().submitted(), 3);  // the other building is the branch's
  // Bad periods and other subtrees are refused.
  req.mutable_end_time()->set_seconds(req.start_time().seconds() - 1);
  grpc::Status s = Call(admin_, [&](grpc::ClientContext* c) { return stub_->GetFigures(c, req, &f); });
  EXPECT_THAT(ViolatedFields(s), ::testing::ElementsAre("end_time"));
  req.set_parent(street_);
  req.mutable_end_time()->set_seconds(req.start_time().seconds() + 3600);
  EXPECT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->GetFigures(c, req, &f); }),
              HasCode(grpc::PERMISSION_DENIED));
}

// Reads `n` changes from a WatchRequests stream (or what came within 10 s).
std::vector<dv1::RequestChange> Watch(dv1::DispatchService::Stub& stub, const std::string& token, int64_t after,
                                      size_t n) {
  grpc::ClientContext ctx;
  PrepareClientContext(&ctx, token, "", absl::Seconds(10));
  dv1::WatchRequestsRequest req;
  req.set_after_seq(after);
  auto reader = stub.WatchRequests(&ctx, req);
  std::vector<dv1::RequestChange> got;
  dv1::RequestChange change;
  while (got.size() < n && reader->Read(&change)) got.push_back(change);
  ctx.TryCancel();
  reader->Finish().IgnoreError();
  return got;
}

std::vector<std::string> Actions(const std::vector<dv1::RequestChange>& changes) {
  std::vector<std::string> out;
  for (const auto& c : changes) out.push_back(c.entry().action());
  return out;
}

TEST_F(DispatchEventsTest, SubscribersHearOfTheirRequestsAndResumeWithoutMissingAny) {
  // A member hears of what is offered in their community and what is
  // dispatched to them; a resident of every change to their own requests.
  std::string member = MemberToken(residents_[4]);
  std::string resident = key_->Token("watching-resident", {"resident"}, district_);
  dv1::Request r, out;
  ASSERT_THAT(Submit(resident, NewRequest(), &r, "", true), IsOk());
  dv1::DispatchRequestRequest d;
  d.set_name(r.name());
  d.set_member(residents_[4]);
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->DispatchRequest(c, d, &out); }), IsOk());

  std::vector<dv1::RequestChange> first = Watch(*stub_, member, 0, 1);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].request(), r.name());
  EXPECT_EQ(first[0].entry().action(), "dispatch");

  // While the member is away, they accept and resolve it (from another
  // device), and a grabbable request is offered in their community.
  dv1::AcceptRequestRequest a;
  a.set_name(r.name());
  ASSERT_THAT(Call(member, [&](grpc::ClientContext* c) { return stub_->AcceptRequest(c, a, &out); }), IsOk());
  dv1::ResolveRequestRequest res;
  res.set_name(r.name());
  res.set_resolution("修好了");
  ASSERT_THAT(Call(member, [&](grpc::ClientContext* c) { return stub_->ResolveRequest(c, res, &out); }), IsOk());
  dv1::Request offered;
  ASSERT_THAT(Submit(resident_, NewRequest("policy"), &offered, "", true), IsOk());
  dv1::OpenForGrabRequest open;
  open.set_name(offered.name());
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->OpenForGrab(c, open, &out); }), IsOk());

  // Back, resuming after the last change it got: the rest, in order, once.
  std::vector<dv1::RequestChange> rest = Watch(*stub_, member, first[0].entry().seq(), 3);
  EXPECT_THAT(Actions(rest), ElementsAre("accept", "resolve", "offer"));
  EXPECT_EQ(rest[2].request(), offered.name());
  // The resident heard of everything about their own request, nothing else.
  std::vector<dv1::RequestChange> mine = Watch(*stub_, resident, 0, 4);
  EXPECT_THAT(Actions(mine), ElementsAre("submit", "dispatch", "accept", "resolve"));

  // Live: a change made while subscribed arrives.
  std::thread later([&] {
    absl::SleepFor(absl::Milliseconds(300));
    dv1::ConfirmRequestRequest conf;
    conf.set_name(r.name());
    conf.set_rating(5);
    dv1::Request closed;
    EXPECT_THAT(Call(resident, [&](grpc::ClientContext* c) { return stub_->ConfirmRequest(c, conf, &closed); }),
                IsOk());
  });
  std::vector<dv1::RequestChange> live = Watch(*stub_, resident, mine.back().entry().seq(), 1);
  later.join();
  EXPECT_THAT(Actions(live), ElementsAre("confirm"));
  // A bad cursor is refused.
  grpc::ClientContext ctx;
  PrepareClientContext(&ctx, resident, "", absl::Seconds(5));
  dv1::WatchRequestsRequest bad;
  bad.set_after_seq(-1);
  auto reader = stub_->WatchRequests(&ctx, bad);
  dv1::RequestChange change;
  EXPECT_FALSE(reader->Read(&change));
  EXPECT_THAT(reader->Finish(), HasCode(grpc::INVALID_ARGUMENT));
}

TEST_F(DispatchEventsTest, ACallerKeepsAtMostFourStreamsOpen) {
  std::string resident = key_->Token("resident-streams", {"resident"}, district_);
  struct Open {
    grpc::ClientContext ctx;
    std::unique_ptr<grpc::ClientReader<dv1::RequestChange>> reader;
  };
  dv1::WatchRequestsRequest req;
  std::vector<std::unique_ptr<Open>> open;
  for (int i = 0; i < 4; ++i) {
    open.push_back(std::make_unique<Open>());
    PrepareClientContext(&open.back()->ctx, resident, "", absl::Seconds(30));
    open.back()->reader = stub_->WatchRequests(&open.back()->ctx, req);
  }
  absl::SleepFor(absl::Milliseconds(500));  // the four are being served
  auto fifth = [&](absl::Duration deadline) {
    grpc::ClientContext ctx;
    PrepareClientContext(&ctx, resident, "", deadline);
    auto reader = stub_->WatchRequests(&ctx, req);
    dv1::RequestChange change;
    while (reader->Read(&change)) {
    }
    return reader->Finish();
  };
  grpc::Status refused = fifth(absl::Seconds(5));
  EXPECT_THAT(refused, HasCode(grpc::RESOURCE_EXHAUSTED));
  EXPECT_EQ(ErrorReason(refused), "WATCH_STREAMS_PER_CALLER");
  // Another caller is not counted against this one.
  grpc::ClientContext other;
  PrepareClientContext(&other, key_->Token("resident-else", {"resident"}, district_), "", absl::Milliseconds(800));
  auto other_reader = stub_->WatchRequests(&other, req);
  dv1::RequestChange change;
  while (other_reader->Read(&change)) {
  }
  EXPECT_THAT(other_reader->Finish(), HasCode(grpc::DEADLINE_EXCEEDED));  // served until its deadline
  // One closed, one more may open.
  open.front()->ctx.TryCancel();
  open.front()->reader->Finish();
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_THAT(fifth(absl::Milliseconds(800)), HasCode(grpc::DEADLINE_EXCEEDED));
  for (auto& o : open) o->ctx.TryCancel();
  for (size_t i = 1; i < open.size(); ++i) open[i]->reader->Finish();
}

}  // namespace
}  // namespace lianxin::testing
