// DispatchLogic: the unit's side (candidates, dispatch, open for grabbing)
// and the member's side (grab, accept, decline, progress, hand-off, resolve).
#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/names.h"
#include "common/status.h"
#include "common/validate.h"
#include "services/dispatch/dispatch_logic.h"

namespace lianxin::dispatch {
namespace {

namespace mv1 = ::lianxin::member::v1;

bool Active(const mv1::Member& m) {
  return m.lifecycle() == mv1::LIFECYCLE_ACTIVE || m.lifecycle() == mv1::LIFECYCLE_RESTORED;
}

// Whether the member's stated availability covers `now` (Beijing time).
std::string FreeNow(const mv1::Member& m, absl::Time now) {
  absl::CivilSecond t = absl::ToCivilSecond(now, BeijingTime());
  absl::Weekday w = absl::GetWeekday(absl::CivilDay(t));
  bool weekend = w == absl::Weekday::saturday || w == absl::Weekday::sunday;
  for (int a : m.availability()) {
    if (a == mv1::AVAILABILITY_ON_CALL) return "on call";
    if (a == mv1::AVAILABILITY_WEEKENDS && weekend) return "free on weekends";
    if (a == mv1::AVAILABILITY_WEEKDAY_DAYTIME && !weekend && t.hour() >= 8 && t.hour() < 18)
      return "free weekday daytime";
    if (a == mv1::AVAILABILITY_WEEKDAY_EVENINGS && !weekend && t.hour() >= 18 && t.hour() < 22)
      return "free weekday evenings";
  }
  return "";
}

}  // namespace

absl::Status DispatchLogic::SuggestCandidates(const CallContext& c, const v1::SuggestCandidatesRequest& req,
                                              v1::SuggestCandidatesResponse* out) {
  Validator v;
  std::string id = v.Name("name", req.name(), kRequests);
  v.Check(req.limit() >= 0 && req.limit() <= 50, "limit", "must be 0..50");
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(store::RequestRecord r, LoadFor(c, id, Party::kUnit));
  std::optional<store::CategoryRecord> cat;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(cat, CategoryOf(db, r.district_id, r.category, "name"));
    return absl::OkStatus();
  }));
  ASSIGN_OR_RETURN(std::vector<mv1::Member> pool, dirs_.Pool(c, r.community_id, r.place_id, cat->skills));
  absl::flat_hash_map<std::string, mv1::Member> unique;
  for (auto& m : pool) {
    if (Active(m) && m.name() != MemberOf(c)) unique.emplace(m.name(), std::move(m));
  }
  std::vector<std::string> ids;
  for (const auto& [name, m] : unique) ids.push_back(kMembers.IdOf(name));
  std::vector<std::pair<std::string, store::MemberLoad>> loads;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(loads, store::LoadOf(db, ids));
    return absl::OkStatus();
  }));
  std::vector<v1::Candidate> ranked;
  const absl::Time now = clock_.Now();
  for (const auto& [id_only, load] : loads) {
    const mv1::Member& m = unique.at(kMembers.Name(id_only));
    v1::Candidate cand;
    cand.set_member(m.name());
    cand.set_display_name(m.display_name());
    double score = 0;
    if (m.registered_community() == kOrgUnits.Name(r.community_id)) {
      cand.add_reasons("registered here");
    }
    if (m.address().building() == kPlaces.Name(r.place_id)) {
      score += 3;
      cand.add_reasons("lives in the building");
    }
    for (const auto& skill : cat->skills) {
      if (std::find(m.skills().begin(), m.skills().end(), skill) != m.skills().end()) {
        score += 2;
        cand.add_reasons(absl::StrCat("skill ", skill));
      }
    }
    if (std::string free = FreeNow(m, now); !free.empty()) {
      score += 1;
      cand.add_reasons(free);
    }
    if (load.open > 0) {
      score -= 0.5 * load.open;
      cand.add_reasons(absl::StrCat(load.open, " open request", load.open == 1 ? "" : "s"));
    }
    if (load.rated > 0) {
      double avg = load.rating_sum / load.rated;
      score += (avg - 3) * 0.5;
      cand.add_reasons(absl::StrFormat("rated %.1f over %d", avg, load.rated));
    }
    cand.set_score(score);
    ranked.push_back(std::move(cand));
  }
  std::sort(ranked.begin(), ranked.end(), [](const v1::Candidate& a, const v1::Candidate& b) {
    return a.score() != b.score() ? a.score() > b.score() : a.member() < b.member();
  });
  size_t limit = req.limit() == 0 ? 10 : static_cast<size_t>(req.limit());
  for (size_t i = 0; i < ranked.size() && i < limit; ++i) *out->add_candidates() = std::move(ranked[i]);
  return absl::OkStatus();
}

