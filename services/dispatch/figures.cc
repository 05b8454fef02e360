// DispatchLogic: figures per subtree and period, the outbox for other
// services, and clear phone reads for auditors.
#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/names.h"
#include "common/status.h"
#include "common/timestamps.h"
#include "common/validate.h"
#include "services/dispatch/dispatch_logic.h"

namespace lianxin::dispatch {
namespace {

void Add(const store::FigureRow& r, v1::Figures& f) {
  f.set_submitted(f.submitted() + static_cast<int32_t>(r.submitted));
  f.set_dispatched(f.dispatched() + static_cast<int32_t>(r.dispatched));
  f.set_accepted(f.accepted() + static_cast<int32_t>(r.accepted));
  f.set_resolved(f.resolved() + static_cast<int32_t>(r.resolved));
  f.set_on_time(f.on_time() + static_cast<int32_t>(r.on_time));
  f.set_escalated(f.escalated() + static_cast<int32_t>(r.escalated));
  // average_rating carries the sum until Finish().
  f.set_average_rating(f.average_rating() + static_cast<double>(r.rating_sum));
  f.set_rated(f.rated() + static_cast<int32_t>(r.rated));
  f.set_minutes_spent(f.minutes_spent() + static_cast<int32_t>(r.minutes));
}

void Finish(v1::Figures& f) { f.set_average_rating(f.rated() > 0 ? f.average_rating() / f.rated() : 0); }

int64_t Us(const google::protobuf::Timestamp& t) { return t.seconds() * 1000000 + t.nanos() / 1000; }

}  // namespace

absl::Status DispatchLogic::GetFigures(const CallContext& c, const v1::GetFiguresRequest& req,
                                       v1::GetFiguresResponse* out) {
  Validator v;
  std::string unit = v.Name("parent", req.parent(), kOrgUnits);
  v.Check(req.has_start_time(), "start_time", "is required");
  v.Check(req.has_end_time(), "end_time", "is required");
  if (req.has_start_time() && req.has_end_time()) {
    v.Check(Us(req.start_time()) < Us(req.end_time()), "end_time", "must be after start_time");
    v.Check(Us(req.end_time()) - Us(req.start_time()) <= absl::ToInt64Microseconds(absl::Hours(24 * 731)), "end_time",
            "the period is at most two years");
  }
  RETURN_IF_ERROR(v.status());
  if (!c.principal.HasAnyRole({kRoleOperator, kRoleSecretary, kRoleAuditor})) {
    return WithReason(absl::PermissionDeniedError("figures are for operators, secretaries and auditors"),
                      "ROLE_REQUIRED");
  }
  RETURN_IF_ERROR(dirs_.RequireInScope(c, unit, "parent"));
  ASSIGN_OR_RETURN(std::string path, dirs_.PathOf(c, unit, "parent"));
  std::string district = DistrictOf(path);
  std::vector<store::FigureRow> rows;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(rows, store::Figures(db, district, path, Us(req.start_time()), Us(req.end_time())));
    return absl::OkStatus();
  }));
  std::map<std::string, v1::Figures> by_category, by_member;
  for (const auto& r : rows) {
    Add(r, *out->mutable_total());
    Add(r, by_category[r.category]);
    if (!r.assignee.empty()) Add(r, by_member[r.assignee]);
  }
  Finish(*out->mutable_total());
  for (auto& [code, f] : by_category) {
    Finish(f);
    auto* cf = out->add_by_category();
    cf->set_category(CategoryName(district, code));
    *cf->mutable_figures() = f;
  }
  for (auto& [member, f] : by_member) {
    Finish(f);
    auto* mf = out->add_by_member();
    mf->set_member(kMembers.Name(member));
    *mf->mutable_figures() = f;
  }
  return absl::OkStatus();
}

