// To-dos over gRPC, with the org, member and dispatch services running: each
// service raises its own, the org service gathers them, and a secretary lists
// and watches a unit's — its subtree's — as they open and close.
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "gmock/gmock.h"
#include "lianxin/org/v1/todo.pb.h"
#include "tests/dispatch/dispatch_test_base.h"

namespace lianxin::testing {
namespace {

using ::testing::IsEmpty;

class TodoTest : public DispatchTest {
 protected:
  static std::string InDays(int days) { return BeijingDate(absl::Now() + absl::Hours(24) * days); }

  grpc::Status List(const std::string& token, const std::string& parent, bool subtree, ov1::ListTodosResponse* out,
                    std::vector<ov1::TodoKind> kinds = {}) {
    ov1::ListTodosRequest req;
    req.set_parent(parent);
    req.set_include_subtree(subtree);
    for (auto k : kinds) req.add_kinds(k);
    req.set_page_size(500);
    return Call(token, [&](grpc::ClientContext* c) { return org_stub_->ListTodos(c, req, out); });
  }

  // "kind subject" of each open to-do under `parent` (subtree).
  std::set<std::string> Open(const std::string& parent, bool subtree = true) {
    ov1::ListTodosResponse out;
    EXPECT_THAT(List(admin_, parent, subtree, &out), IsOk());
    std::set<std::string> open;
    for (const auto& t : out.todos()) open.insert(absl::StrCat(ov1::TodoKind_Name(t.kind()), " ", t.subject()));
    return open;
  }

  // Waits (up to 15 s) until `want` is open under `parent`, or closed.
  bool WaitOpen(const std::string& parent, const std::string& want, bool open = true) {
    for (int i = 0; i < 150; ++i) {
      if (Open(parent).count(want) == (open ? 1u : 0u)) return true;
      absl::SleepFor(absl::Milliseconds(100));
    }
    return false;
  }

  std::string Position(const std::string& unit, const std::string& member, const std::string& term_end) {
    ov1::CreatePositionRequest req;
    req.mutable_position()->set_org_unit(unit);
    req.mutable_position()->set_role(ov1::POSITION_ROLE_SECRETARY);
    req.mutable_position()->set_member(member);
    req.mutable_position()->set_holder_display_name("张书记");
    req.mutable_position()->set_term_start(InDays(-3 * 365));
    req.mutable_position()->set_term_end(term_end);
    ov1::Position out;
    EXPECT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return org_stub_->CreatePosition(c, req, &out); }), IsOk());
    return out.name();
  }

  std::string Etag(const std::string& member) {
    mv1::GetMemberRequest get;
    get.set_name(member);
    mv1::Member m;
    EXPECT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return member_stub_->GetMember(c, get, &m); }), IsOk());
    return m.etag();
  }

  // Reads a watch until `done` says so or 15 s pass; returns what came.
  std::vector<ov1::TodoChange> Watch(const std::string& parent, int64_t after,
                                     const std::function<bool(const std::vector<ov1::TodoChange>&)>& done) {
    ov1::WatchTodosRequest req;
    req.set_parent(parent);
    req.set_include_subtree(true);
    req.set_after_seq(after);
    grpc::ClientContext ctx;
    PrepareClientContext(&ctx, admin_, "", absl::Seconds(15));
    auto reader = org_stub_->WatchTodos(&ctx, req);
    std::vector<ov1::TodoChange> got;
    ov1::TodoChange change;
    while (!done(got) && reader->Read(&change)) got.push_back(change);
    ctx.TryCancel();
    reader->Finish();
    return got;
  }

  static std::string Key(const ov1::TodoChange& c) {
    return absl::StrCat(ov1::TodoKind_Name(c.todo().kind()), " ", c.todo().subject());
  }
};

