// The access table, black-box over gRPC: who may call the member service's
// methods, a member's own file and the names of their branch, the peers that
// may count and move members; and that a refusal wrote and disclosed nothing.
#include "tests/member/member_test_base.h"

namespace lianxin::testing {
namespace {

int Seq() {
  static std::atomic<int> n{900};
  return n++;
}

class AccessTest : public MemberServiceTest {
 protected:
  grpc::Status Get(const std::string& token, const std::string& name, mv1::Member* out) {
    mv1::GetMemberRequest req;
    req.set_name(name);
    return Call(token, [&](grpc::ClientContext* c) { return stub_->GetMember(c, req, out); });
  }
  grpc::Status List(const std::string& token, const std::string& parent, mv1::ListMembersResponse* out) {
    mv1::ListMembersRequest req;
    req.set_parent(parent);
    return Call(token, [&](grpc::ClientContext* c) { return stub_->ListMembers(c, req, out); });
  }
};

TEST_F(AccessTest, AMemberReadsTheirOwnFileAndTheNamesOfTheirBranch) {
  mv1::Member me, fellow, elsewhere;
  ASSERT_THAT(Create(secretary_, NewMember(branch_, Seq()), &me), IsOk());
  ASSERT_THAT(Create(secretary_, NewMember(branch_, Seq()), &fellow), IsOk());
  ASSERT_THAT(Create(admin_, NewMember(other_branch_, Seq()), &elsewhere), IsOk());
  std::string before = Snapshot();
  std::string token = key_->Token(me.name(), {"member"}, community_);

  mv1::Member out;
  ASSERT_THAT(Get(token, me.name(), &out), IsOk());
  EXPECT_EQ(out.display_name(), me.display_name());
  // Another member's file, in the same branch or not, and one that does not
  // exist: the same refusal, so nothing is learnt.
  for (const std::string& other : {fellow.name(), elsewhere.name(), std::string("members/nosuchmember")}) {
    grpc::Status s = Get(token, other, &out);
    EXPECT_THAT(s, HasCode(grpc::PERMISSION_DENIED)) << other;
    EXPECT_EQ(ErrorReason(s), "OWN_RECORD_ONLY");
  }

  mv1::ListMembersResponse list;
  ASSERT_THAT(List(token, branch_, &list), IsOk());
  ASSERT_EQ(list.members_size(), 2);
  for (const auto& m : list.members()) {
    EXPECT_FALSE(m.display_name().empty());
    // Names only: no ID, phone, birth date or address of a fellow member.
    EXPECT_FALSE(m.has_national_id() || m.has_phone() || m.has_birth_date() || m.has_address() || m.has_branch())
        << m.DebugString();
  }
  EXPECT_THAT(List(token, other_branch_, &list), HasCode(grpc::PERMISSION_DENIED));
  EXPECT_THAT(List(token, community_, &list), HasCode(grpc::PERMISSION_DENIED));
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(AccessTest, ResidentsAndOutsideSystemsSeeNoMemberFiles) {
  mv1::Member in = NewMember(branch_, Seq()), m;
  ASSERT_THAT(Create(secretary_, in, &m), IsOk());
  std::string before = Snapshot();
  mv1::Member out;
  mv1::ListMembersResponse list;
  for (const std::string& token :
       {key_->Token("residents/r1", {"resident"}, community_), key_->Token("gov-system", {"system"}, "*"),
        key_->Token("nobody", {"visitor"}, "*")}) {
    EXPECT_THAT(Get(token, m.name(), &out), HasCode(grpc::PERMISSION_DENIED));
    EXPECT_THAT(List(token, branch_, &list), HasCode(grpc::PERMISSION_DENIED));
    EXPECT_THAT(Create(token, NewMember(branch_, Seq()), &out), HasCode(grpc::PERMISSION_DENIED));
  }
  // An auditor reads files masked, never in clear.
  std::string auditor = key_->Token("aud-1", {"auditor"}, "*");
  ASSERT_THAT(Get(auditor, m.name(), &out), IsOk());
  EXPECT_NE(out.national_id(), in.national_id());
  EXPECT_NE(out.phone(), in.phone());
  mv1::GetMemberRequest reveal;
  reveal.set_name(m.name());
  reveal.set_reveal(true);
  EXPECT_THAT(Call(auditor, [&](grpc::ClientContext* c) { return stub_->GetMember(c, reveal, &out); }),
              HasCode(grpc::PERMISSION_DENIED));
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(AccessTest, OnlyTheOrgServiceMovesAndCountsMembers) {
  mv1::Member m;
  ASSERT_THAT(Create(secretary_, NewMember(branch_, Seq()), &m), IsOk());
  std::string before = Snapshot();
  mv1::MoveMembersRequest move;
  move.set_from_unit(branch_);
  move.set_to_unit(other_branch_);
  mv1::MoveMembersResponse moved;
  mv1::CountMembersRequest count;
  count.set_org_unit(branch_);
  mv1::CountMembersResponse counted;
  // The dispatch service is a peer of the member service, but not for these;
  // an operator, however wide, is not the org service.
  for (const std::string& token : {key_->ServiceToken("dispatch"), admin_}) {
    EXPECT_THAT(Call(token, [&](grpc::ClientContext* c) { return stub_->MoveMembers(c, move, &moved); }),
                HasCode(grpc::PERMISSION_DENIED));
    EXPECT_THAT(Call(token, [&](grpc::ClientContext* c) { return stub_->CountMembers(c, count, &counted); }),
                HasCode(grpc::PERMISSION_DENIED));
  }
  // The activity service is a peer for rosters and records only.
  EXPECT_THAT(Call(key_->ServiceToken("activity"),
                   [&](grpc::ClientContext* c) { return stub_->CountMembers(c, count, &counted); }),
              HasCode(grpc::PERMISSION_DENIED));
  EXPECT_EQ(Snapshot(), before);
  ASSERT_THAT(
      Call(key_->ServiceToken("org"), [&](grpc::ClientContext* c) { return stub_->CountMembers(c, count, &counted); }),
      IsOk());
  EXPECT_EQ(counted.members(), 1);
}

TEST_F(AccessTest, MaskedAnswersShowTheBirthYearAtMost) {
  const int seq = Seq();
  mv1::Member in = NewMember(branch_, seq), created, out;
  ASSERT_THAT(Create(secretary_, in, &created), IsOk());
  ExpectNoBirthDate(created, in.national_id());
  EXPECT_EQ(created.birth_date(), "1960");
  ASSERT_THAT(Get(secretary_, created.name(), &out), IsOk());
  ExpectNoBirthDate(out, in.national_id());
  mv1::ListMembersResponse list;
  ASSERT_THAT(List(secretary_, branch_, &list), IsOk());
  ExpectNoBirthDate(list, in.national_id());
  // History, after the date and the ID changed together.
  mv1::UpdateMemberRequest update;
  *update.mutable_member() = in;
  update.mutable_member()->set_name(created.name());
  update.mutable_member()->set_birth_date("1961-06-02");
  update.mutable_member()->set_national_id(NationalId("19610602", seq));
  update.mutable_update_mask()->add_paths("birth_date");
  update.mutable_update_mask()->add_paths("national_id");
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->UpdateMember(c, update, &out); }), IsOk());
  ExpectNoBirthDate(out, update.member().national_id());
  mv1::ListMemberEventsRequest events;
  events.set_member(created.name());
  mv1::ListMemberEventsResponse history;
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->ListMemberEvents(c, events, &history); }),
              IsOk());
  ASSERT_GE(history.events_size(), 2);
  ExpectNoBirthDate(history, in.national_id());
  ExpectNoBirthDate(history, update.member().national_id());
  // Revealed on purpose, the date is whole (and the read recorded).
  mv1::GetMemberRequest reveal;
  reveal.set_name(created.name());
  reveal.set_reveal(true);
  ASSERT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->GetMember(c, reveal, &out); }), IsOk());
  EXPECT_EQ(out.birth_date(), "1961-06-02");
}