absl::Status DispatchLogic::GetEmployerReport(const CallContext& c, const v1::GetEmployerReportRequest& req,
                                              v1::GetEmployerReportResponse* out) {
  Validator v;
  std::string community = v.Name("parent", req.parent(), kOrgUnits);
  int year = 0, quarter = 0;
  const std::string& q = req.quarter();
  if (q.size() != 7 || q.substr(4, 2) != "-Q" || !absl::SimpleAtoi(q.substr(0, 4), &year) ||
      !absl::SimpleAtoi(q.substr(6, 1), &quarter) || year < 2000 || year > 2100 || quarter < 1 || quarter > 4) {
    v.Add("quarter", "must be a quarter such as 2026-Q4");
  }
  RETURN_IF_ERROR(v.status());
  if (!c.principal.HasAnyRole({kRoleOperator, kRoleSecretary, kRoleAuditor})) {
    return WithReason(absl::PermissionDeniedError("reports are for operators, secretaries and auditors"),
                      "ROLE_REQUIRED");
  }
  RETURN_IF_ERROR(dirs_.RequireInScope(c, community, "parent"));
  ASSIGN_OR_RETURN(std::string path, dirs_.PathOf(c, community, "parent"));
  ASSIGN_OR_RETURN(std::vector<member::v1::Member> registered, dirs_.RegisteredWith(c, community));
  // The quarter in Beijing time.
  const absl::Time from = absl::FromCivil(absl::CivilMonth(year, 3 * quarter - 2), BeijingTime());
  const absl::Time to = absl::FromCivil(absl::CivilMonth(year, 3 * quarter - 2) + 3, BeijingTime());
  std::vector<store::FigureRow> rows;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(rows,
                     store::Figures(db, DistrictOf(path), path, absl::ToUnixMicros(from), absl::ToUnixMicros(to)));
    return absl::OkStatus();
  }));
  std::map<std::string, v1::Figures> by_member;
  for (const auto& r : rows) {
    if (!r.assignee.empty()) Add(r, by_member[r.assignee]);
  }
  // Employer by employer (their relation's unit), each of its members.
  std::map<std::string, std::vector<const member::v1::Member*>> by_employer;
  for (const auto& m : registered) by_employer[m.branch()].push_back(&m);
  out->set_quarter(q);
  for (const auto& [employer, members] : by_employer) {
    auto* e = out->add_employers();
    e->set_employer_unit(employer);
    for (const member::v1::Member* m : members) {
      auto* line = e->add_members();
      line->set_member(m->name());
      line->set_display_name(m->display_name());
      v1::Figures f = by_member[kMembers.IdOf(m->name())];
      Finish(f);
      auto* s = line->mutable_service();
      s->set_accepted(f.accepted());
      s->set_resolved(f.resolved());
      s->set_on_time(f.on_time());
      s->set_rated(f.rated());
      s->set_average_rating(f.average_rating());
      s->set_minutes_spent(f.minutes_spent());
    }
  }
  return absl::OkStatus();
}

absl::Status DispatchLogic::ListEvents(const CallContext& c, const v1::ListEventsRequest& req,
                                       v1::ListEventsResponse* out) {
  if (!c.principal.IsPlatformWide() || !c.principal.HasAnyRole({kRoleService, kRoleOperator})) {
    return WithReason(absl::PermissionDeniedError("the outbox is read by platform services"), "ROLE_REQUIRED");
  }
  Validator v;
  v.Check(req.after_seq() >= 0, "after_seq", "must not be negative");
  v.Check(req.page_size() >= 0 && req.page_size() <= 1000, "page_size", "must be 0..1000");
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(int64_t upto, settled_outbox_.Get(db_));
  std::vector<store::OutboxRecord> rows;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(rows, store::ListOutbox(db, req.after_seq(), upto, req.page_size() == 0 ? 100 : req.page_size()));
    return absl::OkStatus();
  }));
  out->set_last_seq(req.after_seq());
  for (const auto& r : rows) {
    auto* e = out->add_events();
    e->set_seq(r.seq);
    e->set_id(r.id);
    e->set_type(r.type);
    if (!e->mutable_request()->ParseFromString(r.payload)) return absl::DataLossError("outbox payload does not parse");
    SetTimestampUs(r.created_us, e->mutable_create_time());
    out->set_last_seq(r.seq);
  }
  return absl::OkStatus();
}

absl::Status DispatchLogic::ListPhoneReads(const CallContext& c, const v1::ListPhoneReadsRequest& req,
                                           v1::ListPhoneReadsResponse* out) {
  Validator v;
  std::string id = v.Name("name", req.name(), kRequests);
  RETURN_IF_ERROR(v.status());
  if (!c.principal.HasRole(kRoleAuditor)) {
    return WithReason(absl::PermissionDeniedError("clear reads are listed for auditors"), "ROLE_REQUIRED");
  }
  std::optional<store::RequestRecord> r;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(r, store::GetRequest(db, id, false));
    return absl::OkStatus();
  }));
  if (!r.has_value()) return MissingIn(c.principal.IsPlatformWide(), kRequests, id, "name");
  if (!c.principal.IsPlatformWide()) RETURN_IF_ERROR(dirs_.RequireInScope(c, r->responsible_unit, "name"));
  std::vector<store::PhoneReadRecord> rows;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(rows, store::ListPhoneDisclosures(db, id));
    return absl::OkStatus();
  }));
  for (const auto& row : rows) {
    auto* read = out->add_reads();
    read->set_reader(row.reader);
    read->set_method(row.method);
    SetTimestampUs(row.at_us, read->mutable_time());
  }
  return absl::OkStatus();
}

}  // namespace lianxin::dispatch
