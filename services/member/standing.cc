// MemberLogic: lifecycle (停止党籍, 恢复党籍, ...) and lost contact (失联).
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/history.h"
#include "common/names.h"
#include "common/status.h"
#include "common/validate.h"
#include "services/member/member_logic.h"

namespace lianxin::member {
namespace {

bool ActiveLike(v1::Lifecycle l) { return l == v1::LIFECYCLE_ACTIVE || l == v1::LIFECYCLE_RESTORED; }

}  // namespace

std::string DaysBefore(const std::string& today, int months, int years) {
  absl::CivilDay day;
  (void)absl::ParseCivilTime(today, &day);
  absl::CivilMonth month(day);
  month -= months + 12 * years;
  // Clamp the day to the target month (31 March - 1 month → 28/29 Feb).
  absl::CivilDay target(month.year(), month.month(), day.day());
  if (target.month() != month.month()) target = absl::CivilDay(month.year(), month.month() + 1, 1) - 1;
  return absl::FormatCivilTime(target);
}

bool MemberLogic::MayMove(v1::Lifecycle from, v1::Lifecycle to) {
  switch (to) {
    case v1::LIFECYCLE_SUSPENDED:
      return ActiveLike(from);
    case v1::LIFECYCLE_RESTORED:
      return from == v1::LIFECYCLE_SUSPENDED;
    case v1::LIFECYCLE_EXPELLED:
    case v1::LIFECYCLE_LEFT:
    case v1::LIFECYCLE_DECEASED:
      return ActiveLike(from) || from == v1::LIFECYCLE_SUSPENDED;
    default:
      return false;  // ACTIVE is where a member starts; nothing returns there
  }
}

absl::Status MemberLogic::ChangeLifecycle(const CallContext& c, const v1::ChangeLifecycleRequest& req,
                                          v1::Member* out) {
  RETURN_IF_ERROR(RequireWriter(c));
  Validator v;
  std::string id = v.Name("name", req.name(), kMembers);
  v.Check(req.lifecycle() != v1::LIFECYCLE_UNSPECIFIED, "lifecycle", "is required");
  v.Text("reason", req.reason(), 1, 200);
  v.Date("effective_date", req.effective_date(), false);
  if (!req.effective_date().empty())
    v.Check(req.effective_date() <= Today(), "effective_date", "must not be in the future");
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(store::MemberRecord scoped, LoadInScope(c, id, "name"));
  const bool ends = req.lifecycle() == v1::LIFECYCLE_DECEASED || req.lifecycle() == v1::LIFECYCLE_LEFT ||
                    req.lifecycle() == v1::LIFECYCLE_EXPELLED;
  if (ends && scoped.lifecycle != v1::LIFECYCLE_TRANSFERRED_OUT &&
      MayMove(static_cast<v1::Lifecycle>(scoped.lifecycle), req.lifecycle()) &&
      CheckEtag("etag", req.etag(), scoped.version).ok()) {
    // The posts the member holds end first, through the org service (asked
    // again harmlessly if the change below then fails and is sent again); the
    // org service away means UNAVAILABLE and nothing written.
    RETURN_IF_ERROR(org_.EndPositions(c, kMembers.Name(id), req.reason(),
                                      req.effective_date().empty() ? Today() : req.effective_date(), "name"));
  }
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(store::MemberRecord m, Load(db, c, id, "name", true));
    RETURN_IF_ERROR(RequireOnPlatform(m, "name"));
    RETURN_IF_ERROR(CheckEtag("etag", req.etag(), m.version));
    auto from = static_cast<v1::Lifecycle>(m.lifecycle);
    if (!MayMove(from, req.lifecycle())) {
      return FieldStatus(absl::StatusCode::kFailedPrecondition, "lifecycle",
                         absl::StrCat("a member in ", v1::Lifecycle_Name(from), " cannot move to ",
                                      v1::Lifecycle_Name(req.lifecycle())),
                         "LIFECYCLE_NOT_ALLOWED");
    }
    ChangeSet changes;
    changes.Changed("lifecycle", v1::Lifecycle_Name(from), v1::Lifecycle_Name(req.lifecycle()));
    changes.Set("reason", req.reason());
    m.lifecycle = req.lifecycle();
    m.lifecycle_since = req.effective_date().empty() ? Today() : req.effective_date();
    RETURN_IF_ERROR(SaveChange(db, c, NowUs(), m, store::UpdateMember,
                               {m.district_id, kMembers.Name(m.id), "", "lifecycle", changes}));
    return Respond(db, c, m, false, "ChangeLifecycle", out);
  });
}

