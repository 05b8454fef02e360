// The member service over real gRPC against a real org service process and
// the real MariaDB.
#include <thread>

#include "absl/time/civil_time.h"
#include "tests/member/member_test_base.h"

namespace lianxin::testing {
namespace {

using ::testing::ElementsAre;

int Seq() {
  static std::atomic<int> n{1};
  return n++;
}

std::string Today(int days = 0) {
  return absl::FormatCivilTime(absl::ToCivilDay(absl::Now(), absl::FixedTimeZone(8 * 3600)) + days);
}

TEST_F(MemberServiceTest, PersonalDataIsSealedMaskedAndEveryClearReadRecorded) {
  mv1::Member m = NewMember(branch_, Seq());
  m.set_health_notes("高血压，行动不便");
  m.set_attitude_notes("积极");
  mv1::Member created;
  ASSERT_THAT(Create(secretary_, m, &created), IsOk());
  EXPECT_EQ(created.national_id().substr(0, 3), "430");
  EXPECT_NE(created.national_id(), m.national_id());
  EXPECT_EQ(created.national_id().substr(3, 11), std::string(11, '*'));
  EXPECT_EQ(created.phone(), m.phone().substr(0, 3) + "****" + m.phone().substr(7));
  EXPECT_EQ(created.health_notes(), "***");

  // Nothing personal in clear in any table.
  std::string id = created.name().substr(8);
  for (const char* table : {"members", "history"}) {
    std::string dump = probe_->Scalar(absl::StrCat(
        "SELECT GROUP_CONCAT(CONCAT_WS('|', ",
        std::string(table) == "members" ? "national_id_sealed, phone_sealed, health_sealed, display_name" : "changes",
        ")) FROM ", table));
    EXPECT_EQ(dump.find(m.national_id()), std::string::npos) << table;
    EXPECT_EQ(dump.find(m.phone()), std::string::npos) << table;
    EXPECT_EQ(dump.find("高血压"), std::string::npos) << table;
  }

  // A member may not reveal; a secretary may, and it is recorded.
  mv1::GetMemberRequest get;
  get.set_name(created.name());
  get.set_reveal(true);
  mv1::Member seen;
  std::string before = Snapshot();
  grpc::Status s = Call(key_->Token("m-9", {"member"}, community_),
                        [&](grpc::ClientContext* c) { return stub_->GetMember(c, get, &seen); });
  EXPECT_THAT(s, HasCode(grpc::PERMISSION_DENIED));
  EXPECT_THAT(ViolatedFields(s), ElementsAre("reveal"));
  EXPECT_EQ(Snapshot(), before);
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->GetMember(c, get, &seen); }), IsOk());
  EXPECT_EQ(seen.national_id(), m.national_id());
  EXPECT_EQ(seen.phone(), m.phone());
  EXPECT_EQ(seen.health_notes(), "高血压，行动不便");

  mv1::ListDisclosuresRequest audit;
  audit.set_member(created.name());
  mv1::ListDisclosuresResponse disclosures;
  ASSERT_THAT(Call(key_->Token("aud", {"auditor"}, "*"),
                   [&](grpc::ClientContext* c) { return stub_->ListDisclosures(c, audit, &disclosures); }),
              IsOk());
  std::vector<std::string> fields;
  for (const auto& d : disclosures.disclosures()) {
    EXPECT_EQ(d.reader(), "sec-1");
    EXPECT_EQ(d.method(), "GetMember");
    fields.push_back(d.field());
  }
  EXPECT_THAT(fields, ElementsAre("national_id", "phone", "health_notes", "attitude_notes"));
  // Only auditors read disclosures.
  EXPECT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->ListDisclosures(c, audit, &disclosures); }),
              HasCode(grpc::PERMISSION_DENIED));
}

