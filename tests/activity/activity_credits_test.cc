// Credits from the dispatch service over gRPC, with all four services: a
// closed request credits its member's hours and points exactly once, across
// a stop of the activity service, a replay of the outbox, and within the
// district's caps; corrections are reversing entries.
#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "lianxin/activity/v1/volunteer_service.grpc.pb.h"
#include "tests/dispatch/dispatch_test_base.h"

namespace lianxin::testing {
namespace {

namespace av1 = ::lianxin::activity::v1;

class ActivityCreditsTest : public DispatchTest {
 protected:
  static void SetUpTestSuite() {
    DispatchTest::SetUpTestSuite();
    activity_ = new ServiceProcess(
        "activity",
        {*suffix_ + "_activity",
         "",
         {"--org_target=" + org_->target(), "--member_target=" + member_->target(),
          "--dispatch_target=" + dispatch_->target(), "--credit_interval_ms=100", "--keys_file=" + *keys_file_,
          "--index_key_file=" + keys_file_->substr(0, keys_file_->size() - 5) + ".index"}},
        *key_);
    ASSERT_TRUE(activity_->Start().ok()) << activity_->Log();
  }
  static void TearDownTestSuite() {
    delete activity_;
    DispatchTest::TearDownTestSuite();
  }
  void SetUp() override {
    DispatchTest::SetUp();
    volunteer_ = av1::VolunteerService::NewStub(activity_->Channel());
    ledger_ = std::make_unique<SqlProbe>(TestDbSocket(), *suffix_ + "_activity");
  }

  // A request served by residents_[who] (30 minutes) and confirmed.
  void Serve(int who) {
    dv1::Request r, out;
    ASSERT_THAT(Submit(resident_, NewRequest("repair"), &r, "", true), IsOk());
    dv1::DispatchRequestRequest d;
    d.set_name(r.name());
    d.set_member(residents_[static_cast<size_t>(who)]);
    ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->DispatchRequest(c, d, &out); }), IsOk());
    const std::string member = MemberToken(residents_[static_cast<size_t>(who)]);
    dv1::AcceptRequestRequest a;
    a.set_name(r.name());
    ASSERT_THAT(Call(member, [&](grpc::ClientContext* c) { return stub_->AcceptRequest(c, a, &out); }), IsOk());
    dv1::ResolveRequestRequest res;
    res.set_name(r.name());
    res.set_resolution("修好了");
    res.set_minutes_spent(30);
    ASSERT_THAT(Call(member, [&](grpc::ClientContext* c) { return stub_->ResolveRequest(c, res, &out); }), IsOk());
    dv1::ConfirmRequestRequest conf;
    conf.set_name(r.name());
    conf.set_rating(5);
    ASSERT_THAT(Call(resident_, [&](grpc::ClientContext* c) { return stub_->ConfirmRequest(c, conf, &out); }), IsOk());
  }

  av1::Balances Balances(const std::string& member, const std::string& token = "") {
    av1::GetBalancesRequest req;
    req.set_member(member);
    av1::Balances out;
    EXPECT_THAT(Call(token.empty() ? admin_ : token,
                     [&](grpc::ClientContext* c) { return volunteer_->GetBalances(c, req, &out); }),
                IsOk());
    return out;
  }

  int64_t HourEntries() {
    return ledger_->Count("ledger_entries", absl::StrCat("ledger = 1 AND district_id = '", district_.substr(9), "'"));
  }

  // Waits (up to 20 s) until the district's hour entries number `n`.
  bool WaitForHourEntries(int64_t n) {
    for (int i = 0; i < 200; ++i) {
      if (HourEntries() == n) return true;
      absl::SleepFor(absl::Milliseconds(100));
    }
    return false;
  }

  static ServiceProcess* activity_;
  std::unique_ptr<av1::VolunteerService::Stub> volunteer_;
  std::unique_ptr<SqlProbe> ledger_;
};

ServiceProcess* ActivityCreditsTest::activity_ = nullptr;

TEST_F(ActivityCreditsTest, EveryClosedRequestIsCreditedOnceAcrossARestartAndAReplay) {
  Serve(0);
  ASSERT_TRUE(WaitForHourEntries(1)) << HourEntries();
  av1::Balances b = Balances(residents_[0]);
  EXPECT_DOUBLE_EQ(b.hours(), 0.5);
  EXPECT_EQ(b.points(), 5);
  EXPECT_DOUBLE_EQ(b.hours_this_year(), 0.5);

  // The activity service is away while 100 requests close.
  ASSERT_EQ(activity_->Stop(), 0);
  for (int i = 0; i < 100; ++i) Serve(i % 5);
  ASSERT_TRUE(activity_->Start().ok()) << activity_->Log();
  volunteer_ = av1::VolunteerService::NewStub(activity_->Channel());
  ASSERT_TRUE(WaitForHourEntries(101)) << HourEntries();
  // Each once: one entry per event and ledger.
  const std::string district = absl::StrCat("district_id = '", district_.substr(9), "'");
  EXPECT_EQ(ledger_->Scalar(
                absl::StrCat("SELECT COUNT(DISTINCT source_key) FROM ledger_entries WHERE ledger = 1 AND ", district)),
            "101");
  // residents_[0] served 21: 10.5 hours; 5 points each, at most 30 a month.
  b = Balances(residents_[0]);
  EXPECT_DOUBLE_EQ(b.hours(), 10.5);
  EXPECT_EQ(b.points(), 30);
  EXPECT_DOUBLE_EQ(Balances(residents_[4]).hours(), 10);

  // The outbox read again from the start (a cursor lost): nothing twice.
  ASSERT_TRUE(ledger_->Exec("UPDATE credit_cursors SET after_seq = 0").ok());
  absl::SleepFor(absl::Milliseconds(1500));
  EXPECT_EQ(HourEntries(), 101);
  EXPECT_EQ(ledger_->Scalar("SELECT after_seq > 0 FROM credit_cursors"), "1");
  // Double entry: the district's accounts give what the members hold.
  EXPECT_EQ(ledger_->Scalar(absl::StrCat(
                "SELECT SUM(amount) FROM ledger_entries WHERE ledger = 1 AND debit_account = '", district_, "/hours'")),
            absl::StrCat(101 * 30));
}

