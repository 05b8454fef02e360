// The member file (党员档案) over real gRPC: the national system's items, a
// mobile member's destination with the contact's phone sealed and masked,
// the probation (转正 on time, one extension of up to a year, reminders), and
// the posts a member holds ending when they die, leave or are expelled.
#include "absl/time/clock.h"
#include "common/clock.h"
#include "tests/member/member_test_base.h"

namespace lianxin::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

int Seq() {
  static std::atomic<int> n{950};
  return n++;
}

std::string DaysFromToday(int days) { return BeijingDate(absl::Now() + absl::Hours(24) * days); }

class MemberFileTest : public MemberServiceTest {
 protected:
  grpc::Status Get(const std::string& name, bool reveal, mv1::Member* out) {
    mv1::GetMemberRequest req;
    req.set_name(name);
    req.set_reveal(reveal);
    return Call(secretary_, [&](grpc::ClientContext* c) { return stub_->GetMember(c, req, out); });
  }

  // A probationary member who joined `days_ago` days ago.
  mv1::Member Probationary(int days_ago) {
    mv1::Member m = NewMember(branch_, Seq());
    m.set_standing(mv1::STANDING_PROBATIONARY);
    m.set_join_date(DaysFromToday(-days_ago));
    mv1::Member out;
    EXPECT_THAT(Create(secretary_, m, &out), IsOk());
    return out;
  }

  std::vector<std::string> ProbationDue(int within_days) {
    mv1::ListMembersRequest req;
    req.set_parent(branch_);
    req.set_probation_ending_within_days(within_days);
    mv1::ListMembersResponse out;
    EXPECT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->ListMembers(c, req, &out); }), IsOk());
    std::vector<std::string> names;
    for (const auto& m : out.members()) names.push_back(m.name());
    return names;
  }

  grpc::Status Complete(const std::string& name, const std::string& date, mv1::Member* out) {
    mv1::CompleteProbationRequest req;
    req.set_name(name);
    req.set_effective_date(date);
    req.set_reason("支部大会决议");
    return Call(secretary_, [&](grpc::ClientContext* c) { return stub_->CompleteProbation(c, req, out); });
  }

  grpc::Status Extend(const std::string& name, const std::string& until, mv1::Member* out) {
    mv1::ExtendProbationRequest req;
    req.set_name(name);
    req.set_until(until);
    req.set_reason("需要继续考察");
    return Call(secretary_, [&](grpc::ClientContext* c) { return stub_->ExtendProbation(c, req, out); });
  }
};

