// ActivityLogic: activities — planned by a unit, changed, listed, cancelled
// and held (activities/{id}).
#include <map>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/field_mask.h"
#include "common/history.h"
#include "common/idempotency.h"
#include "common/ids.h"
#include "common/names.h"
#include "common/status.h"
#include "common/timestamps.h"
#include "common/validate.h"
#include "services/activity/activity_logic.h"
#include "services/activity/activity_view.h"
#include "services/activity/credits.h"
#include "services/activity/rules.h"

namespace lianxin::activity {
namespace {

constexpr absl::string_view kUpdatable[] = {"title",
                                            "lecturer",
                                            "place",
                                            "start_time",
                                            "end_time",
                                            "agenda",
                                            "minutes",
                                            "photo_urls",
                                            "open",
                                            "venue",
                                            "check_in_radius_meters"};
// What may still change once held: the record of it.
constexpr absl::string_view kAfterHeld[] = {"minutes", "photo_urls"};

ChangeSet Changes(const store::ActivityRecord& before, const store::ActivityRecord& after) {
  ChangeSet changes;
  changes.Changed("title", before.title, after.title);
  changes.Changed("lecturer", before.lecturer, after.lecturer);
  changes.Changed("place", before.place, after.place);
  changes.Changed("start_us", absl::StrCat(before.start_us), absl::StrCat(after.start_us));
  changes.Changed("end_us", absl::StrCat(before.end_us), absl::StrCat(after.end_us));
  changes.Changed("agenda", before.agenda, after.agenda);
  changes.Changed("minutes", before.minutes, after.minutes);
  changes.Changed("photos", absl::StrCat(before.photo_urls.size()), absl::StrCat(after.photo_urls.size()));
  changes.Changed("open", before.open ? "true" : "false", after.open ? "true" : "false");
  changes.Changed("radius_m", absl::StrCat(before.radius_m), absl::StrCat(after.radius_m));
  changes.Changed("state", absl::StrCat(before.state), absl::StrCat(after.state));
  return changes;
}

HistoryEntry Entry(const store::ActivityRecord& r, const char* action, ChangeSet changes) {
  return {r.district_id, kOrgUnits.Name(r.host_unit_id), kActivities.Name(r.id), action, std::move(changes)};
}

// Which units hold which meetings: a member or committee meeting is a
// branch's (or general branch's, community committee's), a group meeting a
// party group's.
absl::Status CheckHost(v1::ActivityType type, const Unit& host) {
  if ((type == v1::ACTIVITY_TYPE_MEMBER_MEETING || type == v1::ACTIVITY_TYPE_COMMITTEE_MEETING) &&
      !IsBranchLike(host.type)) {
    return FieldStatus(absl::StatusCode::kFailedPrecondition, "parent",
                       "member and committee meetings are held by a branch, general branch or community committee",
                       "WRONG_HOST_UNIT");
  }
  if (type == v1::ACTIVITY_TYPE_GROUP_MEETING && !IsGroup(host.type)) {
    return FieldStatus(absl::StatusCode::kFailedPrecondition, "parent", "group meetings are held by a party group",
                       "WRONG_HOST_UNIT");
  }
  if (!host.active) {
    return FieldStatus(absl::StatusCode::kFailedPrecondition, "parent", "the unit is not active", "UNIT_INACTIVE");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Unit> ActivityLogic::UnitInScope(const CallContext& c, const std::string& unit_id,
                                                const std::string& field) {
  absl::StatusOr<Unit> unit = dirs_.UnitOf(c, unit_id, field);
  if (absl::IsNotFound(unit.status()) && !c.principal.IsPlatformWide()) {
    return OutsideSubtree(kOrgUnits.Name(unit_id), field);
  }
  if (!unit.ok()) return unit.status();
  if (!c.principal.CoversPath(unit->path)) return OutsideSubtree(kOrgUnits.Name(unit_id), field);
  return unit;
}

absl::StatusOr<store::ActivityRecord> ActivityLogic::LoadActivity(Db& db, const CallContext& c, const std::string& name,
                                                                  const std::string& field, const char* lock) {
  ASSIGN_OR_RETURN(std::string id, kActivities.Parse(name, field));
  ASSIGN_OR_RETURN(auto rec, store::GetActivity(db, id, lock));
  if (!rec.has_value()) return MissingIn(c.principal.IsPlatformWide(), kActivities, id, field);
  if (IsStaff(c) && c.principal.CoversPath(rec->host_path)) return *std::move(rec);
  const std::string member = CallerMemberId(c);
  if (!member.empty() && c.principal.HasRole(kRoleMember)) {
    if (rec->open) return *std::move(rec);
    ASSIGN_OR_RETURN(auto mine, store::GetAttendance(db, id, member, false));
    if (mine.has_value()) return *std::move(rec);
  }
  return MissingIn(false, kActivities, id, field);
}

absl::StatusOr<store::ActivityRecord> ActivityLogic::LoadForStaff(Db& db, const CallContext& c, const std::string& name,
                                                                  const std::string& field, const char* lock) {
  ASSIGN_OR_RETURN(std::string id, kActivities.Parse(name, field));
  ASSIGN_OR_RETURN(auto rec, store::GetActivity(db, id, lock));
  if (!rec.has_value()) return MissingIn(c.principal.IsPlatformWide(), kActivities, id, field);
  if (!IsStaff(c) || !c.principal.CoversPath(rec->host_path)) {
    return IsStaff(c) ? OutsideSubtree(name, field)
                      : WithReason(absl::PermissionDeniedError("the host unit's secretaries run an activity"),
                                   "ROLE_REQUIRED");
  }
  return *std::move(rec);
}

absl::StatusOr<std::vector<Person>> ActivityLogic::ExpectedAt(const CallContext& c, const Unit& host,
                                                              const v1::Activity& a) {
  std::vector<Person> people;
  switch (a.type()) {
    case v1::ACTIVITY_TYPE_VOLUNTEER_SERVICE:
      return people;  // who serves signs up
    case v1::ACTIVITY_TYPE_COMMITTEE_MEETING:
      return dirs_.Committee(c, host.id);
    case v1::ACTIVITY_TYPE_HOME_STUDY:
      for (int i = 0; i < a.delivered_to_size(); ++i) {
        ASSIGN_OR_RETURN(member::v1::Member m,
                         dirs_.Member(c, a.delivered_to(i), absl::StrCat("activity.delivered_to[", i, "]")));
        people.push_back({kMembers.IdOf(m.name()), m.display_name(), m.standing() == member::v1::STANDING_FULL});
      }
      return people;
    default:
      break;
  }
  ASSIGN_OR_RETURN(people, dirs_.Members(c, host.id, false));
  // A community's activities also expect the members registered with it
  // where they live (双报到); its member meetings are its own members'.
  if (host.type == org::v1::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE && a.type() != v1::ACTIVITY_TYPE_MEMBER_MEETING) {
    ASSIGN_OR_RETURN(std::vector<Person> registered, dirs_.Members(c, host.id, true));
    std::map<std::string, bool> seen;
    for (const auto& p : people) seen[p.member_id] = true;
    for (auto& p : registered) {
      if (!seen.count(p.member_id)) people.push_back(std::move(p));
    }
  }
  return people;
}

absl::Status ActivityLogic::CreateActivity(const CallContext& c, const v1::CreateActivityRequest& req,
                                           v1::Activity* out) {
  Validator v;
  std::string unit_id = v.Name("parent", req.parent(), kOrgUnits);
  v.RequestId(req.request_id());
  CheckActivity(req.activity(), {}, clock_.Now(), v);
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(Unit host, UnitInScope(c, unit_id, "parent"));
  const v1::Activity& a = req.activity();
  RETURN_IF_ERROR(CheckHost(a.type(), host));
  // Asked before the transaction: the org tree of today.
  ASSIGN_OR_RETURN(std::vector<Person> expected, ExpectedAt(c, host, a));
  const int64_t now = NowUs();
  return CreateOnce(
      db_, c, req.request_id(), "CreateActivity", now,
      [&](Db& db, const std::string& name) -> absl::StatusOr<bool> {
        ASSIGN_OR_RETURN(auto rec, store::GetActivity(db, kActivities.IdOf(name)));
        if (!rec.has_value()) return false;
        RETURN_IF_ERROR(store::Tally(db, {&*rec}));
        *out = ActivityProto(*rec);
        return true;
      },
      [&](Db& db, RememberCreated remember) -> absl::Status {
        store::ActivityRecord r;
        r.id = NewId();
        r.district_id = host.district_id;
        r.host_unit_id = host.id;
        r.host_path = host.path;
        r.host_unit_type = host.type;
        r.type = a.type();
        r.state = v1::ACTIVITY_STATE_PLANNED;
        r.host = a.host().empty() ? c.principal.subject : a.host();
        FromProto(a, r);
        for (const auto& m : a.delivered_to()) r.delivered_to.push_back(kMembers.IdOf(m));
        r.check_in_secret = NewCheckInSecret();
        r.created_us = r.updated_us = now;
        RETURN_IF_ERROR(remember(r.district_id, kActivities.Name(r.id)));
        RETURN_IF_ERROR(store::InsertActivity(db, r));
        std::vector<store::AttendanceRecord> rows;
        const int year = BeijingDay(absl::FromUnixMicros(r.start_us)).year();
        for (const Person& p : expected) {
          store::AttendanceRecord t;
          t.activity_id = r.id;
          t.member_id = p.member_id;
          t.district_id = r.district_id;
          t.display_name = p.display_name;
          t.status = v1::ATTENDANCE_STATUS_EXPECTED;
          t.expected = true;
          t.voting = a.type() == v1::ACTIVITY_TYPE_COMMITTEE_MEETING ||
                     (a.type() == v1::ACTIVITY_TYPE_MEMBER_MEETING && p.full);
          t.year = year;
          rows.push_back(std::move(t));
        }
        RETURN_IF_ERROR(store::InsertAttendances(db, rows));
        ChangeSet changes = Changes(store::ActivityRecord{}, r);
        changes.Set("type", v1::ActivityType_Name(a.type()));
        changes.Set("expected", absl::StrCat(rows.size()));
        RETURN_IF_ERROR(RecordHistory(db, c, Entry(r, "create", changes), now));
        RETURN_IF_ERROR(store::Tally(db, {&r}));
        *out = ActivityProto(r);
        return absl::OkStatus();
      });
}

absl::Status ActivityLogic::GetActivity(const CallContext& c, const v1::GetActivityRequest& req, v1::Activity* out) {
  return db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(store::ActivityRecord r, LoadActivity(db, c, req.name(), "name"));
    RETURN_IF_ERROR(store::Tally(db, {&r}));
    *out = ActivityProto(r);
    return absl::OkStatus();
  });
}

absl::Status ActivityLogic::UpdateActivity(const CallContext& c, const v1::UpdateActivityRequest& req,
                                           v1::Activity* out) {
  Validator v;
  std::vector<std::string> paths = MaskPaths(v, req.update_mask(), kUpdatable);
  if (v.ok()) CheckActivity(req.activity(), paths, clock_.Now(), v);
  RETURN_IF_ERROR(v.status());
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(store::ActivityRecord r,
                     LoadForStaff(db, c, req.activity().name(), "activity.name", " FOR UPDATE"));
    RETURN_IF_ERROR(CheckEtag("activity.etag", req.activity().etag(), r.version));
    if (r.state == v1::ACTIVITY_STATE_CANCELLED) {
      return FieldStatus(absl::StatusCode::kFailedPrecondition, "activity.name", "the activity was cancelled",
                         "ACTIVITY_CANCELLED");
    }
    if (r.state == v1::ACTIVITY_STATE_HELD) {
      for (const auto& p : paths) {
        if (std::find(std::begin(kAfterHeld), std::end(kAfterHeld), p) == std::end(kAfterHeld)) {
          return FieldStatus(absl::StatusCode::kFailedPrecondition, "update_mask",
                             "once held, only the minutes and photos change", "ACTIVITY_HELD");
        }
      }
    }
    v1::Activity next = ActivityProto(r);
    ApplyMask(req.activity(), paths, &next);
    Validator whole;  // the result as a whole: times in order, a radius with a venue
    CheckActivity(next, {"start_time", "end_time", "check_in_radius_meters"}, clock_.Now(), whole);
    if (next.check_in_radius_meters() > 0 && !next.has_venue()) whole.Add("activity.venue", "a radius needs the venue");
    RETURN_IF_ERROR(whole.status());
    const store::ActivityRecord before = r;
    FromProto(next, r);
    RETURN_IF_ERROR(SaveChange(db, c, NowUs(), r, store::UpdateActivity, Entry(r, "update", Changes(before, r))));
    RETURN_IF_ERROR(store::Tally(db, {&r}));
    *out = ActivityProto(r);
    return absl::OkStatus();
  });
}

