// Transfers of the formal relation (组织关系转接) over real gRPC: the approval
// path from the org service, each step by a secretary of that unit, the
// member moving only on the receiver's approval, cancel, return, expiry,
// and transfers out of and into the platform with their letters.
#include <thread>

#include "tests/member/member_test_base.h"

namespace lianxin::testing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;

int Seq() {
  static std::atomic<int> n{500};
  return n++;
}

class TransferTest : public MemberServiceTest {
 protected:
  void SetUp() override {
    MemberServiceTest::SetUp();
    ASSERT_THAT(Create(secretary_, NewMember(branch_, Seq()), &member_), IsOk());
    street_secretary_ = key_->Token("street-sec", {"secretary"}, street_);
    receiver_ = key_->Token("sec-other", {"secretary"}, other_community_);
  }

  grpc::Status Start(const std::string& token, mv1::Transfer t, mv1::Transfer* out,
                     const std::string& request_id = "") {
    mv1::StartTransferRequest req;
    *req.mutable_transfer() = std::move(t);
    req.set_request_id(request_id);
    return Call(token, [&](grpc::ClientContext* c) { return stub_->StartTransfer(c, req, out); });
  }

  mv1::Transfer Within(const std::string& to) {
    mv1::Transfer t;
    t.set_kind(mv1::TRANSFER_KIND_WITHIN);
    t.set_member(member_.name());
    t.set_to_unit(to);
    t.set_reason("搬家到新社区");
    t.mutable_letter()->set_dues_paid_through("2026-10");
    return t;
  }

  grpc::Status Approve(const std::string& token, const std::string& name, mv1::Transfer* out,
                       const std::string& etag = "") {
    mv1::ApproveTransferRequest req;
    req.set_name(name);
    req.set_etag(etag);
    return Call(token, [&](grpc::ClientContext* c) { return stub_->ApproveTransfer(c, req, out); });
  }

  std::string BranchOf(const std::string& member) {
    mv1::GetMemberRequest req;
    req.set_name(member);
    mv1::Member out;
    EXPECT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->GetMember(c, req, &out); }), IsOk());
    return out.branch();
  }

  std::string Written() {
    return absl::StrCat(Snapshot(), "/", probe_->Count("transfers"), "/",
                        probe_->Scalar("SELECT COALESCE(SUM(version),0) FROM transfers"), "/",
                        probe_->Scalar("SELECT COUNT(*) FROM transfer_steps WHERE decision <> 1"));
  }

  mv1::Member member_;
  std::string street_secretary_, receiver_;
  grpc::Status s_;
};

