// DispatchLogic: request categories and the working-day calendar, data per
// district (orgUnits/{district}/categories/{code}).
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/field_mask.h"
#include "common/history.h"
#include "common/names.h"
#include "common/status.h"
#include "common/validate.h"
#include "services/dispatch/dispatch_logic.h"

namespace lianxin::dispatch {
namespace {

v1::Category CategoryProto(const store::CategoryRecord& r) {
  v1::Category p;
  p.set_name(CategoryName(r.district_id, r.code));
  p.set_display_name(r.display_name);
  if (r.limit_hours > 0) p.set_limit_hours(r.limit_hours);
  if (r.limit_working_days > 0) p.set_limit_working_days(r.limit_working_days);
  for (const auto& s : r.skills) p.add_skills(s);
  p.set_grabbable(r.grabbable);
  p.set_etag(EtagOf(r.version));
  return p;
}

// What UpdateCategory may change; a time limit is hours or working days,
// so naming either replaces both.
constexpr absl::string_view kUpdatable[] = {"display_name", "limit_hours", "limit_working_days", "skills", "grabbable"};

// Checks the fields `paths` name (every field when empty).
void CheckCategory(const v1::Category& c, const std::vector<std::string>& paths, Validator& v) {
  auto wants = [&](const char* p) { return paths.empty() || Masks(paths, p); };
  if (wants("display_name")) v.Text("category.display_name", c.display_name(), 1, 50);
  if (wants("limit_hours") || wants("limit_working_days")) {
    bool hours = c.limit_hours() > 0, days = c.limit_working_days() > 0;
    v.Check(hours != days, "category.limit_hours", "give exactly one of limit_hours and limit_working_days");
    v.Check(c.limit_hours() >= 0 && c.limit_hours() <= 24 * 90, "category.limit_hours", "must be 0..2160");
    v.Check(c.limit_working_days() >= 0 && c.limit_working_days() <= 60, "category.limit_working_days",
            "must be 0..60");
  }
  if (wants("skills")) {
    v.Check(c.skills_size() <= 10, "category.skills", "at most 10 skills");
    for (const auto& s : c.skills()) v.Text("category.skills", s, 1, 30);
  }
}

void FromProto(const v1::Category& c, store::CategoryRecord& r) {
  r.display_name = c.display_name();
  r.limit_hours = c.limit_hours();
  r.limit_working_days = c.limit_working_days();
  r.skills.assign(c.skills().begin(), c.skills().end());
  r.grabbable = c.grabbable();
}

// A category's fields as its history shows them.
ChangeSet Changes(const store::CategoryRecord& before, const store::CategoryRecord& after) {
  ChangeSet changes;
  changes.Changed("display_name", before.display_name, after.display_name);
  changes.Changed("limit_hours", absl::StrCat(before.limit_hours), absl::StrCat(after.limit_hours));
  changes.Changed("limit_working_days", absl::StrCat(before.limit_working_days),
                  absl::StrCat(after.limit_working_days));
  changes.Changed("skills", absl::StrJoin(before.skills, ","), absl::StrJoin(after.skills, ","));
  changes.Changed("grabbable", before.grabbable ? "true" : "false", after.grabbable ? "true" : "false");
  return changes;
}

}  // namespace

absl::Status DispatchLogic::RequireDistrictOperator(const CallContext& c, const std::string& district_id,
                                                    const std::string& field) {
  if (!c.principal.HasRole(kRoleOperator)) {
    return WithReason(absl::PermissionDeniedError("categories and the calendar are changed by operators"),
                      "ROLE_REQUIRED");
  }
  if (c.principal.IsPlatformWide()) return absl::OkStatus();
  if (c.principal.org_scope != district_id) {  // the id of the unit the token is scoped to
    return OutsideSubtree(kOrgUnits.Name(district_id), field);
  }
  return absl::OkStatus();
}

absl::StatusOr<store::CategoryRecord> DispatchLogic::CategoryOf(Db& db, const std::string& district_id,
                                                                const std::string& code, const std::string& field) {
  ASSIGN_OR_RETURN(auto rec, store::GetCategory(db, district_id, code, false));
  if (!rec.has_value()) {
    return ResourceNotFound(kCategoryType, CategoryName(district_id, code), field);
  }
  return *std::move(rec);
}

absl::StatusOr<store::CategoryRecord> DispatchLogic::CachedCategory(const std::string& district_id,
                                                                    const std::string& code, const std::string& field) {
  const std::string key = absl::StrCat(district_id, "/", code);
  store::CategoryRecord rec;
  if (categories_.Get(key, &rec)) return rec;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(rec, CategoryOf(db, district_id, code, field));
    return absl::OkStatus();
  }));
  categories_.Put(key, rec);
  return rec;
}