absl::Status ActivityLogic::ListActivities(const CallContext& c, const v1::ListActivitiesRequest& req,
                                           v1::ListActivitiesResponse* out) {
  Validator v;
  store::ActivityFilter f;
  const std::string member = kMembers.IdOf(req.parent());
  if (member.empty()) v.Name("parent", req.parent(), kOrgUnits);
  v.Check(req.type() == 0 || v1::ActivityType_IsValid(req.type()), "type", "must be one of the activity types");
  v.Check(req.state() == 0 || v1::ActivityState_IsValid(req.state()), "state", "must be one of the states");
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(int size, PageSize(req.page_size(), 50, 500));
  f.type = req.type();
  f.state = req.state();
  if (req.has_start_after()) f.start_after_us = TimestampUs(req.start_after());
  if (req.has_start_before()) f.start_before_us = TimestampUs(req.start_before());
  if (!member.empty()) {
    // A member's own list; staff may read a member's only through the units.
    if (CallerMemberId(c) != member || !c.principal.HasRole(kRoleMember)) {
      return OutsideSubtree(req.parent(), "parent");
    }
    f.member_id = member;
  } else {
    if (!IsStaff(c)) {
      return WithReason(absl::PermissionDeniedError("members list their own activities: parent members/{id}"),
                        "ROLE_REQUIRED");
    }
    ASSIGN_OR_RETURN(Unit unit, UnitInScope(c, kOrgUnits.IdOf(req.parent()), "parent"));
    if (req.include_subtree()) {
      f.path_prefix = unit.path;
    } else {
      f.unit_id = unit.id;
    }
  }
  v1::ListActivitiesRequest query = req;
  query.clear_page_size();
  query.clear_page_token();
  const std::string fp = absl::StrCat("activities|", absl::BytesToHexString(query.SerializeAsString()));
  ASSIGN_OR_RETURN(std::string after, tokens_.Decode(req.page_token(), fp));
  return db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto rows, store::ListActivities(db, f, after, size + 1));
    std::vector<store::ActivityRecord*> page;
    for (size_t i = 0; i < rows.size() && i < static_cast<size_t>(size); ++i) page.push_back(&rows[i]);
    RETURN_IF_ERROR(store::Tally(db, page));
    EmitPage(
        rows, size, tokens_, fp, [&](const auto& r) { *out->add_activities() = ActivityProto(r); },
        [](const auto& r) { return store::ActivityCursor(r); }, out->mutable_next_page_token());
    return absl::OkStatus();
  });
}

