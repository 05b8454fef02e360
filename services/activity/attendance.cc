// ActivityLogic: attendance — signing up, leave, the rotating check-in code,
// checking in, what the host records, and the list
// (activities/{id}/attendances/{member}).
#include <memory>
#include <optional>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/auth.h"
#include "common/names.h"
#include "common/status.h"
#include "common/timestamps.h"
#include "common/validate.h"
#include "services/activity/activity_logic.h"
#include "services/activity/activity_view.h"
#include "services/activity/rules.h"

namespace lianxin::activity {
namespace {

// Check-ins open an hour before the start and close at the end.
constexpr absl::Duration kCheckInOpens = absl::Hours(1);

absl::Status RequirePlanned(const store::ActivityRecord& a, const std::string& field) {
  if (a.state == v1::ACTIVITY_STATE_PLANNED) return absl::OkStatus();
  return a.state == v1::ACTIVITY_STATE_HELD ? FieldStatus(absl::StatusCode::kFailedPrecondition, field,
                                                          "the activity was held and closed", "ACTIVITY_HELD")
                                            : FieldStatus(absl::StatusCode::kFailedPrecondition, field,
                                                          "the activity was cancelled", "ACTIVITY_CANCELLED");
}

// The row of a member not expected, before its first change.
store::AttendanceRecord NewAttendance(const store::ActivityRecord& a, const std::string& member_id) {
  store::AttendanceRecord rec;
  rec.activity_id = a.id;
  rec.member_id = member_id;
  rec.district_id = a.district_id;
  rec.year = BeijingDay(absl::FromUnixMicros(a.start_us)).year();
  rec.version = 0;
  return rec;
}

absl::Status NotExpected(const std::string& field) {
  return FieldStatus(absl::StatusCode::kFailedPrecondition, field,
                     "the member is not expected at this activity, and it is not open to all", "NOT_EXPECTED");
}

}  // namespace

absl::StatusOr<store::AttendanceRecord> ActivityLogic::ChangeAttendance(
    Db& db, const CallContext& c, const store::ActivityRecord& a, const std::string& member_id,
    const std::string& field, absl::FunctionRef<absl::Status(store::AttendanceRecord&)> change) {
  RETURN_IF_ERROR(RequirePlanned(a, field));
  ASSIGN_OR_RETURN(auto row, store::GetAttendance(db, a.id, member_id, true));
  store::AttendanceRecord rec = row.has_value() ? *std::move(row) : NewAttendance(a, member_id);
  const store::AttendanceRecord before = rec;
  RETURN_IF_ERROR(change(rec));
  if (rec.status == before.status && rec.leave_reason == before.leave_reason && row.has_value()) return rec;
  ++rec.version;
  rec.recorded_by = c.principal.subject;
  RETURN_IF_ERROR(store::PutAttendance(db, rec));
  return rec;
}

namespace {

// Who the member named is, for the caller: a member acts for themselves; the
// host's staff for anyone (checked against the activity later).
absl::StatusOr<std::string> MemberFor(const CallContext& c, const std::string& name, const std::string& field) {
  ASSIGN_OR_RETURN(std::string id, kMembers.Parse(name, field));
  if (IsStaff(c)) return id;
  if (CallerMemberId(c) == id && c.principal.HasRole(kRoleMember)) return id;
  return WithReason(absl::PermissionDeniedError(absl::StrCat(field, ": members answer for themselves")),
                    "NOT_YOURSELF");
}

}  // namespace

absl::Status ActivityLogic::SignUp(const CallContext& c, const v1::SignUpRequest& req, v1::Attendance* out) {
  Validator v;
  v.Name("activity", req.activity(), kActivities);
  v.Name("member", req.member(), kMembers);
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(std::string member, MemberFor(c, req.member(), "member"));
  // A member without a row yet (not expected, at an open activity) needs a
  // name: asked of the member service outside the transaction, which then
  // runs once more. The members expected, most of them, are not asked.
  std::optional<std::string> name;
  auto sign_up = [&] {
    return db_.Transact([&](Db& db) -> absl::Status {
      ASSIGN_OR_RETURN(store::ActivityRecord a, LoadActivity(db, c, req.activity(), "activity", " LOCK IN SHARE MODE"));
      ASSIGN_OR_RETURN(store::AttendanceRecord rec,
                       ChangeAttendance(db, c, a, member, "activity", [&](store::AttendanceRecord& r) -> absl::Status {
                         if (r.status == 0) {
                           if (!a.open && !IsStaff(c)) return NotExpected("member");
                           if (!name.has_value()) return AttendanceWriter::AskFirst();
                           r.display_name = *name;
                         }
                         if (r.status != v1::ATTENDANCE_STATUS_PRESENT) {
                           r.status = v1::ATTENDANCE_STATUS_SIGNED_UP;
                           r.leave_reason.clear();
                         }
                         return absl::OkStatus();
                       }));
      *out = AttendanceProto(rec);
      return absl::OkStatus();
    });
  };
  absl::Status s = sign_up();
  if (ReasonOf(s) != "ASK_FIRST") return s;
  ASSIGN_OR_RETURN(member::v1::Member m, dirs_.Member(c, req.member(), "member"));
  name = m.display_name();
  return sign_up();
}

absl::Status ActivityLogic::RequestLeave(const CallContext& c, const v1::RequestLeaveRequest& req,
                                         v1::Attendance* out) {
  Validator v;
  v.Name("activity", req.activity(), kActivities);
  v.Name("member", req.member(), kMembers);
  v.Text("reason", req.reason(), 1, 200);
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(std::string member, MemberFor(c, req.member(), "member"));
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(store::ActivityRecord a, LoadActivity(db, c, req.activity(), "activity", " LOCK IN SHARE MODE"));
    ASSIGN_OR_RETURN(store::AttendanceRecord rec,
                     ChangeAttendance(db, c, a, member, "activity", [&](store::AttendanceRecord& r) -> absl::Status {
                       if (r.status == 0) return NotExpected("member");
                       if (r.status == v1::ATTENDANCE_STATUS_PRESENT) {
                         return FieldStatus(absl::StatusCode::kFailedPrecondition, "member",
                                            "the member has checked in already", "ALREADY_PRESENT");
                       }
                       r.status = v1::ATTENDANCE_STATUS_LEAVE;
                       r.leave_reason = req.reason();
                       return absl::OkStatus();
                     }));
    *out = AttendanceProto(rec);
    return absl::OkStatus();
  });
}

