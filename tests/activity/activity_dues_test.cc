// Party dues over gRPC: assessments by the brackets with the base sealed and
// masked, each reading in clear recorded; payments once per request and per
// month, never below the dues; where members stand, arrears, the reasons,
// the flag after six months, the to-dos through the org service, and the
// totals of a branch. The service's clock stands at 2026-12-01, so the
// months that have ended are those up to November.
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status.h"
#include "lianxin/activity/v1/dues.grpc.pb.h"
#include "tests/activity/activity_test_base.h"

namespace lianxin::testing {
namespace {

class ActivityDuesTest : public ActivityTest {
 protected:
  void SetUp() override {
    ActivityTest::SetUp();
    dues_ = av1::DuesService::NewStub(activity_->Channel());
    auditor_ = key_->Token("auditor-1", {"auditor"}, district_);
  }

  grpc::Status Assess(const std::string& member, const std::string& month, av1::DuesCategory category, int64_t base_fen,
                      av1::DuesAssessment* out, const std::string& etag = "", const std::string& token = "") {
    av1::SetDuesAssessmentRequest req;
    req.mutable_assessment()->set_name(absl::StrCat(member, "/duesAssessments/", month));
    req.mutable_assessment()->set_category(category);
    if (base_fen != 0) req.mutable_assessment()->set_base_pay_fen(base_fen);
    req.set_etag(etag);
    return Call(token.empty() ? secretary_ : token,
                [&](grpc::ClientContext* c) { return dues_->SetDuesAssessment(c, req, out); });
  }

  grpc::Status Pay(const std::string& member, const std::vector<std::string>& months, int64_t fen,
                   av1::DuesPayment* out, const std::string& request_id = "") {
    av1::RecordDuesPaymentRequest req;
    req.mutable_payment()->set_member(member);
    for (const auto& m : months) req.mutable_payment()->add_months(m);
    req.mutable_payment()->set_amount_fen(fen);
    req.mutable_payment()->set_method(av1::DUES_METHOD_ONLINE);
    req.set_request_id(request_id.empty() ? absl::StrCat("pay-", counter_++, "-", suffix_->substr(0, 12)) : request_id);
    return Call(secretary_, [&](grpc::ClientContext* c) { return dues_->RecordDuesPayment(c, req, out); });
  }

  // The months of 2026 from `from` to `last` (1..12).
  static std::vector<std::string> Months(int from, int last) {
    std::vector<std::string> out;
    for (int m = from; m <= last; ++m) out.push_back(absl::StrFormat("2026-%02d", m));
    return out;
  }

  grpc::Status Standing(const std::string& member, av1::DuesStanding* out, bool reveal = false,
                        const std::string& token = "") {
    av1::GetDuesStandingRequest req;
    req.set_name(member + "/duesStanding");
    req.set_reveal(reveal);
    return Call(token.empty() ? secretary_ : token,
                [&](grpc::ClientContext* c) { return dues_->GetDuesStanding(c, req, out); });
  }

  std::vector<av1::DuesDisclosure> Disclosures(const std::string& member) {
    av1::ListDuesDisclosuresRequest req;
    req.set_parent(member);
    av1::ListDuesDisclosuresResponse out;
    EXPECT_THAT(Call(auditor_, [&](grpc::ClientContext* c) { return dues_->ListDuesDisclosures(c, req, &out); }),
                IsOk());
    return {out.disclosures().begin(), out.disclosures().end()};
  }

