// The demo district, drawn from the seed articles, loaded through the public
// APIs with fixed request ids: loading twice creates nothing new.
#ifndef LIANXIN_DEPLOY_DEMO_DEMO_H_
#define LIANXIN_DEPLOY_DEMO_DEMO_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "lianxin/org/v1/org_service.grpc.pb.h"

namespace lianxin::demo {

struct OrgSummary {
  int units = 0, places = 0, positions = 0, partners = 0;
  std::string district;
};

absl::StatusOr<OrgSummary> LoadOrgTree(lianxin::org::v1::OrgService::Stub& org, const std::string& token);

}  // namespace lianxin::demo

#endif  // LIANXIN_DEPLOY_DEMO_DEMO_H_
