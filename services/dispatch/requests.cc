// DispatchLogic: a request's life from the resident's side (me too, cancel,
// confirm, reopen) and reading it. Submitting is submits.cc; changes go
// through Transition (transitions.cc).
#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/idempotency.h"
#include "common/ids.h"
#include "common/names.h"
#include "common/status.h"
#include "common/timestamps.h"
#include "common/validate.h"
#include "services/dispatch/dispatch_logic.h"

namespace lianxin::dispatch {

std::string PhoneContext(const std::string& id) { return absl::StrCat(kRequests.Name(id), "/contact_phone"); }

void CheckPhotoUrls(const google::protobuf::RepeatedPtrField<std::string>& urls, const char* field, Validator& v) {
  v.HttpsLinks(field, urls, 9);
}

namespace {

// What a resident may see of someone else's request: its category, place,
// state and how many joined it.
void KeepGlimpse(v1::Request& r) {
  v1::Request glimpse;
  glimpse.set_name(r.name());
  glimpse.set_category(r.category());
  glimpse.set_place(r.place());
  glimpse.set_state(r.state());
  glimpse.set_me_too_count(r.me_too_count());
  r = std::move(glimpse);
}

}  // namespace

std::string DistrictOf(const std::string& unit_path) { return unit_path.substr(1, unit_path.find('/', 1) - 1); }

std::string MemberOf(const CallContext& c) {
  return c.principal.HasRole(kRoleMember) && !kMembers.IdOf(c.principal.subject).empty() ? c.principal.subject : "";
}

absl::StatusOr<v1::Request> DispatchLogic::ToProto(Db* db, const CallContext& c, const store::RequestRecord& r,
                                                   const char* method) const {
  v1::Request p;
  p.set_name(kRequests.Name(r.id));
  p.set_category(CategoryName(r.district_id, r.category));
  p.set_description(r.description);
  p.set_place(kPlaces.Name(r.place_id));
  if (!r.address.empty()) p.set_address(r.address);
  if (!r.phone_sealed.empty()) {
    const bool clear =
        db != nullptr &&
        (c.principal.subject == r.resident ||
         (!r.assignee.empty() && MemberOf(c) == kMembers.Name(r.assignee) && r.state >= v1::REQUEST_STATE_DISPATCHED));
    if (!clear && !r.phone_masked.empty()) {
      p.set_contact_phone(r.phone_masked);
    } else {
      std::string raw;
      if (!absl::Base64Unescape(r.phone_sealed, &raw)) return absl::DataLossError("sealed phone is not base64");
      ASSIGN_OR_RETURN(std::string phone, cipher_.Open(raw, PhoneContext(r.id)));
      if (clear) {
        RETURN_IF_ERROR(store::InsertPhoneDisclosure(*db, r.district_id, r.id, c.principal.subject, method, NowUs()));
      }
      p.set_contact_phone(clear ? phone : MaskPhone(phone));
    }
  }
  p.set_urgency(static_cast<v1::Urgency>(r.urgency));
  for (const auto& u : r.photo_urls) p.add_photo_urls(u);
  p.set_state(static_cast<v1::RequestState>(r.state));
  p.set_resident(r.resident);
  p.set_responsible_unit(kOrgUnits.Name(r.responsible_unit));
  if (!r.escalated_to.empty()) p.set_escalated_to(kOrgUnits.Name(r.escalated_to));
  p.set_escalation_level(r.escalation_level);
  if (!r.assignee.empty()) p.set_assignee(kMembers.Name(r.assignee));
  SetTimestampUs(r.due_us, p.mutable_due_time());
  if (r.accept_due_us > 0) SetTimestampUs(r.accept_due_us, p.mutable_accept_due_time());
  p.set_me_too_count(r.me_too_count);
  if (!r.resolution.empty()) p.set_resolution(r.resolution);
  if (!r.department.empty()) p.set_department(r.department);
  if (!r.department_reference.empty()) p.set_department_reference(r.department_reference);
  p.set_minutes_spent(r.minutes_spent);
  for (const auto& u : r.result_photo_urls) p.add_result_photo_urls(u);
  if (r.rating > 0) p.set_rating(r.rating);
  SetTimestampUs(r.created_us, p.mutable_create_time());
  SetTimestampUs(r.updated_us, p.mutable_update_time());
  if (r.resolved_us > 0) SetTimestampUs(r.resolved_us, p.mutable_resolve_time());
  if (r.unanswered_us > 0) SetTimestampUs(r.unanswered_us, p.mutable_unanswered_time());
  p.set_etag(EtagOf(r.version));
  return p;
}

absl::Status DispatchLogic::CheckParty(const CallContext& c, const store::RequestRecord& r, Party party) {
  const std::string name = kRequests.Name(r.id);
  switch (party) {
    case Party::kResident:
      if (c.principal.subject == r.resident) return absl::OkStatus();
      break;
    case Party::kAssignee:
      if (!r.assignee.empty() && MemberOf(c) == kMembers.Name(r.assignee)) return absl::OkStatus();
      break;
    case Party::kAnyone:
    case Party::kSystem:
      return absl::OkStatus();
    case Party::kReader:
      if (CheckParty(c, r, Party::kResident).ok() || CheckParty(c, r, Party::kAssignee).ok()) return absl::OkStatus();
      return CheckParty(c, r, Party::kUnit);
    case Party::kUnit: {
      if (!c.principal.HasAnyRole({kRoleOperator, kRoleSecretary})) break;
      if (c.principal.IsPlatformWide()) return absl::OkStatus();
      absl::Status s = dirs_.RequireInScope(c, r.responsible_unit, "name");
      if (absl::IsPermissionDenied(s) && !r.escalated_to.empty()) s = dirs_.RequireInScope(c, r.escalated_to, "name");
      if (!absl::IsPermissionDenied(s)) return s;
      break;
    }
  }
  return OutsideSubtree(name, "name");
}

absl::StatusOr<store::RequestRecord> DispatchLogic::LoadFor(const CallContext& c, const std::string& id, Party party) {
  std::optional<store::RequestRecord> r;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(r, store::GetRequest(db, id, false));
    return absl::OkStatus();
  }));
  if (!r.has_value()) {
    return MissingIn(c.principal.IsPlatformWide(), kRequests, id, "name");
  }
  RETURN_IF_ERROR(CheckParty(c, *r, party));
  return *std::move(r);
}