absl::Status DispatchLogic::DispatchRequest(const CallContext& c, const v1::DispatchRequestRequest& req,
                                            v1::Request* out, UnaryDone done) {
  Validator v;
  std::string id = v.Name("name", req.name(), kRequests);
  std::string member = v.Name("member", req.member(), kMembers);
  v.Text("note", req.note(), 0, 500);
  if (!member.empty() && req.member() == c.principal.subject)
    v.Add("member", "a dispatcher cannot dispatch to themself");
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(mv1::Member m, dirs_.Member(c, req.member(), "member"));
  if (!Active(m)) {
    return FieldStatus(absl::StatusCode::kFailedPrecondition, "member", "the member is not in good standing",
                       "MEMBER_INACTIVE");
  }
  return Transition(
      c, Party::kUnit, id, req.etag(), {v1::REQUEST_STATE_PENDING, v1::REQUEST_STATE_OFFERED}, "dispatch",
      [this, &req, member](store::RequestRecord& r, Effects& fx) {
        r.state = v1::REQUEST_STATE_DISPATCHED;
        r.assignee = member;
        r.accept_due_us = fx.now_us + absl::ToInt64Microseconds(settings_.accept_limit);
        fx.detail = absl::StrCat("to ", req.member(), req.note().empty() ? "" : ": ", req.note());
        return absl::OkStatus();
      },
      out, std::move(done));
}

absl::Status DispatchLogic::OpenForGrab(const CallContext& c, const v1::OpenForGrabRequest& req, v1::Request* out,
                                        UnaryDone done) {
  Validator v;
  std::string id = v.Name("name", req.name(), kRequests);
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(store::RequestRecord seen, LoadFor(c, id, Party::kUnit));
  // Whether a category may be grabbed is the district's setting, read before
  // the change (a setting changed meanwhile applies to the next offer).
  ASSIGN_OR_RETURN(store::CategoryRecord cat, CachedCategory(seen.district_id, seen.category, "name"));
  if (!cat.grabbable) {
    return WithReason(absl::FailedPreconditionError("requests of this category are dispatched, not grabbed"),
                      "NOT_GRABBABLE");
  }
  return Transition(
      c, Party::kUnit, id, req.etag(), {v1::REQUEST_STATE_PENDING}, "offer",
      [this](store::RequestRecord& r, Effects&) -> absl::Status {
        r.state = v1::REQUEST_STATE_OFFERED;
        return absl::OkStatus();
      },
      out, std::move(done));
}

absl::Status DispatchLogic::GrabRequest(const CallContext& c, const v1::GrabRequestRequest& req, v1::Request* out,
                                        UnaryDone done) {
  Validator v;
  std::string id = v.Name("name", req.name(), kRequests);
  RETURN_IF_ERROR(v.status());
  const std::string me = MemberOf(c);
  if (me.empty()) {
    return WithReason(absl::PermissionDeniedError("only members grab requests (token sub = members/{id})"),
                      "ROLE_REQUIRED");
  }
  std::optional<store::RequestRecord> r;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(r, store::GetRequest(db, id, false));
    return absl::OkStatus();
  }));
  if (!r.has_value()) return OutsideSubtree(req.name(), "name");
  // Eligible: living or registered in the request's community, or a member
  // of one of its branches.
  ASSIGN_OR_RETURN(mv1::Member m, dirs_.Member(c, me, "name"));
  const std::string community = kOrgUnits.Name(r->community_id);
  bool eligible = Active(m) && (m.residence_community() == community || m.registered_community() == community);
  if (!eligible && Active(m)) {
    ASSIGN_OR_RETURN(std::string path, dirs_.PathOf(c, kOrgUnits.IdOf(m.branch()), "name"));
    eligible = path.find(absl::StrCat("/", r->community_id, "/")) != std::string::npos;
  }
  if (!eligible) return OutsideSubtree(req.name(), "name");
  // Of racing grabs the first wins; the others find it taken.
  UnaryDone answer = [done = std::move(done)](const absl::Status& s) {
    done(ReasonOf(s) == "ILLEGAL_TRANSITION"
             ? WithReason(absl::FailedPreconditionError("another member took this request first"), "ALREADY_TAKEN")
             : s);
  };
  return Transition(
      c, Party::kAnyone, id, "", {v1::REQUEST_STATE_OFFERED}, "grab",
      [me](store::RequestRecord& rec, Effects&) {
        rec.state = v1::REQUEST_STATE_IN_PROGRESS;
        rec.assignee = kMembers.IdOf(me);
        return absl::OkStatus();
      },
      out, std::move(answer));
}

absl::Status DispatchLogic::AcceptRequest(const CallContext& c, const v1::AcceptRequestRequest& req, v1::Request* out,
                                          UnaryDone done) {
  Validator v;
  std::string id = v.Name("name", req.name(), kRequests);
  RETURN_IF_ERROR(v.status());
  return Transition(
      c, Party::kAssignee, id, req.etag(), {v1::REQUEST_STATE_DISPATCHED}, "accept",
      [this](store::RequestRecord& r, Effects&) -> absl::Status {
        r.state = v1::REQUEST_STATE_IN_PROGRESS;
        r.accept_due_us = 0;
        return absl::OkStatus();
      },
      out, std::move(done));
}

