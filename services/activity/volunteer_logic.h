// The activity service's ledgers of service hours and points: one method per
// RPC of VolunteerService (ledger.cc), and the background task crediting
// requests members served (credit_requests.cc). No gRPC, no SQL: the org and
// member services through Directories, the dispatch service's outbox through
// EventSource, the database through activity_store.h, the crediting in
// credits.h.
//
// Who may do what: a member reads their own balances and entries; operators
// and secretaries those of members of their subtree, and correct an entry
// with a reversing one; a district's operators set its point rules.
#ifndef LIANXIN_SERVICES_ACTIVITY_VOLUNTEER_LOGIC_H_
#define LIANXIN_SERVICES_ACTIVITY_VOLUNTEER_LOGIC_H_

#include <string>

#include "absl/status/statusor.h"
#include "common/call_context.h"
#include "common/clock.h"
#include "common/db.h"
#include "common/page_token.h"
#include "lianxin/activity/v1/volunteer_service.pb.h"
#include "services/activity/activity_store.h"
#include "services/activity/directories.h"
#include "services/activity/event_source.h"

namespace lianxin::activity {

class VolunteerLogic {
 public:
  // `events` may be null: no credits from the dispatch service.
  VolunteerLogic(DbPool& db, const PageTokens& tokens, Directories& dirs, EventSource* events,
                 const Clock& clock = SystemClock::Get())
      : db_(db), tokens_(tokens), dirs_(dirs), events_(events), clock_(clock) {}

  // ledger.cc
  absl::Status GetBalances(const CallContext& c, const v1::GetBalancesRequest& req, v1::Balances* out);
  absl::Status ListLedgerEntries(const CallContext& c, const v1::ListLedgerEntriesRequest& req,
                                 v1::ListLedgerEntriesResponse* out);
  absl::Status ReverseLedgerEntry(const CallContext& c, const v1::ReverseLedgerEntryRequest& req, v1::LedgerEntry* out);
  absl::Status GetPointRules(const CallContext& c, const v1::GetPointRulesRequest& req, v1::PointRules* out);
  absl::Status UpdatePointRules(const CallContext& c, const v1::UpdatePointRulesRequest& req, v1::PointRules* out);

  // credit_requests.cc: credits the requests closed since the cursor, a page
  // at a time, each page's credits and the cursor in one transaction (under
  // the cursor's lock: replicas take turns, and a restart goes on from the
  // last page written). Exactly once per event.
  absl::Status CreditClosedRequests();

 private:
  // OK if the caller may see the member's ledgers: themselves, or staff over
  // the member's branch.
  absl::Status RequireReader(const CallContext& c, const std::string& member_name, const std::string& field);
  // The district unit of a "orgUnits/{district}/pointRules" name, for its
  // operators (`write`) or staff.
  absl::StatusOr<Unit> DistrictOf(const CallContext& c, const std::string& name, const std::string& field, bool write);
  int64_t NowUs() const { return absl::ToUnixMicros(clock_.Now()); }

  DbPool& db_;
  const PageTokens& tokens_;
  Directories& dirs_;
  EventSource* events_;
  const Clock& clock_;
};

v1::LedgerEntry EntryProto(const store::EntryRecord& e);

}  // namespace lianxin::activity

#endif  // LIANXIN_SERVICES_ACTIVITY_VOLUNTEER_LOGIC_H_
