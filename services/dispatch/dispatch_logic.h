// The dispatch service's rules (docs/domain.md "Requests"): one method per
// RPC, named as the RPC. No gRPC, no SQL: other services through Directories,
// reads through dispatch_store.h, every write of a request through
// RequestWriter (request_writer.h).
//
// Who may do what: residents submit, follow, cancel, confirm and reopen their
// own requests; members (sub = members/{id}) answer, grab and work requests;
// secretaries and operators read and dispatch requests their subtree is
// responsible for (or that escalated into it). Every change is a conditional
// update of the request (its version, the etag) with a timeline row in the
// same transaction: of two racing changes exactly one wins.
#ifndef LIANXIN_SERVICES_DISPATCH_DISPATCH_LOGIC_H_
#define LIANXIN_SERVICES_DISPATCH_DISPATCH_LOGIC_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "common/call_context.h"
#include "common/clock.h"
#include "common/crypto.h"
#include "common/db.h"
#include "common/page_token.h"
#include "common/settled_seq.h"
#include "common/ttl_cache.h"
#include "lianxin/dispatch/v1/dispatch_service.pb.h"
#include "services/dispatch/calendar.h"
#include "services/dispatch/directories.h"
#include "services/dispatch/dispatch_store.h"
#include "services/dispatch/request_writer.h"

namespace lianxin {
class Validator;
}  // namespace lianxin

namespace lianxin::dispatch {

namespace v1 = ::lianxin::dispatch::v1;

// Who a WatchRequests stream is for: a resident (their own requests) or a
// member (requests concerning them, offers in their communities).
struct Subscriber {
  std::string resident;
  std::string member;  // id
  std::vector<std::string> communities;
};

// Changes read from the timeline: each with whom it concerns, and how far
// the read reached (every change up to `covered` that the read could see is
// in `changes`).
struct WatchItem {
  v1::RequestChange change;
  std::string resident, member, community_id;
  std::vector<std::string> joined;  // residents who said "me too"
  bool offer = false;
};
struct WatchRead {
  std::vector<WatchItem> changes;
  int64_t covered = 0;
};
// Whether a subscriber hears of a change (the filter of ChangesSince).
bool Hears(const Subscriber& s, const WatchItem& item);
// The change as that subscriber hears it: a resident who said "me too" hears
// that the request moved, without the requester's details (a rating's
// comment, a reason).
v1::RequestChange ChangeFor(const Subscriber& s, const WatchItem& item);

// Where a place's requests go (ResponsibleFor, submits.cc).
struct Responsibility {
  std::string place_id, community_id, district_id;
  std::string unit_id;    // the building party group, else the branch, else the community
  std::string unit_path;  // "/district/.../unit/"
};

struct DispatchSettings {
  // A dispatched member must answer within this, or it returns to the unit.
  absl::Duration accept_limit = absl::Minutes(60);
  // An open request of the same category and place this recent is a duplicate.
  int duplicate_days = 7;
  // A resolved request may be reopened this many days after.
  int reopen_days = 7;
  // A resolved request nobody confirms within this many days closes on its
  // own, "confirmed without rating".
  int confirm_days = 7;
  // A request nobody has taken up (still pending or offered) this many days
  // after it came is flagged unanswered and escalated one level.
  int unanswered_days = 7;
};

class DispatchLogic {
 public:
  DispatchLogic(DbPool& db, RequestWriter& writer, const PageTokens& tokens, const FieldCipher& cipher,
                Directories& dirs, DispatchSettings settings, const Clock& clock = SystemClock::Get())
      : db_(db), writer_(writer), tokens_(tokens), cipher_(cipher), dirs_(dirs), settings_(settings), clock_(clock) {}