  // The subjects of the branch's to-dos of `kind`, sorted.
  std::vector<std::string> Todos(ov1::TodoKind kind) {
    ov1::ListTodosRequest req;
    req.set_parent(branch_);
    req.add_kinds(kind);
    ov1::ListTodosResponse out;
    EXPECT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return org_stub_->ListTodos(c, req, &out); }), IsOk());
    std::vector<std::string> subjects;
    for (const auto& t : out.todos()) subjects.push_back(t.subject());
    std::sort(subjects.begin(), subjects.end());
    return subjects;
  }
  bool WaitForTodos(ov1::TodoKind kind, const std::vector<std::string>& want) {
    for (int i = 0; i < 100; ++i) {
      if (Todos(kind) == want) return true;
      absl::SleepFor(absl::Milliseconds(100));
    }
    return false;
  }

  std::string IdOf(const std::string& name) { return name.substr(name.rfind('/') + 1); }

  std::unique_ptr<av1::DuesService::Stub> dues_;
  std::string auditor_;
};

TEST_F(ActivityDuesTest, AnAssessmentFollowsTheBracketsWithTheBaseSealedAndEachReadingRecorded) {
  const std::string& m = members_[0];
  av1::DuesAssessment a;
  ASSERT_THAT(Assess(m, "2026-01", av1::DUES_CATEGORY_EMPLOYED, 800000, &a), IsOk());
  EXPECT_EQ(a.rate_basis_points(), 150);
  EXPECT_EQ(a.monthly_fen(), 12000);  // 8,000 yuan × 1.5%
  EXPECT_EQ(a.org_unit(), branch_);
  EXPECT_TRUE(a.base_pay_masked());
  EXPECT_FALSE(a.has_base_pay_fen());
  // At rest the base is no number anyone can read.
  EXPECT_EQ(probe_->Count("dues_assessments", absl::StrCat("member_id = '", IdOf(m), "'")), 1);
  EXPECT_EQ(probe_->Count("dues_assessments", "base_sealed LIKE '%800000%'"), 0);

  // The same again is answered as it stands; another content needs the etag.
  av1::DuesAssessment again;
  ASSERT_THAT(Assess(m, "2026-01", av1::DUES_CATEGORY_EMPLOYED, 800000, &again), IsOk());
  EXPECT_EQ(again.etag(), a.etag());
  grpc::Status s = Assess(m, "2026-01", av1::DUES_CATEGORY_EMPLOYED, 900000, &again);
  EXPECT_THAT(s, HasCode(grpc::ALREADY_EXISTS));
  EXPECT_EQ(ErrorReason(s), "ASSESSMENT_EXISTS");
  ASSERT_THAT(Assess(m, "2026-01", av1::DUES_CATEGORY_EMPLOYED, 900000, &again, a.etag()), IsOk());
  EXPECT_EQ(again.monthly_fen(), 13500);
  EXPECT_THAT(Assess(m, "2026-01", av1::DUES_CATEGORY_RETIRED, 300000, &again, a.etag()), HasCode(grpc::ABORTED));
  // Retired from July: a second assessment, in force from then on.
  ASSERT_THAT(Assess(m, "2026-07", av1::DUES_CATEGORY_RETIRED, 600000, &again), IsOk());
  EXPECT_EQ(again.monthly_fen(), 6000);

  // Bad input names its field and writes nothing.
  const std::string other = members_[1];
  s = Assess(other, "2026-01", av1::DUES_CATEGORY_RETIRED, 0, &again);
  EXPECT_THAT(s, HasCode(grpc::INVALID_ARGUMENT));
  EXPECT_THAT(ViolatedFields(s), ::testing::ElementsAre("assessment.base_pay_fen"));
  s = Assess(other, "2026-13", av1::DUES_CATEGORY_STUDENT, 0, &again);
  EXPECT_THAT(ViolatedFields(s), ::testing::ElementsAre("assessment.name"));
  s = Assess(other, "2026-01", av1::DUES_CATEGORY_STUDENT, 500, &again);
  EXPECT_THAT(ViolatedFields(s), ::testing::ElementsAre("assessment.base_pay_fen"));
  // Auditors and members do not set dues; nor a secretary of another branch.
  EXPECT_THAT(Assess(other, "2026-01", av1::DUES_CATEGORY_STUDENT, 0, &again, "", auditor_),
              HasCode(grpc::PERMISSION_DENIED));
  EXPECT_THAT(Assess(other, "2026-01", av1::DUES_CATEGORY_STUDENT, 0, &again, "", MemberToken(other)),
              HasCode(grpc::PERMISSION_DENIED));
  EXPECT_THAT(Assess(elsewhere_, "2026-01", av1::DUES_CATEGORY_STUDENT, 0, &again), HasCode(grpc::PERMISSION_DENIED));
  EXPECT_EQ(
      probe_->Count("dues_assessments", absl::StrCat("member_id IN ('", IdOf(other), "', '", IdOf(elsewhere_), "')")),
      0);
  EXPECT_EQ(probe_->Count("dues_accounts", absl::StrCat("member_id = '", IdOf(other), "'")), 0);

  // Masked for the auditor, who may not reveal; in clear for the secretary
  // and the member, each reading recorded.
  av1::ListDuesAssessmentsRequest list;
  list.set_parent(m);
  av1::ListDuesAssessmentsResponse listed;
  ASSERT_THAT(Call(auditor_, [&](grpc::ClientContext* c) { return dues_->ListDuesAssessments(c, list, &listed); }),
              IsOk());
  ASSERT_EQ(listed.assessments_size(), 2);
  EXPECT_EQ(listed.assessments(0).name(), m + "/duesAssessments/2026-07");  // latest first
  EXPECT_TRUE(listed.assessments(1).base_pay_masked());
  list.set_reveal(true);
  s = Call(auditor_, [&](grpc::ClientContext* c) { return dues_->ListDuesAssessments(c, list, &listed); });
  EXPECT_THAT(s, HasCode(grpc::PERMISSION_DENIED));
  EXPECT_EQ(ErrorReason(s), "REVEAL_NOT_ALLOWED");
  EXPECT_TRUE(Disclosures(m).empty());
  listed.Clear();
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return dues_->ListDuesAssessments(c, list, &listed); }),
              IsOk());
  EXPECT_EQ(listed.assessments(1).base_pay_fen(), 900000);
  EXPECT_FALSE(listed.assessments(1).base_pay_masked());
  listed.Clear();
  ASSERT_THAT(
      Call(MemberToken(m), [&](grpc::ClientContext* c) { return dues_->ListDuesAssessments(c, list, &listed); }),
      IsOk());
  EXPECT_EQ(listed.assessments(0).base_pay_fen(), 600000);
  std::vector<av1::DuesDisclosure> read = Disclosures(m);
  ASSERT_EQ(read.size(), 4u);      // two bases, twice
  EXPECT_EQ(read[0].reader(), m);  // the member's own reading, the latest
  EXPECT_EQ(read[3].reader(), "branch-secretary");
  EXPECT_EQ(read[3].field(), "base_pay");
  EXPECT_EQ(read[3].method(), "ListDuesAssessments");
  // Another member's dues are not a member's to read.
  list.set_parent(members_[1]);
  EXPECT_THAT(
      Call(MemberToken(m), [&](grpc::ClientContext* c) { return dues_->ListDuesAssessments(c, list, &listed); }),
      HasCode(grpc::PERMISSION_DENIED));
}