TEST_F(TransferTest, EachStepApprovesInTurnAndTheReceiverMovesTheMember) {
  mv1::Transfer t;
  ASSERT_THAT(Start(secretary_, Within(other_branch_), &t), IsOk());
  EXPECT_EQ(t.state(), mv1::TRANSFER_STATE_PENDING);
  EXPECT_EQ(t.from_unit(), branch_);
  std::vector<std::string> path;
  for (const auto& s : t.steps()) path.push_back(s.org_unit());
  // Up from the sender to the street (the common ancestor), down to the receiver.
  EXPECT_THAT(path, ElementsAre(community_, street_, other_community_, other_branch_));
  EXPECT_EQ(t.current_step(), 0);
  EXPECT_FALSE(t.valid_until().empty());

  // Only the unit waiting decides: the receiver cannot jump the queue.
  std::string before = Written();
  mv1::Transfer out;
  EXPECT_THAT(Approve(receiver_, t.name(), &out), HasCode(grpc::PERMISSION_DENIED));
  EXPECT_EQ(Written(), before);
  ASSERT_THAT(Approve(secretary_, t.name(), &out), IsOk());  // community_
  EXPECT_EQ(out.current_step(), 1);
  EXPECT_THAT(Approve(secretary_, t.name(), &out), HasCode(grpc::PERMISSION_DENIED));  // street_ waits now
  ASSERT_THAT(Approve(street_secretary_, t.name(), &out), IsOk());
  ASSERT_THAT(Approve(receiver_, t.name(), &out), IsOk());  // other_community_
  EXPECT_EQ(BranchOf(member_.name()), branch_);             // not yet: the receiver has not accepted
  // The receiving side lists what waits for it.
  mv1::ListTransfersRequest list;
  list.set_parent(other_community_);
  list.set_state(mv1::TRANSFER_STATE_PENDING);
  mv1::ListTransfersResponse waiting;
  ASSERT_THAT(Call(receiver_, [&](grpc::ClientContext* c) { return stub_->ListTransfers(c, list, &waiting); }), IsOk());
  ASSERT_EQ(waiting.transfers_size(), 1);
  ASSERT_THAT(Approve(receiver_, t.name(), &out, waiting.transfers(0).etag()), IsOk());  // other_branch_ accepts
  EXPECT_EQ(out.state(), mv1::TRANSFER_STATE_COMPLETED);
  EXPECT_EQ(out.current_step(), 4);
  for (const auto& s : out.steps()) EXPECT_EQ(s.decision(), mv1::STEP_DECISION_APPROVED);
  EXPECT_EQ(out.steps(1).decided_by(), "street-sec");
  EXPECT_EQ(BranchOf(member_.name()), other_branch_);
  // History: started, then moved.
  mv1::ListMemberEventsRequest ev;
  ev.set_member(member_.name());
  mv1::ListMemberEventsResponse events;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->ListMemberEvents(c, ev, &events); }), IsOk());
  std::vector<std::string> actions;
  for (const auto& e : events.events()) actions.push_back(e.action());
  EXPECT_THAT(actions, ElementsAre("create", "transfer_started", "transfer"));
  // Completed: no more decisions.
  EXPECT_THAT(Approve(admin_, t.name(), &out), HasCode(grpc::FAILED_PRECONDITION));
}

TEST_F(TransferTest, CancelUntilTheFirstApprovalReturnWithAReason) {
  mv1::Transfer t, out;
  ASSERT_THAT(Start(secretary_, Within(other_branch_), &t), IsOk());
  // One pending transfer per member.
  std::string before = Written();
  grpc::Status s = Start(secretary_, Within(other_branch_), &out);
  EXPECT_THAT(s, HasCode(grpc::FAILED_PRECONDITION));
  EXPECT_EQ(ErrorReason(s), "TRANSFER_PENDING");
  EXPECT_EQ(Written(), before);

  mv1::CancelTransferRequest cancel;
  cancel.set_name(t.name());
  cancel.set_reason("填错了接收支部");
  EXPECT_THAT(Call(receiver_, [&](grpc::ClientContext* c) { return stub_->CancelTransfer(c, cancel, &out); }),
              HasCode(grpc::PERMISSION_DENIED));  // only the sender cancels
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->CancelTransfer(c, cancel, &out); }), IsOk());
  EXPECT_EQ(out.state(), mv1::TRANSFER_STATE_CANCELLED);
  EXPECT_EQ(out.cancel_reason(), "填错了接收支部");

  // A new one, approved once: the sender can no longer cancel; a step returns it.
  ASSERT_THAT(Start(secretary_, Within(other_branch_), &t), IsOk());
  ASSERT_THAT(Approve(secretary_, t.name(), &out), IsOk());
  cancel.set_name(t.name());
  before = Written();
  s = Call(secretary_, [&](grpc::ClientContext* c) { return stub_->CancelTransfer(c, cancel, &out); });
  EXPECT_THAT(s, HasCode(grpc::FAILED_PRECONDITION));
  EXPECT_EQ(ErrorReason(s), "ALREADY_APPROVED");
  mv1::ReturnTransferRequest ret;
  ret.set_name(t.name());
  s = Call(street_secretary_, [&](grpc::ClientContext* c) { return stub_->ReturnTransfer(c, ret, &out); });
  EXPECT_THAT(ViolatedFields(s), ElementsAre("reason"));
  EXPECT_EQ(Written(), before);
  ret.set_reason("介绍信党费缴纳月份有误");
  ASSERT_THAT(Call(street_secretary_, [&](grpc::ClientContext* c) { return stub_->ReturnTransfer(c, ret, &out); }),
              IsOk());
  EXPECT_EQ(out.state(), mv1::TRANSFER_STATE_RETURNED);
  EXPECT_EQ(out.steps(1).decision(), mv1::STEP_DECISION_RETURNED);
  EXPECT_EQ(out.steps(1).reason(), "介绍信党费缴纳月份有误");
  EXPECT_THAT(Approve(admin_, t.name(), &out), HasCode(grpc::FAILED_PRECONDITION));
  EXPECT_EQ(BranchOf(member_.name()), branch_);
}

