// The plain reads and edits of positions, places and partners over gRPC:
// each RPC called, its answer checked against what was stored, a stale etag
// refused with nothing written.
#include "absl/time/clock.h"
#include "common/clock.h"
#include "tests/org/org_test_base.h"

namespace lianxin::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

class OrgRecordsTest : public OrgServiceTest {
 protected:
  v1::Position NewPosition(const std::string& unit, v1::PositionRole role, const std::string& member) {
    v1::CreatePositionRequest req;
    req.mutable_position()->set_org_unit(unit);
    req.mutable_position()->set_role(role);
    req.mutable_position()->set_member(member);
    req.mutable_position()->set_holder_display_name("王书记");
    req.mutable_position()->set_term_start("2024-01-01");
    req.mutable_position()->set_term_end("2029-01-01");
    v1::Position out;
    EXPECT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->CreatePosition(c, req, &out); }), IsOk());
    return out;
  }
  std::vector<std::string> PositionNames(const std::string& unit) {
    v1::ListPositionsRequest req;
    req.set_org_unit(unit);
    v1::ListPositionsResponse out;
    EXPECT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->ListPositions(c, req, &out); }), IsOk());
    std::vector<std::string> names;
    for (const auto& p : out.positions()) names.push_back(p.name());
    return names;
  }
};

TEST_F(OrgRecordsTest, PositionsAreListedUpdatedAndDeleted) {
  v1::Position secretary = NewPosition(branch_, v1::POSITION_ROLE_SECRETARY, "members/m1");
  v1::Position leader = NewPosition(branch_, v1::POSITION_ROLE_GROUP_LEADER, "members/m2");
  NewPosition(community_, v1::POSITION_ROLE_SECRETARY, "members/m3");
  EXPECT_THAT(PositionNames(branch_), UnorderedElementsAre(secretary.name(), leader.name()));

  // A new term for the same holder.
  v1::UpdatePositionRequest upd;
  upd.mutable_position()->set_name(secretary.name());
  upd.mutable_position()->set_term_end("2031-01-01");
  upd.mutable_position()->set_etag(secretary.etag());
  upd.mutable_update_mask()->add_paths("term_end");
  v1::Position updated;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->UpdatePosition(c, upd, &updated); }), IsOk());
  EXPECT_EQ(updated.term_end(), "2031-01-01");
  EXPECT_EQ(updated.term_start(), "2024-01-01");  // outside the mask: kept
  EXPECT_EQ(updated.member(), "members/m1");
  EXPECT_NE(updated.etag(), secretary.etag());
  // The old etag again: ABORTED, nothing written.
  std::string before = Snapshot();
  EXPECT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->UpdatePosition(c, upd, &updated); }),
              HasCode(grpc::ABORTED));
  EXPECT_EQ(Snapshot(), before);

  v1::DeletePositionRequest del;
  del.set_name(leader.name());
  del.set_etag(leader.etag());
  v1::Position deleted;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->DeletePosition(c, del, &deleted); }), IsOk());
  EXPECT_EQ(deleted.name(), leader.name());
  EXPECT_THAT(PositionNames(branch_), ElementsAre(secretary.name()));
  // Deleted already.
  EXPECT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->DeletePosition(c, del, &deleted); }),
              HasCode(grpc::NOT_FOUND));
}

TEST_F(OrgRecordsTest, TermsDefaultByUnitTypeAndAreRemindedAt90And30Days) {
  auto create = [&](const std::string& unit, const std::string& start, const std::string& end) {
    v1::CreatePositionRequest req;
    req.mutable_position()->set_org_unit(unit);
    req.mutable_position()->set_role(v1::POSITION_ROLE_SECRETARY);
    req.mutable_position()->set_member("members/m9");
    req.mutable_position()->set_holder_display_name("李书记");
    req.mutable_position()->set_term_start(start);
    req.mutable_position()->set_term_end(end);
    v1::Position out;
    EXPECT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->CreatePosition(c, req, &out); }), IsOk());
    return out;
  };
  // Five years for a community committee, three for a branch.
  EXPECT_EQ(create(community_, "2032-02-29", "").term_end(), "2037-02-28");
  EXPECT_EQ(create(branch_, "2032-06-15", "").term_end(), "2035-06-15");
  v1::Position today = create(branch_, "", "");
  EXPECT_EQ(today.term_start(), BeijingDate(absl::Now()));
  EXPECT_EQ(today.term_reminder(), v1::TERM_REMINDER_NONE);
  // The reminders, as of today.
  auto in_days = [](int d) { return BeijingDate(absl::Now() + absl::Hours(24) * d); };
  EXPECT_EQ(create(branch_, "2024-01-01", in_days(80)).term_reminder(), v1::TERM_REMINDER_WITHIN_90_DAYS);
  EXPECT_EQ(create(branch_, "2024-01-01", in_days(20)).term_reminder(), v1::TERM_REMINDER_WITHIN_30_DAYS);
  EXPECT_EQ(create(branch_, "2024-01-01", in_days(-2)).term_reminder(), v1::TERM_REMINDER_ENDED);
  v1::ListExpiringTermsRequest req;
  req.set_root(community_);
  req.set_within_days(90);
  v1::ListExpiringTermsResponse out;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->ListExpiringTerms(c, req, &out); }), IsOk());
  std::vector<v1::TermReminder> seen;
  for (const auto& p : out.positions()) seen.push_back(p.term_reminder());
  EXPECT_THAT(seen,
              ElementsAre(v1::TERM_REMINDER_ENDED, v1::TERM_REMINDER_WITHIN_30_DAYS, v1::TERM_REMINDER_WITHIN_90_DAYS));
}

