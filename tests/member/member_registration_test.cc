// Self-registration (亮明身份) over real gRPC: codes, submissions, a
// secretary's confirmation or rejection, and everything refused writing
// nothing.
#include <thread>

#include "tests/member/member_test_base.h"

namespace lianxin::testing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;

int Seq() {
  static std::atomic<int> n{300};
  return n++;
}

class RegistrationTest : public MemberServiceTest {
 protected:
  void SetUp() override {
    MemberServiceTest::SetUp();
    building_ = Place(community_, "", ov1::PLACE_KIND_BUILDING);
    mv1::CreateRegistrationCodeRequest req;
    req.mutable_registration_code()->set_community(community_);
    req.mutable_registration_code()->set_place(building_);
    req.mutable_registration_code()->set_label("3号楼单元门");
    ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->CreateRegistrationCode(c, req, &code_); }),
                IsOk());
    resident_ = key_->Token("resident-1", {"resident"}, district_);
  }

  mv1::Member Applicant(int seq) {
    mv1::Member m = NewMember("", seq);
    m.clear_branch();
    m.mutable_address()->set_building(building_);
    m.mutable_address()->set_room("301");
    m.add_skills("法律咨询");
    return m;
  }

  grpc::Status Submit(const std::string& token, const mv1::Member& m, mv1::Registration* out,
                      const std::string& request_id = "") {
    mv1::SubmitRegistrationRequest req;
    req.set_registration_code(code_.name());
    *req.mutable_applicant() = m;
    req.set_request_id(request_id);
    return Call(token, [&](grpc::ClientContext* c) { return stub_->SubmitRegistration(c, req, out); });
  }

  grpc::Status Confirm(const std::string& token, const std::string& name, const std::string& branch,
                       mv1::Registration* out, const std::string& etag = "") {
    mv1::ConfirmRegistrationRequest req;
    req.set_name(name);
    req.set_branch(branch);
    req.set_etag(etag);
    return Call(token, [&](grpc::ClientContext* c) { return stub_->ConfirmRegistration(c, req, out); });
  }

  std::string Written() {
    return absl::StrCat(Snapshot(), "/", probe_->Count("registrations"), "/", probe_->Count("registration_codes"), "/",
                        probe_->Scalar("SELECT COALESCE(SUM(version),0) FROM registrations"));
  }

  std::string building_, resident_;
  mv1::RegistrationCode code_;
};

TEST_F(RegistrationTest, CodesBelongToACommunityAndAnyoneCanReadOne) {
  EXPECT_EQ(code_.name().size(), std::string("registrationCodes/").size() + 8);
  EXPECT_EQ(code_.community(), community_);
  mv1::GetRegistrationCodeRequest get;
  get.set_name(code_.name());
  mv1::RegistrationCode seen;
  ASSERT_THAT(Call(resident_, [&](grpc::ClientContext* c) { return stub_->GetRegistrationCode(c, get, &seen); }),
              IsOk());
  EXPECT_EQ(seen.label(), "3号楼单元门");
  EXPECT_EQ(seen.place(), building_);

  // Refused, writing nothing: a place of another community, a community
  // outside the caller's subtree, a branch instead of a community, no label.
  std::string foreign = Place(other_community_, "", ov1::PLACE_KIND_BUILDING);
  std::string before = Written();
  auto create = [&](const std::string& token, const std::string& community, const std::string& place,
                    const std::string& label) {
    mv1::CreateRegistrationCodeRequest req;
    req.mutable_registration_code()->set_community(community);
    req.mutable_registration_code()->set_place(place);
    req.mutable_registration_code()->set_label(label);
    mv1::RegistrationCode out;
    return Call(token, [&](grpc::ClientContext* c) { return stub_->CreateRegistrationCode(c, req, &out); });
  };
  grpc::Status s = create(secretary_, community_, foreign, "x");
  EXPECT_THAT(s, HasCode(grpc::INVALID_ARGUMENT));
  EXPECT_THAT(ViolatedFields(s), ElementsAre("registration_code.place"));
  EXPECT_THAT(create(secretary_, other_community_, "", "x"), HasCode(grpc::PERMISSION_DENIED));
  s = create(secretary_, branch_, "", "x");
  EXPECT_THAT(ViolatedFields(s), ElementsAre("registration_code.community"));
  s = create(secretary_, community_, "", "");
  EXPECT_THAT(ViolatedFields(s), ElementsAre("registration_code.label"));
  EXPECT_THAT(create(resident_, community_, "", "x"), HasCode(grpc::PERMISSION_DENIED));
  EXPECT_EQ(Written(), before);

  mv1::ListRegistrationCodesRequest list;
  list.set_parent(community_);
  mv1::ListRegistrationCodesResponse codes;
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->ListRegistrationCodes(c, list, &codes); }),
              IsOk());
  EXPECT_GE(codes.registration_codes_size(), 1);
}