  // Categories and the calendar (catalog.cc).
  absl::Status CreateCategory(const CallContext& c, const v1::CreateCategoryRequest& req, v1::Category* out);
  absl::Status GetCategory(const CallContext& c, const v1::GetCategoryRequest& req, v1::Category* out);
  absl::Status UpdateCategory(const CallContext& c, const v1::UpdateCategoryRequest& req, v1::Category* out);
  absl::Status ListCategories(const CallContext& c, const v1::ListCategoriesRequest& req,
                              v1::ListCategoriesResponse* out);
  absl::Status SetCalendarDays(const CallContext& c, const v1::SetCalendarDaysRequest& req,
                               v1::SetCalendarDaysResponse* out);
  absl::Status ListCalendarDays(const CallContext& c, const v1::ListCalendarDaysRequest& req,
                                v1::ListCalendarDaysResponse* out);

  // The resident's side and reading (requests.cc).
  absl::Status SubmitRequest(const CallContext& c, const v1::SubmitRequestRequest& req, v1::Request* out,
                             UnaryDone done);  // submits.cc
  // Changes: an error at once, or OK once the change is handed to Transition,
  // which answers through `done`.
  absl::Status MeToo(const CallContext& c, const v1::MeTooRequest& req, v1::Request* out, UnaryDone done);
  absl::Status CancelRequest(const CallContext& c, const v1::CancelRequestRequest& req, v1::Request* out,
                             UnaryDone done);
  absl::Status ConfirmRequest(const CallContext& c, const v1::ConfirmRequestRequest& req, v1::Request* out,
                              UnaryDone done);
  absl::Status ReopenRequest(const CallContext& c, const v1::ReopenRequestRequest& req, v1::Request* out,
                             UnaryDone done);
  absl::Status GetRequest(const CallContext& c, const v1::GetRequestRequest& req, v1::Request* out);
  absl::Status ListRequests(const CallContext& c, const v1::ListRequestsRequest& req, v1::ListRequestsResponse* out);
  absl::Status ListTimeline(const CallContext& c, const v1::ListTimelineRequest& req, v1::ListTimelineResponse* out);

  // The unit's and the member's side (workflow.cc).
  absl::Status SuggestCandidates(const CallContext& c, const v1::SuggestCandidatesRequest& req,
                                 v1::SuggestCandidatesResponse* out);
  absl::Status DispatchRequest(const CallContext& c, const v1::DispatchRequestRequest& req, v1::Request* out,
                               UnaryDone done);
  absl::Status OpenForGrab(const CallContext& c, const v1::OpenForGrabRequest& req, v1::Request* out, UnaryDone done);
  absl::Status GrabRequest(const CallContext& c, const v1::GrabRequestRequest& req, v1::Request* out, UnaryDone done);
  absl::Status AcceptRequest(const CallContext& c, const v1::AcceptRequestRequest& req, v1::Request* out,
                             UnaryDone done);
  absl::Status RejectRequest(const CallContext& c, const v1::RejectRequestRequest& req, v1::Request* out,
                             UnaryDone done);
  absl::Status DeclineRequest(const CallContext& c, const v1::DeclineRequestRequest& req, v1::Request* out,
                              UnaryDone done);
  absl::Status RecordProgress(const CallContext& c, const v1::RecordProgressRequest& req, v1::Request* out,
                              UnaryDone done);
  absl::Status HandOffRequest(const CallContext& c, const v1::HandOffRequestRequest& req, v1::Request* out,
                              UnaryDone done);
  absl::Status ResolveRequest(const CallContext& c, const v1::ResolveRequestRequest& req, v1::Request* out,
                              UnaryDone done);

  // WatchRequests (watch.cc; the streams and their shared poll are
  // watch_hub.h and watch_stream.h): who the caller is as a subscriber; one
  // subscriber's changes after a seq (a stream catching up); everyone's
  // changes after a seq (the replica's one poll, fanned out).
  absl::StatusOr<Subscriber> Subscribe(const CallContext& c);
  absl::StatusOr<WatchRead> ChangesSince(const Subscriber& s, int64_t after_seq, int limit);
  absl::StatusOr<WatchRead> TimelineAfter(int64_t after_seq, int limit);
  absl::StatusOr<int64_t> TimelineSettled() { return settled_timeline_.Get(db_); }