TEST_F(MemberServiceTest, SameCreateTwiceWithOneRequestIdMakesOneMember) {
  mv1::Member m = NewMember(branch_, Seq());
  mv1::Member a, b;
  ASSERT_THAT(Create(secretary_, m, &a, "import-row-1"), IsOk());
  ASSERT_THAT(Create(secretary_, m, &b, "import-row-1"), IsOk());
  EXPECT_EQ(a.name(), b.name());
  // Without the request id the same person is refused: identity by ID number.
  std::string before = Snapshot();
  grpc::Status s = Create(secretary_, m, &b);
  EXPECT_THAT(s, HasCode(grpc::ALREADY_EXISTS));
  EXPECT_THAT(ViolatedFields(s), ElementsAre("member.national_id"));
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(MemberServiceTest, BadInputNamesTheFieldAndWritesNothing) {
  struct Case {
    const char* what;
    std::function<void(mv1::Member&)> edit;
    grpc::StatusCode code;
    const char* field;
  };
  std::vector<Case> cases = {
      {"empty name", [](mv1::Member& m) { m.set_display_name(""); }, grpc::INVALID_ARGUMENT, "member.display_name"},
      {"invalid UTF-8", [](mv1::Member& m) { m.set_display_name("\xff\xfe"); }, grpc::INVALID_ARGUMENT,
       "member.display_name"},
      {"check digit",
       [](mv1::Member& m) { m.mutable_national_id()->back() = m.national_id().back() == '1' ? '2' : '1'; },
       grpc::INVALID_ARGUMENT, "member.national_id"},
      {"region", [](mv1::Member& m) { m.set_national_id("99" + m.national_id().substr(2)); }, grpc::INVALID_ARGUMENT,
       "member.national_id"},
      {"birth date disagrees", [](mv1::Member& m) { m.set_birth_date("1960-05-02"); }, grpc::INVALID_ARGUMENT,
       "member.national_id"},
      {"gender disagrees",
       [](mv1::Member& m) { m.set_gender(m.gender() == mv1::GENDER_MALE ? mv1::GENDER_FEMALE : mv1::GENDER_MALE); },
       grpc::INVALID_ARGUMENT, "member.national_id"},
      {"phone", [](mv1::Member& m) { m.set_phone("12345"); }, grpc::INVALID_ARGUMENT, "member.phone"},
      {"no standing", [](mv1::Member& m) { m.clear_standing(); }, grpc::INVALID_ARGUMENT, "member.standing"},
      {"group as branch", [this](mv1::Member& m) { m.set_branch(street_); }, grpc::INVALID_ARGUMENT, "member.branch"},
      {"unknown branch", [](mv1::Member& m) { m.set_branch("orgUnits/nosuchunit"); }, grpc::NOT_FOUND, "member.branch"},
      {"unknown building", [](mv1::Member& m) { m.mutable_address()->set_building("places/nosuchplace"); },
       grpc::NOT_FOUND, "member.address.building"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    mv1::Member m = NewMember(branch_, Seq());
    c.edit(m);
    std::string before = Snapshot();
    mv1::Member out;
    grpc::Status s = Create(admin_, m, &out, absl::StrCat("bad-", Seq()));
    EXPECT_THAT(s, HasCode(c.code));
    EXPECT_THAT(ViolatedFields(s), ::testing::Contains(c.field));
    EXPECT_EQ(Snapshot(), before);
  }
  // A secretary cannot file a member in another community's branch.
  std::string before = Snapshot();
  mv1::Member out;
  EXPECT_THAT(Create(secretary_, NewMember(other_branch_, Seq()), &out), HasCode(grpc::PERMISSION_DENIED));
  EXPECT_THAT(Create("", NewMember(branch_, Seq()), &out), HasCode(grpc::UNAUTHENTICATED));
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(MemberServiceTest, TwoSecretariesUpdatingOneMemberOneWins) {
  mv1::Member created;
  ASSERT_THAT(Create(secretary_, NewMember(branch_, Seq()), &created), IsOk());
  std::string other_secretary = key_->Token("sec-2", {"secretary"}, community_);
  std::atomic<int> ok{0}, aborted{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) {
    threads.emplace_back([&, i] {
      mv1::UpdateMemberRequest req;
      req.mutable_member()->set_name(created.name());
      req.mutable_member()->set_etag(created.etag());
      req.mutable_member()->set_occupation(i == 0 ? "退休教师" : "退休工人");
      req.mutable_update_mask()->add_paths("occupation");
      mv1::Member out;
      grpc::Status s = Call(i == 0 ? secretary_ : other_secretary,
                            [&](grpc::ClientContext* c) { return stub_->UpdateMember(c, req, &out); });
      if (s.ok())
        ok++;
      else if (s.error_code() == grpc::ABORTED)
        aborted++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(aborted.load(), 1);
}

TEST_F(MemberServiceTest, UpdatesRecordWhoAndWhatWithoutClearValues) {
  mv1::Member m = NewMember(branch_, Seq());
  mv1::Member created;
  ASSERT_THAT(Create(secretary_, m, &created), IsOk());
  mv1::UpdateMemberRequest req;
  req.mutable_member()->set_name(created.name());
  req.mutable_member()->set_phone("13912349876");
  req.mutable_member()->add_skills("理发");
  req.mutable_member()->add_skills("水电维修");
  req.mutable_update_mask()->add_paths("phone");
  req.mutable_update_mask()->add_paths("skills");
  mv1::Member updated;
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->UpdateMember(c, req, &updated); }), IsOk());
  EXPECT_EQ(updated.phone(), "139****9876");
  EXPECT_THAT(updated.skills(), ElementsAre("水电维修", "理发"));  // byte order
  mv1::ListMemberEventsRequest ev;
  ev.set_member(created.name());
  mv1::ListMemberEventsResponse events;
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->ListMemberEvents(c, ev, &events); }),
              IsOk());
  ASSERT_EQ(events.events_size(), 2);
  const auto& update = events.events(1);
  EXPECT_EQ(update.action(), "update");
  EXPECT_EQ(update.actor(), "sec-1");
  EXPECT_NE(update.changes_json().find("139****9876"), std::string::npos);
  EXPECT_EQ(update.changes_json().find("13912349876"), std::string::npos);
  // A field that has its own method is refused in the mask.
  req.mutable_update_mask()->add_paths("branch");
  EXPECT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->UpdateMember(c, req, &updated); }),
              HasCode(grpc::INVALID_ARGUMENT));
}