TEST_F(TransferTest, BadStartsNameTheFieldAndWriteNothing) {
  struct Case {
    const char* what;
    std::function<void(mv1::Transfer&)> edit;
    grpc::StatusCode code;
    const char* field;
  };
  std::vector<Case> cases = {
      {"no kind", [](mv1::Transfer& t) { t.clear_kind(); }, grpc::INVALID_ARGUMENT, "transfer.kind"},
      {"no reason", [](mv1::Transfer& t) { t.clear_reason(); }, grpc::INVALID_ARGUMENT, "transfer.reason"},
      {"same branch", [this](mv1::Transfer& t) { t.set_to_unit(branch_); }, grpc::INVALID_ARGUMENT, "transfer.to_unit"},
      {"a street", [this](mv1::Transfer& t) { t.set_to_unit(street_); }, grpc::INVALID_ARGUMENT, "transfer.to_unit"},
      {"unknown unit", [](mv1::Transfer& t) { t.set_to_unit("orgUnits/nosuchunit"); }, grpc::NOT_FOUND,
       "transfer.to_unit"},
      {"bad month", [](mv1::Transfer& t) { t.mutable_letter()->set_dues_paid_through("2026-13"); },
       grpc::INVALID_ARGUMENT, "transfer.letter.dues_paid_through"},
      {"unknown member", [](mv1::Transfer& t) { t.set_member("members/nosuchmember"); }, grpc::NOT_FOUND,
       "transfer.member"},
      {"out without letter",
       [](mv1::Transfer& t) {
         t.set_kind(mv1::TRANSFER_KIND_OUT);
         t.clear_to_unit();
       },
       grpc::INVALID_ARGUMENT, "transfer.letter.number"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    mv1::Transfer t = Within(other_branch_);
    c.edit(t);
    std::string before = Written();
    mv1::Transfer out;
    grpc::Status s = Start(admin_, t, &out, absl::StrCat("bad-", Seq()));
    EXPECT_THAT(s, HasCode(c.code));
    EXPECT_THAT(ViolatedFields(s), Contains(c.field));
    EXPECT_EQ(Written(), before);
  }
  // Someone else's member, and no principal.
  std::string before = Written();
  mv1::Transfer out;
  EXPECT_THAT(Start(receiver_, Within(other_branch_), &out), HasCode(grpc::PERMISSION_DENIED));
  EXPECT_THAT(Start("", Within(other_branch_), &out), HasCode(grpc::UNAUTHENTICATED));
  EXPECT_EQ(Written(), before);
}

TEST_F(TransferTest, SameStartTwiceOneTransferAndRacingApprovalsOneWins) {
  mv1::Transfer a, b;
  ASSERT_THAT(Start(secretary_, Within(other_branch_), &a, "move-1"), IsOk());
  ASSERT_THAT(Start(secretary_, Within(other_branch_), &b, "move-1"), IsOk());
  EXPECT_EQ(a.name(), b.name());
  EXPECT_EQ(probe_->Count("transfers", absl::StrCat("member_id = '", member_.name().substr(8), "'")), 1);
  std::string other = key_->Token("sec-2", {"secretary"}, community_);
  std::atomic<int> ok{0}, aborted{0};
  std::vector<std::thread> threads;
  for (const std::string* token : {&secretary_, &other}) {
    threads.emplace_back([&, token] {
      mv1::Transfer out;
      grpc::Status s = Approve(*token, a.name(), &out, a.etag());
      if (s.ok())
        ++ok;
      else if (s.error_code() == grpc::ABORTED)
        ++aborted;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(aborted.load(), 1);
  EXPECT_EQ(probe_->Count("transfer_steps", absl::StrCat("transfer_id = '", a.name().substr(10), "' AND decision = 2")),
            1);
}

TEST_F(TransferTest, APendingTransferPastItsValidityExpires) {
  mv1::Transfer t, out;
  ASSERT_THAT(Start(secretary_, Within(other_branch_), &t), IsOk());
  // Its validity ran out yesterday (the service counts days on its own clock).
  ASSERT_TRUE(
      probe_
          ->Exec(absl::StrCat("UPDATE transfers SET valid_until = DATE_SUB(CURDATE(), INTERVAL 2 DAY) WHERE id = '",
                              t.name().substr(10), "'"))
          .ok());
  mv1::GetTransferRequest get;
  get.set_name(t.name());
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->GetTransfer(c, get, &out); }), IsOk());
  EXPECT_EQ(out.state(), mv1::TRANSFER_STATE_EXPIRED);
  std::string before = Written();
  grpc::Status s = Approve(secretary_, t.name(), &out);
  EXPECT_THAT(s, HasCode(grpc::FAILED_PRECONDITION));
  EXPECT_EQ(ErrorReason(s), "TRANSFER_EXPIRED");
  EXPECT_EQ(Written(), before);
  mv1::ListTransfersRequest list;
  list.set_member(member_.name());
  list.set_state(mv1::TRANSFER_STATE_EXPIRED);
  mv1::ListTransfersResponse expired;
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->ListTransfers(c, list, &expired); }),
              IsOk());
  EXPECT_EQ(expired.transfers_size(), 1);
  // The member can be sent again.
  EXPECT_THAT(Start(secretary_, Within(other_branch_), &out), IsOk());
}