absl::Status DispatchLogic::CreateCategory(const CallContext& c, const v1::CreateCategoryRequest& req,
                                           v1::Category* out) {
  Validator v;
  std::string district = v.Name("parent", req.parent(), kOrgUnits);
  v.Check(IsCategoryCode(req.category_id()), "category_id", "must be 1-32 of [a-z0-9-]");
  CheckCategory(req.category(), {}, v);
  RETURN_IF_ERROR(v.status());
  RETURN_IF_ERROR(RequireDistrictOperator(c, district, "parent"));
  store::CategoryRecord rec;
  rec.district_id = district;
  rec.code = req.category_id();
  FromProto(req.category(), rec);
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto existing, store::GetCategory(db, district, rec.code, true));
    if (existing.has_value()) {
      // The same definition again is a retry; another one is a conflict.
      store::CategoryRecord same = *existing;
      FromProto(req.category(), same);
      if (same.display_name == existing->display_name && same.limit_hours == existing->limit_hours &&
          same.limit_working_days == existing->limit_working_days && same.skills == existing->skills &&
          same.grabbable == existing->grabbable) {
        *out = CategoryProto(*existing);
        return absl::OkStatus();
      }
      return FieldStatus(absl::StatusCode::kAlreadyExists, "category_id", "a category with this code exists",
                         "CATEGORY_EXISTS");
    }
    RETURN_IF_ERROR(store::InsertCategory(db, rec));
    RETURN_IF_ERROR(RecordHistory(db, c,
                                  {district, kOrgUnits.Name(district), CategoryName(district, rec.code), "create",
                                   Changes(store::CategoryRecord{}, rec)},
                                  NowUs()));
    *out = CategoryProto(rec);
    return absl::OkStatus();
  });
}

absl::Status DispatchLogic::GetCategory(const CallContext& c, const v1::GetCategoryRequest& req, v1::Category* out) {
  (void)c;  // categories are public within the platform
  auto [district, code] = ParseCategoryName(req.name());
  if (district.empty()) return FieldError("name", "must be orgUnits/{district}/categories/{code}");
  return db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(store::CategoryRecord rec, CategoryOf(db, district, code, "name"));
    *out = CategoryProto(rec);
    return absl::OkStatus();
  });
}

absl::Status DispatchLogic::UpdateCategory(const CallContext& c, const v1::UpdateCategoryRequest& req,
                                           v1::Category* out) {
  auto [district, code] = ParseCategoryName(req.category().name());
  Validator v;
  if (district.empty()) v.Add("category.name", "must be orgUnits/{district}/categories/{code}");
  std::vector<std::string> paths = MaskPaths(v, req.update_mask(), kUpdatable);
  if (v.ok()) CheckCategory(req.category(), paths, v);
  if (Masks(paths, "limit_hours") != Masks(paths, "limit_working_days")) {
    paths.push_back(Masks(paths, "limit_hours") ? "limit_working_days" : "limit_hours");
  }
  RETURN_IF_ERROR(v.status());
  RETURN_IF_ERROR(RequireDistrictOperator(c, district, "category.name"));
  categories_.Clear();  // before and after: a submission meanwhile may read the old one
  absl::Status s = db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto rec, store::GetCategory(db, district, code, true));
    if (!rec.has_value()) return ResourceNotFound(kCategoryType, req.category().name(), "category.name");
    RETURN_IF_ERROR(CheckEtag("category.etag", req.category().etag(), rec->version));
    v1::Category next = CategoryProto(*rec);
    ApplyMask(req.category(), paths, &next);
    const store::CategoryRecord before = *rec;
    FromProto(next, *rec);
    RETURN_IF_ERROR(
        SaveChange(db, c, NowUs(), *rec, store::UpdateCategory,
                   {district, kOrgUnits.Name(district), req.category().name(), "update", Changes(before, *rec)}));
    *out = CategoryProto(*rec);
    return absl::OkStatus();
  });
  categories_.Clear();
  return s;
}