TEST_F(MemberServiceTest, SearchBySubtreeAndFiltersAndFindByIdentity) {
  std::string compound = Place(community_, "", ov1::PLACE_KIND_COMPOUND);
  std::string building = Place(community_, compound, ov1::PLACE_KIND_BUILDING);
  std::vector<mv1::Member> made;
  for (int i = 0; i < 5; ++i) {
    mv1::Member m = NewMember(branch_, Seq());
    if (i < 2) m.mutable_address()->set_building(building);
    if (i == 0) m.add_skills("法律咨询");
    if (i == 1) m.add_categories(mv1::CATEGORY_VETERAN);
    mv1::Member out;
    ASSERT_THAT(Create(admin_, m, &out), IsOk());
    made.push_back(m);
  }
  mv1::Member elsewhere;
  ASSERT_THAT(Create(admin_, NewMember(other_branch_, Seq()), &elsewhere), IsOk());

  auto list = [&](std::function<void(mv1::ListMembersRequest&)> edit, const std::string& token) {
    mv1::ListMembersRequest req;
    req.set_parent(community_);
    edit(req);
    mv1::ListMembersResponse resp;
    EXPECT_THAT(Call(token, [&](grpc::ClientContext* c) { return stub_->ListMembers(c, req, &resp); }), IsOk());
    return resp;
  };
  EXPECT_EQ(list([](auto&) {}, secretary_).members_size(), 5);
  EXPECT_EQ(list([&](auto& r) { r.set_building(building); }, secretary_).members_size(), 2);
  EXPECT_EQ(list([](auto& r) { r.set_skill("法律咨询"); }, secretary_).members_size(), 1);
  EXPECT_EQ(list([](auto& r) { r.set_category(mv1::CATEGORY_VETERAN); }, secretary_).members_size(), 1);
  EXPECT_EQ(list([](auto& r) { r.set_display_name_prefix("党员"); }, secretary_).members_size(), 5);
  // The street sees both communities.
  EXPECT_EQ(list([&](auto& r) { r.set_parent(street_); }, admin_).members_size(), 6);
  // Pages.
  auto first = list([](auto& r) { r.set_page_size(3); }, secretary_);
  EXPECT_EQ(first.members_size(), 3);
  auto second = list(
      [&](auto& r) {
        r.set_page_size(3);
        r.set_page_token(first.next_page_token());
      },
      secretary_);
  EXPECT_EQ(second.members_size(), 2);
  EXPECT_TRUE(second.next_page_token().empty());
  // Outside the subtree.
  mv1::ListMembersRequest far;
  far.set_parent(other_community_);
  mv1::ListMembersResponse resp;
  EXPECT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->ListMembers(c, far, &resp); }),
              HasCode(grpc::PERMISSION_DENIED));

  // Lookup by phone and by ID, through the blind index.
  mv1::FindMemberRequest find;
  find.set_phone(made[3].phone());
  mv1::Member found;
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->FindMember(c, find, &found); }), IsOk());
  EXPECT_EQ(found.display_name(), made[3].display_name());
  find.Clear();
  find.set_national_id(made[4].national_id());
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->FindMember(c, find, &found); }), IsOk());
  EXPECT_EQ(found.display_name(), made[4].display_name());
  // Someone in another community is not found by this secretary.
  find.Clear();
  find.set_phone(NewMember(other_branch_, 0).phone());
  EXPECT_FALSE(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->FindMember(c, find, &found); }).ok());
}

