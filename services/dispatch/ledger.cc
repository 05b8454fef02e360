// DispatchLogic::ImportLedger: the requests a community served before it
// worked on the platform, from its ledger (台账; ledger.proto). Each entry
// becomes a closed request with the times it had and a timeline made of its
// steps (submit, the escalations, dispatch and accept or offer and grab, the
// hand-off, resolve, confirm), spread between its submission and resolution,
// so that figures, members' records and reports cover the months before.
//
// History, not news: its timeline rows name no member or community to hear
// of them (WatchRequests stays quiet) and no outbox event is written (what
// was credited in the old ledger is not credited again). An entry's request
// id comes from the community and the ledger's number, so sending an entry
// again imports nothing.
#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/names.h"
#include "common/status.h"
#include "common/timestamps.h"
#include "common/validate.h"
#include "services/dispatch/dispatch_logic.h"

namespace lianxin::dispatch {
namespace {

bool LedgerIdChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }

// One entry, checked: what only the request itself says.
void CheckEntry(const v1::LedgerEntry& e, const std::string& at, absl::Time now, Validator& v) {
  const std::string& id = e.ledger_id();
  v.Check(!id.empty() && id.size() <= 40 && std::all_of(id.begin(), id.end(), LedgerIdChar), at + "ledger_id",
          "must be 1-40 of a-z, 0-9 and -");
  v.Name(at + "place", e.place(), kPlaces);
  v.Text(at + "description", e.description(), 1, 2000);
  v.Check(e.urgency() != v1::URGENCY_UNSPECIFIED, at + "urgency", "is required: NORMAL or URGENT");
  const absl::Time submitted = absl::FromUnixMicros(TimestampUs(e.submit_time()));
  const absl::Time resolved = absl::FromUnixMicros(TimestampUs(e.resolve_time()));
  v.Check(e.has_submit_time() && submitted < now && submitted > now - absl::Hours(24 * 3 * 366), at + "submit_time",
          "must be in the past, at most three years ago");
  v.Check(e.has_resolve_time() && resolved > submitted && resolved <= now, at + "resolve_time",
          "must be after submit_time and not in the future");
  v.Check(e.escalation_level() >= 0 && e.escalation_level() <= 3, at + "escalation_level", "must be 0-3");
  v.Check(e.route() != v1::LEDGER_ROUTE_UNSPECIFIED, at + "route", "is required");
  v.Name(at + "member", e.member(), kMembers);
  v.Check((e.route() == v1::LEDGER_ROUTE_HANDED_OFF) == !e.department().empty(), at + "department",
          "is required for a hand-off, and only then");
  v.Text(at + "department", e.department(), 0, 100);
  v.Check(e.minutes_spent() >= 0 && e.minutes_spent() <= 10000, at + "minutes_spent", "must be 0-10000");
  v.Text(at + "resolution", e.resolution(), 0, 2000);
  v.Check(e.rating() >= 0 && e.rating() <= 5, at + "rating", "must be 1-5, or unset");
}

}  // namespace