absl::Status DispatchLogic::MeToo(const CallContext& c, const v1::MeTooRequest& req, v1::Request* out, UnaryDone done) {
  Validator v;
  std::string id = v.Name("name", req.name(), kRequests);
  RETURN_IF_ERROR(v.status());
  // Any signed-in resident of the platform may add their voice to an open request.
  ASSIGN_OR_RETURN(store::RequestRecord seen, [&]() -> absl::StatusOr<store::RequestRecord> {
    std::optional<store::RequestRecord> r;
    RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
      ASSIGN_OR_RETURN(r, store::GetRequest(db, id, false));
      return absl::OkStatus();
    }));
    if (!r.has_value()) return NotFoundIn(kRequests, id, "name");
    return *std::move(r);
  }());
  const std::initializer_list<v1::RequestState> open = {v1::REQUEST_STATE_PENDING, v1::REQUEST_STATE_OFFERED,
                                                        v1::REQUEST_STATE_DISPATCHED, v1::REQUEST_STATE_IN_PROGRESS,
                                                        v1::REQUEST_STATE_HANDED_OFF};
  // Each resident counts once: a second MeToo answers without counting.
  int64_t added = 0;
  if (std::find(open.begin(), open.end(), static_cast<v1::RequestState>(seen.state)) != open.end()) {
    RETURN_IF_ERROR(db_.Transact([&](Db& db) -> absl::Status {  // a write: its commit is checked if cut off
      ASSIGN_OR_RETURN(added, db.Exec("INSERT IGNORE INTO request_me_too (request_id, resident, created_us) "
                                      "VALUES (?, ?, ?)",
                                      {id, c.principal.subject, NowUs()}));
      return absl::OkStatus();
    }));
    if (added == 0) {
      ASSIGN_OR_RETURN(*out, ToProto(nullptr, c, seen, "MeToo"));
      KeepGlimpse(*out);
      done(absl::OkStatus());
      return absl::OkStatus();
    }
  }
  UnaryDone answer = [out, done = std::move(done)](const absl::Status& s) {
    if (s.ok()) KeepGlimpse(*out);
    done(s);
  };
  return Transition(
      c, Party::kAnyone, id, "", open, "me_too",
      [](store::RequestRecord& r, Effects& fx) {
        r.me_too_count++;
        fx.detail = absl::StrCat(r.me_too_count, " more");
        return absl::OkStatus();
      },
      out, std::move(answer));
}

