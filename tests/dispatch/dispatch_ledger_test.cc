// ImportLedger over gRPC: a community's past requests brought in closed, with
// their times and steps, counted in the figures of their months; sent again,
// nothing twice; bad entries refused by name with nothing written.
#include "absl/strings/str_cat.h"
#include "common/timestamps.h"
#include "gmock/gmock.h"
#include "tests/dispatch/dispatch_test_base.h"

namespace lianxin::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class LedgerTest : public DispatchTest {
 protected:
  // Submitted `days_ago`, resolved two days later.
  dv1::LedgerEntry Entry(const std::string& id, int days_ago, dv1::LedgerRoute route, int escalations = 0) {
    dv1::LedgerEntry e;
    e.set_ledger_id(id);
    e.set_category(absl::StrCat(district_, "/categories/repair"));
    e.set_description("楼道灯坏了");
    e.set_place(building_);
    e.set_urgency(dv1::URGENCY_NORMAL);
    const absl::Time submitted = absl::Now() - absl::Hours(24 * days_ago);
    SetTimestampUs(absl::ToUnixMicros(submitted), e.mutable_submit_time());
    SetTimestampUs(absl::ToUnixMicros(submitted + absl::Hours(48)), e.mutable_resolve_time());
    e.set_escalation_level(escalations);
    e.set_route(route);
    e.set_member(residents_[0]);
    if (route == dv1::LEDGER_ROUTE_HANDED_OFF) e.set_department("区住建局");
    e.set_minutes_spent(30);
    e.set_resolution("已修好");
    e.set_rating(5);
    return e;
  }

  grpc::Status Import(const std::string& token, std::vector<dv1::LedgerEntry> entries, dv1::ImportLedgerResponse* out) {
    dv1::ImportLedgerRequest req;
    req.set_community(community_);
    for (auto& e : entries) *req.add_entries() = e;
    return Call(token, [&](grpc::ClientContext* c) { return stub_->ImportLedger(c, req, out); });
  }

  std::string CommunitySecretary() { return key_->Token("community-sec", {"secretary"}, community_); }
};

TEST_F(LedgerTest, PastRequestsComeInClosedWithTheirTimesAndStepsOnce) {
  const std::string sec = CommunitySecretary();
  const int64_t events = probe_->Count("outbox");
  dv1::ImportLedgerResponse out;
  ASSERT_THAT(
      Import(sec,
             {Entry("xh-001", 90, dv1::LEDGER_ROUTE_DISPATCHED), Entry("xh-002", 60, dv1::LEDGER_ROUTE_GRABBED, 1),
              Entry("xh-003", 30, dv1::LEDGER_ROUTE_HANDED_OFF)},
             &out),
      IsOk());
  EXPECT_EQ(out.imported(), 3);
  ASSERT_EQ(out.requests_size(), 3);
  EXPECT_EQ(probe_->Count("outbox"), events);  // history: nothing for the activity service to credit again
  dv1::Request grabbed = Get(admin_, out.requests(1));
  EXPECT_EQ(grabbed.state(), dv1::REQUEST_STATE_CLOSED);
  EXPECT_EQ(grabbed.escalation_level(), 1);
  EXPECT_EQ(grabbed.escalated_to(), branch_);  // one up from the building party group
  EXPECT_NEAR(static_cast<double>(grabbed.create_time().seconds()), absl::ToUnixSeconds(absl::Now()) - 60 * 86400.0,
              120);
  EXPECT_THAT(Timeline(out.requests(1)), ElementsAre("submit", "escalate", "offer", "grab", "resolve", "confirm"));
  EXPECT_THAT(Timeline(out.requests(2)), ElementsAre("submit", "dispatch", "accept", "hand_off", "resolve", "confirm"));

  // The figures of the months they came in count them.
  dv1::GetFiguresRequest figures;
  figures.set_parent(community_);
  SetTimestampUs(absl::ToUnixMicros(absl::Now() - absl::Hours(24 * 100)), figures.mutable_start_time());
  SetTimestampUs(absl::ToUnixMicros(absl::Now() - absl::Hours(24 * 10)), figures.mutable_end_time());
  dv1::GetFiguresResponse counted;
  ASSERT_THAT(Call(sec, [&](grpc::ClientContext* c) { return stub_->GetFigures(c, figures, &counted); }), IsOk());
  EXPECT_EQ(counted.total().submitted(), 3);
  EXPECT_EQ(counted.total().dispatched(), 3);
  EXPECT_EQ(counted.total().accepted(), 3);
  EXPECT_EQ(counted.total().resolved(), 3);
  EXPECT_EQ(counted.total().escalated(), 1);
  EXPECT_EQ(counted.total().minutes_spent(), 90);

  // Sent again, with one more: only the new one comes in.
  const std::string before = Written();
  ASSERT_THAT(
      Import(sec,
             {Entry("xh-001", 90, dv1::LEDGER_ROUTE_DISPATCHED), Entry("xh-004", 20, dv1::LEDGER_ROUTE_DISPATCHED)},
             &out),
      IsOk());
  EXPECT_EQ(out.imported(), 1);
  EXPECT_EQ(out.already_imported(), 1);
  EXPECT_EQ(probe_->Count("requests", absl::StrCat("community_id = '", community_.substr(9), "'")), 4);
  EXPECT_NE(Written(), before);
}