absl::Status ActivityLogic::CancelActivity(const CallContext& c, const v1::CancelActivityRequest& req,
                                           v1::Activity* out) {
  Validator v;
  v.Name("name", req.name(), kActivities);
  v.Text("reason", req.reason(), 1, 200);
  RETURN_IF_ERROR(v.status());
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(store::ActivityRecord r, LoadForStaff(db, c, req.name(), "name", " FOR UPDATE"));
    RETURN_IF_ERROR(CheckEtag("etag", req.etag(), r.version));
    if (r.state != v1::ACTIVITY_STATE_PLANNED) {
      return FieldStatus(absl::StatusCode::kFailedPrecondition, "name", "only a planned activity is cancelled",
                         r.state == v1::ACTIVITY_STATE_HELD ? "ACTIVITY_HELD" : "ACTIVITY_CANCELLED");
    }
    const store::ActivityRecord before = r;
    r.state = v1::ACTIVITY_STATE_CANCELLED;
    r.cancel_reason = req.reason();
    ChangeSet changes = Changes(before, r);
    changes.Set("reason", req.reason());
    RETURN_IF_ERROR(SaveChange(db, c, NowUs(), r, store::UpdateActivity, Entry(r, "cancel", changes)));
    RETURN_IF_ERROR(store::Tally(db, {&r}));
    *out = ActivityProto(r);
    return absl::OkStatus();
  });
}