absl::Status MemberLogic::MarkLost(const CallContext& c, const v1::MarkLostRequest& req, v1::Member* out) {
  RETURN_IF_ERROR(RequireWriter(c));
  Validator v;
  std::string id = v.Name("name", req.name(), kMembers);
  v.Date("since", req.since(), true);
  if (v.ok()) v.Check(req.since() <= Today(), "since", "must not be in the future");
  RETURN_IF_ERROR(v.status());
  RETURN_IF_ERROR(LoadInScope(c, id, "name").status());
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(store::MemberRecord m, Load(db, c, id, "name", true));
    RETURN_IF_ERROR(RequireOnPlatform(m, "name"));
    RETURN_IF_ERROR(CheckEtag("etag", req.etag(), m.version));
    ChangeSet changes;
    changes.Changed("contact_status", v1::ContactStatus_Name(static_cast<v1::ContactStatus>(m.contact_status)),
                    "CONTACT_STATUS_LOST");
    changes.Changed("lost_since", m.lost_since, req.since());
    m.contact_status = v1::CONTACT_STATUS_LOST;
    m.lost_since = req.since();
    RETURN_IF_ERROR(
        SaveChange(db, c, NowUs(), m, store::UpdateMember, {m.district_id, kMembers.Name(m.id), "", "lost", changes}));
    return Respond(db, c, m, false, "MarkLost", out);
  });
}

absl::Status MemberLogic::MarkFound(const CallContext& c, const v1::MarkFoundRequest& req, v1::Member* out) {
  RETURN_IF_ERROR(RequireWriter(c));
  Validator v;
  std::string id = v.Name("name", req.name(), kMembers);
  RETURN_IF_ERROR(v.status());
  RETURN_IF_ERROR(LoadInScope(c, id, "name").status());
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(store::MemberRecord m, Load(db, c, id, "name", true));
    RETURN_IF_ERROR(RequireOnPlatform(m, "name"));
    RETURN_IF_ERROR(CheckEtag("etag", req.etag(), m.version));
    if (m.contact_status != v1::CONTACT_STATUS_LOST) {
      return WithReason(absl::FailedPreconditionError("the member is not marked lost"), "NOT_LOST");
    }
    ChangeSet changes;
    changes.Changed("contact_status", "CONTACT_STATUS_LOST", "CONTACT_STATUS_IN_CONTACT");
    changes.Changed("lost_since", m.lost_since, "");
    m.contact_status = v1::CONTACT_STATUS_IN_CONTACT;
    m.lost_since.clear();
    RETURN_IF_ERROR(
        SaveChange(db, c, NowUs(), m, store::UpdateMember, {m.district_id, kMembers.Name(m.id), "", "found", changes}));
    return Respond(db, c, m, false, "MarkFound", out);
  });
}

absl::Status MemberLogic::ListLostMembers(const CallContext& c, const v1::ListLostMembersRequest& req,
                                          v1::ListMembersResponse* out) {
  Validator v;
  std::string root = v.Name("parent", req.parent(), kOrgUnits);
  v.Check(req.report() != v1::LOST_REPORT_UNSPECIFIED, "report", "is required");
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(int size, PageSize(req.page_size(), 50, 500));
  std::string today = Today();
  std::string fp = absl::StrCat("lost|", root, "|", req.report(), "|", today);
  ASSIGN_OR_RETURN(std::string after, tokens_.Decode(req.page_token(), fp));
  ASSIGN_OR_RETURN(std::vector<std::string> branches, org_.MemberUnitsIn(c, root, "parent"));
  std::vector<store::MemberRecord> rows;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    if (req.report() == v1::LOST_REPORT_SUSPENSION_CANDIDATES) {
      // Lost 6+ months and still a member in good standing (docs/domain.md "Members").
      ASSIGN_OR_RETURN(rows, store::ListLost(db, branches, DaysBefore(today, 6, 0),
                                             {v1::LIFECYCLE_ACTIVE, v1::LIFECYCLE_RESTORED}, "", after, size + 1));
    } else {
      // Suspended 2+ years and still lost.
      ASSIGN_OR_RETURN(rows, store::ListLost(db, branches, today, {v1::LIFECYCLE_SUSPENDED}, DaysBefore(today, 0, 2),
                                             after, size + 1));
    }
    return absl::OkStatus();
  }));
  absl::Status status;
  EmitPage(
      rows, size, tokens_, fp,
      [&](const store::MemberRecord& r) {
        auto p = ToProto(r, false, nullptr, c, "ListLostMembers");
        if (p.ok())
          *out->add_members() = *std::move(p);
        else
          status.Update(p.status());
      },
      [](const store::MemberRecord& r) { return r.id; }, out->mutable_next_page_token());
  return status;
}

}  // namespace lianxin::member