absl::Status ActivityLogic::GetCheckInCode(const CallContext& c, const v1::GetCheckInCodeRequest& req,
                                           v1::CheckInCode* out) {
  Validator v;
  v.Name("name", req.name(), kActivities);
  RETURN_IF_ERROR(v.status());
  return db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(store::ActivityRecord a, LoadForStaff(db, c, req.name(), "name"));
    RETURN_IF_ERROR(RequirePlanned(a, "name"));
    const absl::Time now = clock_.Now();
    if (now < absl::FromUnixMicros(a.start_us) - kCheckInOpens || now > absl::FromUnixMicros(a.end_us)) {
      return FieldStatus(absl::StatusCode::kFailedPrecondition, "name",
                         "check-in is open from an hour before the start to the end", "CHECK_IN_CLOSED");
    }
    const int64_t window = CodeWindow(now);
    out->set_code(CheckInCodeAt(a.check_in_secret, window));
    SetTimestampUs((window + 2) * kCodeWindowSeconds * 1000000, out->mutable_expire_time());
    return absl::OkStatus();
  });
}

absl::Status ActivityLogic::CheckIn(const CallContext& c, const v1::CheckInRequest& req, v1::Attendance* out,
                                    UnaryDone done) {
  Validator v;
  v.Name("activity", req.activity(), kActivities);
  v.Name("member", req.member(), kMembers);
  v.Check(req.code().size() == 6, "code", "must be the six digits shown at the venue");
  if (req.has_location()) CheckGeoPoint(req.location(), "location", v);
  RETURN_IF_ERROR(v.status());
  const std::string member = kMembers.IdOf(req.member());
  if (CallerMemberId(c) != member || !c.principal.HasRole(kRoleMember)) {
    return WithReason(absl::PermissionDeniedError("member: members check in for themselves"), "NOT_YOURSELF");
  }
  const absl::Time now = clock_.Now();
  auto job = std::make_unique<AttendanceWriter::Job>();
  job->activity_id = kActivities.IdOf(req.activity());
  job->member_id = member;
  job->deadline = c.deadline;
  // A member without a row (at an open activity) is looked up outside the
  // transaction, and the job runs once more.
  auto name = std::make_shared<std::string>();
  job->apply = [&c, &req, now, name, id = job->activity_id, member](
                   const store::ActivityRecord* a, bool exists, store::AttendanceRecord& r) -> absl::StatusOr<bool> {
    // Seen as LoadActivity shows it: to staff over its host, to a member
    // expected at it, to anyone if open.
    if (a == nullptr) return MissingIn(c.principal.IsPlatformWide(), kActivities, id, "activity");
    if (!(IsStaff(c) && c.principal.CoversPath(a->host_path)) && !a->open && !exists) {
      return MissingIn(false, kActivities, a->id, "activity");
    }
    RETURN_IF_ERROR(RequirePlanned(*a, "activity"));
    if (now < absl::FromUnixMicros(a->start_us) - kCheckInOpens || now > absl::FromUnixMicros(a->end_us)) {
      return FieldStatus(absl::StatusCode::kFailedPrecondition, "activity",
                         "check-in is open from an hour before the start to the end", "CHECK_IN_CLOSED");
    }
    if (!CheckInCodeValid(a->check_in_secret, req.code(), now)) {
      return FieldStatus(absl::StatusCode::kFailedPrecondition, "code", "the code is wrong or has expired",
                         "CODE_EXPIRED");
    }
    if (a->radius_m > 0 && a->venue_e6) {
      if (!req.has_location()) {
        return FieldStatus(absl::StatusCode::kFailedPrecondition, "location",
                           "this activity checks where you are: send your location", "LOCATION_REQUIRED");
      }
      const double d = DistanceMeters(a->venue_e6->first / 1e6, a->venue_e6->second / 1e6, req.location().latitude(),
                                      req.location().longitude());
      if (d > a->radius_m) {
        return FieldStatus(
            absl::StatusCode::kFailedPrecondition, "location",
            absl::StrCat("you are ", static_cast<int>(d), " m from the venue; check in within ", a->radius_m, " m"),
            "TOO_FAR");
      }
    }
    if (exists && r.status == v1::ATTENDANCE_STATUS_PRESENT) return false;  // again: as it was
    if (!exists) {
      if (!a->open) return NotExpected("member");
      if (name->empty()) return AttendanceWriter::AskFirst();
      r = NewAttendance(*a, member);
      r.display_name = *name;
    }
    r.status = v1::ATTENDANCE_STATUS_PRESENT;
    r.check_in_us = absl::ToUnixMicros(now);
    r.check_in_method = v1::CHECK_IN_METHOD_CODE;
    if (req.has_location()) r.location_e6 = E6(req.location());
    ++r.version;
    r.recorded_by = c.principal.subject;
    return true;
  };
  job->ask = [this, &c, &req, name]() -> absl::Status {
    ASSIGN_OR_RETURN(member::v1::Member m, dirs_.Member(c, req.member(), "member"));
    *name = m.display_name().empty() ? req.member() : m.display_name();
    return absl::OkStatus();
  };
  job->done = [out, done = std::move(done)](const absl::Status& s, const store::AttendanceRecord& r) {
    if (s.ok()) *out = AttendanceProto(r);
    done(s);
  };
  if (!writer_.Write(std::move(job))) return AtCapacity();
  return absl::OkStatus();
}

