// Key rotation end to end: values sealed under k1; a new key k2 put first in
// the key file and the service restarted; lianxin-member-rekey (the real
// command) seals everything again under k2; a service that no longer has k1
// still reads every value. Also the counts the org service asks for.
#include <fstream>
#include <thread>

#include "absl/strings/escaping.h"
#include "absl/strings/str_split.h"
#include "common/crypto.h"
#include "tests/member/member_test_base.h"

namespace lianxin::testing {
namespace {

int Seq() {
  static std::atomic<int> n{700};
  return n++;
}

class KeysTest : public MemberServiceTest {
 protected:
  // Key ids of every sealed value in the member tables.
  std::map<std::string, int> KeyIds() {
    std::map<std::string, int> ids;
    std::string all = probe_->Scalar(
        "SELECT GROUP_CONCAT(CONCAT_WS(',', national_id_sealed, phone_sealed, health_sealed, attitude_sealed) "
        "SEPARATOR ',') FROM members");
    std::string forms = probe_->Scalar("SELECT GROUP_CONCAT(form_sealed SEPARATOR ',') FROM registrations");
    for (const std::string* text : {&all, &forms}) {
      for (absl::string_view v : absl::StrSplit(*text, ',', absl::SkipEmpty())) {
        std::string raw;
        if (absl::Base64Unescape(v, &raw)) ++ids[FieldCipher::KeyIdOf(raw)];
      }
    }
    return ids;
  }

  void Restart(const std::string& key_file_text) {
    ASSERT_EQ(member_->Stop(), 0);
    WriteSecretFile(*keys_file_, key_file_text);
    ASSERT_TRUE(member_->Start().ok()) << member_->Log();
    stub_ = mv1::MemberService::NewStub(member_->Channel());
  }
};

TEST_F(KeysTest, RotationSealsEveryValueAgainUnderTheNewKey) {
  std::vector<mv1::Member> made;
  for (int i = 0; i < 7; ++i) {
    mv1::Member m = NewMember(branch_, Seq());
    if (i % 2 == 0) m.set_health_notes("腿脚不便");
    mv1::Member out;
    ASSERT_THAT(Create(secretary_, m, &out), IsOk());
    made.push_back(m);
    made.back().set_name(out.name());
  }
  mv1::CreateRegistrationCodeRequest code_req;
  code_req.mutable_registration_code()->set_community(community_);
  code_req.mutable_registration_code()->set_label("社区服务站");
  mv1::RegistrationCode code;
  ASSERT_THAT(
      Call(secretary_, [&](grpc::ClientContext* c) { return stub_->CreateRegistrationCode(c, code_req, &code); }),
      IsOk());
  mv1::SubmitRegistrationRequest reg;
  reg.set_registration_code(code.name());
  *reg.mutable_applicant() = NewMember("", Seq());
  reg.mutable_applicant()->clear_branch();
  mv1::Registration submitted;
  ASSERT_THAT(Call(key_->Token("r-1", {"resident"}, district_),
                   [&](grpc::ClientContext* c) { return stub_->SubmitRegistration(c, reg, &submitted); }),
              IsOk());
  auto before = KeyIds();
  EXPECT_EQ(before.size(), 1u);
  EXPECT_GT(before["k1"], 14);

  const std::string k1 = "key k1 sm4 " + std::string(64, 'b') + "\n";
  const std::string k2 = "key k2 aes256gcm " + std::string(64, 'c') + "\n";
  Restart(k2 + k1);  // k2 active, k1 still readable
  // Only a platform-wide operator rotates.
  mv1::RotateKeysRequest rot;
  mv1::RotateKeysResponse rot_out;
  EXPECT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->RotateKeys(c, rot, &rot_out); }),
              HasCode(grpc::PERMISSION_DENIED));

  // A change committed while the rotation runs is not lost: another session
  // holds made[0]'s row (its phone removed) for 1.5 s; the rotation, started
  // meanwhile, must wait for it and reseal what it committed, not write back
  // the phone it read before.
  std::thread holder([&] {
    std::string id = made[0].name().substr(std::string("members/").size());
    RunCommand(
        absl::StrCat("mariadb --no-defaults -S ", TestDbSocket(), " -uroot ", *suffix_,
                     "_member -e \"BEGIN; UPDATE members SET phone_sealed = NULL, phone_index = NULL WHERE id = '", id,
                     "'; SELECT SLEEP(1.5); COMMIT;\""));
  });
  absl::SleepFor(absl::Milliseconds(400));
  mv1::RotateKeysRequest all;
  all.set_page_size(1000);
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->RotateKeys(c, all, &rot_out); }), IsOk());
  holder.join();
  EXPECT_EQ(probe_->Scalar(absl::StrCat("SELECT COALESCE(phone_sealed, 'none') FROM members WHERE id = '",
                                        made[0].name().substr(8), "'")),
            "none");
  made[0].clear_phone();

  std::string output;
  std::string command = absl::StrCat(BuildDir(), "/tools/lianxin-member-rekey --target=", member_->target(),
                                     " --page_size=3 --token=", admin_);
  ASSERT_EQ(RunCommand(command, &output), 0) << output;
  EXPECT_NE(output.find("done: every personal value is sealed under key k2"), std::string::npos) << output;
  auto after = KeyIds();
  EXPECT_EQ(after.size(), 1u);
  EXPECT_EQ(after["k2"], before["k1"] - 1);  // made[0]'s phone was removed meanwhile
  // Running it again changes nothing.
  ASSERT_EQ(RunCommand(command, &output), 0) << output;
  EXPECT_NE(output.find("sealed 0 again under key k2\ndone"), std::string::npos) << output;

  // Without k1 at all, every value still opens; blind indexes (their key in
  // a file of its own, untouched) still find.
  Restart(k2);
  for (const auto& m : made) {
    mv1::GetMemberRequest get;
    get.set_name(m.name());
    get.set_reveal(true);
    mv1::Member seen;
    ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->GetMember(c, get, &seen); }), IsOk());
    EXPECT_EQ(seen.national_id(), m.national_id());
    EXPECT_EQ(seen.phone(), m.phone());
    EXPECT_EQ(seen.health_notes(), m.health_notes());
  }
  mv1::FindMemberRequest find;
  find.set_phone(made[3].phone());
  mv1::Member found;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->FindMember(c, find, &found); }), IsOk());
  EXPECT_EQ(found.name(), made[3].name());
  mv1::GetRegistrationRequest get_reg;
  get_reg.set_name(submitted.name());
  mv1::Registration seen_reg;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->GetRegistration(c, get_reg, &seen_reg); }),
              IsOk());
  EXPECT_EQ(seen_reg.applicant().display_name(), reg.applicant().display_name());
}

