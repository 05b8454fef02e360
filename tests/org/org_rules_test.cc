// The organization tree's type rules, without a server or a database.
#include "gtest/gtest.h"
#include "services/org/org_logic.h"

namespace lianxin::org {
namespace {

using L = OrgLogic;

TEST(OrgRules, TreeLevelsFollowTheSeeds) {
  EXPECT_TRUE(L::MayContain(v1::ORG_UNIT_TYPE_UNSPECIFIED, v1::ORG_UNIT_TYPE_DISTRICT_COMMITTEE));
  EXPECT_TRUE(L::MayContain(v1::ORG_UNIT_TYPE_DISTRICT_COMMITTEE, v1::ORG_UNIT_TYPE_STREET_WORKING_COMMITTEE));
  EXPECT_TRUE(L::MayContain(v1::ORG_UNIT_TYPE_STREET_WORKING_COMMITTEE, v1::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE));
  // 黄金: a community-level general branch directly under the street.
  EXPECT_TRUE(L::MayContain(v1::ORG_UNIT_TYPE_STREET_WORKING_COMMITTEE, v1::ORG_UNIT_TYPE_GENERAL_BRANCH));
  // 铁西: community branches directly under the street working committee.
  EXPECT_TRUE(L::MayContain(v1::ORG_UNIT_TYPE_STREET_WORKING_COMMITTEE, v1::ORG_UNIT_TYPE_BRANCH));
  EXPECT_TRUE(L::MayContain(v1::ORG_UNIT_TYPE_BRANCH, v1::ORG_UNIT_TYPE_PARTY_GROUP));
  // 西湖新村: building groups by residence, under a branch or the community.
  EXPECT_TRUE(L::MayContain(v1::ORG_UNIT_TYPE_BRANCH, v1::ORG_UNIT_TYPE_BUILDING_PARTY_GROUP));
  EXPECT_TRUE(L::MayContain(v1::ORG_UNIT_TYPE_GENERAL_BRANCH, v1::ORG_UNIT_TYPE_BUILDING_PARTY_GROUP));

  EXPECT_FALSE(L::MayContain(v1::ORG_UNIT_TYPE_PARTY_GROUP, v1::ORG_UNIT_TYPE_BRANCH));
  EXPECT_FALSE(L::MayContain(v1::ORG_UNIT_TYPE_BRANCH, v1::ORG_UNIT_TYPE_BRANCH));
  EXPECT_FALSE(L::MayContain(v1::ORG_UNIT_TYPE_DISTRICT_COMMITTEE, v1::ORG_UNIT_TYPE_DISTRICT_COMMITTEE));
  EXPECT_FALSE(L::MayContain(v1::ORG_UNIT_TYPE_UNSPECIFIED, v1::ORG_UNIT_TYPE_BRANCH));
  EXPECT_FALSE(L::MayContain(v1::ORG_UNIT_TYPE_PARTY_GROUP, v1::ORG_UNIT_TYPE_PARTY_GROUP));
}

TEST(OrgRules, CommunityLevel) {
  EXPECT_TRUE(L::IsCommunityLevel(v1::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE));
  EXPECT_TRUE(L::IsCommunityLevel(v1::ORG_UNIT_TYPE_GENERAL_BRANCH));
  EXPECT_FALSE(L::IsCommunityLevel(v1::ORG_UNIT_TYPE_BRANCH));
}

}  // namespace
}  // namespace lianxin::org