absl::Status DispatchLogic::ImportLedger(const CallContext& c, const v1::ImportLedgerRequest& req,
                                         v1::ImportLedgerResponse* out) {
  Validator v;
  const std::string community = v.Name("community", req.community(), kOrgUnits);
  v.Check(req.entries_size() >= 1 && req.entries_size() <= 500, "entries", "must hold 1-500 entries");
  const absl::Time now = clock_.Now();
  for (int i = 0; i < req.entries_size(); ++i) CheckEntry(req.entries(i), absl::StrCat("entries[", i, "]."), now, v);
  RETURN_IF_ERROR(v.status());
  RETURN_IF_ERROR(dirs_.RequireInScope(c, community, "community"));

  // Everything other services and settings say, before anything is written.
  std::vector<store::RequestRecord> rows;
  std::vector<std::vector<store::TimelineRecord>> timelines;
  for (int i = 0; i < req.entries_size(); ++i) {
    const v1::LedgerEntry& e = req.entries(i);
    const std::string at = absl::StrCat("entries[", i, "].");
    const std::string place = kPlaces.IdOf(e.place());
    ASSIGN_OR_RETURN(Responsibility resp, ResponsibleFor(c, place, at + "place"));
    if (resp.community_id != community) return FieldError(at + "place", "must be a place of the community");
    auto [category_district, code] = ParseCategoryName(e.category());
    if (code.empty() || category_district != resp.district_id) {
      return FieldError(at + "category", "must be a category of the place's district");
    }
    ASSIGN_OR_RETURN(store::CategoryRecord cat, CachedCategory(resp.district_id, code, at + "category"));
    RETURN_IF_ERROR(dirs_.Member(c, e.member(), at + "member").status());
    std::vector<std::string> path = absl::StrSplit(resp.unit_path, '/', absl::SkipEmpty());
    if (e.escalation_level() > static_cast<int>(path.size()) - 2) {
      return FieldError(at + "escalation_level", "goes above the street");
    }
    const absl::Time submitted = absl::FromUnixMicros(TimestampUs(e.submit_time()));
    const int64_t resolved_us = TimestampUs(e.resolve_time());
    ASSIGN_OR_RETURN(CalendarExceptions days, CachedExceptions(resp.district_id, submitted));

    store::RequestRecord& r = rows.emplace_back();
    r.id = absl::StrCat(community, "-", e.ledger_id());
    r.district_id = resp.district_id;
    r.category = code;
    r.description = e.description();
    r.place_id = place;
    r.urgency = e.urgency();
    r.state = v1::REQUEST_STATE_CLOSED;
    r.responsible_unit = resp.unit_id;
    r.community_id = resp.community_id;
    r.unit_path = resp.unit_path;
    r.escalation_level = e.escalation_level();
    if (r.escalation_level > 0) r.escalated_to = path[path.size() - 1 - static_cast<size_t>(r.escalation_level)];
    r.assignee = kMembers.IdOf(e.member());
    r.created_us = absl::ToUnixMicros(submitted);
    r.due_us = absl::ToUnixMicros(DueTime(submitted, cat.limit_hours, cat.limit_working_days, days));
    r.department = e.department();
    r.resolution = e.resolution();
    r.minutes_spent = e.minutes_spent();
    r.rating = e.rating();
    r.resolved_us = resolved_us;
    r.updated_us = std::min(resolved_us + 3600 * int64_t{1000000}, absl::ToUnixMicros(now));

    // The steps between submission and resolution, evenly spaced.
    struct Step {
      const char* action;
      int from, to;
      std::string detail;
    };
    std::vector<Step> steps;
    for (int k = 1; k <= r.escalation_level; ++k) {
      steps.push_back({"escalate", v1::REQUEST_STATE_PENDING, v1::REQUEST_STATE_PENDING,
                       absl::StrCat("to ", kOrgUnits.Name(path[path.size() - 1 - static_cast<size_t>(k)]))});
    }
    if (e.route() == v1::LEDGER_ROUTE_GRABBED) {
      steps.push_back({"offer", v1::REQUEST_STATE_PENDING, v1::REQUEST_STATE_OFFERED, ""});
      steps.push_back({"grab", v1::REQUEST_STATE_OFFERED, v1::REQUEST_STATE_IN_PROGRESS, e.member()});
    } else {
      steps.push_back({"dispatch", v1::REQUEST_STATE_PENDING, v1::REQUEST_STATE_DISPATCHED, e.member()});
      steps.push_back({"accept", v1::REQUEST_STATE_DISPATCHED, v1::REQUEST_STATE_IN_PROGRESS, ""});
    }
    int resolved_from = v1::REQUEST_STATE_IN_PROGRESS;
    if (e.route() == v1::LEDGER_ROUTE_HANDED_OFF) {
      steps.push_back({"hand_off", v1::REQUEST_STATE_IN_PROGRESS, v1::REQUEST_STATE_HANDED_OFF, e.department()});
      resolved_from = v1::REQUEST_STATE_HANDED_OFF;
    }
    auto& timeline = timelines.emplace_back();
    // No member or community to hear of it: history (see above).
    auto add = [&](const char* action, int64_t at_us, int from, int to, std::string detail) {
      timeline.push_back(
          {0, r.id, r.district_id, action, c.principal.subject, at_us, from, to, std::move(detail), "", "", "", {}});
    };
    add("submit", r.created_us, 0, v1::REQUEST_STATE_PENDING, absl::StrCat("from the ledger, ", e.ledger_id()));
    const int64_t span = resolved_us - r.created_us;
    for (size_t k = 0; k < steps.size(); ++k) {
      add(steps[k].action, r.created_us + span * static_cast<int64_t>(k + 1) / static_cast<int64_t>(steps.size() + 1),
          steps[k].from, steps[k].to, steps[k].detail);
    }
    add("resolve", resolved_us, resolved_from, v1::REQUEST_STATE_RESOLVED, "");
    add("confirm", r.updated_us, v1::REQUEST_STATE_RESOLVED, v1::REQUEST_STATE_CLOSED,
        r.rating > 0 ? absl::StrCat("rating ", r.rating) : "closed without a rating");
  }

  int imported = 0;
  auto write = [&](Db& db) -> absl::Status {
    imported = 0;
    std::vector<std::string> ids;
    for (const auto& r : rows) ids.push_back(r.id);
    ASSIGN_OR_RETURN(std::vector<store::RequestRecord> existing, store::GetRequests(db, ids, true));
    absl::flat_hash_set<std::string> seen;
    for (const auto& r : existing) seen.insert(r.id);
    for (size_t i = 0; i < rows.size(); ++i) {
      if (!seen.insert(rows[i].id).second) continue;  // imported before, or twice in this call
      RETURN_IF_ERROR(store::InsertRequest(db, rows[i]));
      for (const auto& t : timelines[i]) RETURN_IF_ERROR(store::InsertTimeline(db, t));
      ++imported;
    }
    return absl::OkStatus();
  };
  absl::Status written = db_.Transact(write);
  // The same entries imported at the same moment by another call: once
  // that one committed, these are found imported.
  if (absl::IsAlreadyExists(written)) written = db_.Transact(write);
  RETURN_IF_ERROR(written);
  out->set_imported(imported);
  out->set_already_imported(static_cast<int>(rows.size()) - imported);
  for (const auto& r : rows) out->add_requests(kRequests.Name(r.id));
  return absl::OkStatus();
}

}  // namespace lianxin::dispatch