absl::Status ActivityLogic::RecordAttendance(const CallContext& c, const v1::RecordAttendanceRequest& req,
                                             v1::RecordAttendanceResponse* out) {
  Validator v;
  v.Name("activity", req.activity(), kActivities);
  v.Check(req.members_size() >= 1 && req.members_size() <= 500, "members", "name 1-500 members");
  std::set<std::string> ids;
  for (int i = 0; i < req.members_size(); ++i) {
    std::string id = v.Name(absl::StrCat("members[", i, "]"), req.members(i), kMembers);
    if (!id.empty() && !ids.insert(id).second) v.Add(absl::StrCat("members[", i, "]"), "named twice");
  }
  const auto status = req.status();
  v.Check(status == v1::ATTENDANCE_STATUS_PRESENT || status == v1::ATTENDANCE_STATUS_LEAVE ||
              status == v1::ATTENDANCE_STATUS_EXPECTED,
          "status", "must be PRESENT, LEAVE or EXPECTED");
  if (status == v1::ATTENDANCE_STATUS_LEAVE) v.Text("leave_reason", req.leave_reason(), 1, 200);
  RETURN_IF_ERROR(v.status());
  // Names of members without a row yet (visitors the host records), asked
  // before the transaction.
  std::map<std::string, std::string> names;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(store::ActivityRecord a, LoadForStaff(db, c, req.activity(), "activity"));
    for (const auto& id : ids) {
      ASSIGN_OR_RETURN(auto row, store::GetAttendance(db, a.id, id, false));
      if (row.has_value()) names[id] = row->display_name;
    }
    return absl::OkStatus();
  }));
  for (int i = 0; i < req.members_size(); ++i) {
    const std::string id = kMembers.IdOf(req.members(i));
    if (names.count(id)) continue;
    if (status != v1::ATTENDANCE_STATUS_PRESENT) return NotExpected(absl::StrCat("members[", i, "]"));
    ASSIGN_OR_RETURN(member::v1::Member m, dirs_.Member(c, req.members(i), absl::StrCat("members[", i, "]")));
    names[id] = m.display_name();
  }
  const int64_t now = NowUs();
  return db_.Transact([&](Db& db) -> absl::Status {
    out->clear_attendances();
    ASSIGN_OR_RETURN(store::ActivityRecord a, LoadForStaff(db, c, req.activity(), "activity", " LOCK IN SHARE MODE"));
    for (const auto& id : ids) {
      ASSIGN_OR_RETURN(store::AttendanceRecord rec,
                       ChangeAttendance(db, c, a, id, "activity", [&](store::AttendanceRecord& r) -> absl::Status {
                         if (r.status == 0) r.display_name = names[id];
                         r.status = status;
                         r.leave_reason = status == v1::ATTENDANCE_STATUS_LEAVE ? req.leave_reason() : "";
                         if (status == v1::ATTENDANCE_STATUS_PRESENT) {
                           r.check_in_us = now;
                           r.check_in_method = v1::CHECK_IN_METHOD_HOST;
                         } else {
                           r.check_in_us = 0;
                           r.check_in_method = 0;
                           r.location_e6.reset();
                         }
                         return absl::OkStatus();
                       }));
      *out->add_attendances() = AttendanceProto(rec);
    }
    return absl::OkStatus();
  });
}