TEST_F(LedgerTest, ABadEntryIsNamedAndNothingIsWritten) {
  const std::string sec = CommunitySecretary();
  const std::string before = Written();
  dv1::ImportLedgerResponse out;
  dv1::LedgerEntry backwards = Entry("xh-101", 10, dv1::LEDGER_ROUTE_DISPATCHED);
  SetTimestampUs(TimestampUs(backwards.submit_time()) - 3600000000, backwards.mutable_resolve_time());
  grpc::Status s = Import(sec, {Entry("xh-100", 10, dv1::LEDGER_ROUTE_DISPATCHED), backwards}, &out);
  EXPECT_THAT(s, HasCode(grpc::INVALID_ARGUMENT));
  EXPECT_THAT(s.error_message(), HasSubstr("entries[1].resolve_time"));
  dv1::LedgerEntry no_department = Entry("xh-102", 10, dv1::LEDGER_ROUTE_HANDED_OFF);
  no_department.clear_department();
  EXPECT_THAT(Import(sec, {no_department}, &out), HasCode(grpc::INVALID_ARGUMENT));
  dv1::LedgerEntry future = Entry("xh-103", -5, dv1::LEDGER_ROUTE_DISPATCHED);
  EXPECT_THAT(Import(sec, {future}, &out), HasCode(grpc::INVALID_ARGUMENT));
  dv1::LedgerEntry bad_id = Entry("XH 105", 10, dv1::LEDGER_ROUTE_DISPATCHED);
  EXPECT_THAT(Import(sec, {bad_id}, &out), HasCode(grpc::INVALID_ARGUMENT));
  // A place of another community.
  const std::string other = Unit(street_, ov1::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE);
  ov1::CreatePlaceRequest place;
  place.mutable_place()->set_community(other);
  place.mutable_place()->set_kind(ov1::PLACE_KIND_BUILDING);
  place.mutable_place()->set_display_name("楼");
  ov1::Place elsewhere;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return org_stub_->CreatePlace(c, place, &elsewhere); }),
              IsOk());
  dv1::LedgerEntry away = Entry("xh-106", 10, dv1::LEDGER_ROUTE_DISPATCHED);
  away.set_place(elsewhere.name());
  EXPECT_THAT(Import(sec, {away}, &out), HasCode(grpc::INVALID_ARGUMENT));
  // Residents and members may not import; nor a secretary of another community.
  EXPECT_THAT(Import(resident_, {Entry("xh-107", 10, dv1::LEDGER_ROUTE_DISPATCHED)}, &out),
              HasCode(grpc::PERMISSION_DENIED));
  EXPECT_THAT(Import(MemberToken(residents_[0]), {Entry("xh-108", 10, dv1::LEDGER_ROUTE_DISPATCHED)}, &out),
              HasCode(grpc::PERMISSION_DENIED));
  EXPECT_THAT(
      Import(key_->Token("other-sec", {"secretary"}, other), {Entry("xh-109", 10, dv1::LEDGER_ROUTE_DISPATCHED)}, &out),
      HasCode(grpc::PERMISSION_DENIED));
  EXPECT_EQ(Written(), before);
}

}  // namespace
}  // namespace lianxin::testing