TEST_F(MemberFileTest, TheFileHoldsTheNationalItemsAndTheContactAwayIsSealed) {
  mv1::Member m = NewMember(branch_, Seq());
  m.set_education(mv1::EDUCATION_JUNIOR_COLLEGE);
  m.set_job_post("企业退休人员");
  m.set_professional_title("工程师");
  m.set_admission(mv1::ADMISSION_OTHER);
  m.set_work_unit("湘潭纺织印染厂");
  m.set_household_registration("湖南省湘潭市岳塘区");
  m.set_branch_since("2008-06-30");
  m.add_categories(mv1::CATEGORY_MOBILE);
  m.mutable_mobility()->set_destination("广东省深圳市南山区");
  m.mutable_mobility()->set_destination_organization("南山区流动党员党支部");
  m.mutable_mobility()->set_contact_name("李书记");
  m.mutable_mobility()->set_contact_phone("13712345678");
  m.mutable_mobility()->set_since("2025-03-01");
  mv1::Member made;
  ASSERT_THAT(Create(secretary_, m, &made), IsOk());
  EXPECT_EQ(made.education(), mv1::EDUCATION_JUNIOR_COLLEGE);
  EXPECT_EQ(made.job_post(), "企业退休人员");
  EXPECT_EQ(made.professional_title(), "工程师");
  EXPECT_EQ(made.admission(), mv1::ADMISSION_OTHER);
  EXPECT_EQ(made.work_unit(), "湘潭纺织印染厂");
  EXPECT_EQ(made.household_registration(), "湖南省湘潭市岳塘区");
  EXPECT_EQ(made.branch_since(), "2008-06-30");
  EXPECT_EQ(made.mobility().destination(), "广东省深圳市南山区");
  EXPECT_EQ(made.mobility().contact_phone(), "137****5678");  // masked
  EXPECT_FALSE(made.has_probation_end());                     // a full member
  // Sealed at rest: the digits are nowhere in the row.
  EXPECT_THAT(probe_->Scalar(
                  absl::StrCat("SELECT mobility_contact_sealed FROM members WHERE id = '", made.name().substr(8), "'")),
              Not(HasSubstr("12345678")));
  // In clear only when revealed, and recorded.
  mv1::Member seen;
  ASSERT_THAT(Get(made.name(), true, &seen), IsOk());
  EXPECT_EQ(seen.mobility().contact_phone(), "13712345678");
  EXPECT_EQ(probe_->Scalar(absl::StrCat("SELECT COUNT(*) FROM member_disclosures WHERE field = 'mobility_contact' AND "
                                        "member_id = '",
                                        made.name().substr(8), "'")),
            "1");
  // A change of contact: the history keeps the phone masked.
  mv1::UpdateMemberRequest upd;
  upd.mutable_member()->set_name(made.name());
  *upd.mutable_member()->mutable_mobility() = m.mobility();
  upd.mutable_member()->mutable_mobility()->set_contact_phone("13898765432");
  upd.mutable_update_mask()->add_paths("mobility");
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->UpdateMember(c, upd, &seen); }), IsOk());
  EXPECT_EQ(seen.mobility().contact_phone(), "138****5432");
  EXPECT_EQ(probe_->Scalar("SELECT COUNT(*) FROM history WHERE changes LIKE '%98765432%' OR changes LIKE '%12345678%'"),
            "0");
  // A member filed without a date came to the branch today.
  mv1::Member plain;
  ASSERT_THAT(Create(secretary_, NewMember(branch_, Seq()), &plain), IsOk());
  EXPECT_EQ(plain.branch_since(), DaysFromToday(0));
}

