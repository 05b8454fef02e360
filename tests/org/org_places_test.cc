// Places, coverage, partners and community settings over gRPC.
#include "tests/org/org_test_base.h"

namespace lianxin::testing {
namespace {

using ::testing::ElementsAre;

class OrgPlacesTest : public OrgServiceTest {
 protected:
  std::string Place(const std::string& parent, v1::PlaceKind kind, const std::string& name) {
    return NewPlace(parent, kind, name).name();
  }
  grpc::Status Cover(const std::string& unit, std::vector<std::string> places) {
    v1::CoverPlacesRequest req;
    req.set_org_unit(unit);
    for (auto& p : places) req.add_places(p);
    v1::CoverPlacesResponse out;
    return Call(admin_, [&](grpc::ClientContext* c) { return stub_->CoverPlaces(c, req, &out); });
  }
};

TEST_F(OrgPlacesTest, BuildingPartyGroupsCoverNeighbouringBuildings) {
  std::string compound = Place("", v1::PLACE_KIND_COMPOUND, "西湖新村小区");
  std::string other_compound = Place("", v1::PLACE_KIND_COMPOUND, "别的小区");
  std::string b1 = Place(compound, v1::PLACE_KIND_BUILDING, "1栋");
  std::string b2 = Place(compound, v1::PLACE_KIND_BUILDING, "2栋");
  std::string far = Place(other_compound, v1::PLACE_KIND_BUILDING, "9栋");
  std::string stair = Place(b1, v1::PLACE_KIND_STAIRWELL, "1单元");
  std::string group = MustCreate(branch_, v1::ORG_UNIT_TYPE_BUILDING_PARTY_GROUP, "1-2栋楼栋党小组");
  std::string group2 = MustCreate(branch_, v1::ORG_UNIT_TYPE_BUILDING_PARTY_GROUP, "另一楼栋党小组");

  ASSERT_THAT(Cover(branch_, {compound}), IsOk());
  ASSERT_THAT(Cover(group, {b1, b2}), IsOk());
  // Not neighbours: another compound.
  std::string before = Snapshot();
  grpc::Status s = Cover(group, {far});
  EXPECT_THAT(s, HasCode(grpc::INVALID_ARGUMENT));
  EXPECT_THAT(ViolatedFields(s), ElementsAre("places"));
  // Already covered by another group.
  s = Cover(group2, {b2});
  EXPECT_THAT(s, HasCode(grpc::FAILED_PRECONDITION));
  EXPECT_THAT(ViolatedFields(s), ElementsAre("places[0]"));
  EXPECT_EQ(Snapshot(), before);
  // Covering again is harmless.
  EXPECT_THAT(Cover(group, {b1}), IsOk());
  EXPECT_EQ(Snapshot(), before);

  // A stairwell resolves through its building to the group, and the branch
  // through the compound.
  v1::ResolveCoverageRequest req;
  req.set_place(stair);
  v1::ResolveCoverageResponse resp;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->ResolveCoverage(c, req, &resp); }), IsOk());
  EXPECT_EQ(resp.building_party_group(), group);
  EXPECT_EQ(resp.branch(), branch_);
  EXPECT_EQ(resp.community(), community_);

  // A place in use cannot be deleted.
  v1::DeletePlaceRequest del;
  del.set_name(b1);
  v1::Place out;
  EXPECT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->DeletePlace(c, del, &out); }),
              HasCode(grpc::FAILED_PRECONDITION));
}

TEST_F(OrgPlacesTest, BadPlacesNameTheirFields) {
  std::string compound = Place("", v1::PLACE_KIND_COMPOUND, "小区");
  std::string before = Snapshot();
  v1::CreatePlaceRequest req;
  req.mutable_place()->set_community(branch_);  // not a community
  req.mutable_place()->set_kind(v1::PLACE_KIND_BUILDING);
  req.mutable_place()->set_display_name("楼");
  v1::Place out;
  grpc::Status s = Call(admin_, [&](grpc::ClientContext* c) { return stub_->CreatePlace(c, req, &out); });
  EXPECT_THAT(s, HasCode(grpc::INVALID_ARGUMENT));
  EXPECT_THAT(ViolatedFields(s), ElementsAre("place.community"));
  req.mutable_place()->set_community(community_);
  req.mutable_place()->set_kind(v1::PLACE_KIND_STAIRWELL);
  req.mutable_place()->set_parent(compound);  // a stairwell belongs to a building
  s = Call(admin_, [&](grpc::ClientContext* c) { return stub_->CreatePlace(c, req, &out); });
  EXPECT_THAT(ViolatedFields(s), ElementsAre("place.parent"));
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(OrgPlacesTest, PartnersAndSettings) {
  v1::CreatePartnerRequest req;
  req.set_request_id("partner-1");
  auto* p = req.mutable_partner();
  p->set_community(community_);
  p->set_kind(v1::PARTNER_KIND_PAIRED_UNIT);
  p->set_display_name("区住建局机关党支部");
  p->set_liaison_name("李科长");
  p->set_liaison_contact("0731-00000002");
  v1::Partner out, again;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->CreatePartner(c, req, &out); }), IsOk());
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->CreatePartner(c, req, &again); }), IsOk());
  EXPECT_EQ(out.name(), again.name());
  v1::ListPartnersRequest list;
  list.set_community(community_);
  v1::ListPartnersResponse partners;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->ListPartners(c, list, &partners); }), IsOk());
  EXPECT_EQ(partners.partners_size(), 1);

  // Deleted since: the same request id again says so, naming request_id, and
  // creates nothing.
  v1::DeletePartnerRequest del;
  del.set_name(out.name());
  v1::Partner deleted;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->DeletePartner(c, del, &deleted); }), IsOk());
  std::string before = Snapshot();
  grpc::Status gone = Call(admin_, [&](grpc::ClientContext* c) { return stub_->CreatePartner(c, req, &again); });
  EXPECT_THAT(gone, HasCode(grpc::FAILED_PRECONDITION));
  EXPECT_EQ(ErrorReason(gone), "CREATED_RESOURCE_GONE");
  EXPECT_THAT(ViolatedFields(gone), ElementsAre("request_id"));
  EXPECT_EQ(Snapshot(), before);

  v1::GetCommunitySettingsRequest get;
  get.set_name(community_ + "/settings");
  v1::CommunitySettings settings;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->GetCommunitySettings(c, get, &settings); }),
              IsOk());
  EXPECT_EQ(settings.building_group_min_residents(), 5);  // docs/domain.md: the default
  v1::UpdateCommunitySettingsRequest upd;
  upd.mutable_settings()->set_name(community_ + "/settings");
  upd.mutable_settings()->set_building_group_min_residents(4);
  upd.mutable_settings()->set_etag(settings.etag());
  upd.mutable_update_mask()->add_paths("building_group_min_residents");
  v1::CommunitySettings updated;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->UpdateCommunitySettings(c, upd, &updated); }),
              IsOk());
  EXPECT_EQ(updated.building_group_min_residents(), 4);
  // Stale etag now.
  EXPECT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->UpdateCommunitySettings(c, upd, &updated); }),
              HasCode(grpc::ABORTED));
}

}  // namespace
}  // namespace lianxin::testing