TEST_F(ActivityDuesTest, APaymentIsRecordedOncePerRequestAndPerMonthAndNeverBelowTheDues) {
  const std::string& m = members_[0];
  av1::DuesAssessment a;
  av1::DuesPayment p, again;
  // Nothing to pay before an assessment.
  grpc::Status s = Pay(m, {"2026-01"}, 20, &p);
  EXPECT_THAT(s, HasCode(grpc::FAILED_PRECONDITION));
  EXPECT_EQ(ErrorReason(s), "NOT_ASSESSED");
  ASSERT_THAT(Assess(m, "2026-01", av1::DUES_CATEGORY_STUDENT, 0, &a), IsOk());
  EXPECT_EQ(a.monthly_fen(), 20);

  ASSERT_THAT(Pay(m, Months(1, 3), 100, &p, "pay-q1"), IsOk());
  EXPECT_EQ(p.due_fen(), 60);
  EXPECT_EQ(p.amount_fen(), 100);  // more is welcome
  EXPECT_THAT(p.months(), ::testing::ElementsAre("2026-01", "2026-02", "2026-03"));
  // The same request again: the same payment, nothing more written.
  ASSERT_THAT(Pay(m, Months(1, 3), 100, &again, "pay-q1"), IsOk());
  EXPECT_EQ(again.name(), p.name());
  // A month paid before, too little, a month before the assessment, bad
  // months: refused, naming the field, nothing written.
  s = Pay(m, {"2026-04", "2026-03"}, 40, &again);
  EXPECT_THAT(s, HasCode(grpc::FAILED_PRECONDITION));
  EXPECT_EQ(ErrorReason(s), "MONTH_PAID");
  EXPECT_THAT(ViolatedFields(s), ::testing::ElementsAre("payment.months[1]"));
  s = Pay(m, {"2026-04", "2026-05"}, 39, &again);
  EXPECT_THAT(s, HasCode(grpc::INVALID_ARGUMENT));
  EXPECT_THAT(ViolatedFields(s), ::testing::ElementsAre("payment.amount_fen"));
  s = Pay(m, {"2025-12"}, 20, &again);
  EXPECT_EQ(ErrorReason(s), "NOT_ASSESSED");
  s = Pay(m, {"2026-4", "2026-06", "2026-06"}, 20, &again);
  EXPECT_THAT(ViolatedFields(s), ::testing::ElementsAre("payment.months[0]", "payment.months[2]"));
  const std::string mine = absl::StrCat("member_id = '", IdOf(m), "'");
  EXPECT_EQ(probe_->Count("dues_payments", mine), 1);
  EXPECT_EQ(probe_->Count("dues_months", mine), 3);

  // Two clerks record April at once: one payment stands.
  std::vector<grpc::Status> results(2);
  std::vector<std::thread> clerks;
  for (int i = 0; i < 2; ++i) {
    clerks.emplace_back([&, i] {
      av1::DuesPayment out;
      results[i] = Pay(m, {"2026-04"}, 20, &out);
    });
  }
  for (auto& t : clerks) t.join();
  EXPECT_EQ(results[0].ok() + results[1].ok(), 1) << results[0].error_message() << results[1].error_message();
  EXPECT_EQ(probe_->Count("dues_payments", mine), 2);

  // The member sees their payments; the branch's list holds them too.
  av1::ListDuesPaymentsRequest list;
  list.set_parent(m);
  av1::ListDuesPaymentsResponse listed;
  ASSERT_THAT(Call(MemberToken(m), [&](grpc::ClientContext* c) { return dues_->ListDuesPayments(c, list, &listed); }),
              IsOk());
  ASSERT_EQ(listed.payments_size(), 2);
  EXPECT_THAT(listed.payments(0).months(), ::testing::ElementsAre("2026-04"));  // newest first
  list.set_parent(community_);
  list.set_page_size(1);
  listed.Clear();
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return dues_->ListDuesPayments(c, list, &listed); }), IsOk());
  EXPECT_EQ(listed.payments_size(), 1);
  EXPECT_FALSE(listed.next_page_token().empty());
  list.set_parent(other_branch_);
  EXPECT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return dues_->ListDuesPayments(c, list, &listed); }),
              HasCode(grpc::PERMISSION_DENIED));
}

