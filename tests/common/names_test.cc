// Resource names: formatted and parsed in one place.
#include "common/names.h"

#include "common/status.h"
#include "gtest/gtest.h"

namespace lianxin {
namespace {

TEST(Names, FormatAndParseEachCollection) {
  EXPECT_EQ(kOrgUnits.Name("a1"), "orgUnits/a1");
  EXPECT_EQ(kMembers.Name("m-2"), "members/m-2");
  EXPECT_EQ(kRequests.IdOf("requests/r9"), "r9");
  EXPECT_EQ(kPlaces.IdOf("orgUnits/r9"), "");   // another collection
  EXPECT_EQ(kPlaces.IdOf("places/"), "");       // no id
  EXPECT_EQ(kPlaces.IdOf("places/Upper"), "");  // not an id
  EXPECT_EQ(kPlaces.IdOf("places/a/b"), "");    // not one segment
  EXPECT_EQ(kPlaces.IdOf("placesx/a"), "");     // not the collection
  EXPECT_EQ(kMembers.IdOf(kMembers.Name("abc")), "abc");
  EXPECT_EQ(kOrgUnits.type(), "lianxin.org.v1.OrgUnit");
}

TEST(Names, ParseNamesTheFieldOfABadName) {
  absl::StatusOr<std::string> id = kTransfers.Parse("transfers/t1", "name");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*id, "t1");
  id = kTransfers.Parse("members/t1", "transfer.member");
  ASSERT_EQ(id.status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(ViolationsOf(id.status()).size(), 1u);
  EXPECT_EQ(ViolationsOf(id.status())[0].field, "transfer.member");
  id = kTransfers.Parse("", "name");
  EXPECT_NE(id.status().message().find("is required"), absl::string_view::npos);
}

TEST(Names, RegistrationCodesHaveTheirOwnAlphabet) {
  EXPECT_EQ(kRegistrationCodes.IdOf("registrationCodes/ABCD2345"), "ABCD2345");
  EXPECT_EQ(kRegistrationCodes.IdOf("registrationCodes/ABCD234O"), "");  // no O
  EXPECT_EQ(kRegistrationCodes.IdOf("registrationCodes/ABCD234"), "");   // eight
  EXPECT_EQ(kRegistrationCodes.IdOf("registrationCodes/abcd2345"), "");
}

TEST(Names, CategoriesAndSettingsLiveUnderAUnit) {
  EXPECT_EQ(CategoryName("d1", "noise"), "orgUnits/d1/categories/noise");
  CategoryKey key = ParseCategoryName("orgUnits/d1/categories/noise");
  EXPECT_TRUE(key.ok());
  EXPECT_EQ(key.district_id, "d1");
  EXPECT_EQ(key.code, "noise");
  EXPECT_FALSE(ParseCategoryName("orgUnits/d1/categories/Noise").ok());
  EXPECT_FALSE(ParseCategoryName("orgUnits/d1/kinds/noise").ok());
  EXPECT_EQ(SettingsName("c1"), "orgUnits/c1/settings");
  EXPECT_EQ(SettingsUnitId("orgUnits/c1/settings"), "c1");
  EXPECT_EQ(SettingsUnitId("orgUnits/c1"), "");
}

TEST(Names, MissingResourcesSayAsMuchAsTheCallerMaySee) {
  absl::Status s = MissingIn(true, kMembers, "m1", "name");
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  s = MissingIn(false, kMembers, "m1", "name");
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ReasonOf(s), "OUTSIDE_SUBTREE");
}

}  // namespace
}  // namespace lianxin