TEST_F(MemberFileTest, BadItemsNameTheFieldAndWriteNothing) {
  mv1::Member made;
  ASSERT_THAT(Create(secretary_, NewMember(branch_, Seq()), &made), IsOk());
  std::string before = Snapshot();
  struct Case {
    std::function<void(mv1::Member&)> set;
    std::string path, field;
  };
  for (const Case& k : std::vector<Case>{
           {[](mv1::Member& m) { m.mutable_mobility()->set_contact_name("李"); }, "mobility",
            "member.mobility.destination"},
           {[](mv1::Member& m) {
              m.mutable_mobility()->set_destination("深圳");
              m.mutable_mobility()->set_contact_phone("12345");
            },
            "mobility", "member.mobility.contact_phone"},
           {[](mv1::Member& m) { m.set_branch_since(DaysFromToday(3)); }, "branch_since", "member.branch_since"},
           {[](mv1::Member& m) { m.set_work_unit(std::string(201, 'x')); }, "work_unit", "member.work_unit"},
       }) {
    mv1::UpdateMemberRequest upd;
    upd.mutable_member()->set_name(made.name());
    k.set(*upd.mutable_member());
    upd.mutable_update_mask()->add_paths(k.path);
    mv1::Member out;
    grpc::Status s = Call(secretary_, [&](grpc::ClientContext* c) { return stub_->UpdateMember(c, upd, &out); });
    EXPECT_THAT(s, HasCode(grpc::INVALID_ARGUMENT)) << k.field;
    EXPECT_THAT(ViolatedFields(s), ElementsAre(k.field));
  }
  // probation_end is the service's to say.
  mv1::UpdateMemberRequest upd;
  upd.mutable_member()->set_name(made.name());
  upd.mutable_update_mask()->add_paths("probation_end");
  mv1::Member out;
  EXPECT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->UpdateMember(c, upd, &out); }),
              HasCode(grpc::INVALID_ARGUMENT));
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(MemberFileTest, TheProbationEndsOnTimeOrOnceExtendedAndIsRemindedOf) {
  mv1::Member soon = Probationary(365 - 10);  // ends in about 10 days
  mv1::Member over = Probationary(365 + 40);  // ended about 40 days ago
  EXPECT_EQ(soon.probation_end().size(), 10u);
  EXPECT_FALSE(soon.probation_extended());
  std::vector<std::string> due = ProbationDue(30);
  EXPECT_THAT(due, ::testing::UnorderedElementsAre(soon.name(), over.name()));
  EXPECT_THAT(ProbationDue(0), ElementsAre(over.name()));

  // Not before the probation ends; nothing written.
  std::string before = Snapshot();
  mv1::Member out;
  grpc::Status s = Complete(soon.name(), "", &out);
  EXPECT_THAT(s, HasCode(grpc::FAILED_PRECONDITION));
  EXPECT_EQ(ErrorReason(s), "PROBATION_NOT_OVER");
  EXPECT_EQ(Snapshot(), before);

  // Over: full from the day it ended.
  ASSERT_THAT(Complete(over.name(), "", &out), IsOk());
  EXPECT_EQ(out.standing(), mv1::STANDING_FULL);
  EXPECT_EQ(out.full_member_date(), over.probation_end());
  EXPECT_FALSE(out.has_probation_end());
  s = Complete(over.name(), "", &out);
  EXPECT_THAT(s, HasCode(grpc::FAILED_PRECONDITION));
  EXPECT_EQ(ErrorReason(s), "NOT_PROBATIONARY");

  // Extended once, by up to a year.
  before = Snapshot();
  s = Extend(soon.name(), DaysFromToday(400), &out);
  EXPECT_THAT(s, HasCode(grpc::INVALID_ARGUMENT));
  EXPECT_THAT(ViolatedFields(s), ElementsAre("until"));
  s = Extend(soon.name(), soon.probation_end(), &out);
  EXPECT_THAT(s, HasCode(grpc::INVALID_ARGUMENT));
  EXPECT_EQ(Snapshot(), before);
  std::string until = DaysFromToday(180);
  ASSERT_THAT(Extend(soon.name(), until, &out), IsOk());
  EXPECT_EQ(out.probation_end(), until);
  EXPECT_TRUE(out.probation_extended());
  EXPECT_EQ(out.standing(), mv1::STANDING_PROBATIONARY);
  s = Extend(soon.name(), DaysFromToday(200), &out);
  EXPECT_THAT(s, HasCode(grpc::FAILED_PRECONDITION));
  EXPECT_EQ(ErrorReason(s), "ALREADY_EXTENDED");
  // No longer due within 30 days.
  EXPECT_THAT(ProbationDue(30), ElementsAre());
}

TEST_F(MemberFileTest, ThePostsOfAMemberWhoDiedEnd) {
  mv1::Member m;
  ASSERT_THAT(Create(secretary_, NewMember(branch_, Seq()), &m), IsOk());
  for (auto [unit, role] : {std::pair{branch_, ov1::POSITION_ROLE_SECRETARY},
                            std::pair{community_, ov1::POSITION_ROLE_ORGANIZATION_MEMBER}}) {
    ov1::CreatePositionRequest req;
    req.mutable_position()->set_org_unit(unit);
    req.mutable_position()->set_role(role);
    req.mutable_position()->set_member(m.name());
    req.mutable_position()->set_holder_display_name(m.display_name());
    ov1::Position p;
    ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return org_stub_->CreatePosition(c, req, &p); }), IsOk());
  }
  auto posts = [&](const std::string& unit) {
    ov1::ListPositionsRequest req;
    req.set_org_unit(unit);
    ov1::ListPositionsResponse out;
    EXPECT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return org_stub_->ListPositions(c, req, &out); }), IsOk());
    return out.positions_size();
  };
  ASSERT_EQ(posts(branch_) + posts(community_), 2);
  mv1::ChangeLifecycleRequest died;
  died.set_name(m.name());
  died.set_lifecycle(mv1::LIFECYCLE_DECEASED);
  died.set_reason("病故");
  mv1::Member out;
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->ChangeLifecycle(c, died, &out); }), IsOk());
  EXPECT_EQ(posts(branch_) + posts(community_), 0);
  // Each unit's history says the post ended, and why.
  ov1::ListOrgEventsRequest ev;
  ev.set_org_unit(community_);
  ov1::ListOrgEventsResponse events;
  ASSERT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return org_stub_->ListOrgEvents(c, ev, &events); }), IsOk());
  ASSERT_GE(events.events_size(), 1);
  const auto& last = events.events(events.events_size() - 1);
  EXPECT_EQ(last.action(), "end");
  EXPECT_THAT(last.changes_json(), HasSubstr("病故"));
  // Only the member service may end posts.
  ov1::EndMemberPositionsRequest end;
  end.set_member(m.name());
  end.set_reason("x");
  end.set_end_date("2026-01-01");
  ov1::EndMemberPositionsResponse ended;
  EXPECT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return org_stub_->EndMemberPositions(c, end, &ended); }),
              HasCode(grpc::PERMISSION_DENIED));
}