TEST_F(AccessTest, AReplayedCreateChecksScopeAsTheFirstCallDid) {
  mv1::Member first, again;
  ASSERT_THAT(Create(secretary_, NewMember(branch_, Seq()), &first, "replay-1"), IsOk());
  // The same subject, now acting in another community, replays the request
  // id with a body it may send there: the member created first lies outside.
  std::string moved = key_->Token("sec-1", {"secretary"}, other_community_);
  std::string before = Snapshot();
  grpc::Status s = Create(moved, NewMember(other_branch_, Seq()), &again, "replay-1");
  EXPECT_THAT(s, HasCode(grpc::PERMISSION_DENIED));
  EXPECT_EQ(ErrorReason(s), "OUTSIDE_SUBTREE");
  EXPECT_FALSE(again.has_name());
  EXPECT_EQ(Snapshot(), before);
  // Request ids are compared byte for byte: another case is another request.
  ASSERT_THAT(Create(secretary_, NewMember(branch_, Seq()), &again, "REPLAY-1"), IsOk());
  EXPECT_NE(again.name(), first.name());
}

TEST_F(AccessTest, MatchesOutsideTheSubtreeAreRecordedAndRationed) {
  // Members on file in the other community, whose ID numbers a secretary of
  // this one tries.
  std::vector<mv1::Member> elsewhere;
  for (int i = 0; i < 5; ++i) {
    mv1::Member in = NewMember(other_branch_, Seq()), out;
    ASSERT_THAT(Create(admin_, in, &out), IsOk());
    elsewhere.push_back(in);
  }
  std::string prober = key_->Token("sec-prober", {"secretary"}, community_);
  auto disclosures = [&] {
    return probe_->Count("member_disclosures", "reader = 'sec-prober' AND field = 'identity_match'");
  };
  mv1::Member out;
  for (int i = 0; i < 3; ++i) {
    mv1::Member again = elsewhere[i];
    again.set_branch(branch_);
    grpc::Status s = Create(prober, again, &out);
    EXPECT_THAT(s, HasCode(grpc::ALREADY_EXISTS));
    EXPECT_EQ(ErrorReason(s), "DUPLICATE_IDENTITY");
    // The answer names no unit outside the caller's subtree.
    EXPECT_EQ(s.error_message().find(other_branch_.substr(9)), std::string::npos) << s.error_message();
    EXPECT_EQ(s.error_message().find(other_community_.substr(9)), std::string::npos) << s.error_message();
    EXPECT_EQ(disclosures(), i + 1);
  }
  // The day's allowance is used: no more identity-bearing creates today,
  // matching or not, so the refusal tells nothing.
  std::string before = Snapshot();
  for (const mv1::Member& m : {elsewhere[3], NewMember(branch_, Seq())}) {
    mv1::Member again = m;
    again.set_branch(branch_);
    grpc::Status s = Create(prober, again, &out);
    EXPECT_THAT(s, HasCode(grpc::RESOURCE_EXHAUSTED));
    EXPECT_EQ(ErrorReason(s), "IDENTITY_MATCHES_EXHAUSTED");
  }
  EXPECT_EQ(Snapshot(), before);
  // Finding by identity outside answers as for nobody.
  mv1::FindMemberRequest find;
  find.set_national_id(elsewhere[4].national_id());
  grpc::Status found = Call(secretary_, [&](grpc::ClientContext* c) { return stub_->FindMember(c, find, &out); });
  EXPECT_THAT(found, HasCode(grpc::PERMISSION_DENIED));
  EXPECT_EQ(found.error_message(), "national_id: no member in the caller's subtree");
  // Auditors list the matches.
  mv1::ListDisclosuresRequest list;
  list.set_page_size(500);
  mv1::ListDisclosuresResponse listed;
  ASSERT_THAT(Call(key_->Token("aud-1", {"auditor"}, "*"),
                   [&](grpc::ClientContext* c) { return stub_->ListDisclosures(c, list, &listed); }),
              IsOk());
  int matches = 0;
  for (const auto& d : listed.disclosures()) matches += d.field() == "identity_match" && d.reader() == "sec-prober";
  EXPECT_EQ(matches, 3);
}

}  // namespace
}  // namespace lianxin::testing
