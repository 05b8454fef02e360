// The member service when the organization service goes away.
#include "tests/member/member_test_base.h"

namespace lianxin::testing {
namespace {

TEST_F(MemberServiceTest, OrgServiceDownMeansUnavailableAndNothingWritten) {
  mv1::Member m = NewMember(branch_, 900);
  ASSERT_EQ(org_->Stop(), 0);
  std::string before = Snapshot();
  mv1::Member out;
  absl::Time start = absl::Now();
  grpc::Status s = Create(secretary_, m, &out, "while-org-down");
  EXPECT_THAT(s, HasCode(grpc::UNAVAILABLE));
  EXPECT_EQ(ErrorReason(s), "ORG_UNAVAILABLE");
  EXPECT_LT(absl::Now() - start, absl::Seconds(8));  // retried, then gave up in time
  EXPECT_EQ(Snapshot(), before);
  mv1::ListMembersRequest list;
  list.set_parent(community_);
  mv1::ListMembersResponse resp;
  EXPECT_THAT(Call(secretary_, [&](grpc::ClientContext* c) { return stub_->ListMembers(c, list, &resp); }),
              HasCode(grpc::UNAVAILABLE));
  // Back again: the same request succeeds, once.
  ASSERT_TRUE(org_->Start().ok()) << org_->Log();
  org_stub_ = ov1::OrgService::NewStub(org_->Channel());
  // The member service still points at the old port; restart it on the new one.
  member_->Stop();
  delete member_;
  member_ = new ServiceProcess(
      "member",
      {*suffix_ + "_member",
       "",
       {absl::StrCat("--org_target=", org_->target()), "--keys_file=" + *keys_file_, IndexKeyFlag()}},
      *key_);
  ASSERT_TRUE(member_->Start().ok()) << member_->Log();
  stub_ = mv1::MemberService::NewStub(member_->Channel());
  EXPECT_THAT(Create(secretary_, m, &out, "while-org-down"), IsOk());
}

}  // namespace
}  // namespace lianxin::testing
