// DispatchLogic: what a WatchRequests subscriber hears of.
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

absl::StatusOr<std::vector<v1::RequestChange>> DispatchLogic::ChangesSince(const Subscriber& s, int64_t after_seq,
                                                                           int limit) {
  ASSIGN_OR_RETURN(int64_t upto, settled_timeline_.Get(db_));
  std::vector<store::TimelineRecord> rows;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(rows, store::ChangesFor(db, s.resident, s.member, s.communities, after_seq, upto, limit));
    return absl::OkStatus();
  }));
  std::vector<v1::RequestChange> out;
  for (const auto& t : rows) {
    v1::RequestChange change;
    change.set_request(kRequests.Name(t.request_id));
    auto* e = change.mutable_entry();
    e->set_seq(t.seq);
    e->set_action(t.action);
    e->set_actor(t.actor);
    SetTimestampUs(t.at_us, e->mutable_time());
    e->set_from_state(static_cast<v1::RequestState>(t.from_state));
    e->set_to_state(static_cast<v1::RequestState>(t.to_state));
    if (!t.detail.empty()) e->set_detail(t.detail);
    out.push_back(std::move(change));
  }
  return out;
}

}  // namespace lianxin::dispatch
