// SQL for categories and the working-day calendar.
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/status.h"
#include "services/dispatch/dispatch_store.h"

namespace lianxin::dispatch::store {
namespace {

constexpr char kCols[] = "district_id, code, display_name, limit_hours, limit_working_days, skills, grabbable, version";

CategoryRecord Read(const Row& r) {
  CategoryRecord c;
  c.district_id = r.Str("district_id");
  c.code = r.Str("code");
  c.display_name = r.Str("display_name");
  c.limit_hours = static_cast<int>(r.Int("limit_hours"));
  c.limit_working_days = static_cast<int>(r.Int("limit_working_days"));
  c.skills = absl::StrSplit(r.Str("skills"), '\n', absl::SkipEmpty());
  c.grabbable = r.Int("grabbable") != 0;
  c.version = r.Int("version");
  return c;
}

}  // namespace

absl::Status InsertCategory(Db& db, const CategoryRecord& c) {
  return db
      .Exec(absl::StrCat("INSERT INTO categories (", kCols, ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
            {c.district_id, c.code, c.display_name, int64_t{c.limit_hours}, int64_t{c.limit_working_days},
             absl::StrJoin(c.skills, "\n"), int64_t{c.grabbable ? 1 : 0}, c.version})
      .status();
}

absl::Status UpdateCategory(Db& db, const CategoryRecord& c) {
  return db
      .Exec(
          "UPDATE categories SET display_name = ?, limit_hours = ?, limit_working_days = ?, skills = ?, "
          "grabbable = ?, version = ? WHERE district_id = ? AND code = ?",
          {c.display_name, int64_t{c.limit_hours}, int64_t{c.limit_working_days}, absl::StrJoin(c.skills, "\n"),
           int64_t{c.grabbable ? 1 : 0}, c.version, c.district_id, c.code})
      .status();
}

absl::StatusOr<std::optional<CategoryRecord>> GetCategory(Db& db, const std::string& district_id,
                                                          const std::string& code, bool for_update) {
  std::optional<CategoryRecord> out;
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT ", kCols, " FROM categories WHERE district_id = ? AND code = ?",
                                        for_update ? " FOR UPDATE" : ""),
                           {district_id, code}, [&](const Row& r) { out = Read(r); }));
  return out;
}

absl::StatusOr<std::vector<CategoryRecord>> ListCategories(Db& db, const std::string& district_id) {
  std::vector<CategoryRecord> out;
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT ", kCols, " FROM categories WHERE district_id = ? ORDER BY code"),
                           {district_id}, [&](const Row& r) { out.push_back(Read(r)); }));
  return out;
}

absl::Status SetCalendarDay(Db& db, const std::string& district_id, const CalendarDayRecord& d) {
  if (d.kind == 0) {
    return db.Exec("DELETE FROM calendar_days WHERE district_id = ? AND day = ?", {district_id, d.date}).status();
  }
  return db
      .Exec(
          "INSERT INTO calendar_days (district_id, day, kind, label) VALUES (?, ?, ?, ?) "
          "ON DUPLICATE KEY UPDATE kind = VALUES(kind), label = VALUES(label)",
          {district_id, d.date, int64_t{d.kind}, d.label})
      .status();
}

absl::StatusOr<std::vector<CalendarDayRecord>> ListCalendarDays(Db& db, const std::string& district_id,
                                                                const std::string& from, const std::string& to) {
  std::vector<CalendarDayRecord> out;
  RETURN_IF_ERROR(
      db.Query("SELECT DATE_FORMAT(day, '%Y-%m-%d') AS day, kind, label FROM calendar_days "
               "WHERE district_id = ? AND day >= ? AND day <= ? ORDER BY day",
               {district_id, from, to}, [&](const Row& r) {
                 out.push_back({r.Str("day"), static_cast<int>(r.Int("kind")), r.Str("label")});
               }));
  return out;
}

}  // namespace lianxin::dispatch::store
