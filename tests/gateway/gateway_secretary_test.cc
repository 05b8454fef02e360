// What a community's secretary does of issue 13, through the gateway's public
// port with a signed-in session: a member put in a party group, the group's
// roster and counts in the tree; the community's ledger brought in and found
// in its figures. (To-dos through the gateway: gateway_proxy_test.cc.)
#include "absl/strings/str_cat.h"
#include "common/timestamps.h"
#include "services/clients/member/identity.h"
#include "tests/gateway/gateway_test_base.h"

namespace lianxin::testing {
namespace {

class GatewaySecretaryTest : public GatewayTest {
 protected:
  void SetUp() override {
    GatewayTest::SetUp();
    secretary_ = Activate(absl::StrCat("community-sec", counter_++), {"secretary"}, community_).session;
  }

  // A member of branch_, filed by the secretary.
  mv1::Member File() {
    const int seq = counter_++;
    std::string first17 = absl::StrCat("430302", "19720101", absl::StrCat(1000 + seq % 1000).substr(1));
    mv1::CreateMemberRequest req;
    auto* m = req.mutable_member();
    m->set_display_name(absl::StrCat("党员", seq));
    m->set_gender(seq % 2 == 1 ? mv1::GENDER_MALE : mv1::GENDER_FEMALE);
    m->set_birth_date("1972-01-01");
    m->set_national_id(first17 + member::NationalIdCheckChar(first17));
    m->set_standing(mv1::STANDING_FULL);
    m->set_branch(branch_);
    mv1::Member out;
    EXPECT_THAT(member_stub_->CreateMember(Ctx(secretary_).get(), req, &out), IsOk());
    return out;
  }

  std::string secretary_;
};

TEST_F(GatewaySecretaryTest, AMemberGoesIntoAGroupWhoseRosterAndCountShow) {
  const std::string group = Unit(branch_, ov1::ORG_UNIT_TYPE_PARTY_GROUP);
  mv1::Member m = File();
  mv1::UpdateMemberRequest update;
  update.mutable_member()->set_name(m.name());
  update.mutable_member()->set_group(group);
  update.mutable_member()->set_etag(m.etag());
  update.mutable_update_mask()->add_paths("group");
  ASSERT_THAT(member_stub_->UpdateMember(Ctx(secretary_).get(), update, &m), IsOk());
  EXPECT_EQ(m.group(), group);

  mv1::ListMembersRequest roster;
  roster.set_parent(group);
  mv1::ListMembersResponse listed;
  ASSERT_THAT(member_stub_->ListMembers(Ctx(secretary_).get(), roster, &listed), IsOk());
  ASSERT_EQ(listed.members_size(), 1);
  EXPECT_EQ(listed.members(0).name(), m.name());

  ov1::ListChildOrgUnitsRequest children;
  children.set_parent(branch_);
  children.set_member_counts(true);
  ov1::ListOrgUnitsResponse units;
  ASSERT_THAT(org_stub_->ListChildOrgUnits(Ctx(secretary_).get(), children, &units), IsOk());
  int count = -1;
  for (const auto& u : units.org_units()) {
    if (u.name() == group) count = u.member_count();
  }
  EXPECT_EQ(count, 1);
}

TEST_F(GatewaySecretaryTest, TheLedgerComesInAndCountsInItsMonthsFigures) {
  const std::string op = Activate(absl::StrCat("ledger-op", counter_++), {"operator"}, "*").session;
  dv1::CreateCategoryRequest cat;
  cat.set_parent(district_);
  cat.set_category_id("repair");
  cat.mutable_category()->set_display_name("水电维修");
  cat.mutable_category()->set_limit_hours(24);
  dv1::Category category;
  ASSERT_THAT(dispatch_stub_->CreateCategory(Ctx(op).get(), cat, &category), IsOk());
  ov1::CreatePlaceRequest place;
  place.mutable_place()->set_community(community_);
  place.mutable_place()->set_kind(ov1::PLACE_KIND_BUILDING);
  place.mutable_place()->set_display_name("2号楼");
  ov1::Place building;
  ASSERT_THAT(org_stub_->CreatePlace(Ctx(op).get(), place, &building), IsOk());
  const mv1::Member m = File();

  dv1::ImportLedgerRequest ledger;
  ledger.set_community(community_);
  auto* e = ledger.add_entries();
  e->set_ledger_id("gw-001");
  e->set_category(category.name());
  e->set_description("厨房水管漏水");
  e->set_place(building.name());
  e->set_urgency(dv1::URGENCY_NORMAL);
  const absl::Time submitted = absl::Now() - absl::Hours(24 * 40);
  SetTimestampUs(absl::ToUnixMicros(submitted), e->mutable_submit_time());
  SetTimestampUs(absl::ToUnixMicros(submitted + absl::Hours(5)), e->mutable_resolve_time());
  e->set_route(dv1::LEDGER_ROUTE_DISPATCHED);
  e->set_member(m.name());
  e->set_minutes_spent(45);
  e->set_rating(5);
  dv1::ImportLedgerResponse imported;
  ASSERT_THAT(dispatch_stub_->ImportLedger(Ctx(secretary_).get(), ledger, &imported), IsOk());
  EXPECT_EQ(imported.imported(), 1);

  dv1::GetFiguresRequest figures;
  figures.set_parent(community_);
  SetTimestampUs(absl::ToUnixMicros(absl::Now() - absl::Hours(24 * 60)), figures.mutable_start_time());
  SetTimestampUs(absl::ToUnixMicros(absl::Now() - absl::Hours(24 * 30)), figures.mutable_end_time());
  dv1::GetFiguresResponse counted;
  ASSERT_THAT(dispatch_stub_->GetFigures(Ctx(secretary_).get(), figures, &counted), IsOk());
  EXPECT_EQ(counted.total().submitted(), 1);
  EXPECT_EQ(counted.total().resolved(), 1);
  EXPECT_EQ(counted.total().minutes_spent(), 45);
}

}  // namespace
}  // namespace lianxin::testing