absl::Status ActivityLogic::HoldActivity(const CallContext& c, const v1::HoldActivityRequest& req, v1::Activity* out) {
  Validator v;
  v.Name("name", req.name(), kActivities);
  RETURN_IF_ERROR(v.status());
  return db_.Transact([&](Db& db) -> absl::Status {
    // The lock waits for check-ins in flight (they read it shared).
    ASSIGN_OR_RETURN(store::ActivityRecord r, LoadForStaff(db, c, req.name(), "name", " FOR UPDATE"));
    RETURN_IF_ERROR(CheckEtag("etag", req.etag(), r.version));
    if (r.state != v1::ACTIVITY_STATE_PLANNED) {
      return FieldStatus(absl::StatusCode::kFailedPrecondition, "name", "only a planned activity is held",
                         r.state == v1::ACTIVITY_STATE_HELD ? "ACTIVITY_HELD" : "ACTIVITY_CANCELLED");
    }
    if (NowUs() < r.start_us) {
      return FieldStatus(absl::StatusCode::kFailedPrecondition, "name", "the activity has not started", "NOT_STARTED");
    }
    const auto type = static_cast<v1::ActivityType>(r.type);
    const int minutes = CountsForStudy(type) ? static_cast<int>((r.end_us - r.start_us) / 60000000) : 0;
    RETURN_IF_ERROR(store::CloseAttendances(db, r.id, minutes));
    const store::ActivityRecord before = r;
    RETURN_IF_ERROR(store::Tally(db, {&r}));  // the counts, frozen as the state moves on
    r.state = v1::ACTIVITY_STATE_HELD;
    r.valid = IsValid(type, r.voting_expected, r.voting_present, r.present);
    // Points to those present (within the district's caps), and service
    // hours for volunteer service.
    ASSIGN_OR_RETURN(std::vector<std::string> present, store::PresentMembers(db, r.id));
    std::vector<Credit> credits;
    for (const auto& m : present) {
      for (int ledger : {kHours, kPoints}) {
        if (ledger == kHours && type != v1::ACTIVITY_TYPE_VOLUNTEER_SERVICE) continue;
        Credit cr;
        cr.district_id = r.district_id;
        cr.member_id = m;
        cr.ledger = ledger;
        cr.minutes = (r.end_us - r.start_us) / 60000000;
        cr.source = kActivities.Name(r.id);
        cr.point_source = ledger == kPoints ? v1::POINT_SOURCE_ACTIVITY_ATTENDED : 0;
        cr.activity_type = r.type;
        cr.source_key = absl::StrCat("activity:", r.id, ":", m, ":", ledger);
        cr.at = absl::FromUnixMicros(r.start_us);
        cr.memo = r.title;
        credits.push_back(std::move(cr));
      }
    }
    RETURN_IF_ERROR(WriteCredits(db, credits, c.principal.subject, NowUs()).status());
    ChangeSet changes = Changes(before, r);
    changes.Set("present", absl::StrCat(r.present));
    changes.Set("valid", r.valid ? "true" : "false");
    RETURN_IF_ERROR(SaveChange(db, c, NowUs(), r, store::UpdateActivity, Entry(r, "hold", changes)));
    *out = ActivityProto(r);
    return absl::OkStatus();
  });
}

}  // namespace lianxin::activity
