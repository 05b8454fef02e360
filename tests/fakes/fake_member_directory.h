// The member service as the organization service's rules see it
// (services/org/member_directory.h), kept in memory: what it answers is set
// by the test, what it was asked is recorded. `away` makes every call
// UNAVAILABLE, as the gRPC implementation answers when the member service is
// down.
#ifndef LIANXIN_TESTS_FAKES_FAKE_MEMBER_DIRECTORY_H_
#define LIANXIN_TESTS_FAKES_FAKE_MEMBER_DIRECTORY_H_

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "common/names.h"
#include "common/status.h"
#include "services/org/member_directory.h"

namespace lianxin::testing {

class FakeMemberDirectory final : public org::MemberDirectory {
 public:
  // What it answers.
  void SetMembersOf(const std::string& unit_id, int n) {
    absl::MutexLock lock(&mu_);
    members_of_[unit_id] = n;
  }
  void SetResidents(const std::string& place_id, int n) {
    absl::MutexLock lock(&mu_);
    residents_[place_id] = n;
  }
  void AddMember(const std::string& name) {
    absl::MutexLock lock(&mu_);
    members_.insert(name);
  }
  void SetAway(bool away) {
    absl::MutexLock lock(&mu_);
    away_ = away;
  }
  // What it was asked to do: (from, to) of each MoveMembers.
  std::vector<std::pair<std::string, std::string>> moves() {
    absl::MutexLock lock(&mu_);
    return moves_;
  }

  absl::StatusOr<int> MembersOf(const CallContext&, const std::string& unit_id, const std::string&) override {
    absl::MutexLock lock(&mu_);
    if (away_) return Away();
    auto it = members_of_.find(unit_id);
    return it == members_of_.end() ? 0 : it->second;
  }
  absl::StatusOr<std::vector<int>> CountsOf(const CallContext&, const std::vector<std::string>& unit_ids,
                                            const std::string&) override {
    absl::MutexLock lock(&mu_);
    if (away_) return Away();
    std::vector<int> out;
    for (const auto& id : unit_ids) {
      auto it = members_of_.find(id);
      out.push_back(it == members_of_.end() ? 0 : it->second);
    }
    return out;
  }
  absl::StatusOr<int> ResidentsOf(const CallContext&, const std::vector<std::string>& place_ids,
                                  const std::string&) override {
    absl::MutexLock lock(&mu_);
    if (away_) return Away();
    int n = 0;
    for (const auto& id : place_ids) {
      if (auto it = residents_.find(id); it != residents_.end()) n += it->second;
    }
    return n;
  }
  absl::Status RequireMember(const CallContext&, const std::string& member, const std::string& field) override {
    absl::MutexLock lock(&mu_);
    if (away_) return Away();
    if (members_.count(member) == 0) return ResourceNotFound(kMembers.type(), member, field);
    return absl::OkStatus();
  }
  absl::StatusOr<int> MoveMembers(const CallContext&, const std::string& from_id, const std::string& to_id,
                                  const std::string&) override {
    absl::MutexLock lock(&mu_);
    if (away_) return Away();
    moves_.push_back({from_id, to_id});
    int moved = members_of_[from_id];
    members_of_[to_id] += moved;
    members_of_[from_id] = 0;
    return moved;
  }

 private:
  static absl::Status Away() {
    return WithReason(absl::UnavailableError("the member service is unavailable; try again"), "MEMBER_UNAVAILABLE");
  }

  absl::Mutex mu_;
  absl::flat_hash_map<std::string, int> members_of_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, int> residents_ ABSL_GUARDED_BY(mu_);
  std::set<std::string> members_ ABSL_GUARDED_BY(mu_);
  std::vector<std::pair<std::string, std::string>> moves_ ABSL_GUARDED_BY(mu_);
  bool away_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace lianxin::testing

#endif  // LIANXIN_TESTS_FAKES_FAKE_MEMBER_DIRECTORY_H_