TEST_F(KeysTest, CountsForTheOrgService) {
  std::string building = Place(community_, "", ov1::PLACE_KIND_BUILDING);
  std::string other_building = Place(community_, "", ov1::PLACE_KIND_BUILDING);
  for (int i = 0; i < 3; ++i) {
    mv1::Member m = NewMember(branch_, Seq());
    m.mutable_address()->set_building(i < 2 ? building : other_building);
    mv1::Member out;
    ASSERT_THAT(Create(secretary_, m, &out), IsOk());
  }
  std::string service = key_->ServiceToken("org");
  auto count = [&](const std::string& token, mv1::CountMembersRequest req, int* n) {
    mv1::CountMembersResponse out;
    grpc::Status s = Call(token, [&](grpc::ClientContext* c) { return stub_->CountMembers(c, req, &out); });
    *n = out.members();
    return s;
  };
  int n = 0;
  mv1::CountMembersRequest by_unit;
  by_unit.set_org_unit(branch_);
  ASSERT_THAT(count(service, by_unit, &n), IsOk());
  EXPECT_EQ(n, 3);
  mv1::CountMembersRequest by_places;
  by_places.add_places(building);
  ASSERT_THAT(count(service, by_places, &n), IsOk());
  EXPECT_EQ(n, 2);
  by_places.add_places(other_building);
  ASSERT_THAT(count(service, by_places, &n), IsOk());
  EXPECT_EQ(n, 3);
  EXPECT_THAT(count(secretary_, by_unit, &n), HasCode(grpc::PERMISSION_DENIED));
  mv1::CountMembersRequest both = by_places;
  both.set_org_unit(branch_);
  grpc::Status s = count(service, both, &n);
  EXPECT_THAT(s, HasCode(grpc::INVALID_ARGUMENT));
  EXPECT_THAT(ViolatedFields(s), ::testing::ElementsAre("org_unit"));
}

}  // namespace
}  // namespace lianxin::testing