TEST_F(OrgRecordsTest, PlacesAreReadUpdatedListedAndUncovered) {
  v1::Place compound = NewPlace("", v1::PLACE_KIND_COMPOUND, "西湖新村");
  v1::Place b1 = NewPlace(compound.name(), v1::PLACE_KIND_BUILDING, "1栋");
  v1::Place b2 = NewPlace(compound.name(), v1::PLACE_KIND_BUILDING, "2栋");

  v1::GetPlaceRequest get;
  get.set_name(b1.name());
  v1::Place got;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->GetPlace(c, get, &got); }), IsOk());
  EXPECT_EQ(got.display_name(), "1栋");
  EXPECT_EQ(got.parent(), compound.name());
  EXPECT_EQ(got.community(), community_);

  v1::UpdatePlaceRequest upd;
  upd.mutable_place()->set_name(b1.name());
  upd.mutable_place()->set_address("西湖路1号");
  upd.mutable_place()->set_etag(got.etag());
  upd.mutable_update_mask()->add_paths("address");
  v1::Place updated;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->UpdatePlace(c, upd, &updated); }), IsOk());
  EXPECT_EQ(updated.address(), "西湖路1号");
  EXPECT_EQ(updated.display_name(), "1栋");
  std::string before = Snapshot();
  EXPECT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->UpdatePlace(c, upd, &updated); }),
              HasCode(grpc::ABORTED));
  EXPECT_EQ(Snapshot(), before);

  // The compound's buildings, a page at a time.
  v1::ListPlacesRequest list;
  list.set_community(community_);
  list.set_parent(compound.name());
  list.set_page_size(1);
  std::vector<std::string> seen;
  do {
    v1::ListPlacesResponse page;
    ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->ListPlaces(c, list, &page); }), IsOk());
    for (const auto& p : page.places()) seen.push_back(p.name());
    list.set_page_token(page.next_page_token());
  } while (!list.page_token().empty() && seen.size() < 10);
  EXPECT_THAT(seen, UnorderedElementsAre(b1.name(), b2.name()));

  // A building party group covers both, then gives one up.
  std::string group = MustCreate(branch_, v1::ORG_UNIT_TYPE_BUILDING_PARTY_GROUP, "楼栋党小组");
  v1::CoverPlacesRequest cover;
  cover.set_org_unit(group);
  cover.add_places(b1.name());
  cover.add_places(b2.name());
  v1::CoverPlacesResponse covered;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->CoverPlaces(c, cover, &covered); }), IsOk());
  v1::UncoverPlacesRequest uncover;
  uncover.set_org_unit(group);
  uncover.add_places(b2.name());
  v1::UncoverPlacesResponse uncovered;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->UncoverPlaces(c, uncover, &uncovered); }),
              IsOk());
  v1::ListCoveredPlacesRequest which;
  which.set_org_unit(group);
  v1::ListCoveredPlacesResponse now;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->ListCoveredPlaces(c, which, &now); }), IsOk());
  ASSERT_EQ(now.places_size(), 1);
  EXPECT_EQ(now.places(0).name(), b1.name());
  // The building given up resolves to the branch no more through the group.
  v1::ResolveCoverageRequest res;
  res.set_place(b2.name());
  v1::ResolveCoverageResponse to;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->ResolveCoverage(c, res, &to); }), IsOk());
  EXPECT_TRUE(to.building_party_group().empty());
}

TEST_F(OrgRecordsTest, PartnersAreReadUpdatedAndDeleted) {
  v1::CreatePartnerRequest req;
  req.mutable_partner()->set_community(community_);
  req.mutable_partner()->set_kind(v1::PARTNER_KIND_PAIRED_UNIT);
  req.mutable_partner()->set_display_name("区住建局机关党支部");
  req.mutable_partner()->set_liaison_name("李科长");
  v1::Partner created;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->CreatePartner(c, req, &created); }), IsOk());

  v1::GetPartnerRequest get;
  get.set_name(created.name());
  v1::Partner got;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->GetPartner(c, get, &got); }), IsOk());
  EXPECT_EQ(got.display_name(), "区住建局机关党支部");
  EXPECT_EQ(got.liaison_name(), "李科长");

  v1::UpdatePartnerRequest upd;
  upd.mutable_partner()->set_name(created.name());
  upd.mutable_partner()->set_liaison_name("张主任");
  upd.mutable_partner()->set_etag(got.etag());
  upd.mutable_update_mask()->add_paths("liaison_name");
  v1::Partner updated;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->UpdatePartner(c, upd, &updated); }), IsOk());
  EXPECT_EQ(updated.liaison_name(), "张主任");
  EXPECT_EQ(updated.display_name(), "区住建局机关党支部");
  std::string before = Snapshot();
  EXPECT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->UpdatePartner(c, upd, &updated); }),
              HasCode(grpc::ABORTED));
  EXPECT_EQ(Snapshot(), before);

  v1::DeletePartnerRequest del;
  del.set_name(created.name());
  v1::Partner deleted;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->DeletePartner(c, del, &deleted); }), IsOk());
  EXPECT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->GetPartner(c, get, &got); }),
              HasCode(grpc::NOT_FOUND));
}

}  // namespace
}  // namespace lianxin::testing