TEST_F(ActivityDuesTest, ArrearsAreListedAndSixMonthsWithoutAReasonAreFlaggedAndRaised) {
  const std::string &late = members_[0], &paid = members_[1], &short_ = members_[2];
  av1::DuesAssessment a;
  av1::DuesPayment p;
  for (const auto& m : {late, paid, short_}) {
    ASSERT_THAT(Assess(m, "2026-01", av1::DUES_CATEGORY_EMPLOYED, 300000, &a), IsOk());  // 15 yuan
  }
  ASSERT_THAT(Pay(late, Months(1, 4), 6000, &p), IsOk());
  ASSERT_THAT(Pay(paid, Months(1, 12), 18000, &p), IsOk());  // December ahead
  ASSERT_THAT(Pay(short_, Months(1, 9), 13500, &p), IsOk());

  av1::DuesStanding st;
  ASSERT_THAT(Standing(late, &st), IsOk());
  EXPECT_EQ(st.months_unpaid(), 7);  // May to November
  EXPECT_EQ(st.consecutive_unpaid(), 7);
  EXPECT_EQ(st.first_unpaid_month(), "2026-05");
  EXPECT_EQ(st.paid_through(), "2026-04");
  EXPECT_EQ(st.owed_fen(), 10500);
  EXPECT_TRUE(st.flagged());
  ASSERT_THAT(Standing(paid, &st), IsOk());
  EXPECT_EQ(st.months_unpaid(), 0);
  EXPECT_EQ(st.paid_through(), "2026-12");
  EXPECT_FALSE(st.flagged());
  // A member reads their own standing, not another's.
  EXPECT_THAT(Standing(paid, &st, false, MemberToken(paid)), IsOk());
  EXPECT_THAT(Standing(late, &st, false, MemberToken(paid)), HasCode(grpc::PERMISSION_DENIED));
  EXPECT_THAT(Standing(members_[3], &st), HasCode(grpc::NOT_FOUND));

  av1::ListDuesArrearsRequest arrears;
  arrears.set_parent(community_);
  arrears.set_page_size(1);
  std::vector<std::string> behind;
  do {
    av1::ListDuesArrearsResponse page;
    ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return dues_->ListDuesArrears(c, arrears, &page); }),
                IsOk());
    for (const auto& m : page.members()) behind.push_back(m.member());
    arrears.set_page_token(page.next_page_token());
  } while (!arrears.page_token().empty());
  std::sort(behind.begin(), behind.end());
  std::vector<std::string> want = {late, short_};
  std::sort(want.begin(), want.end());
  EXPECT_EQ(behind, want);
  arrears.set_min_months(3);
  av1::ListDuesArrearsResponse page;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return dues_->ListDuesArrears(c, arrears, &page); }), IsOk());
  ASSERT_EQ(page.members_size(), 1);
  EXPECT_EQ(page.members(0).member(), late);
  arrears.set_min_months(0);
  grpc::Status s = Call(admin_, [&](grpc::ClientContext* c) { return dues_->ListDuesArrears(c, arrears, &page); });
  EXPECT_THAT(ViolatedFields(s), ::testing::ElementsAre("min_months"));

  // Three months unpaid and more: a to-do; six in a row without a reason:
  // another, until the branch records why.
  const std::string subject = late + "/duesStanding";
  EXPECT_TRUE(WaitForTodos(ov1::TODO_KIND_DUES_UNPAID, {subject}))
      << ::testing::PrintToString(Todos(ov1::TODO_KIND_DUES_UNPAID));
  EXPECT_TRUE(WaitForTodos(ov1::TODO_KIND_DUES_LAPSED, {subject}));
  av1::SetDuesReasonRequest why;
  why.set_name(subject);
  why.set_reason("住院治疗，家属代为说明");
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return dues_->SetDuesReason(c, why, &st); }), IsOk());
  const std::string about = absl::StrCat("resource = '", subject, "'");
  EXPECT_EQ(probe_->Count("history", about), 1);
  // The same reason again (a retry) changes nothing.
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return dues_->SetDuesReason(c, why, &st); }), IsOk());
  EXPECT_EQ(probe_->Count("history", about), 1);
  EXPECT_FALSE(st.flagged());
  EXPECT_EQ(st.reason(), "***");
  EXPECT_EQ(probe_->Count("dues_accounts", "reason_sealed LIKE '%住院%'"), 0);
  EXPECT_TRUE(WaitForTodos(ov1::TODO_KIND_DUES_LAPSED, {}));
  EXPECT_TRUE(WaitForTodos(ov1::TODO_KIND_DUES_UNPAID, {subject}));
  // The reason in clear to the secretary, recorded; not to the auditor.
  ASSERT_THAT(Standing(late, &st, true), IsOk());
  EXPECT_EQ(st.reason(), "住院治疗，家属代为说明");
  EXPECT_THAT(Standing(late, &st, true, auditor_), HasCode(grpc::PERMISSION_DENIED));
  std::vector<av1::DuesDisclosure> read = Disclosures(late);
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(read[0].field(), "reason");
  EXPECT_EQ(read[0].method(), "GetDuesStanding");
  // A member cannot record reasons, even their own.
  EXPECT_THAT(Call(MemberToken(late), [&](grpc::ClientContext* c) { return dues_->SetDuesReason(c, why, &st); }),
              HasCode(grpc::PERMISSION_DENIED));
  // Paying up closes the reminder.
  ASSERT_THAT(Pay(late, Months(5, 11), 10500, &p), IsOk());
  EXPECT_TRUE(WaitForTodos(ov1::TODO_KIND_DUES_UNPAID, {}));
}

