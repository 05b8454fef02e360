// VolunteerLogic: crediting the requests members served, read from the
// dispatch service's outbox.
#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "services/activity/credits.h"
#include "services/activity/volunteer_logic.h"

namespace lianxin::activity {
namespace {

constexpr char kDispatch[] = "dispatch";
constexpr int kPage = 500;
constexpr int kPagesPerRun = 20;

}  // namespace

absl::Status VolunteerLogic::CreditClosedRequests() {
  if (events_ == nullptr) return absl::OkStatus();
  for (int page = 0; page < kPagesPerRun; ++page) {
    int64_t after = 0;
    RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
      ASSIGN_OR_RETURN(after, store::GetCursor(db, kDispatch, false));
      return absl::OkStatus();
    }));
    // Asked outside the transaction: no transaction waits on the network.
    ASSIGN_OR_RETURN(EventPage events, events_->After(after, kPage));
    if (events.read == 0) return absl::OkStatus();
    bool moved = false;
    RETURN_IF_ERROR(db_.Transact([&](Db& db) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t cursor, store::GetCursor(db, kDispatch, true));
      if (cursor != after) return absl::OkStatus();  // another replica wrote this page; read again
      std::vector<Credit> credits;
      for (const ClosedRequest& r : events.closed) {
        // The key is the event's: a page read again after a crash between
        // the read and the write is credited once.
        for (int ledger : {kHours, kPoints}) {
          Credit cr;
          cr.district_id = r.district_id;
          cr.member_id = r.member_id;
          cr.ledger = ledger;
          cr.minutes = r.minutes;
          cr.source = r.request;
          cr.point_source = ledger == kPoints ? v1::POINT_SOURCE_REQUEST_CLOSED : 0;
          cr.source_key = absl::StrCat("event:", r.event_id, ":", ledger);
          cr.at = r.resolved;
          cr.memo = "served a resident's request";
          ASSIGN_OR_RETURN(bool seen, store::HasSourceKey(db, cr.source_key));
          if (!seen) credits.push_back(std::move(cr));
        }
      }
      RETURN_IF_ERROR(WriteCredits(db, credits, "service:activity", NowUs()).status());
      RETURN_IF_ERROR(store::SetCursor(db, kDispatch, events.last_seq, NowUs()));
      moved = true;
      return absl::OkStatus();
    }));
    if (!moved || events.read < kPage) return absl::OkStatus();
  }
  return absl::OkStatus();
}

}  // namespace lianxin::activity
