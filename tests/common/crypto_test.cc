#include "common/crypto.h"

#include <sys/stat.h>

#include "gtest/gtest.h"
#include "tests/support/harness.h"

namespace lianxin {
namespace {

TEST(FieldCipher, Sm4AndAesRoundTripAndBindTheirContext) {
  for (auto alg : {FieldCipher::Algorithm::kSm4CtrHmacSm3, FieldCipher::Algorithm::kAes256Gcm}) {
    auto c = FieldCipher::FromText(*FieldCipher::GenerateKeyFile(alg, "k1"));
    ASSERT_TRUE(c.ok()) << c.status();
    auto sealed = (*c)->Seal("110105194912310021", "members/a/national_id");
    ASSERT_TRUE(sealed.ok());
    EXPECT_EQ(sealed->find("110105194912310021"), std::string::npos);
    EXPECT_EQ(FieldCipher::KeyIdOf(*sealed), "k1");
    EXPECT_EQ(*(*c)->Open(*sealed, "members/a/national_id"), "110105194912310021");
    // Another row or field: refused.
    EXPECT_EQ((*c)->Open(*sealed, "members/b/national_id").status().code(), absl::StatusCode::kDataLoss);
    // A flipped bit: refused.
    std::string bad = *sealed;
    bad[bad.size() / 2] ^= 1;
    EXPECT_EQ((*c)->Open(bad, "members/a/national_id").status().code(), absl::StatusCode::kDataLoss);
    // Same plaintext twice seals differently (random IV).
    EXPECT_NE(*(*c)->Seal("x", "c"), *(*c)->Seal("x", "c"));
  }
}

TEST(FieldCipher, AFailedRandomGeneratorIsRefused) {
  for (auto alg : {FieldCipher::Algorithm::kSm4CtrHmacSm3, FieldCipher::Algorithm::kAes256Gcm}) {
    auto c = FieldCipher::FromText(*FieldCipher::GenerateKeyFile(alg, "k1"));
    ASSERT_TRUE(c.ok()) << c.status();
    SetRandomSourceForTest([](unsigned char*, int) { return 0; });
    auto sealed = (*c)->Seal("110105194912310021", "members/a/national_id");
    auto generated = FieldCipher::GenerateKeyFile(alg, "k2");
    SetRandomSourceForTest(nullptr);
    EXPECT_EQ(sealed.status().code(), absl::StatusCode::kInternal);
    EXPECT_EQ(generated.status().code(), absl::StatusCode::kInternal);
    EXPECT_TRUE((*c)->Seal("x", "c").ok());
  }
}

TEST(FieldCipher, TheBlindIndexKeyLivesInAFileOfItsOwn) {
  std::string dir = testing::TempDir("cipher");
  std::vector<std::string> flags = testing::WriteFieldKeys(dir, "f");
  auto good = FieldCipher::FromFiles(dir + "/f.keys", dir + "/f.index");
  ASSERT_TRUE(good.ok()) << good.status();
  // The index key beside the data keys: refused, naming the file.
  testing::WriteSecretFile(dir + "/both.keys",
                           "index " + std::string(64, 'a') + "\nkey k1 sm4 " + std::string(64, 'b') + "\n");
  auto both = FieldCipher::FromFiles(dir + "/both.keys", dir + "/f.index");
  EXPECT_EQ(both.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(both.status().message().find("lives in its own file"), absl::string_view::npos) << both.status();
  // Data keys in the index file, or an index file others may read: refused.
  EXPECT_FALSE(FieldCipher::FromFiles(dir + "/f.keys", dir + "/both.keys").ok());
  ASSERT_EQ(chmod((dir + "/f.index").c_str(), 0644), 0);
  EXPECT_EQ(FieldCipher::FromFiles(dir + "/f.keys", dir + "/f.index").status().code(),
            absl::StatusCode::kFailedPrecondition);
  testing::RemoveTempDir(dir);
}

TEST(FieldCipher, RotationKeepsOldValuesReadable) {
  std::string old_file = *FieldCipher::GenerateKeyFile(FieldCipher::Algorithm::kSm4CtrHmacSm3, "2025");
  auto old_cipher = FieldCipher::FromText(old_file);
  auto sealed = (*old_cipher)->Seal("13812345678", "p");
  // New active key first, the old one after it, same index key.
  std::string index_line =
      old_file.substr(old_file.find("index"), old_file.find('\n', old_file.find("index")) - old_file.find("index"));
  std::string old_key_line = old_file.substr(old_file.find("key "));
  std::string fresh = *FieldCipher::GenerateKeyFile(FieldCipher::Algorithm::kAes256Gcm, "2026");
  std::string new_key_line = fresh.substr(fresh.find("key "));
  auto rotated = FieldCipher::FromText(index_line + "\n" + new_key_line + old_key_line);
  ASSERT_TRUE(rotated.ok()) << rotated.status();
  EXPECT_EQ((*rotated)->active_key_id(), "2026");
  EXPECT_EQ(*(*rotated)->Open(*sealed, "p"), "13812345678");
  EXPECT_EQ((*rotated)->BlindIndex("phone", "13812345678"), (*old_cipher)->BlindIndex("phone", "13812345678"));
  EXPECT_NE((*rotated)->BlindIndex("phone", "13812345678"), (*rotated)->BlindIndex("national_id", "13812345678"));
}

TEST(FieldCipher, RejectsBadKeyFiles) {
  EXPECT_FALSE(FieldCipher::FromText("").ok());
  EXPECT_FALSE(FieldCipher::FromText("key a sm4 00").ok());
  EXPECT_FALSE(FieldCipher::FromText("index " + std::string(64, '0') + "\nkey a des " + std::string(64, '0')).ok());
}

TEST(Masks, ShowOnlyTheEnds) {
  EXPECT_EQ(MaskNationalId("110105194912310021"), "110***********0021");
  EXPECT_EQ(MaskPhone("13812345678"), "138****5678");
}

}  // namespace
}  // namespace lianxin