TEST_F(RegistrationTest, SubmitThenConfirmCreatesTheMemberInABranchOfTheCommunity) {
  mv1::Member m = Applicant(Seq());
  mv1::Registration a, b;
  ASSERT_THAT(Submit(resident_, m, &a, "reg-1"), IsOk());
  ASSERT_THAT(Submit(resident_, m, &b, "reg-1"), IsOk());  // a retry
  EXPECT_EQ(a.name(), b.name());
  EXPECT_EQ(a.state(), mv1::REGISTRATION_STATE_PENDING);
  EXPECT_EQ(a.community(), community_);
  EXPECT_EQ(a.submitted_by(), "resident-1");
  EXPECT_EQ(a.applicant().national_id().substr(3, 11), std::string(11, '*'));
  EXPECT_EQ(a.applicant().phone().substr(3, 4), "****");
  ExpectNoBirthDate(a, m.national_id());
  EXPECT_EQ(a.applicant().birth_date(), m.birth_date().substr(0, 4));
  // The form is sealed: neither the ID number nor the phone is in the table.
  std::string dump = probe_->Scalar("SELECT GROUP_CONCAT(form_sealed) FROM registrations");
  EXPECT_EQ(dump.find(m.national_id()), std::string::npos);
  EXPECT_EQ(dump.find(m.phone()), std::string::npos);

  // A second registration of the same person with the community waits for the first.
  std::string before = Written();
  mv1::Registration again;
  grpc::Status s = Submit(resident_, m, &again);
  EXPECT_THAT(s, HasCode(grpc::ALREADY_EXISTS));
  EXPECT_THAT(ViolatedFields(s), ElementsAre("applicant.national_id"));
  EXPECT_EQ(Written(), before);

  // The registrant reads their own; another resident does not.
  mv1::GetRegistrationRequest get;
  get.set_name(a.name());
  mv1::Registration seen;
  EXPECT_THAT(Call(resident_, [&](grpc::ClientContext* c) { return stub_->GetRegistration(c, get, &seen); }), IsOk());
  ExpectNoBirthDate(seen, m.national_id());
  EXPECT_THAT(Call(key_->Token("resident-2", {"resident"}, district_),
                   [&](grpc::ClientContext* c) { return stub_->GetRegistration(c, get, &seen); }),
              HasCode(grpc::PERMISSION_DENIED));

  // The secretary sees it pending, and must choose a branch of the community.
  mv1::ListRegistrationsRequest list;
  list.set_parent(community_);
  list.set_state(mv1::REGISTRATION_STATE_PENDING);
  mv1::ListRegistrationsResponse pending;
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->ListRegistrations(c, list, &pending); }),
              IsOk());
  ASSERT_EQ(pending.registrations_size(), 1);
  before = Written();
  mv1::Registration done;
  s = Confirm(secretary_, a.name(), "", &done);
  EXPECT_THAT(ViolatedFields(s), ElementsAre("branch"));
  s = Confirm(admin_, a.name(), other_branch_, &done);
  EXPECT_THAT(s, HasCode(grpc::INVALID_ARGUMENT));
  EXPECT_THAT(ViolatedFields(s), ElementsAre("branch"));
  EXPECT_THAT(Confirm(secretary_, a.name(), branch_, &done, "v99"), HasCode(grpc::ABORTED));
  EXPECT_THAT(Confirm(key_->Token("sec-x", {"secretary"}, other_community_), a.name(), branch_, &done),
              HasCode(grpc::PERMISSION_DENIED));
  EXPECT_EQ(Written(), before);

  ASSERT_THAT(Confirm(secretary_, a.name(), branch_, &done, a.etag()), IsOk());
  EXPECT_EQ(done.state(), mv1::REGISTRATION_STATE_CONFIRMED);
  EXPECT_EQ(done.decided_by(), "sec-1");
  mv1::GetMemberRequest gm;
  gm.set_name(done.member());
  mv1::Member member;
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->GetMember(c, gm, &member); }), IsOk());
  EXPECT_EQ(member.branch(), branch_);
  EXPECT_EQ(member.registered_community(), community_);
  EXPECT_EQ(member.residence_community(), community_);
  EXPECT_EQ(member.address().building(), building_);
  EXPECT_THAT(member.skills(), ElementsAre("法律咨询"));
  // Decided once: a second decision is refused.
  EXPECT_THAT(Confirm(secretary_, a.name(), branch_, &done), HasCode(grpc::FAILED_PRECONDITION));
}