  // Figures, the outbox and clear phone reads (figures.cc).
  absl::Status GetFigures(const CallContext& c, const v1::GetFiguresRequest& req, v1::GetFiguresResponse* out);
  absl::Status GetEmployerReport(const CallContext& c, const v1::GetEmployerReportRequest& req,
                                 v1::GetEmployerReportResponse* out);
  // Past requests from a community's ledger (ledger.cc).
  absl::Status ImportLedger(const CallContext& c, const v1::ImportLedgerRequest& req, v1::ImportLedgerResponse* out);
  absl::Status ListEvents(const CallContext& c, const v1::ListEventsRequest& req, v1::ListEventsResponse* out);
  absl::Status ListPhoneReads(const CallContext& c, const v1::ListPhoneReadsRequest& req,
                              v1::ListPhoneReadsResponse* out);
  // The to-dos of escalated requests (common/todos.h), for the organization service.
  absl::Status ListTodoChanges(const CallContext& c, const org::v1::ListTodoChangesRequest& req,
                               org::v1::ListTodoChangesResponse* out);
  // One sweep of those to-dos (the "todos" background task).
  absl::Status SweepTodos();

  // Time-driven moves (sweeper.cc): dispatched requests nobody answered go
  // back to their unit; overdue requests escalate one level up the tree.
  // Each a change like any other (Change below), made by the system. Returns
  // how many requests moved. Safe to run on every replica at once.
  absl::StatusOr<int> SweepOnce();
  // SweepOnce, logging what moved: the service's background task.
  absl::Status Sweep();

 private:
  // Who the caller is to a request. kReader: any of the first three.
  // kAnyone: checked beforehand by the method (a grab's eligibility) or open
  // to every signed-in caller (me too). kSystem: time itself (the sweeper).
  enum class Party { kResident, kAssignee, kUnit, kReader, kAnyone, kSystem };
  // What a change writes besides the request: the timeline entry's detail,
  // and an event for the outbox (written in the same transaction).
  struct Effects {
    int64_t now_us = 0;  // the time of the change (its batch's): use it, not NowUs()
    std::string detail;
    std::optional<store::OutboxRecord> event;
    // Bookkeeping only (the sweeper giving up escalating): no timeline
    // entry, nobody to tell.
    bool quiet = false;
  };
  // Edits the request; an error changes nothing. Runs on the batch's thread
  // inside its transaction, after the caller's method has returned: it must
  // not block, and must hold copies of the method's locals.
  using Edit = std::function<absl::Status(store::RequestRecord&, Effects&)>;
  // What a change is, for ApplyChange.
  struct ChangeSpec {
    const CallContext* c;
    Party party;
    std::string id, etag;
    std::vector<v1::RequestState> from;
    std::string action;
    Edit edit;
  };
  using Changed = std::function<void(const absl::Status& status, const store::RequestRecord& row)>;
  // The one way a request changes (transitions.cc), written by the
  // RequestWriter and answered through `done` once committed: ApplyChange
  // checks the caller is `party` to it (a unit's reach from what Directories
  // keeps; when it is not known, the org service is asked outside the
  // transaction and the change tried again), the etag, and that its state is
  // in `from`, lets `edit` change it, moves the version on and writes the
  // timeline entry `action`.
  absl::Status Change(const CallContext& c, Party party, const std::string& id, const std::string& etag,
                      std::initializer_list<v1::RequestState> from, const std::string& action, Edit edit, Changed done);
  // The same for an RPC: the answer in `out`, the phone masked (GetRequest
  // shows it to those who may see it).
  absl::Status Transition(const CallContext& c, Party party, const std::string& id, const std::string& etag,
                          std::initializer_list<v1::RequestState> from, const std::string& action, Edit edit,
                          v1::Request* out, UnaryDone done);
  absl::Status ApplyChange(const ChangeSpec& spec, int64_t now_us, store::RequestRecord& row,
                           RequestWriter::Writes& out);
  // Answers a change or a submission: the request (phone masked) or the error.
  void Answer(const CallContext& c, absl::Status status, const store::RequestRecord& r, const char* method,
              v1::Request* out, UnaryDone done) const;
  // Loads a request the caller may act on as `party` (PERMISSION_DENIED
  // before existence for anyone else).
  absl::StatusOr<store::RequestRecord> LoadFor(const CallContext& c, const std::string& id, Party party);
  absl::Status CheckParty(const CallContext& c, const store::RequestRecord& r, Party party);
  // The message; the phone in clear for the resident and the assignee, each
  // such read recorded (`db` then required).
  absl::StatusOr<v1::Request> ToProto(Db* db, const CallContext& c, const store::RequestRecord& r,
                                      const char* method) const;
  // Routing: the building party group covering the place, else its branch,
  // else the community (submits.cc).
  absl::StatusOr<Responsibility> ResponsibleFor(const CallContext& c, const std::string& place_id,
                                                const std::string& field);
  absl::StatusOr<CalendarExceptions> Exceptions(Db& db, const std::string& district_id, absl::Time from);
  // The same, kept a few seconds (for every submission and offer); changes
  // made through this replica are seen at once, others' within kSettingsTtl.
  absl::StatusOr<store::CategoryRecord> CachedCategory(const std::string& district_id, const std::string& code,
                                                       const std::string& field);
  absl::StatusOr<CalendarExceptions> CachedExceptions(const std::string& district_id, absl::Time from);
  absl::StatusOr<store::CategoryRecord> CategoryOf(Db& db, const std::string& district_id, const std::string& code,
                                                   const std::string& field);
  // Categories and the calendar are a district's: its operators change them.
  absl::Status RequireDistrictOperator(const CallContext& c, const std::string& district_id, const std::string& field);
  // Sweeper steps: a change each, by `system`.
  void ExpireAcceptance(const CallContext& system, const std::string& id, Changed done);
  void CloseUnconfirmed(const CallContext& system, const std::string& id, Changed done);
  void FlagUnanswered(const CallContext& system, const std::string& id, Changed done);
  // The outbox event of a request that closed (confirmed, or on its own).
  static store::OutboxRecord ClosedEvent(const store::RequestRecord& r, int64_t now_us);
  int64_t ConfirmWithinUs() const { return int64_t{settings_.confirm_days} * 86400000000; }
  int64_t UnansweredWithinUs() const { return int64_t{settings_.unanswered_days} * 86400000000; }
  void Escalate(const CallContext& system, const store::RequestRecord& seen, Changed done);
  int64_t NowUs() const { return absl::ToUnixMicros(clock_.Now()); }