TEST_F(ActivityDuesTest, TheTotalsOfABranchAreCountedMonthByMonth) {
  av1::DuesAssessment a;
  av1::DuesPayment p;
  ASSERT_THAT(Assess(members_[0], "2026-01", av1::DUES_CATEGORY_EMPLOYED, 500000, &a), IsOk());  // 50 yuan
  ASSERT_THAT(Assess(members_[1], "2026-07", av1::DUES_CATEGORY_STUDENT, 0, &a), IsOk());        // 0.2 yuan
  ASSERT_THAT(Pay(members_[0], Months(1, 6), 30000, &p), IsOk());
  ASSERT_THAT(Pay(members_[1], Months(7, 7), 20, &p), IsOk());

  av1::GetDuesTotalsRequest req;
  req.set_org_unit(community_);
  av1::DuesTotals t;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return dues_->GetDuesTotals(c, req, &t); }), IsOk());
  EXPECT_EQ(t.year(), 2026);
  ASSERT_EQ(t.months_size(), 12);
  EXPECT_EQ(t.months(0).month(), "2026-01");
  EXPECT_EQ(t.months(0).members_assessed(), 1);
  EXPECT_EQ(t.months(0).members_paid(), 1);
  EXPECT_EQ(t.months(6).members_assessed(), 2);
  EXPECT_EQ(t.months(6).members_paid(), 1);
  EXPECT_EQ(t.months(6).due_fen(), 5020);
  EXPECT_EQ(t.months(6).paid_fen(), 20);
  EXPECT_EQ(t.due_fen(), 12 * 5000 + 6 * 20);
  EXPECT_EQ(t.paid_fen(), 6 * 5000 + 20);
  // Another year, empty; a branch outside the secretary's subtree, refused.
  req.set_year(2025);
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return dues_->GetDuesTotals(c, req, &t); }), IsOk());
  EXPECT_EQ(t.due_fen(), 0);
  req.set_org_unit(other_branch_);
  EXPECT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return dues_->GetDuesTotals(c, req, &t); }),
              HasCode(grpc::PERMISSION_DENIED));
  req.set_year(1999);
  req.set_org_unit(branch_);
  grpc::Status s = Call(secretary_, [&](grpc::ClientContext* c) { return dues_->GetDuesTotals(c, req, &t); });
  EXPECT_THAT(ViolatedFields(s), ::testing::ElementsAre("year"));
}

}  // namespace
}  // namespace lianxin::testing