TEST_F(RegistrationTest, AMemberOnFileElsewhereIsRegisteredWithTheCommunityNotMoved) {
  // An employed member whose relation is with another community's branch (双报到).
  mv1::Member m = NewMember(other_branch_, Seq());
  m.add_categories(mv1::CATEGORY_EMPLOYED);
  mv1::Member on_file;
  ASSERT_THAT(Create(admin_, m, &on_file), IsOk());
  mv1::Member form = m;
  form.clear_branch();
  form.mutable_address()->set_building(building_);
  mv1::SubmitRegistrationRequest req;
  req.set_registration_code(code_.name());
  *req.mutable_applicant() = form;
  req.set_current_organization("某公司党委");
  mv1::Registration reg;
  ASSERT_THAT(Call(resident_, [&](grpc::ClientContext* c) { return stub_->SubmitRegistration(c, req, &reg); }), IsOk());
  EXPECT_EQ(reg.current_organization(), "某公司党委");
  mv1::Registration done;
  grpc::Status s = Confirm(secretary_, reg.name(), branch_, &done);
  EXPECT_THAT(ViolatedFields(s), ElementsAre("branch"));  // relations move by transfer
  ASSERT_THAT(Confirm(secretary_, reg.name(), "", &done), IsOk());
  EXPECT_EQ(done.member(), on_file.name());
  EXPECT_EQ(done.state(), mv1::REGISTRATION_STATE_CONFIRMED);
  // The secretary may not change a file outside their subtree, so the
  // confirmation did not: the confirmed registration records the link.
  mv1::GetMemberRequest gm;
  gm.set_name(on_file.name());
  mv1::Member after;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->GetMember(c, gm, &after); }), IsOk());
  EXPECT_EQ(after.branch(), other_branch_);
  EXPECT_EQ(after.etag(), on_file.etag());
  EXPECT_EQ(after.address().building(), on_file.address().building());
  EXPECT_EQ(probe_->Count("history", absl::StrCat("resource = '", on_file.name(), "'")), 1);  // its creation
}