  DbPool& db_;
  RequestWriter& writer_;
  const PageTokens& tokens_;
  const FieldCipher& cipher_;
  Directories& dirs_;
  DispatchSettings settings_;
  const Clock& clock_;
  // How far the timeline and the outbox can be read by seq without missing a
  // row that commits later (WatchRequests, ListEvents).
  SettledSeq settled_timeline_{"request_timeline"};                              // every stream polls: kept 50 ms
  SettledSeq settled_outbox_{"outbox", absl::Seconds(5), absl::ZeroDuration()};  // a consumer's read sees its own
  static constexpr absl::Duration kSettingsTtl = absl::Seconds(10);
  TtlCache<store::CategoryRecord> categories_{kSettingsTtl, 10000};
  TtlCache<CalendarExceptions> calendars_{kSettingsTtl, 1000};
};

// The district of a unit's materialized path "/district/.../unit/".
std::string DistrictOf(const std::string& unit_path);

// Members are named in their tokens: sub = members/{id}. Empty otherwise.
std::string MemberOf(const CallContext& c);

// What a request's sealed contact phone is bound to (FieldCipher context).
std::string PhoneContext(const std::string& id);

// Photo links: at most 9, each http(s) and at most 500 characters.
void CheckPhotoUrls(const google::protobuf::RepeatedPtrField<std::string>& urls, const char* field, Validator& v);

}  // namespace lianxin::dispatch

#endif  // LIANXIN_SERVICES_DISPATCH_DISPATCH_LOGIC_H_
