// Democratic appraisal over gRPC: a branch's round through self-assessment,
// peer assessment and votes to the grades its meeting decided, kept per
// member; each step only in its stage and only by whom it belongs to.
#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "lianxin/activity/v1/appraisal.grpc.pb.h"
#include "tests/activity/activity_test_base.h"

namespace lianxin::testing {
namespace {

class ActivityAppraisalTest : public ActivityTest {
 protected:
  void SetUp() override {
    ActivityTest::SetUp();
    appraisal_ = av1::AppraisalService::NewStub(activity_->Channel());
  }
  grpc::Status Assess(const std::string& round, const std::string& author, const std::string& about,
                      const std::string& text = "全年参加组织生活，带头志愿服务。") {
    av1::SubmitAssessmentRequest req;
    req.set_round(round);
    req.set_member(about);
    req.set_text(text);
    av1::MemberAppraisal out;
    return Call(MemberToken(author),
                [&](grpc::ClientContext* c) { return appraisal_->SubmitAssessment(c, req, &out); });
  }
  grpc::Status Advance(av1::AppraisalRound* round) {
    av1::AdvanceAppraisalRoundRequest req;
    req.set_name(round->name());
    req.set_etag(round->etag());
    return Call(secretary_, [&](grpc::ClientContext* c) { return appraisal_->AdvanceAppraisalRound(c, req, round); });
  }
  grpc::Status Vote(const std::string& round, const std::string& voter, av1::AppraisalGrade first) {
    av1::CastAppraisalVotesRequest req;
    req.set_round(round);
    for (size_t i = 0; i < members_.size(); ++i) {
      auto* v = req.add_votes();
      v->set_member(members_[i]);
      v->set_grade(i == 0 ? first : av1::APPRAISAL_GRADE_QUALIFIED);
    }
    av1::CastAppraisalVotesResponse out;
    return Call(MemberToken(voter),
                [&](grpc::ClientContext* c) { return appraisal_->CastAppraisalVotes(c, req, &out); });
  }
  std::unique_ptr<av1::AppraisalService::Stub> appraisal_;
};

TEST_F(ActivityAppraisalTest, ARoundGoesFromSelfAssessmentToTheMeetingsGrades) {
  av1::CreateAppraisalRoundRequest create;
  create.set_parent(branch_);
  create.set_year(2026);
  create.set_request_id("appraisal-2026");
  av1::AppraisalRound round, again;
  ASSERT_THAT(
      Call(secretary_, [&](grpc::ClientContext* c) { return appraisal_->CreateAppraisalRound(c, create, &round); }),
      IsOk());
  EXPECT_EQ(round.stage(), av1::APPRAISAL_STAGE_SELF_ASSESSMENT);
  EXPECT_EQ(round.member_count(), 5);
  ASSERT_THAT(
      Call(secretary_, [&](grpc::ClientContext* c) { return appraisal_->CreateAppraisalRound(c, create, &again); }),
      IsOk());
  EXPECT_EQ(again.name(), round.name());  // the same request: the same round
  create.set_request_id("appraisal-2026-b");
  grpc::Status s =
      Call(secretary_, [&](grpc::ClientContext* c) { return appraisal_->CreateAppraisalRound(c, create, &again); });
  EXPECT_THAT(s, HasCode(grpc::ALREADY_EXISTS));
  EXPECT_EQ(ReasonOf(FromGrpcStatus(s)), "ROUND_EXISTS");
  EXPECT_EQ(FieldOf(FromGrpcStatus(s)), "year");
  create.set_parent(group_);
  s = Call(admin_, [&](grpc::ClientContext* c) { return appraisal_->CreateAppraisalRound(c, create, &again); });
  EXPECT_EQ(ReasonOf(FromGrpcStatus(s)), "WRONG_HOST_UNIT");

  // Self-assessment: each of themselves only.
  ASSERT_THAT(Assess(round.name(), members_[0], members_[0]), IsOk());
  s = Assess(round.name(), members_[1], members_[0]);
  EXPECT_EQ(ReasonOf(FromGrpcStatus(s)), "WRONG_STAGE");
  s = Assess(round.name(), members_[0], members_[0], "");
  EXPECT_EQ(FieldOf(FromGrpcStatus(s)), "text");
  // Peer assessment.
  ASSERT_THAT(Advance(&round), IsOk());
  EXPECT_EQ(round.stage(), av1::APPRAISAL_STAGE_PEER_ASSESSMENT);
  ASSERT_THAT(Assess(round.name(), members_[1], members_[0], "热心帮助困难群众。"), IsOk());
  s = Assess(round.name(), members_[2], members_[2]);
  EXPECT_EQ(ReasonOf(FromGrpcStatus(s)), "WRONG_STAGE");
  s = Assess(round.name(), members_[1], elsewhere_);
  EXPECT_EQ(ReasonOf(FromGrpcStatus(s)), "NOT_IN_ROUND");
  // Votes: full members only.
  ASSERT_THAT(Advance(&round), IsOk());
  s = Vote(round.name(), members_[4], av1::APPRAISAL_GRADE_EXCELLENT);
  EXPECT_THAT(s, HasCode(grpc::PERMISSION_DENIED));
  EXPECT_EQ(ReasonOf(FromGrpcStatus(s)), "NOT_A_VOTER");
  for (int i : {1, 2, 3}) ASSERT_THAT(Vote(round.name(), members_[i], av1::APPRAISAL_GRADE_EXCELLENT), IsOk());
  ASSERT_THAT(Vote(round.name(), members_[3], av1::APPRAISAL_GRADE_EXCELLENT), IsOk());  // again: replaced
  s = Advance(&round);
  EXPECT_EQ(ReasonOf(FromGrpcStatus(s)), "WRONG_STAGE");

  // The branch meeting decides: a held, valid member meeting of the branch.
  av1::Activity thin = Held(branch_, NewActivity(av1::ACTIVITY_TYPE_MEMBER_MEETING, "2026-11-30 14:00"), {members_[0]});
  av1::Activity meeting = Held(branch_, NewActivity(av1::ACTIVITY_TYPE_MEMBER_MEETING, "2026-12-01 08:30", 60),
                               {members_[0], members_[1], members_[2]});
  ASSERT_TRUE(meeting.valid());
  av1::DecideAppraisalRequest decide;
  decide.set_round(round.name());
  decide.set_meeting(thin.name());
  decide.set_etag(round.etag());
  for (size_t i = 0; i < members_.size(); ++i) {
    auto* g = decide.add_grades();
    g->set_member(members_[i]);
    g->set_grade(i == 0 ? av1::APPRAISAL_GRADE_EXCELLENT : av1::APPRAISAL_GRADE_QUALIFIED);
  }
  av1::AppraisalRound decided;
  s = Call(secretary_, [&](grpc::ClientContext* c) { return appraisal_->DecideAppraisal(c, decide, &decided); });
  EXPECT_EQ(ReasonOf(FromGrpcStatus(s)), "NOT_THE_MEETING");  // no quorum
  decide.set_meeting(meeting.name());
  av1::DecideAppraisalRequest short_one = decide;
  short_one.mutable_grades()->RemoveLast();
  s = Call(secretary_, [&](grpc::ClientContext* c) { return appraisal_->DecideAppraisal(c, short_one, &decided); });
  EXPECT_EQ(ReasonOf(FromGrpcStatus(s)), "GRADES_MISSING");
  ASSERT_THAT(
      Call(secretary_, [&](grpc::ClientContext* c) { return appraisal_->DecideAppraisal(c, decide, &decided); }),
      IsOk());
  EXPECT_EQ(decided.stage(), av1::APPRAISAL_STAGE_DECIDED);
  EXPECT_EQ(decided.decided_at(), meeting.name());

  // The secretary sees everything; the member their own entry, no authors.
  av1::ListMemberAppraisalsRequest list;
  list.set_parent(round.name());
  av1::ListMemberAppraisalsResponse all, mine;
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return appraisal_->ListMemberAppraisals(c, list, &all); }),
              IsOk());
  ASSERT_EQ(all.appraisals_size(), 5);
  for (const auto& a : all.appraisals()) {
    if (a.member() != members_[0]) continue;
    EXPECT_EQ(a.votes_excellent(), 3);
    EXPECT_EQ(a.grade(), av1::APPRAISAL_GRADE_EXCELLENT);
    ASSERT_EQ(a.peer_assessments_size(), 1);
    EXPECT_EQ(a.peer_assessments(0).author(), members_[1]);
    EXPECT_FALSE(a.self_assessment().empty());
  }
  ASSERT_THAT(Call(MemberToken(members_[0]),
                   [&](grpc::ClientContext* c) { return appraisal_->ListMemberAppraisals(c, list, &mine); }),
              IsOk());
  ASSERT_EQ(mine.appraisals_size(), 1);
  EXPECT_EQ(mine.appraisals(0).peer_assessments_size(), 0);
  // Kept per member, year by year.
  list.set_parent(members_[0]);
  av1::ListMemberAppraisalsResponse history;
  ASSERT_THAT(Call(MemberToken(members_[0]),
                   [&](grpc::ClientContext* c) { return appraisal_->ListMemberAppraisals(c, list, &history); }),
              IsOk());
  ASSERT_EQ(history.appraisals_size(), 1);
  EXPECT_EQ(history.appraisals(0).year(), 2026);
  EXPECT_EQ(history.appraisals(0).grade(), av1::APPRAISAL_GRADE_EXCELLENT);
}

}  // namespace
}  // namespace lianxin::testing