TEST_F(TodoTest, EveryServicesToDosReachTheSecretariesListAndStream) {
  // org: a community secretary's term ends in 20 days.
  const std::string post = Position(community_, residents_[0], InDays(20));
  // member: lost for 7 months (suspension due).
  mv1::MarkLostRequest lost;
  lost.set_name(residents_[1]);
  lost.set_since(InDays(-215));
  lost.set_etag(Etag(residents_[1]));
  mv1::Member m;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return member_stub_->MarkLost(c, lost, &m); }), IsOk());
  // member: a transfer to another branch waits on a unit.
  const std::string other_branch = Unit(community_, ov1::ORG_UNIT_TYPE_BRANCH);
  mv1::StartTransferRequest start;
  start.mutable_transfer()->set_kind(mv1::TRANSFER_KIND_WITHIN);
  start.mutable_transfer()->set_member(residents_[2]);
  start.mutable_transfer()->set_to_unit(other_branch);
  start.mutable_transfer()->set_reason("搬家");
  start.mutable_transfer()->mutable_letter()->set_dues_paid_through("2026-10");
  mv1::Transfer transfer;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return member_stub_->StartTransfer(c, start, &transfer); }),
              IsOk());
  // dispatch: a repair past its 4 hours escalates from the group to the branch.
  dv1::Request r;
  ASSERT_THAT(Submit(resident_, NewRequest("repair"), &r), IsOk());
  SetClock(5 * 3600);
  for (int i = 0; i < 100 && Get(admin_, r.name()).escalation_level() < 1; ++i) absl::SleepFor(absl::Milliseconds(100));
  ASSERT_EQ(Get(admin_, r.name()).escalated_to(), branch_);

  const std::string term = "TODO_KIND_TERM_ENDS_WITHIN_30_DAYS " + post;
  const std::string suspension = "TODO_KIND_SUSPENSION_DUE " + residents_[1];
  const std::string waiting = "TODO_KIND_TRANSFER_WAITING " + transfer.name();
  const std::string escalated = "TODO_KIND_REQUEST_ESCALATED " + r.name();
  for (const auto& want : {term, suspension, waiting, escalated}) EXPECT_TRUE(WaitOpen(district_, want)) << want;

  // Each sits with its unit: the branch sees its own, not the community's term.
  std::set<std::string> branch_only = Open(branch_, false);
  EXPECT_EQ(branch_only.count(suspension), 1u);
  EXPECT_EQ(branch_only.count(escalated), 1u);
  EXPECT_EQ(branch_only.count(term), 0u);
  ov1::ListTodosResponse listed;
  ASSERT_THAT(List(admin_, community_, false, &listed, {ov1::TODO_KIND_TERM_ENDS_WITHIN_30_DAYS}), IsOk());
  ASSERT_EQ(listed.todos_size(), 1);
  const ov1::Todo& t = listed.todos(0);
  EXPECT_EQ(t.name(), absl::StrCat(community_, "/todos/term_ends_within_30_days.", post.substr(10)));
  EXPECT_EQ(t.unit(), community_);
  EXPECT_EQ(t.due_date(), InDays(20));
  EXPECT_EQ(t.source(), "org");
  EXPECT_GT(listed.watch_after_seq(), 0);

  // The stream from the start has each opened once, though sweeps ran many
  // times since.
  absl::SleepFor(absl::Seconds(1));
  std::map<std::string, int> opened;
  int64_t last = 0;
  auto all_four = [&](const std::vector<ov1::TodoChange>& got) {
    opened.clear();
    for (const auto& c : got) {
      if (c.action() == ov1::TODO_ACTION_OPENED) ++opened[Key(c)];
      last = c.seq();
    }
    return opened.count(term) && opened.count(suspension) && opened.count(waiting) && opened.count(escalated);
  };
  Watch(district_, 0, all_four);
  for (const auto& want : {term, suspension, waiting, escalated}) EXPECT_EQ(opened[want], 1) << want;

  // The branch dispatches it to a member: its to-do closes, heard live.
  std::string escalated_closed;
  std::thread act([&] {
    absl::SleepFor(absl::Milliseconds(300));
    dv1::Request out;
    EXPECT_THAT(Call(key_->Token("branch-sec", {"secretary"}, branch_),
                     [&](grpc::ClientContext* c) {
                       dv1::DispatchRequestRequest d;
                       d.set_name(r.name());
                       d.set_member(residents_[3]);
                       return stub_->DispatchRequest(c, d, &out);
                     }),
                IsOk());
  });
  auto live = Watch(district_, last, [&](const std::vector<ov1::TodoChange>& got) {
    return !got.empty() && got.back().action() == ov1::TODO_ACTION_CLOSED && Key(got.back()) == escalated;
  });
  act.join();
  ASSERT_FALSE(live.empty());
  EXPECT_EQ(Key(live.back()), escalated);
  for (const auto& c : live) EXPECT_GT(c.seq(), last);  // nothing before the resume point again
  EXPECT_FALSE(Open(district_).count(escalated));

  // Found again: the suspension is no longer due.
  mv1::MarkFoundRequest found;
  found.set_name(residents_[1]);
  found.set_etag(Etag(residents_[1]));
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return member_stub_->MarkFound(c, found, &m); }), IsOk());
  EXPECT_TRUE(WaitOpen(district_, suspension, false));
  SetClock(0);
}

