// DispatchLogic: what a WatchRequests subscriber hears of.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/names.h"
#include "common/status.h"
#include "common/timestamps.h"
#include "services/dispatch/dispatch_logic.h"

namespace lianxin::dispatch {

absl::StatusOr<Subscriber> DispatchLogic::Subscribe(const CallContext& c) {
  Subscriber s;
  const std::string member = MemberOf(c);
  if (member.empty()) {
    s.resident = c.principal.subject;
    return s;
  }
  ASSIGN_OR_RETURN(member::v1::Member m, dirs_.Member(c, member, "member"));
  s.member = kMembers.IdOf(member);
  for (const std::string* community : {&m.residence_community(), &m.registered_community()}) {
    if (!community->empty()) s.communities.push_back(kOrgUnits.IdOf(*community));
  }
  return s;
}

namespace {

WatchRead ToRead(const std::vector<store::TimelineRecord>& rows, int64_t upto, int limit) {
  WatchRead read;
  for (const auto& t : rows) {
    WatchItem item;
    v1::RequestChange& change = item.change;
    change.set_request(kRequests.Name(t.request_id));
    auto* e = change.mutable_entry();
    e->set_seq(t.seq);
    e->set_action(t.action);
    e->set_actor(t.actor);
    SetTimestampUs(t.at_us, e->mutable_time());
    e->set_from_state(static_cast<v1::RequestState>(t.from_state));
    e->set_to_state(static_cast<v1::RequestState>(t.to_state));
    if (!t.detail.empty()) e->set_detail(t.detail);
    item.resident = t.resident;
    item.member = t.member;
    item.community_id = t.community_id;
    item.joined = t.joined;
    item.offer = t.action == "offer";
    read.changes.push_back(std::move(item));
  }
  // A full page may stop short of `upto`: it covers up to its last row.
  read.covered = static_cast<int>(rows.size()) < limit ? upto : rows.back().seq;
  return read;
}

}  // namespace

bool Hears(const Subscriber& s, const WatchItem& item) {
  if (!s.resident.empty()) {
    return item.resident == s.resident ||
           std::find(item.joined.begin(), item.joined.end(), s.resident) != item.joined.end();
  }
  if (!s.member.empty() && item.member == s.member) return true;
  return item.offer && std::find(s.communities.begin(), s.communities.end(), item.community_id) != s.communities.end();
}

v1::RequestChange ChangeFor(const Subscriber& s, const WatchItem& item) {
  if (s.resident.empty() || item.resident == s.resident) return item.change;
  v1::RequestChange change = item.change;
  change.mutable_entry()->clear_detail();
  return change;
}

absl::StatusOr<WatchRead> DispatchLogic::ChangesSince(const Subscriber& s, int64_t after_seq, int limit) {
  ASSIGN_OR_RETURN(int64_t upto, settled_timeline_.Get(db_));
  if (upto <= after_seq) return WatchRead{{}, after_seq};
  std::vector<store::TimelineRecord> rows;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(rows, store::ChangesFor(db, s.resident, s.member, s.communities, after_seq, upto, limit));
    return absl::OkStatus();
  }));
  WatchRead read = ToRead(rows, upto, limit);
  for (WatchItem& item : read.changes) item.change = ChangeFor(s, item);
  return read;
}

absl::StatusOr<WatchRead> DispatchLogic::TimelineAfter(int64_t after_seq, int limit) {
  ASSIGN_OR_RETURN(int64_t upto, settled_timeline_.Get(db_));
  if (upto <= after_seq) return WatchRead{{}, std::max(after_seq, upto)};  // nothing new: no second query
  std::vector<store::TimelineRecord> rows;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(rows, store::TimelineAfter(db, after_seq, upto, limit));
    return absl::OkStatus();
  }));
  return ToRead(rows, upto, limit);
}

}  // namespace lianxin::dispatch