TEST_F(RegistrationTest, RejectNeedsAReasonAndBadFormsWriteNothing) {
  mv1::Registration reg;
  ASSERT_THAT(Submit(resident_, Applicant(Seq()), &reg), IsOk());
  mv1::RejectRegistrationRequest reject;
  reject.set_name(reg.name());
  mv1::Registration out;
  std::string before = Written();
  grpc::Status s = Call(secretary_, [&](grpc::ClientContext* c) { return stub_->RejectRegistration(c, reject, &out); });
  EXPECT_THAT(ViolatedFields(s), ElementsAre("reason"));
  EXPECT_EQ(Written(), before);
  reject.set_reason("本社区无此住户，请到居住地社区报到");
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->RejectRegistration(c, reject, &out); }),
              IsOk());
  EXPECT_EQ(out.state(), mv1::REGISTRATION_STATE_REJECTED);
  mv1::GetRegistrationRequest get;
  get.set_name(reg.name());
  ASSERT_THAT(Call(resident_, [&](grpc::ClientContext* c) { return stub_->GetRegistration(c, get, &out); }), IsOk());
  EXPECT_EQ(out.reason(), "本社区无此住户，请到居住地社区报到");
  EXPECT_THAT(Confirm(secretary_, reg.name(), branch_, &out), HasCode(grpc::FAILED_PRECONDITION));

  struct Case {
    const char* what;
    std::function<void(mv1::Member&)> edit;
    grpc::StatusCode code;
    const char* field;
  };
  std::vector<Case> cases = {
      {"check digit",
       [](mv1::Member& m) { m.mutable_national_id()->back() = m.national_id().back() == '1' ? '2' : '1'; },
       grpc::INVALID_ARGUMENT, "applicant.national_id"},
      {"phone", [](mv1::Member& m) { m.set_phone("12345"); }, grpc::INVALID_ARGUMENT, "applicant.phone"},
      {"branch chosen", [this](mv1::Member& m) { m.set_branch(branch_); }, grpc::INVALID_ARGUMENT, "applicant.branch"},
      {"invalid UTF-8", [](mv1::Member& m) { m.set_display_name("\xc3"); }, grpc::INVALID_ARGUMENT,
       "applicant.display_name"},
      {"unknown building", [](mv1::Member& m) { m.mutable_address()->set_building("places/nosuch"); }, grpc::NOT_FOUND,
       "applicant.address.building"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    mv1::Member m = Applicant(Seq());
    c.edit(m);
    before = Written();
    s = Submit(resident_, m, &out);
    EXPECT_THAT(s, HasCode(c.code));
    EXPECT_THAT(ViolatedFields(s), Contains(c.field));
    EXPECT_EQ(Written(), before);
  }
  // Permission before existence: a secretary elsewhere learns nothing of
  // which codes exist; their code and a made-up one get the same answer.
  mv1::RegistrationCode revoked;
  std::string elsewhere = key_->Token("sec-other", {"secretary"}, other_community_);
  for (const std::string& name : {code_.name(), std::string("registrationCodes/ZZZZ2345")}) {
    mv1::RevokeRegistrationCodeRequest probe;
    probe.set_name(name);
    s = Call(elsewhere, [&](grpc::ClientContext* c) { return stub_->RevokeRegistrationCode(c, probe, &revoked); });
    EXPECT_THAT(s, HasCode(grpc::PERMISSION_DENIED)) << name;
    EXPECT_EQ(ErrorReason(s), "OUTSIDE_SUBTREE") << name;
  }
  // A withdrawn code takes no more registrations.
  mv1::RevokeRegistrationCodeRequest revoke;
  revoke.set_name(code_.name());
  ASSERT_THAT(
      Call(secretary_, [&](grpc::ClientContext* c) { return stub_->RevokeRegistrationCode(c, revoke, &revoked); }),
      IsOk());
  EXPECT_TRUE(revoked.revoked());
  before = Written();
  s = Submit(resident_, Applicant(Seq()), &out);
  EXPECT_THAT(s, HasCode(grpc::FAILED_PRECONDITION));
  EXPECT_EQ(ErrorReason(s), "CODE_REVOKED");
  EXPECT_EQ(Written(), before);
  mv1::SubmitRegistrationRequest bad;
  bad.set_registration_code("registrationCodes/0OIL0OIL");
  s = Call(resident_, [&](grpc::ClientContext* c) { return stub_->SubmitRegistration(c, bad, &out); });
  EXPECT_THAT(ViolatedFields(s), Contains("registration_code"));
}

TEST_F(RegistrationTest, TwoSecretariesDecidingAtOnceOneWins) {
  mv1::Registration reg;
  ASSERT_THAT(Submit(resident_, Applicant(Seq()), &reg), IsOk());
  std::string other = key_->Token("sec-2", {"secretary"}, community_);
  std::atomic<int> ok{0}, refused{0};
  std::vector<std::thread> threads;
  for (const std::string* token : {&secretary_, &other}) {
    threads.emplace_back([&, token] {
      mv1::Registration out;
      grpc::Status s = Confirm(*token, reg.name(), branch_, &out, reg.etag());
      if (s.ok())
        ++ok;
      else if (s.error_code() == grpc::ABORTED || s.error_code() == grpc::FAILED_PRECONDITION)
        ++refused;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(refused.load(), 1);
  EXPECT_EQ(probe_->Count("members", absl::StrCat("registered_community_id = '", community_.substr(9), "'")), 1);
}

}  // namespace
}  // namespace lianxin::testing