TEST_F(ActivityCreditsTest, ACorrectionIsAReversingEntryMadeOnce) {
  Serve(1);
  ASSERT_TRUE(WaitForHourEntries(1));
  av1::ListLedgerEntriesRequest list;
  list.set_parent(residents_[1]);
  list.set_ledger(av1::LEDGER_HOURS);
  av1::ListLedgerEntriesResponse entries;
  const std::string member = MemberToken(residents_[1]);
  ASSERT_THAT(Call(member, [&](grpc::ClientContext* c) { return volunteer_->ListLedgerEntries(c, list, &entries); }),
              IsOk());
  ASSERT_EQ(entries.entries_size(), 1);
  const av1::LedgerEntry credit = entries.entries(0);
  EXPECT_EQ(credit.credit_account(), residents_[1]);
  EXPECT_EQ(credit.debit_account(), district_ + "/hours");
  EXPECT_EQ(credit.amount(), 30);
  EXPECT_EQ(credit.actor(), "service:activity");

  av1::ReverseLedgerEntryRequest rev;
  rev.set_name(credit.name());
  av1::LedgerEntry reversal;
  grpc::Status s =
      Call(admin_, [&](grpc::ClientContext* c) { return volunteer_->ReverseLedgerEntry(c, rev, &reversal); });
  EXPECT_THAT(s, HasCode(grpc::INVALID_ARGUMENT));
  EXPECT_EQ(FieldOf(FromGrpcStatus(s)), "reason");
  rev.set_reason("重复登记");
  // A member does not correct their own ledger.
  EXPECT_THAT(Call(member, [&](grpc::ClientContext* c) { return volunteer_->ReverseLedgerEntry(c, rev, &reversal); }),
              HasCode(grpc::PERMISSION_DENIED));
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return volunteer_->ReverseLedgerEntry(c, rev, &reversal); }),
              IsOk());
  EXPECT_EQ(reversal.reverses(), credit.name());
  EXPECT_EQ(reversal.debit_account(), residents_[1]);
  EXPECT_DOUBLE_EQ(Balances(residents_[1], member).hours(), 0);
  s = Call(admin_, [&](grpc::ClientContext* c) { return volunteer_->ReverseLedgerEntry(c, rev, &reversal); });
  EXPECT_EQ(ReasonOf(FromGrpcStatus(s)), "ALREADY_REVERSED");
  rev.set_name(reversal.name());
  s = Call(admin_, [&](grpc::ClientContext* c) { return volunteer_->ReverseLedgerEntry(c, rev, &reversal); });
  EXPECT_EQ(ReasonOf(FromGrpcStatus(s)), "IS_A_REVERSAL");
  // Another member's balances are not a member's to read.
  av1::GetBalancesRequest other;
  other.set_member(residents_[2]);
  av1::Balances out;
  EXPECT_THAT(Call(member, [&](grpc::ClientContext* c) { return volunteer_->GetBalances(c, other, &out); }),
              HasCode(grpc::PERMISSION_DENIED));
}

TEST_F(ActivityCreditsTest, ADistrictSetsItsPointRules) {
  av1::GetPointRulesRequest get;
  get.set_name(district_ + "/pointRules");
  av1::PointRules rules;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return volunteer_->GetPointRules(c, get, &rules); }), IsOk());
  ASSERT_EQ(rules.rules_size(), 2);
  EXPECT_TRUE(rules.rules(0).default_());
  av1::UpdatePointRulesRequest up;
  *up.mutable_rules() = rules;
  up.mutable_rules()->mutable_rules(0)->set_points(10);
  up.mutable_rules()->mutable_rules(0)->set_cap(20);
  up.mutable_rules()->mutable_rules(1)->set_cap(0);
  av1::PointRules set;
  grpc::Status s = Call(admin_, [&](grpc::ClientContext* c) { return volunteer_->UpdatePointRules(c, up, &set); });
  EXPECT_THAT(s, HasCode(grpc::INVALID_ARGUMENT));
  EXPECT_EQ(FieldOf(FromGrpcStatus(s)), "rules.rules[1].cap");
  up.mutable_rules()->mutable_rules(1)->set_cap(12);
  EXPECT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return volunteer_->UpdatePointRules(c, up, &set); }),
              HasCode(grpc::PERMISSION_DENIED));
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return volunteer_->UpdatePointRules(c, up, &set); }), IsOk());
  EXPECT_EQ(set.etag(), "v1");
  EXPECT_FALSE(set.rules(0).default_());
  // Two served: 10 each, at most 20 a month.
  Serve(2);
  Serve(2);
  Serve(2);
  ASSERT_TRUE(WaitForHourEntries(3));
  EXPECT_EQ(Balances(residents_[2]).points(), 20);
  // A secretary of the district reads the rules; not of a unit elsewhere.
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return volunteer_->GetPointRules(c, get, &rules); }),
              IsOk());
  EXPECT_EQ(rules.etag(), "v1");
}

}  // namespace
}  // namespace lianxin::testing