TEST_F(MemberServiceTest, LifecycleMovesOnlyAsTheRulesAllow) {
  mv1::Member created;
  ASSERT_THAT(Create(secretary_, NewMember(branch_, Seq()), &created), IsOk());
  auto move = [&](mv1::Lifecycle to) {
    mv1::ChangeLifecycleRequest req;
    req.set_name(created.name());
    req.set_lifecycle(to);
    req.set_reason("支部大会决定");
    mv1::Member out;
    return Call(secretary_, [&](grpc::ClientContext* c) { return stub_->ChangeLifecycle(c, req, &out); });
  };
  EXPECT_THAT(move(mv1::LIFECYCLE_SUSPENDED), IsOk());
  std::string before = Snapshot();
  grpc::Status s = move(mv1::LIFECYCLE_ACTIVE);
  EXPECT_THAT(s, HasCode(grpc::FAILED_PRECONDITION));
  EXPECT_EQ(ErrorReason(s), "LIFECYCLE_NOT_ALLOWED");
  EXPECT_EQ(Snapshot(), before);
  EXPECT_THAT(move(mv1::LIFECYCLE_RESTORED), IsOk());
  EXPECT_THAT(move(mv1::LIFECYCLE_DECEASED), IsOk());
  EXPECT_THAT(move(mv1::LIFECYCLE_RESTORED), HasCode(grpc::FAILED_PRECONDITION));
}

TEST_F(MemberServiceTest, LostMembersReports) {
  mv1::Member long_lost, recently_lost, suspended;
  ASSERT_THAT(Create(secretary_, NewMember(branch_, Seq()), &long_lost), IsOk());
  ASSERT_THAT(Create(secretary_, NewMember(branch_, Seq()), &recently_lost), IsOk());
  ASSERT_THAT(Create(secretary_, NewMember(branch_, Seq()), &suspended), IsOk());
  auto lost = [&](const mv1::Member& m, int days_ago) {
    mv1::MarkLostRequest req;
    req.set_name(m.name());
    req.set_since(Today(-days_ago));
    mv1::Member out;
    return Call(secretary_, [&](grpc::ClientContext* c) { return stub_->MarkLost(c, req, &out); });
  };
  ASSERT_THAT(lost(long_lost, 200), IsOk());
  ASSERT_THAT(lost(recently_lost, 30), IsOk());
  ASSERT_THAT(lost(suspended, 1200), IsOk());
  mv1::ChangeLifecycleRequest suspend;
  suspend.set_name(suspended.name());
  suspend.set_lifecycle(mv1::LIFECYCLE_SUSPENDED);
  suspend.set_reason("失联超过六个月");
  suspend.set_effective_date(Today(-800));
  mv1::Member out;
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->ChangeLifecycle(c, suspend, &out); }),
              IsOk());

  auto report = [&](mv1::LostReport r) {
    mv1::ListLostMembersRequest req;
    req.set_parent(community_);
    req.set_report(r);
    mv1::ListMembersResponse resp;
    EXPECT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->ListLostMembers(c, req, &resp); }),
                IsOk());
    std::vector<std::string> names;
    for (const auto& m : resp.members()) names.push_back(m.name());
    return names;
  };
  EXPECT_THAT(report(mv1::LOST_REPORT_SUSPENSION_CANDIDATES), ElementsAre(long_lost.name()));
  EXPECT_THAT(report(mv1::LOST_REPORT_REMOVAL_CANDIDATES), ElementsAre(suspended.name()));

  mv1::MarkFoundRequest found;
  found.set_name(long_lost.name());
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->MarkFound(c, found, &out); }), IsOk());
  EXPECT_TRUE(report(mv1::LOST_REPORT_SUSPENSION_CANDIDATES).empty());
  // A future date is refused.
  EXPECT_THAT(lost(recently_lost, -3), HasCode(grpc::INVALID_ARGUMENT));
}

TEST_F(MemberServiceTest, OutsideTheSubtreeLearnsNothing) {
  mv1::Member created;
  ASSERT_THAT(Create(admin_, NewMember(other_branch_, Seq()), &created), IsOk());
  mv1::GetMemberRequest get;
  get.set_name(created.name());
  mv1::Member out;
  EXPECT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->GetMember(c, get, &out); }),
              HasCode(grpc::PERMISSION_DENIED));
  get.set_name("members/nosuchmember");
  EXPECT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->GetMember(c, get, &out); }),
              HasCode(grpc::PERMISSION_DENIED));
  EXPECT_THAT(Call(admin_, [&](grpc::ClientContext* c) { return stub_->GetMember(c, get, &out); }),
              HasCode(grpc::NOT_FOUND));
}

}  // namespace
}  // namespace lianxin::testing
