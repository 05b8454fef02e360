// The organization and member services as the dispatch service's rules see
// them (services/dispatch/directories.h), kept in memory: places' coverage,
// units' paths, members. A caller reaches a unit when the unit's path holds
// the unit its token names; InScopeKnown says so only once RequireInScope
// was asked (as the gRPC implementation keeps only what it was told), and
// Forget() drops that, as a restart would. `away` makes every call
// UNAVAILABLE.
#ifndef LIANXIN_TESTS_FAKES_FAKE_DIRECTORIES_H_
#define LIANXIN_TESTS_FAKES_FAKE_DIRECTORIES_H_

#include <set>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/names.h"
#include "common/status.h"
#include "services/dispatch/directories.h"

namespace lianxin::testing {

class FakeDirectories final : public dispatch::Directories {
 public:
  // A unit at `path` ("/district/.../unit/").
  void AddUnit(const std::string& id, const std::string& path) {
    absl::MutexLock lock(&mu_);
    paths_[id] = path;
  }
  void SetCoverage(const org::Coverage& coverage) {
    absl::MutexLock lock(&mu_);
    coverage_[coverage.place_id] = coverage;
  }
  // A member on file; in the pool of `community_id` when given.
  void AddMember(const member::v1::Member& m, const std::string& community_id = "") {
    absl::MutexLock lock(&mu_);
    members_[m.name()] = m;
    if (!community_id.empty()) pools_[community_id].push_back(m);
  }
  void SetAway(bool away) {
    absl::MutexLock lock(&mu_);
    away_ = away;
  }
  void Forget() {
    absl::MutexLock lock(&mu_);
    known_.clear();
  }
  // How often a caller's reach was asked (not read from what is kept).
  int reach_asked() {
    absl::MutexLock lock(&mu_);
    return reach_asked_;
  }

  absl::StatusOr<org::Coverage> CoverageOf(const CallContext&, const std::string& place_id,
                                           const std::string& field) override {
    absl::MutexLock lock(&mu_);
    if (away_) return Away("ORG_UNAVAILABLE");
    auto it = coverage_.find(place_id);
    if (it == coverage_.end()) return NotFoundIn(kPlaces, place_id, field);
    return it->second;
  }
  absl::StatusOr<std::string> PathOf(const CallContext&, const std::string& unit_id,
                                     const std::string& field) override {
    absl::MutexLock lock(&mu_);
    if (away_) return Away("ORG_UNAVAILABLE");
    auto it = paths_.find(unit_id);
    if (it == paths_.end()) return NotFoundIn(kOrgUnits, unit_id, field);
    return it->second;
  }
  absl::Status RequireInScope(const CallContext& c, const std::string& unit_id, const std::string& field) override {
    absl::MutexLock lock(&mu_);
    if (away_) return Away("ORG_UNAVAILABLE");
    const std::string key = absl::StrCat(c.principal.org_scope, "|", unit_id);
    if (known_.count(key) > 0) return absl::OkStatus();  // kept: not asked again
    ++reach_asked_;
    if (Reaches(c, unit_id)) {
      known_.insert(key);
      return absl::OkStatus();
    }
    return OutsideSubtree(kOrgUnits.Name(unit_id), field);
  }
  bool InScopeKnown(const CallContext& c, const std::string& unit_id) override {
    absl::MutexLock lock(&mu_);
    return c.principal.IsPlatformWide() || known_.count(absl::StrCat(c.principal.org_scope, "|", unit_id)) > 0;
  }
  absl::StatusOr<member::v1::Member> Member(const CallContext&, const std::string& name,
                                            const std::string& field) override {
    absl::MutexLock lock(&mu_);
    if (away_) return Away("MEMBER_UNAVAILABLE");
    auto it = members_.find(name);
    if (it == members_.end()) return ResourceNotFound(kMembers.type(), name, field);
    return it->second;
  }
  absl::StatusOr<std::vector<member::v1::Member>> Pool(const CallContext&, const std::string& community_id,
                                                       const std::string&, const std::vector<std::string>&) override {
    absl::MutexLock lock(&mu_);
    if (away_) return Away("MEMBER_UNAVAILABLE");
    return pools_[community_id];
  }
  absl::StatusOr<std::vector<member::v1::Member>> RegisteredWith(const CallContext&,
                                                                 const std::string& community_id) override {
    absl::MutexLock lock(&mu_);
    if (away_) return Away("MEMBER_UNAVAILABLE");
    std::vector<member::v1::Member> out;
    for (const auto& [name, m] : members_) {
      if (m.registered_community() == kOrgUnits.Name(community_id)) out.push_back(m);
    }
    return out;
  }

 private:
  static absl::Status Away(const char* reason) {
    return WithReason(absl::UnavailableError("a service the dispatch service asks is unavailable"), reason);
  }
  bool Reaches(const CallContext& c, const std::string& unit_id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (c.principal.IsPlatformWide()) return true;
    auto it = paths_.find(unit_id);
    return it != paths_.end() && absl::StrContains(it->second, absl::StrCat("/", c.principal.org_scope, "/"));
  }

  absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::string> paths_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, org::Coverage> coverage_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, member::v1::Member> members_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, std::vector<member::v1::Member>> pools_ ABSL_GUARDED_BY(mu_);
  bool away_ ABSL_GUARDED_BY(mu_) = false;
  std::set<std::string> known_ ABSL_GUARDED_BY(mu_);
  int reach_asked_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace lianxin::testing

#endif  // LIANXIN_TESTS_FAKES_FAKE_DIRECTORIES_H_