TEST_F(TodoTest, ToDosAreTheCallersOwnUnitsAndBadInputIsNamed) {
  ov1::ListTodosResponse out;
  EXPECT_THAT(List(admin_, "", true, &out), HasCode(grpc::INVALID_ARGUMENT));
  EXPECT_THAT(List(admin_, "positions/x", true, &out), HasCode(grpc::INVALID_ARGUMENT));
  ov1::ListTodosRequest bad_kind;
  bad_kind.set_parent(community_);
  bad_kind.add_kinds(static_cast<ov1::TodoKind>(0));
  grpc::Status s = Call(admin_, [&](grpc::ClientContext* c) { return org_stub_->ListTodos(c, bad_kind, &out); });
  EXPECT_THAT(s, HasCode(grpc::INVALID_ARGUMENT));
  EXPECT_THAT(s.error_message(), ::testing::HasSubstr("kinds[0]"));
  // A branch's secretary sees the branch's, not the community's above it.
  const std::string branch_sec = key_->Token("branch-sec", {"secretary"}, branch_);
  EXPECT_THAT(List(branch_sec, branch_, true, &out), IsOk());
  EXPECT_THAT(List(branch_sec, community_, false, &out), HasCode(grpc::PERMISSION_DENIED));
  // Members and residents have none.
  EXPECT_THAT(List(MemberToken(residents_[0]), branch_, false, &out), HasCode(grpc::PERMISSION_DENIED));
  EXPECT_THAT(List(resident_, branch_, false, &out), HasCode(grpc::PERMISSION_DENIED));
  // A negative resume point.
  ov1::WatchTodosRequest watch;
  watch.set_parent(community_);
  watch.set_after_seq(-1);
  grpc::ClientContext ctx;
  PrepareClientContext(&ctx, admin_, "", absl::Seconds(5));
  auto reader = org_stub_->WatchTodos(&ctx, watch);
  ov1::TodoChange change;
  EXPECT_FALSE(reader->Read(&change));
  EXPECT_THAT(reader->Finish(), HasCode(grpc::INVALID_ARGUMENT));
  // The services' outboxes are for the org service alone.
  ov1::ListTodoChangesRequest outbox;
  ov1::ListTodoChangesResponse changes;
  EXPECT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return member_stub_->ListTodoChanges(c, outbox, &changes); }),
              HasCode(grpc::PERMISSION_DENIED));
  EXPECT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->ListTodoChanges(c, outbox, &changes); }),
              HasCode(grpc::PERMISSION_DENIED));
}

}  // namespace
}  // namespace lianxin::testing