TEST_F(MemberFileTest, ACommunityReadsTheMembersRegisteredWithItWhereTheyLive) {
  // Their relation in the other community's branch; registered here (双报到).
  std::string building = Place(community_, "", ov1::PLACE_KIND_BUILDING);
  mv1::Member m = NewMember(other_branch_, Seq());
  m.set_registered_community(community_);
  m.add_categories(mv1::CATEGORY_EMPLOYED);
  m.mutable_address()->set_building(building);
  m.add_skills("法律咨询");
  mv1::Member employed, plain;
  ASSERT_THAT(Create(admin_, m, &employed), IsOk());
  mv1::Member other = NewMember(other_branch_, Seq());
  ASSERT_THAT(Create(admin_, other, &plain), IsOk());
  auto listed = [&](const std::string& token, const std::string& skill, const std::string& where) {
    mv1::ListMembersRequest req;
    req.set_parent(community_);
    req.set_registered_here(true);
    req.set_skill(skill);
    req.set_building(where);
    mv1::ListMembersResponse out;
    grpc::Status s = Call(token, [&](grpc::ClientContext* c) { return stub_->ListMembers(c, req, &out); });
    std::vector<std::string> names;
    for (const auto& x : out.members()) {
      names.push_back(x.name());
      EXPECT_EQ(x.phone().find("****"), 3u);  // masked as any list
    }
    return s.ok() ? names : std::vector<std::string>{s.error_message()};
  };
  EXPECT_THAT(listed(secretary_, "", ""), ElementsAre(employed.name()));
  EXPECT_THAT(listed(secretary_, "法律咨询", building), ElementsAre(employed.name()));
  EXPECT_THAT(listed(secretary_, "理发", ""), ElementsAre());
  // Read by this community's secretary, revealed with a record; not changed.
  mv1::Member seen;
  ASSERT_THAT(Get(employed.name(), false, &seen), IsOk());
  EXPECT_EQ(seen.phone().find("****"), 3u);
  ASSERT_THAT(Get(employed.name(), true, &seen), IsOk());
  EXPECT_EQ(seen.phone().find("****"), std::string::npos);
  EXPECT_EQ(
      probe_->Scalar(absl::StrCat("SELECT COUNT(*) FROM member_disclosures WHERE reader = 'sec-1' AND member_id = '",
                                  employed.name().substr(8), "'")),
      "2");  // national ID and phone
  std::string before = Snapshot();
  mv1::UpdateMemberRequest upd;
  upd.mutable_member()->set_name(employed.name());
  upd.mutable_member()->set_occupation("律师");
  upd.mutable_update_mask()->add_paths("occupation");
  EXPECT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->UpdateMember(c, upd, &seen); }),
              HasCode(grpc::PERMISSION_DENIED));
  EXPECT_THAT(Get(plain.name(), false, &seen), HasCode(grpc::PERMISSION_DENIED));  // not registered here
  EXPECT_EQ(Snapshot(), before);
  // Another community's secretary sees none of them.
  std::string stranger = key_->Token("sec-2", {"secretary"}, other_community_);
  mv1::ListMembersRequest req;
  req.set_parent(community_);
  req.set_registered_here(true);
  mv1::ListMembersResponse out;
  EXPECT_THAT(Call(stranger, [&](grpc::ClientContext* c) { return stub_->ListMembers(c, req, &out); }),
              HasCode(grpc::PERMISSION_DENIED));
}