absl::Status DispatchLogic::CancelRequest(const CallContext& c, const v1::CancelRequestRequest& req, v1::Request* out,
                                          UnaryDone done) {
  Validator v;
  std::string id = v.Name("name", req.name(), kRequests);
  v.Text("reason", req.reason(), 0, 200);
  RETURN_IF_ERROR(v.status());
  return Transition(
      c, Party::kResident, id, req.etag(), {v1::REQUEST_STATE_PENDING, v1::REQUEST_STATE_OFFERED}, "cancel",
      [this, &req](store::RequestRecord& r, Effects& fx) {
        r.next_escalation_us = 0;
        r.state = v1::REQUEST_STATE_CANCELLED;
        fx.detail = req.reason();
        return absl::OkStatus();
      },
      out, std::move(done));
}

store::OutboxRecord DispatchLogic::ClosedEvent(const store::RequestRecord& r, int64_t now_us) {
  // Told to the activity service (service hours, points), in the transaction
  // that closes the request. No rating: closed without one.
  v1::Request event;
  event.set_name(kRequests.Name(r.id));
  event.set_category(CategoryName(r.district_id, r.category));
  event.set_assignee(kMembers.Name(r.assignee));
  event.set_responsible_unit(kOrgUnits.Name(r.responsible_unit));
  event.set_minutes_spent(r.minutes_spent);
  if (r.rating > 0) event.set_rating(r.rating);
  SetTimestampUs(r.resolved_us, event.mutable_resolve_time());
  SetTimestampUs(r.due_us, event.mutable_due_time());
  return store::OutboxRecord{0, NewId(), r.district_id, "request.closed", event.SerializeAsString(), now_us};
}

absl::Status DispatchLogic::ConfirmRequest(const CallContext& c, const v1::ConfirmRequestRequest& req, v1::Request* out,
                                           UnaryDone done) {
  Validator v;
  std::string id = v.Name("name", req.name(), kRequests);
  v.Check(req.rating() >= 1 && req.rating() <= 5, "rating", "must be 1..5");
  v.Text("comment", req.comment(), 0, 500);
  RETURN_IF_ERROR(v.status());
  return Transition(
      c, Party::kResident, id, req.etag(), {v1::REQUEST_STATE_RESOLVED}, "confirm",
      [this, &req](store::RequestRecord& r, Effects& fx) -> absl::Status {
        r.state = v1::REQUEST_STATE_CLOSED;
        r.rating = req.rating();
        fx.detail = absl::StrCat("rated ", req.rating(), req.comment().empty() ? "" : ": ", req.comment());
        fx.event = ClosedEvent(r, fx.now_us);
        return absl::OkStatus();
      },
      out, std::move(done));
}

absl::Status DispatchLogic::ReopenRequest(const CallContext& c, const v1::ReopenRequestRequest& req, v1::Request* out,
                                          UnaryDone done) {
  Validator v;
  std::string id = v.Name("name", req.name(), kRequests);
  v.Text("reason", req.reason(), 1, 200);
  RETURN_IF_ERROR(v.status());
  return Transition(
      c, Party::kResident, id, req.etag(), {v1::REQUEST_STATE_RESOLVED}, "reopen",
      [this, &req](store::RequestRecord& r, Effects& fx) -> absl::Status {
        if (fx.now_us > r.resolved_us + int64_t{settings_.reopen_days} * 86400000000) {
          return WithReason(absl::FailedPreconditionError(absl::StrCat(
                                "a request may be reopened within ", settings_.reopen_days, " days of being resolved")),
                            "REOPEN_TOO_LATE");
        }
        r.state = v1::REQUEST_STATE_IN_PROGRESS;
        // Still overdue? Escalation picks it up again.
        std::vector<std::string> path = absl::StrSplit(r.unit_path, '/', absl::SkipEmpty());
        if (static_cast<int>(path.size()) - 2 - r.escalation_level >= 1) {
          r.next_escalation_us = std::max(r.due_us, fx.now_us);
        }
        fx.detail = req.reason();
        return absl::OkStatus();
      },
      out, std::move(done));
}

absl::Status DispatchLogic::GetRequest(const CallContext& c, const v1::GetRequestRequest& req, v1::Request* out) {
  Validator v;
  std::string id = v.Name("name", req.name(), kRequests);
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(store::RequestRecord r, LoadFor(c, id, Party::kReader));
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(*out, ToProto(&db, c, r, "GetRequest"));
    return absl::OkStatus();
  });
}

