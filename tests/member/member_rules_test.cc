// Identity checks and lifecycle rules, without a server or a database.
#include "gtest/gtest.h"
#include "services/clients/member/identity.h"
#include "services/member/member_logic.h"

namespace lianxin::member {
namespace {

std::string WithCheck(const std::string& first17) { return first17 + NationalIdCheckChar(first17); }

TEST(NationalId, ChecksLengthRegionBirthDateAndCheckCharacter) {
  NationalIdFacts facts;
  // GB 11643's worked example.
  EXPECT_EQ(CheckNationalId("11010519491231002X", &facts), "");
  EXPECT_EQ(facts.birth_date, "1949-12-31");
  EXPECT_FALSE(facts.male);
  EXPECT_EQ(CheckNationalId(WithCheck("43030219800101001"), &facts), "");
  EXPECT_TRUE(facts.male);
  EXPECT_NE(CheckNationalId("110105194912310021", nullptr), "");            // wrong check character
  EXPECT_NE(CheckNationalId(WithCheck("99010519491231002"), nullptr), "");  // no such region
  EXPECT_NE(CheckNationalId(WithCheck("11010519490231002"), nullptr), "");  // 31 February
  EXPECT_NE(CheckNationalId("1101051949123100", nullptr), "");              // too short
  EXPECT_NE(CheckNationalId("11010519491231002Y", nullptr), "");
  EXPECT_EQ(NormalizeNationalId(" 11010519491231002x "), "11010519491231002X");
}

TEST(Phone, MainlandMobileNumbers) {
  EXPECT_EQ(CheckPhone("13812345678"), "");
  EXPECT_EQ(NormalizePhone("+86 138-1234-5678"), "13812345678");
  EXPECT_EQ(NormalizePhone("8613812345678"), "13812345678");
  EXPECT_NE(CheckPhone("12812345678"), "");
  EXPECT_NE(CheckPhone("1381234567"), "");
  EXPECT_NE(CheckPhone("1381234567a"), "");
}

TEST(Lifecycle, OnlyTheAllowedMoves) {
  using L = MemberLogic;
  EXPECT_TRUE(L::MayMove(v1::LIFECYCLE_ACTIVE, v1::LIFECYCLE_SUSPENDED));
  EXPECT_TRUE(L::MayMove(v1::LIFECYCLE_SUSPENDED, v1::LIFECYCLE_RESTORED));
  EXPECT_TRUE(L::MayMove(v1::LIFECYCLE_RESTORED, v1::LIFECYCLE_SUSPENDED));
  EXPECT_TRUE(L::MayMove(v1::LIFECYCLE_SUSPENDED, v1::LIFECYCLE_EXPELLED));
  EXPECT_TRUE(L::MayMove(v1::LIFECYCLE_ACTIVE, v1::LIFECYCLE_DECEASED));
  EXPECT_FALSE(L::MayMove(v1::LIFECYCLE_SUSPENDED, v1::LIFECYCLE_ACTIVE));
  EXPECT_FALSE(L::MayMove(v1::LIFECYCLE_ACTIVE, v1::LIFECYCLE_RESTORED));
  EXPECT_FALSE(L::MayMove(v1::LIFECYCLE_DECEASED, v1::LIFECYCLE_RESTORED));
  EXPECT_FALSE(L::MayMove(v1::LIFECYCLE_EXPELLED, v1::LIFECYCLE_SUSPENDED));
  EXPECT_FALSE(L::MayMove(v1::LIFECYCLE_LEFT, v1::LIFECYCLE_ACTIVE));
}

}  // namespace
}  // namespace lianxin::member