TEST_F(MemberFileTest, TheRegisteredCommunityAppraisesEachYear) {
  mv1::Member m = NewMember(other_branch_, Seq());
  m.set_registered_community(community_);
  mv1::Member employed, elsewhere;
  ASSERT_THAT(Create(admin_, m, &employed), IsOk());
  ASSERT_THAT(Create(admin_, NewMember(branch_, Seq()), &elsewhere), IsOk());  // not registered here
  const int year = std::stoi(DaysFromToday(0).substr(0, 4)) - 1;
  auto appraise = [&](const std::string& token, const std::string& member, int y, mv1::AppraisalGrade grade,
                      const std::string& etag, mv1::Appraisal* out) {
    mv1::AppraiseMemberRequest req;
    req.mutable_appraisal()->set_name(absl::StrCat(member, "/appraisals/", y));
    req.mutable_appraisal()->set_community(community_);
    req.mutable_appraisal()->set_grade(grade);
    req.mutable_appraisal()->set_comment("全年参加志愿服务12次");
    req.mutable_appraisal()->set_etag(etag);
    return Call(token, [&](grpc::ClientContext* c) { return stub_->AppraiseMember(c, req, out); });
  };
  mv1::Appraisal a;
  ASSERT_THAT(appraise(secretary_, employed.name(), year, mv1::APPRAISAL_GRADE_EXCELLENT, "", &a), IsOk());
  EXPECT_EQ(a.name(), absl::StrCat(employed.name(), "/appraisals/", year));
  EXPECT_EQ(a.appraiser(), "sec-1");
  // Changed with the etag; a stale one is refused.
  std::string first = a.etag();
  ASSERT_THAT(appraise(secretary_, employed.name(), year, mv1::APPRAISAL_GRADE_COMPETENT, first, &a), IsOk());
  EXPECT_EQ(a.grade(), mv1::APPRAISAL_GRADE_COMPETENT);
  std::string before = absl::StrCat(Snapshot(), "/", probe_->Scalar("SELECT COALESCE(SUM(version),0) FROM appraisals"));
  EXPECT_THAT(appraise(secretary_, employed.name(), year, mv1::APPRAISAL_GRADE_EXCELLENT, first, &a),
              HasCode(grpc::ABORTED));
  grpc::Status s = appraise(secretary_, elsewhere.name(), year, mv1::APPRAISAL_GRADE_EXCELLENT, "", &a);
  EXPECT_THAT(s, HasCode(grpc::FAILED_PRECONDITION));
  EXPECT_EQ(ErrorReason(s), "NOT_REGISTERED_HERE");
  s = appraise(secretary_, employed.name(), year + 2, mv1::APPRAISAL_GRADE_EXCELLENT, "", &a);
  EXPECT_THAT(s, HasCode(grpc::INVALID_ARGUMENT));
  EXPECT_THAT(ViolatedFields(s), ElementsAre("appraisal.name"));
  s = appraise(secretary_, employed.name(), year, mv1::APPRAISAL_GRADE_UNSPECIFIED, "", &a);
  EXPECT_THAT(ViolatedFields(s), ElementsAre("appraisal.grade"));
  EXPECT_THAT(appraise(key_->Token("sec-2", {"secretary"}, other_community_), employed.name(), year,
                       mv1::APPRAISAL_GRADE_EXCELLENT, "", &a),
              HasCode(grpc::PERMISSION_DENIED));
  EXPECT_EQ(absl::StrCat(Snapshot(), "/", probe_->Scalar("SELECT COALESCE(SUM(version),0) FROM appraisals")), before);
  // The year's list, for the report to employers.
  mv1::ListAppraisalsRequest list;
  list.set_parent(community_);
  list.set_year(year);
  mv1::ListAppraisalsResponse out;
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->ListAppraisals(c, list, &out); }), IsOk());
  ASSERT_EQ(out.appraisals_size(), 1);
  EXPECT_EQ(out.appraisals(0).display_name(), employed.display_name());
  EXPECT_EQ(out.appraisals(0).grade(), mv1::APPRAISAL_GRADE_COMPETENT);
}

}  // namespace
}  // namespace lianxin::testing