absl::Status DispatchLogic::ListCategories(const CallContext& c, const v1::ListCategoriesRequest& req,
                                           v1::ListCategoriesResponse* out) {
  (void)c;
  Validator v;
  std::string district = v.Name("parent", req.parent(), kOrgUnits);
  RETURN_IF_ERROR(v.status());
  return db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto rows, store::ListCategories(db, district));
    for (const auto& r : rows) *out->add_categories() = CategoryProto(r);
    return absl::OkStatus();
  });
}

absl::Status DispatchLogic::SetCalendarDays(const CallContext& c, const v1::SetCalendarDaysRequest& req,
                                            v1::SetCalendarDaysResponse* out) {
  Validator v;
  std::string district = v.Name("parent", req.parent(), kOrgUnits);
  v.Check(req.days_size() >= 1 && req.days_size() <= 400, "days", "give 1..400 days");
  for (int i = 0; i < req.days_size(); ++i) {
    v.Date(absl::StrCat("days[", i, "].date"), req.days(i).date(), true);
    v.Text(absl::StrCat("days[", i, "].label"), req.days(i).label(), 0, 50);
  }
  RETURN_IF_ERROR(v.status());
  RETURN_IF_ERROR(RequireDistrictOperator(c, district, "parent"));
  absl::Status s = db_.Transact([&](Db& db) -> absl::Status {
    ChangeSet changes;
    for (const auto& d : req.days()) {
      RETURN_IF_ERROR(store::SetCalendarDay(db, district, {d.date(), d.kind(), d.label()}));
      if (d.kind() != v1::DAY_KIND_UNSPECIFIED) *out->add_days() = d;
      changes.Set(d.date(), v1::DayKind_Name(d.kind()));
    }
    return RecordHistory(db, c, {district, kOrgUnits.Name(district), "", "calendar", changes}, NowUs());
  });
  calendars_.Clear();
  return s;
}

absl::Status DispatchLogic::ListCalendarDays(const CallContext& c, const v1::ListCalendarDaysRequest& req,
                                             v1::ListCalendarDaysResponse* out) {
  (void)c;
  Validator v;
  std::string district = v.Name("parent", req.parent(), kOrgUnits);
  v.Check(req.year() >= 2000 && req.year() <= 2100, "year", "must be 2000..2100");
  RETURN_IF_ERROR(v.status());
  return db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto rows, store::ListCalendarDays(db, district, absl::StrCat(req.year(), "-01-01"),
                                                        absl::StrCat(req.year(), "-12-31")));
    for (const auto& r : rows) {
      auto* d = out->add_days();
      d->set_date(r.date);
      d->set_kind(static_cast<v1::DayKind>(r.kind));
      if (!r.label.empty()) d->set_label(r.label);
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<CalendarExceptions> DispatchLogic::CachedExceptions(const std::string& district_id, absl::Time from) {
  const std::string key = absl::StrCat(district_id, "/", BeijingDate(from));
  CalendarExceptions days;
  if (calendars_.Get(key, &days)) return days;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(days, Exceptions(db, district_id, from));
    return absl::OkStatus();
  }));
  calendars_.Put(key, days);
  return days;
}

absl::StatusOr<CalendarExceptions> DispatchLogic::Exceptions(Db& db, const std::string& district_id, absl::Time from) {
  absl::CivilDay day = BeijingDay(from);
  ASSIGN_OR_RETURN(auto rows, store::ListCalendarDays(db, district_id, absl::FormatCivilTime(day),
                                                      absl::FormatCivilTime(day + 200)));
  CalendarExceptions out;
  for (const auto& r : rows) out[r.date] = r.kind;
  return out;
}

}  // namespace lianxin::dispatch
