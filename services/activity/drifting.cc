// ActivityLogic: the early warning — members expected at held activities of
// the last months who took part in none (the drifting members of seeds 000 to
// 002), listed per subtree and raised as to-dos of their units.
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/names.h"
#include "common/status.h"
#include "common/timestamps.h"
#include "common/validate.h"
#include "services/activity/activity_logic.h"

namespace lianxin::activity {
namespace {

// The start of the window: `months` months before `now`, Beijing time.
int64_t WindowStart(absl::Time now, int months) {
  const absl::CivilDay today = BeijingDay(now);
  const absl::CivilMonth start = absl::CivilMonth(today) - months;
  const absl::CivilDay day(start.year(), start.month(), today.day());  // normalised past a month's end
  return absl::ToUnixMicros(absl::FromCivil(day, BeijingTime()));
}

}  // namespace

absl::Status ActivityLogic::ListDriftingMembers(const CallContext& c, const v1::ListDriftingMembersRequest& req,
                                                v1::ListDriftingMembersResponse* out) {
  Validator v;
  std::string unit_id = v.Name("parent", req.parent(), kOrgUnits);
  const int months = req.months() == 0 ? settings_.drift_months : req.months();
  v.Check(months >= 1 && months <= 24, "months", "must be 1..24");
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(int size, PageSize(req.page_size(), 50, 200));
  const std::string fp = absl::StrCat("drifting|", unit_id, "|", months);
  ASSIGN_OR_RETURN(std::string after, tokens_.Decode(req.page_token(), fp));
  ASSIGN_OR_RETURN(Unit unit, UnitInScope(c, unit_id, "parent"));
  const absl::Time now = clock_.Now();
  std::vector<store::DriftRow> rows;
  std::map<std::string, int64_t> last;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(rows, store::Drifting(db, unit.district_id, unit.path, WindowStart(now, months), after, size + 1));
    std::vector<std::string> ids;
    for (const auto& r : rows) ids.push_back(r.member_id);
    ASSIGN_OR_RETURN(last, store::LastPresent(db, ids));
    return absl::OkStatus();
  }));
  const int this_year = static_cast<int>(BeijingDay(now).year());
  for (size_t i = 0; i < rows.size() && i < static_cast<size_t>(size); ++i) {
    const store::DriftRow& r = rows[i];
    v1::DriftingMember* m = out->add_members();
    m->set_member(kMembers.Name(r.member_id));
    m->set_display_name(r.display_name);
    m->set_org_unit(kOrgUnits.Name(r.unit_id));
    m->set_expected(r.expected);
    m->set_leave(r.leave);
    m->set_home_study(r.home_study);
    m->set_online_study(r.online_study);
    if (auto it = last.find(r.member_id); it != last.end()) SetTimestampUs(it->second, m->mutable_last_present_time());
    // Who they are, from their record (kept a while): asked after the read.
    absl::StatusOr<member::v1::Member> record = dirs_.Member(c, m->member(), "parent");
    if (!record.ok()) continue;  // left the platform since: listed without
    for (int cat : record->categories()) m->add_categories(static_cast<member::v1::Category>(cat));
    int born = 0;
    if (record->birth_date().size() >= 4 && absl::SimpleAtoi(record->birth_date().substr(0, 4), &born) && born > 0) {
      m->set_age(this_year - born);
    }
  }
  if (rows.size() > static_cast<size_t>(size)) {
    out->set_next_page_token(tokens_.Encode(fp, rows[static_cast<size_t>(size) - 1].member_id));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<TodoItem>> ActivityLogic::DueTodos(Db& db, absl::Time now) {
  {
    absl::MutexLock lock(&due_mu_);
    if (now - due_at_ < settings_.drift_sweep) return due_;
  }
  ASSIGN_OR_RETURN(auto rows, store::Drifting(db, "", "", WindowStart(now, settings_.drift_months), "", 0));
  std::vector<TodoItem> due;
  for (const auto& r : rows) {
    due.push_back({r.unit_id, org::v1::TODO_KIND_MEMBER_DRIFTING, kMembers.Name(r.member_id),
                   absl::StrCat(r.display_name, " has taken part in nothing for ", settings_.drift_months, " months (",
                                r.expected, " expected)"),
                   ""});
  }
  absl::MutexLock lock(&due_mu_);
  due_ = due;
  due_at_ = now;
  return due;
}

absl::Status ActivityLogic::SweepTodos(const lianxin::DueTodos& also) {
  auto due = [&](Db& db, absl::Time now) -> absl::StatusOr<std::vector<TodoItem>> {
    ASSIGN_OR_RETURN(std::vector<TodoItem> items, DueTodos(db, now));
    ASSIGN_OR_RETURN(std::vector<TodoItem> more, also(db, now));
    items.insert(items.end(), more.begin(), more.end());
    return items;
  };
  return lianxin::SweepTodos(db_, clock_.Now(), due).status();
}

absl::Status ActivityLogic::ListTodoChanges(const CallContext&, const org::v1::ListTodoChangesRequest& req,
                                            org::v1::ListTodoChangesResponse* out) {
  return lianxin::ListTodoChanges(db_, req, out);
}

}  // namespace lianxin::activity