absl::Status ActivityLogic::ListAttendances(const CallContext& c, const v1::ListAttendancesRequest& req,
                                            v1::ListAttendancesResponse* out) {
  Validator v;
  v.Name("parent", req.parent(), kActivities);
  v.Check(req.status() == 0 || v1::AttendanceStatus_IsValid(req.status()), "status", "must be a status");
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(int size, PageSize(req.page_size(), 100, 1000));
  const std::string fp = absl::StrCat("attendances|", req.parent(), "|", req.status());
  ASSIGN_OR_RETURN(std::string after, tokens_.Decode(req.page_token(), fp));
  return db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(store::ActivityRecord a, LoadActivity(db, c, req.parent(), "parent"));
    if (!IsStaff(c) || !c.principal.CoversPath(a.host_path)) {
      // A member sees their own row only.
      ASSIGN_OR_RETURN(auto mine, store::GetAttendance(db, a.id, CallerMemberId(c), false));
      if (mine.has_value() && (req.status() == 0 || mine->status == req.status()) && after.empty()) {
        *out->add_attendances() = AttendanceProto(*mine);
      }
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(auto rows, store::ListAttendances(db, a.id, req.status(), after, size + 1));
    EmitPage(
        rows, size, tokens_, fp, [&](const auto& r) { *out->add_attendances() = AttendanceProto(r); },
        [](const auto& r) { return r.member_id; }, out->mutable_next_page_token());
    return absl::OkStatus();
  });
}

}  // namespace lianxin::activity
