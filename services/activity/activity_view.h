// The checks of an activity's fields and their copy onto its record, shared
// by creating and updating (activity_view.cc).
#ifndef LIANXIN_SERVICES_ACTIVITY_ACTIVITY_VIEW_H_
#define LIANXIN_SERVICES_ACTIVITY_ACTIVITY_VIEW_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "common/validate.h"
#include "lianxin/activity/v1/activity.pb.h"
#include "services/activity/activity_store.h"

namespace lianxin::activity {

// Checks the fields `paths` name (every field of a new activity when empty).
void CheckActivity(const v1::Activity& a, const std::vector<std::string>& paths, absl::Time now, Validator& v);
void CheckGeoPoint(const v1::GeoPoint& p, const std::string& field, Validator& v);
// Millionths of a degree.
std::pair<int, int> E6(const v1::GeoPoint& p);
// Copies the updatable fields onto the record.
void FromProto(const v1::Activity& a, store::ActivityRecord& r);

}  // namespace lianxin::activity

#endif  // LIANXIN_SERVICES_ACTIVITY_ACTIVITY_VIEW_H_
