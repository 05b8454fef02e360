// The organization service as the member service's rules see it
// (services/member/org_directory.h): a small tree of units and places kept in
// memory, answering as the org service would — a caller reaches the units
// under the one its token names, an approval path goes up to the common
// ancestor and down again. `away` makes every call UNAVAILABLE.
#ifndef LIANXIN_TESTS_FAKES_FAKE_ORG_DIRECTORY_H_
#define LIANXIN_TESTS_FAKES_FAKE_ORG_DIRECTORY_H_

#include <algorithm>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "common/names.h"
#include "common/status.h"
#include "services/member/org_directory.h"

namespace lianxin::testing {

class FakeOrgDirectory final : public member::OrgDirectory {
 public:
  // A unit under `parent_id` ("" for a district).
  void AddUnit(const std::string& id, const std::string& parent_id, org::v1::OrgUnitType type, bool active = true) {
    absl::MutexLock lock(&mu_);
    std::string district = parent_id.empty() ? id : units_.at(parent_id).info.district_id;
    units_[id] = {{id, district, type, active, parent_id, ""}, parent_id};
  }
  void AddPlace(const std::string& id, const std::string& community_id, org::v1::PlaceKind kind,
                const std::string& parent_id = "") {
    absl::MutexLock lock(&mu_);
    places_[id] = {id, community_id, parent_id, kind};
  }
  void SetAway(bool away) {
    absl::MutexLock lock(&mu_);
    away_ = away;
  }

  absl::StatusOr<member::UnitInfo> UnitForCaller(const CallContext& c, const std::string& id,
                                                 const std::string& field) override {
    absl::MutexLock lock(&mu_);
    if (away_) return Away();
    auto it = units_.find(id);
    if (!Reaches(c, id) || it == units_.end()) {
      return MissingIn(c.principal.IsPlatformWide(), kOrgUnits, id, field);
    }
    return it->second.info;
  }
  absl::StatusOr<member::UnitInfo> Unit(const CallContext&, const std::string& id, const std::string& field) override {
    absl::MutexLock lock(&mu_);
    if (away_) return Away();
    auto it = units_.find(id);
    if (it == units_.end()) return NotFoundIn(kOrgUnits, id, field);
    return it->second.info;
  }
  absl::StatusOr<member::PlaceInfo> Place(const CallContext&, const std::string& id,
                                          const std::string& field) override {
    absl::MutexLock lock(&mu_);
    if (away_) return Away();
    auto it = places_.find(id);
    if (it == places_.end()) return NotFoundIn(kPlaces, id, field);
    return it->second;
  }
  absl::StatusOr<std::vector<std::string>> MemberUnitsIn(const CallContext& c, const std::string& root_id,
                                                         const std::string& field) override {
    absl::MutexLock lock(&mu_);
    if (away_) return Away();
    if (!Reaches(c, root_id)) return OutsideSubtree(kOrgUnits.Name(root_id), field);
    std::vector<std::string> ids;
    for (const auto& [id, unit] : units_) {
      const auto t = unit.info.type;
      bool holds = t == org::v1::ORG_UNIT_TYPE_BRANCH || t == org::v1::ORG_UNIT_TYPE_GENERAL_BRANCH ||
                   t == org::v1::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE;
      if (holds && Under(id, root_id)) ids.push_back(id);
    }
    std::sort(ids.begin(), ids.end());
    return ids;
  }
  absl::StatusOr<std::vector<std::string>> ApprovalPath(const CallContext&, const std::string& from_id,
                                                        const std::string& to_id, const std::string&) override {
    absl::MutexLock lock(&mu_);
    if (away_) return Away();
    std::vector<std::string> up = Chain(from_id), down = Chain(to_id);  // each from the district down
    size_t common = 0;
    while (common < up.size() && common < down.size() && up[common] == down[common]) ++common;
    std::vector<std::string> path;
    for (size_t i = up.size(); i-- > common - 1;) path.push_back(up[i]);
    for (size_t i = common; i < down.size(); ++i) path.push_back(down[i]);
    return path;
  }
  absl::Status EndPositions(const CallContext&, const std::string& member, const std::string&, const std::string&,
                            const std::string&) override {
    absl::MutexLock lock(&mu_);
    if (away_) return Away();
    ended_.push_back(member);
    return absl::OkStatus();
  }
  // The members whose posts EndPositions was asked to end.
  std::vector<std::string> ended() {
    absl::MutexLock lock(&mu_);
    return ended_;
  }

 private:
  struct Node {
    member::UnitInfo info;
    std::string parent_id;
  };
  static absl::Status Away() {
    return WithReason(absl::UnavailableError("the organization service is unavailable; try again"), "ORG_UNAVAILABLE");
  }
  // The unit's ancestors and itself, the district first.
  std::vector<std::string> Chain(const std::string& id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    std::vector<std::string> chain;
    for (std::string at = id; !at.empty(); at = units_.at(at).parent_id) chain.insert(chain.begin(), at);
    return chain;
  }
  bool Under(const std::string& id, const std::string& root_id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (units_.count(id) == 0) return false;
    std::vector<std::string> chain = Chain(id);
    return std::find(chain.begin(), chain.end(), root_id) != chain.end();
  }
  bool Reaches(const CallContext& c, const std::string& id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return c.principal.IsPlatformWide() || Under(id, c.principal.org_scope);
  }

  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Node> units_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, member::PlaceInfo> places_ ABSL_GUARDED_BY(mu_);
  bool away_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::string> ended_ ABSL_GUARDED_BY(mu_);
};

}  // namespace lianxin::testing

#endif  // LIANXIN_TESTS_FAKES_FAKE_ORG_DIRECTORY_H_
