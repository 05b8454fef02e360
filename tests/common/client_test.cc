// CallService: what a call to another service becomes.
#include "common/client.h"

#include "common/call_context.h"
#include "common/status.h"
#include "gtest/gtest.h"

namespace lianxin {
namespace {

const CallTarget kTarget{"organization", "ORG_UNAVAILABLE", "orgUnits/x", "member.branch", "lianxin.org.v1.OrgUnit"};

TEST(CallService, OnAThreadThatMustNotBlockAsksNothingAndSaysWouldBlock) {
  CallContext call;
  int asked = 0;
  auto rpc = [&](grpc::ClientContext*) {
    ++asked;
    return grpc::Status::OK;
  };
  {
    NoBlockingScope here;
    EXPECT_TRUE(IsWouldBlock(CallService(call, "token", kTarget, rpc)));
  }
  EXPECT_EQ(asked, 0);
  EXPECT_TRUE(CallService(call, "token", kTarget, rpc).ok());
  EXPECT_EQ(asked, 1);
}

TEST(CallService, MapsThePeersAnswerToTheFieldThatNamedIt) {
  CallContext call;
  auto answer = [](grpc::StatusCode code) {
    return [code](grpc::ClientContext*) { return grpc::Status(code, "peer says no"); };
  };
  absl::Status s = CallService(call, "", kTarget, answer(grpc::StatusCode::NOT_FOUND));
  EXPECT_TRUE(absl::IsNotFound(s));
  EXPECT_EQ(FieldOf(s), "member.branch");
  s = CallService(call, "", kTarget, answer(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_EQ(ReasonOf(s), "OUTSIDE_SUBTREE");
  s = CallService(call, "", kTarget, answer(grpc::StatusCode::UNAVAILABLE));
  EXPECT_TRUE(absl::IsUnavailable(s));
  EXPECT_EQ(ReasonOf(s), "ORG_UNAVAILABLE");
  s = CallService(call, "", kTarget, answer(grpc::StatusCode::RESOURCE_EXHAUSTED));
  EXPECT_TRUE(absl::IsResourceExhausted(s));
}

}  // namespace
}  // namespace lianxin