TEST_F(TransferTest, OutOfThePlatformAndBackInWithTheLetter) {
  // The sending unit's sealed notes on the member.
  mv1::UpdateMemberRequest notes;
  notes.mutable_member()->set_name(member_.name());
  notes.mutable_member()->set_health_notes("高血压，行动不便");
  notes.mutable_member()->set_attitude_notes("组织生活参加不积极");
  notes.mutable_update_mask()->add_paths("health_notes");
  notes.mutable_update_mask()->add_paths("attitude_notes");
  mv1::Member noted;
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->UpdateMember(c, notes, &noted); }), IsOk());
  mv1::Transfer t = Within("");
  t.set_kind(mv1::TRANSFER_KIND_OUT);
  t.clear_to_unit();
  t.mutable_letter()->set_number("京组转字〔2026〕118号");
  t.mutable_letter()->set_outside_organization("某市某区某街道党工委");
  mv1::Transfer out;
  ASSERT_THAT(Start(secretary_, t, &out), IsOk());
  EXPECT_EQ(out.state(), mv1::TRANSFER_STATE_COMPLETED);
  EXPECT_EQ(out.letter().number(), "京组转字〔2026〕118号");
  mv1::GetMemberRequest gm;
  gm.set_name(member_.name());
  mv1::Member gone;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->GetMember(c, gm, &gone); }), IsOk());
  EXPECT_EQ(gone.lifecycle(), mv1::LIFECYCLE_TRANSFERRED_OUT);
  // Transferred out: read-only, no further transfers, no lifecycle moves.
  std::string before = Written();
  EXPECT_THAT(Start(secretary_, Within(other_branch_), &out), HasCode(grpc::FAILED_PRECONDITION));
  mv1::MarkLostRequest lost;
  lost.set_name(member_.name());
  lost.set_since("2026-01-01");
  mv1::Member m;
  s_ = Call(secretary_, [&](grpc::ClientContext* c) { return stub_->MarkLost(c, lost, &m); });
  EXPECT_EQ(ErrorReason(s_), "TRANSFERRED_OUT");
  mv1::UpdateMemberRequest upd;
  upd.mutable_member()->set_name(member_.name());
  upd.mutable_member()->set_occupation("退休");
  upd.mutable_update_mask()->add_paths("occupation");
  s_ = Call(secretary_, [&](grpc::ClientContext* c) { return stub_->UpdateMember(c, upd, &m); });
  EXPECT_EQ(ErrorReason(s_), "TRANSFERRED_OUT");
  EXPECT_EQ(Written(), before);

  // Back in from outside, to another branch: the same record, active again.
  mv1::StartTransferRequest in;
  in.mutable_transfer()->set_kind(mv1::TRANSFER_KIND_IN);
  in.mutable_transfer()->set_to_unit(other_branch_);
  in.mutable_transfer()->set_reason("回原籍");
  in.mutable_transfer()->mutable_letter()->set_number("某组转字〔2026〕7号");
  in.mutable_transfer()->mutable_letter()->set_outside_organization("某市某区某街道党工委");
  mv1::Member arriving = member_;
  arriving.clear_name();
  arriving.clear_branch();
  arriving.clear_lifecycle();
  arriving.clear_lifecycle_since();
  arriving.clear_etag();
  arriving.clear_create_time();
  arriving.clear_update_time();
  // The ID number and phone as given in clear by the letter.
  mv1::GetMemberRequest reveal;
  reveal.set_name(member_.name());
  reveal.set_reveal(true);
  mv1::Member clear;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->GetMember(c, reveal, &clear); }), IsOk());
  arriving.set_national_id(clear.national_id());
  arriving.set_phone(clear.phone());
  arriving.set_birth_date(clear.birth_date());  // masked answers show the year only
  arriving.clear_health_notes();
  arriving.clear_attitude_notes();
  *in.mutable_arriving_member() = arriving;
  mv1::Transfer back;
  ASSERT_THAT(Call(receiver_, [&](grpc::ClientContext* c) { return stub_->StartTransfer(c, in, &back); }), IsOk());
  EXPECT_EQ(back.member(), member_.name());
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->GetMember(c, gm, &gone); }), IsOk());
  EXPECT_EQ(gone.lifecycle(), mv1::LIFECYCLE_ACTIVE);
  EXPECT_EQ(gone.branch(), other_branch_);
  // The receiver does not get the previous unit's sealed notes.
  mv1::Member received;
  ASSERT_THAT(Call(receiver_, [&](grpc::ClientContext* c) { return stub_->GetMember(c, reveal, &received); }), IsOk());
  EXPECT_FALSE(received.has_health_notes() && !received.health_notes().empty()) << received.health_notes();
  EXPECT_FALSE(received.has_attitude_notes() && !received.attitude_notes().empty()) << received.attitude_notes();

  // Someone new from outside is filed in the receiving branch.
  in.set_request_id("in-new");
  *in.mutable_arriving_member() = NewMember("", Seq());
  ASSERT_THAT(Call(receiver_, [&](grpc::ClientContext* c) { return stub_->StartTransfer(c, in, &back); }), IsOk());
  EXPECT_NE(back.member(), member_.name());
  EXPECT_EQ(BranchOf(back.member()), other_branch_);
  // A person already on file (and not transferred out) is refused, nothing written.
  before = Written();
  in.set_request_id("");
  s_ = Call(receiver_, [&](grpc::ClientContext* c) { return stub_->StartTransfer(c, in, &back); });
  EXPECT_THAT(s_, HasCode(grpc::ALREADY_EXISTS));
  EXPECT_THAT(ViolatedFields(s_), ElementsAre("arriving_member.national_id"));
  EXPECT_EQ(Written(), before);
}

}  // namespace
}  // namespace lianxin::testing