absl::Status DispatchLogic::ListRequests(const CallContext& c, const v1::ListRequestsRequest& req,
                                         v1::ListRequestsResponse* out) {
  Validator v;
  int given = !req.parent().empty() + !req.assignee().empty() + (req.mine() ? 1 : 0);
  if (given != 1) v.Add("parent", "give exactly one of parent, assignee and mine");
  std::string unit = v.Name("parent", req.parent(), kOrgUnits, false);
  std::string assignee = v.Name("assignee", req.assignee(), kMembers, false);
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(int size, PageSize(req.page_size(), 50, 500));
  v1::ListRequestsRequest query = req;
  query.clear_page_size();
  query.clear_page_token();
  std::string fp =
      absl::StrCat("requests|", c.principal.subject, "|", absl::BytesToHexString(query.SerializeAsString()));
  ASSIGN_OR_RETURN(std::string after, tokens_.Decode(req.page_token(), fp));
  store::RequestFilter f;
  f.state = req.state();
  if (!unit.empty()) {
    if (!c.principal.HasAnyRole({kRoleOperator, kRoleSecretary})) {
      return WithReason(absl::PermissionDeniedError("a unit's requests are read by its secretaries and operators"),
                        "ROLE_REQUIRED");
    }
    RETURN_IF_ERROR(dirs_.RequireInScope(c, unit, "parent"));
    ASSIGN_OR_RETURN(f.path_prefix, dirs_.PathOf(c, unit, "parent"));
    f.district_id = DistrictOf(f.path_prefix);
  } else if (!assignee.empty()) {
    bool self = MemberOf(c) == req.assignee();
    if (!self && !c.principal.HasAnyRole({kRoleOperator, kRoleSecretary}))
      return OutsideSubtree(req.assignee(), "assignee");
    if (!self && !c.principal.IsPlatformWide()) {
      ASSIGN_OR_RETURN(auto m, dirs_.Member(c, req.assignee(), "assignee"));
      RETURN_IF_ERROR(dirs_.RequireInScope(c, kOrgUnits.IdOf(m.branch()), "assignee"));
    }
    f.assignee = assignee;
  } else {
    f.resident = c.principal.subject;
  }
  std::vector<store::RequestRecord> rows;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(rows, store::ListRequests(db, f, after, size + 1));
    return absl::OkStatus();
  }));
  absl::Status status;
  EmitPage(
      rows, size, tokens_, fp,
      [&](const store::RequestRecord& r) {
        auto p = ToProto(nullptr, c, r, "ListRequests");  // lists never show phones in clear
        if (p.ok())
          *out->add_requests() = *std::move(p);
        else
          status.Update(p.status());
      },
      [](const store::RequestRecord& r) { return r.id; }, out->mutable_next_page_token());
  return status;
}

absl::Status DispatchLogic::ListTimeline(const CallContext& c, const v1::ListTimelineRequest& req,
                                         v1::ListTimelineResponse* out) {
  Validator v;
  std::string id = v.Name("name", req.name(), kRequests);
  RETURN_IF_ERROR(v.status());
  RETURN_IF_ERROR(LoadFor(c, id, Party::kReader).status());
  ASSIGN_OR_RETURN(int size, PageSize(req.page_size(), 100, 1000));
  std::string fp = absl::StrCat("timeline|", id);
  ASSIGN_OR_RETURN(std::string after, tokens_.Decode(req.page_token(), fp));
  int64_t after_seq = 0;
  if (!after.empty() && !absl::SimpleAtoi(after, &after_seq)) return FieldError("page_token", "is not valid");
  std::vector<store::TimelineRecord> rows;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(rows, store::ListTimeline(db, id, after_seq, size + 1));
    return absl::OkStatus();
  }));
  EmitPage(
      rows, size, tokens_, fp,
      [&](const store::TimelineRecord& t) {
        auto* e = out->add_entries();
        e->set_seq(t.seq);
        e->set_action(t.action);
        e->set_actor(t.actor);
        SetTimestampUs(t.at_us, e->mutable_time());
        e->set_from_state(static_cast<v1::RequestState>(t.from_state));
        e->set_to_state(static_cast<v1::RequestState>(t.to_state));
        if (!t.detail.empty()) e->set_detail(t.detail);
      },
      [](const store::TimelineRecord& t) { return absl::StrCat(t.seq); }, out->mutable_next_page_token());
  return absl::OkStatus();
}

}  // namespace lianxin::dispatch