absl::Status DispatchLogic::RejectRequest(const CallContext& c, const v1::RejectRequestRequest& req, v1::Request* out,
                                          UnaryDone done) {
  Validator v;
  std::string id = v.Name("name", req.name(), kRequests);
  v.Text("reason", req.reason(), 1, 500);
  RETURN_IF_ERROR(v.status());
  return Transition(
      c, Party::kUnit, id, req.etag(), {v1::REQUEST_STATE_PENDING, v1::REQUEST_STATE_OFFERED}, "reject",
      [&req](store::RequestRecord& r, Effects& fx) -> absl::Status {
        r.state = v1::REQUEST_STATE_REJECTED;
        r.resolution = req.reason();
        r.next_escalation_us = 0;  // nothing left for anyone to do
        fx.detail = req.reason();
        return absl::OkStatus();
      },
      out, std::move(done));
}

absl::Status DispatchLogic::DeclineRequest(const CallContext& c, const v1::DeclineRequestRequest& req, v1::Request* out,
                                           UnaryDone done) {
  Validator v;
  std::string id = v.Name("name", req.name(), kRequests);
  v.Text("reason", req.reason(), 1, 200);
  RETURN_IF_ERROR(v.status());
  return Transition(
      c, Party::kAssignee, id, req.etag(), {v1::REQUEST_STATE_DISPATCHED}, "decline",
      [this, &req](store::RequestRecord& r, Effects& fx) -> absl::Status {
        r.state = v1::REQUEST_STATE_PENDING;
        r.assignee.clear();
        r.accept_due_us = 0;
        fx.detail = req.reason();
        return absl::OkStatus();
      },
      out, std::move(done));
}

absl::Status DispatchLogic::RecordProgress(const CallContext& c, const v1::RecordProgressRequest& req, v1::Request* out,
                                           UnaryDone done) {
  Validator v;
  std::string id = v.Name("name", req.name(), kRequests);
  v.Text("note", req.note(), 1, 1000);
  v.Check(req.minutes_spent() >= 0 && req.minutes_spent() <= 24 * 60, "minutes_spent", "must be 0..1440");
  CheckPhotoUrls(req.photo_urls(), "photo_urls", v);
  RETURN_IF_ERROR(v.status());
  return Transition(
      c, Party::kAssignee, id, "", {v1::REQUEST_STATE_IN_PROGRESS, v1::REQUEST_STATE_HANDED_OFF}, "progress",
      [this, &req](store::RequestRecord& r, Effects& fx) -> absl::Status {
        r.minutes_spent += req.minutes_spent();
        for (const auto& u : req.photo_urls()) r.result_photo_urls.push_back(u);
        if (r.result_photo_urls.size() > 18) {
          return FieldError("photo_urls", "a request keeps at most 18 result photos");
        }
        fx.detail = req.note();
        return absl::OkStatus();
      },
      out, std::move(done));
}

absl::Status DispatchLogic::HandOffRequest(const CallContext& c, const v1::HandOffRequestRequest& req, v1::Request* out,
                                           UnaryDone done) {
  Validator v;
  std::string id = v.Name("name", req.name(), kRequests);
  v.Text("department", req.department(), 1, 100);
  v.Text("department_reference", req.department_reference(), 0, 100);
  RETURN_IF_ERROR(v.status());
  return Transition(
      c, Party::kAssignee, id, req.etag(), {v1::REQUEST_STATE_IN_PROGRESS}, "hand_off",
      [this, &req](store::RequestRecord& r, Effects& fx) -> absl::Status {
        r.state = v1::REQUEST_STATE_HANDED_OFF;
        r.department = req.department();
        r.department_reference = req.department_reference();
        fx.detail =
            absl::StrCat(req.department(), req.department_reference().empty() ? "" : " #", req.department_reference());
        return absl::OkStatus();
      },
      out, std::move(done));
}

absl::Status DispatchLogic::ResolveRequest(const CallContext& c, const v1::ResolveRequestRequest& req, v1::Request* out,
                                           UnaryDone done) {
  Validator v;
  std::string id = v.Name("name", req.name(), kRequests);
  v.Text("resolution", req.resolution(), 1, 2000);
  v.Check(req.minutes_spent() >= 0 && req.minutes_spent() <= 24 * 60 * 30, "minutes_spent", "must be 0..43200");
  CheckPhotoUrls(req.photo_urls(), "photo_urls", v);
  RETURN_IF_ERROR(v.status());
  return Transition(
      c, Party::kAssignee, id, req.etag(), {v1::REQUEST_STATE_IN_PROGRESS, v1::REQUEST_STATE_HANDED_OFF}, "resolve",
      [this, &req](store::RequestRecord& r, Effects& fx) -> absl::Status {
        r.state = v1::REQUEST_STATE_RESOLVED;
        r.resolution = req.resolution();
        r.minutes_spent = std::max(r.minutes_spent, req.minutes_spent());
        for (const auto& u : req.photo_urls()) r.result_photo_urls.push_back(u);
        r.resolved_us = fx.now_us;
        r.next_escalation_us = 0;
        fx.detail = req.resolution();
        return absl::OkStatus();
      },
      out, std::move(done));
}

}  // namespace lianxin::dispatch
