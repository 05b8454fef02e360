#include "common/status.h"

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "lianxin/rpc/v1/error.pb.h"

namespace lianxin {
namespace {

TEST(ToGrpcStatus, CarriesBadRequestAndErrorInfo) {
  absl::Status s = InvalidFields({{"a", "bad"}, {"b", "worse"}});
  grpc::Status g = ToGrpcStatus(s, "org.lianxin");
  EXPECT_EQ(g.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::Status rpc;
  ASSERT_TRUE(rpc.ParseFromString(g.error_details()));
  bool saw_bad = false, saw_info = false;
  for (const auto& any : rpc.details()) {
    google::rpc::BadRequest bad;
    lianxin::rpc::v1::ErrorInfo info;
    if (any.UnpackTo(&bad)) {
      saw_bad = true;
      ASSERT_EQ(bad.field_violations_size(), 2);
      EXPECT_EQ(bad.field_violations(1).field(), "b");
    } else if (any.UnpackTo(&info)) {
      saw_info = true;
      EXPECT_EQ(info.reason(), "INVALID_FIELD");
      EXPECT_EQ(info.domain(), "org.lianxin");
    }
  }
  EXPECT_TRUE(saw_bad);
  EXPECT_TRUE(saw_info);
}

TEST(ToGrpcStatus, NotFoundHasResourceInfoAndDefaultReason) {
  grpc::Status g = ToGrpcStatus(ResourceNotFound("lianxin.org.v1.OrgUnit", "orgUnits/x", "parent"), "org.lianxin");
  EXPECT_EQ(g.error_code(), grpc::StatusCode::NOT_FOUND);
  absl::Status back = FromGrpcStatus(g);
  EXPECT_EQ(ReasonOf(back), "NOT_FOUND");
  EXPECT_EQ(ViolationsOf(back)[0].field, "parent");

  grpc::Status plain = ToGrpcStatus(absl::UnavailableError("down"), "org.lianxin");
  EXPECT_EQ(ReasonOf(FromGrpcStatus(plain)), "UNAVAILABLE");
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus(), "x").ok());
}

}  // namespace
}  // namespace lianxin
