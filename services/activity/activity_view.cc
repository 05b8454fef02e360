// ActivityLogic: an activity and an attendance as messages, who the caller
// is, and the checks of an activity's fields.
#include "services/activity/activity_view.h"

#include "absl/strings/str_cat.h"
#include "common/auth.h"
#include "common/names.h"
#include "common/timestamps.h"
#include "services/activity/activity_logic.h"

namespace lianxin::activity {
namespace {

void SetPoint(const std::pair<int, int>& e6, v1::GeoPoint* p) {
  p->set_latitude(e6.first / 1e6);
  p->set_longitude(e6.second / 1e6);
}

}  // namespace

std::string CallerMemberId(const CallContext& c) { return kMembers.IdOf(c.principal.subject); }

bool IsStaff(const CallContext& c) {
  return c.principal.HasAnyRole({kRoleOperator, kRoleSecretary, kRoleAuditor}) && c.access == Access::kFull;
}

v1::Activity ActivityProto(const store::ActivityRecord& r) {
  v1::Activity p;
  p.set_name(kActivities.Name(r.id));
  p.set_type(static_cast<v1::ActivityType>(r.type));
  p.set_host_unit(kOrgUnits.Name(r.host_unit_id));
  p.set_host(r.host);
  p.set_title(r.title);
  if (!r.lecturer.empty()) p.set_lecturer(r.lecturer);
  if (!r.place.empty()) p.set_place(r.place);
  SetTimestampUs(r.start_us, p.mutable_start_time());
  SetTimestampUs(r.end_us, p.mutable_end_time());
  if (!r.agenda.empty()) p.set_agenda(r.agenda);
  if (!r.minutes.empty()) p.set_minutes(r.minutes);
  for (const auto& u : r.photo_urls) p.add_photo_urls(u);
  p.set_open(r.open);
  if (r.venue_e6) SetPoint(*r.venue_e6, p.mutable_venue());
  if (r.radius_m > 0) p.set_check_in_radius_meters(r.radius_m);
  for (const auto& m : r.delivered_to) p.add_delivered_to(kMembers.Name(m));
  p.set_state(static_cast<v1::ActivityState>(r.state));
  p.set_expected_count(r.expected);
  p.set_voting_expected_count(r.voting_expected);
  p.set_present_count(r.present);
  p.set_voting_present_count(r.voting_present);
  p.set_leave_count(r.leave);
  p.set_absent_count(r.absent);
  if (r.state == v1::ACTIVITY_STATE_HELD) p.set_valid(r.valid);
  if (!r.cancel_reason.empty()) p.set_cancel_reason(r.cancel_reason);
  SetTimestampUs(r.created_us, p.mutable_create_time());
  SetTimestampUs(r.updated_us, p.mutable_update_time());
  p.set_etag(EtagOf(r.version));
  return p;
}

v1::Attendance AttendanceProto(const store::AttendanceRecord& r) {
  v1::Attendance p;
  p.set_name(absl::StrCat(kActivities.Name(r.activity_id), "/attendances/", r.member_id));
  p.set_member(kMembers.Name(r.member_id));
  p.set_display_name(r.display_name);
  p.set_status(static_cast<v1::AttendanceStatus>(r.status));
  p.set_expected(r.expected);
  p.set_voting(r.voting);
  if (!r.leave_reason.empty()) p.set_leave_reason(r.leave_reason);
  if (r.check_in_us > 0) SetTimestampUs(r.check_in_us, p.mutable_check_in_time());
  if (r.check_in_method != 0) p.set_check_in_method(static_cast<v1::CheckInMethod>(r.check_in_method));
  if (r.location_e6) SetPoint(*r.location_e6, p.mutable_location());
  if (r.study_minutes > 0) p.set_study_hours(r.study_minutes / 60.0);
  p.set_etag(EtagOf(r.version));
  return p;
}

void CheckGeoPoint(const v1::GeoPoint& p, const std::string& field, Validator& v) {
  v.Check(p.latitude() >= -90 && p.latitude() <= 90, field + ".latitude", "must be -90..90");
  v.Check(p.longitude() >= -180 && p.longitude() <= 180, field + ".longitude", "must be -180..180");
}

std::pair<int, int> E6(const v1::GeoPoint& p) {
  return {static_cast<int>(p.latitude() * 1e6), static_cast<int>(p.longitude() * 1e6)};
}

void CheckActivity(const v1::Activity& a, const std::vector<std::string>& paths, absl::Time now, Validator& v) {
  auto wants = [&](const char* p) { return paths.empty() || std::find(paths.begin(), paths.end(), p) != paths.end(); };
  if (paths.empty()) {
    v.Check(a.type() != v1::ACTIVITY_TYPE_UNSPECIFIED && v1::ActivityType_IsValid(a.type()), "activity.type",
            "must be one of the activity types");
    if (!a.host().empty()) v.Name("activity.host", a.host(), kMembers);
    const bool home = a.type() == v1::ACTIVITY_TYPE_HOME_STUDY;
    v.Check(!home || (a.delivered_to_size() >= 1 && a.delivered_to_size() <= 50), "activity.delivered_to",
            "study delivered at home names the 1-50 members it is delivered to");
    v.Check(home || a.delivered_to_size() == 0, "activity.delivered_to", "only for study delivered at home");
    for (const auto& m : a.delivered_to()) v.Name("activity.delivered_to", m, kMembers);
  }
  if (wants("title")) v.Text("activity.title", a.title(), 1, 200);
  if (wants("lecturer")) v.Text("activity.lecturer", a.lecturer(), 0, 100);
  if (wants("place")) v.Text("activity.place", a.place(), 0, 200);
  if (wants("agenda")) v.LongText("activity.agenda", a.agenda(), 5000);
  if (wants("minutes")) v.LongText("activity.minutes", a.minutes(), 20000);
  if (wants("photo_urls")) v.HttpsLinks("activity.photo_urls", a.photo_urls(), 9);
  if (wants("venue") && a.has_venue()) CheckGeoPoint(a.venue(), "activity.venue", v);
  if (wants("check_in_radius_meters")) {
    v.Check(a.check_in_radius_meters() >= 0 && a.check_in_radius_meters() <= 5000, "activity.check_in_radius_meters",
            "must be 0..5000");
    v.Check(a.check_in_radius_meters() == 0 || a.has_venue() || !paths.empty(), "activity.venue",
            "a check-in radius needs the venue");
  }
  if (wants("start_time") || wants("end_time")) {
    const int64_t start = TimestampUs(a.start_time()), end = TimestampUs(a.end_time());
    const int64_t now_us = absl::ToUnixMicros(now), year = int64_t{366} * 24 * 3600 * 1000000;
    v.Check(a.has_start_time() && start > now_us - year && start < now_us + year, "activity.start_time",
            "must be within a year of today");
    v.Check(a.has_end_time() && end > start && end - start <= int64_t{12} * 3600 * 1000000, "activity.end_time",
            "must be after the start, at most 12 hours later");
  }
}

void FromProto(const v1::Activity& a, store::ActivityRecord& r) {
  r.title = a.title();
  r.lecturer = a.lecturer();
  r.place = a.place();
  r.start_us = TimestampUs(a.start_time());
  r.end_us = TimestampUs(a.end_time());
  r.start_date = BeijingDate(absl::FromUnixMicros(r.start_us));
  r.agenda = a.agenda();
  r.minutes = a.minutes();
  r.photo_urls.assign(a.photo_urls().begin(), a.photo_urls().end());
  r.open = a.open();
  r.venue_e6.reset();
  if (a.has_venue()) r.venue_e6 = E6(a.venue());
  r.radius_m = a.check_in_radius_meters();
}

}  // namespace lianxin::activity
