// OrgLogic: committee posts and group leaders, with their terms.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/field_mask.h"
#include "common/history.h"
#include "common/idempotency.h"
#include "common/ids.h"
#include "common/names.h"
#include "common/status.h"
#include "common/validate.h"
#include "services/org/org_logic.h"

namespace lianxin::org {
namespace {

void CheckPositionFields(Validator& v, const v1::Position& p, bool check_role) {
  if (check_role) {
    v.Check(v1::PositionRole_IsValid(p.role()) && p.role() != v1::POSITION_ROLE_UNSPECIFIED, "position.role",
            "is required: one of the PositionRole values");
  }
  v.Name("position.member", p.member(), kMembers);
  v.Text("position.holder_display_name", p.holder_display_name(), 1, 50);
  v.Date("position.term_start", p.term_start(), false);
  v.Date("position.term_end", p.term_end(), false);
  if (v.ok() && !p.term_start().empty() && !p.term_end().empty() && p.term_end() < p.term_start()) {
    v.Add("position.term_end", "must not be before term_start");
  }
}

// A community committee's term is 5 years, any other unit's 3.
int TermYears(v1::OrgUnitType t) { return t == v1::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE ? 5 : 3; }

}  // namespace

v1::Position OrgLogic::WithReminder(v1::Position p) const {
  absl::CivilDay today = BeijingDay(clock_.Now());
  absl::CivilDay end;
  v1::TermReminder r = v1::TERM_REMINDER_NONE;
  if (!p.term_end().empty() && absl::ParseCivilTime(p.term_end(), &end)) {
    if (end < today) {
      r = v1::TERM_REMINDER_ENDED;
    } else if (end - today <= 30) {
      r = v1::TERM_REMINDER_WITHIN_30_DAYS;
    } else if (end - today <= 90) {
      r = v1::TERM_REMINDER_WITHIN_90_DAYS;
    }
  }
  p.set_term_reminder(r);
  return p;
}

absl::Status OrgLogic::CreatePosition(const CallContext& c, const v1::CreatePositionRequest& req, v1::Position* out) {
  RETURN_IF_ERROR(RequireWriter(c));
  const v1::Position& p = req.position();
  Validator v;
  std::string unit_id = v.Name("position.org_unit", p.org_unit(), kOrgUnits);
  CheckPositionFields(v, p, true);
  v.RequestId(req.request_id());
  RETURN_IF_ERROR(v.status());
  if (members_ != nullptr && !p.member().empty()) {
    RETURN_IF_ERROR(db_.Run([&](Db& db) { return LoadUnit(db, c, unit_id, "position.org_unit", false).status(); }));
    RETURN_IF_ERROR(members_->RequireMember(c, p.member(), "position.member"));
  }
  auto replay = [&](Db& db, const std::string& name) -> absl::StatusOr<bool> {
    ASSIGN_OR_RETURN(auto rec, store::GetPosition(db, kPositions.IdOf(name), false));
    // A replay answers only what the caller may see now, as the first call did.
    if (rec.has_value()) RETURN_IF_ERROR(LoadUnit(db, c, rec->unit_id, "request_id", false).status());
    if (rec.has_value()) *out = rec->proto;
    return rec.has_value();
  };
  return CreateOnce(db_, c, req.request_id(), "CreatePosition", NowUs(), replay,
                    [&](Db& db, RememberCreated remember) -> absl::Status {
                      ASSIGN_OR_RETURN(store::UnitRecord unit, LoadUnit(db, c, unit_id, "position.org_unit", false));
                      if (unit.state != v1::OrgUnit::STATE_ACTIVE) {
                        return FieldStatus(absl::StatusCode::kFailedPrecondition, "position.org_unit",
                                           "the unit is not active", "UNIT_INACTIVE");
                      }
                      store::PositionRecord rec;
                      rec.id = NewId();
                      rec.district_id = unit.district_id;
                      rec.unit_id = unit.id;
                      rec.created_us = rec.updated_us = NowUs();
                      rec.proto = p;
                      if (p.term_start().empty()) rec.proto.set_term_start(BeijingDate(clock_.Now()));
                      if (p.term_end().empty()) {
                        rec.proto.set_term_end(YearsAfter(rec.proto.term_start(), TermYears(unit.type)));
                      }
                      if (rec.proto.term_end() < rec.proto.term_start()) {
                        return FieldError("position.term_end", "must not be before term_start");
                      }
                      std::string name = kPositions.Name(rec.id);
                      RETURN_IF_ERROR(remember(rec.district_id, name));
                      RETURN_IF_ERROR(store::InsertPosition(db, rec));
                      ChangeSet changes;
                      changes.Set("role", v1::PositionRole_Name(p.role()));
                      changes.Set("member", p.member());
                      changes.Set("term_start", rec.proto.term_start());
                      changes.Set("term_end", rec.proto.term_end());
                      RETURN_IF_ERROR(RecordHistory(
                          db, c, {unit.district_id, kOrgUnits.Name(unit.id), name, "create", changes}, NowUs()));
                      ASSIGN_OR_RETURN(auto stored, store::GetPosition(db, rec.id, false));
                      *out = WithReminder(stored->proto);
                      return absl::OkStatus();
                    });
}

absl::Status OrgLogic::UpdatePosition(const CallContext& c, const v1::UpdatePositionRequest& req, v1::Position* out) {
  RETURN_IF_ERROR(RequireWriter(c));
  const v1::Position& p = req.position();
  Validator v;
  std::string id = v.Name("position.name", p.name(), kPositions);
  std::vector<std::string> paths =
      MaskPaths(v, req.update_mask(), {"member", "holder_display_name", "term_start", "term_end"});
  RETURN_IF_ERROR(v.status());
  if (members_ != nullptr && Masks(paths, "member") && !p.member().empty()) {
    RETURN_IF_ERROR(members_->RequireMember(c, p.member(), "position.member"));
  }
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto rec, store::GetPosition(db, id, true));
    if (!rec.has_value()) {
      return c.principal.IsPlatformWide() ? NotFoundIn(kPositions, id, "position.name")
                                          : absl::PermissionDeniedError("position.name: outside the caller's subtree");
    }
    RETURN_IF_ERROR(LoadUnit(db, c, rec->unit_id, "position.name", false).status());
    RETURN_IF_ERROR(CheckEtag("position.etag", p.etag(), rec->version));
    v1::Position next = rec->proto;
    ApplyMask(p, paths, &next);
    Validator after;
    CheckPositionFields(after, next, false);
    RETURN_IF_ERROR(after.status());
    ChangeSet changes;
    changes.Changed("member", rec->proto.member(), next.member());
    changes.Changed("holder_display_name", rec->proto.holder_display_name(), next.holder_display_name());
    changes.Changed("term_start", rec->proto.term_start(), next.term_start());
    changes.Changed("term_end", rec->proto.term_end(), next.term_end());
    if (!changes.empty()) {
      rec->proto = next;
      RETURN_IF_ERROR(SaveChange(db, c, NowUs(), *rec, store::UpdatePosition,
                                 {rec->district_id, kOrgUnits.Name(rec->unit_id), p.name(), "update", changes}));
    }
    ASSIGN_OR_RETURN(auto stored, store::GetPosition(db, id, false));
    *out = WithReminder(stored->proto);
    return absl::OkStatus();
  });
}

absl::Status OrgLogic::DeletePosition(const CallContext& c, const v1::DeletePositionRequest& req, v1::Position* out) {
  RETURN_IF_ERROR(RequireWriter(c));
  Validator v;
  std::string id = v.Name("name", req.name(), kPositions);
  RETURN_IF_ERROR(v.status());
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto rec, store::GetPosition(db, id, true));
    if (!rec.has_value()) {
      return c.principal.IsPlatformWide() ? NotFoundIn(kPositions, id, "name")
                                          : absl::PermissionDeniedError("name: outside the caller's subtree");
    }
    RETURN_IF_ERROR(LoadUnit(db, c, rec->unit_id, "name", false).status());
    RETURN_IF_ERROR(CheckEtag("etag", req.etag(), rec->version));
    RETURN_IF_ERROR(store::DeletePosition(db, id));
    ChangeSet changes;
    changes.Changed("member", rec->proto.member(), "");
    RETURN_IF_ERROR(
        RecordHistory(db, c, {rec->district_id, kOrgUnits.Name(rec->unit_id), req.name(), "delete", changes}, NowUs()));
    *out = rec->proto;
    return absl::OkStatus();
  });
}

absl::Status OrgLogic::EndMemberPositions(const CallContext& c, const v1::EndMemberPositionsRequest& req,
                                          v1::EndMemberPositionsResponse* out) {
  if (!c.principal.HasRole(kRoleService)) {
    return WithReason(absl::PermissionDeniedError("ending a member's posts is for the member service"),
                      "ROLE_REQUIRED");
  }
  Validator v;
  v.Name("member", req.member(), kMembers);
  v.Text("reason", req.reason(), 1, 200);
  v.Date("end_date", req.end_date(), true);
  RETURN_IF_ERROR(v.status());
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(std::vector<store::PositionRecord> held, store::PositionsOf(db, req.member()));
    std::vector<HistoryEntry> events;
    for (const auto& p : held) {
      RETURN_IF_ERROR(store::DeletePosition(db, p.id));
      ChangeSet changes;
      changes.Changed("member", p.proto.member(), "");
      changes.Set("role", v1::PositionRole_Name(p.proto.role()));
      changes.Set("end_date", req.end_date());
      changes.Set("reason", req.reason());
      events.push_back({p.district_id, kOrgUnits.Name(p.unit_id), p.proto.name(), "end", changes});
      *out->add_ended() = p.proto;
    }
    return RecordHistory(db, c, events, NowUs());
  });
}

absl::Status OrgLogic::ListPositions(const CallContext& c, const v1::ListPositionsRequest& req,
                                     v1::ListPositionsResponse* out) {
  Validator v;
  std::string unit_id = v.Name("org_unit", req.org_unit(), kOrgUnits);
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(int size, PageSize(req.page_size(), 100, 1000));
  std::string fp = absl::StrCat("positions|", unit_id);
  ASSIGN_OR_RETURN(std::string after, tokens_.Decode(req.page_token(), fp));
  return db_.Run([&](Db& db) -> absl::Status {
    RETURN_IF_ERROR(LoadUnit(db, c, unit_id, "org_unit", false).status());
    ASSIGN_OR_RETURN(auto rows, store::ListPositions(db, unit_id, after, size + 1));
    EmitPage(
        rows, size, tokens_, fp, [&](const auto& r) { *out->add_positions() = WithReminder(r.proto); },
        [](const auto& r) { return r.id; }, out->mutable_next_page_token());
    return absl::OkStatus();
  });
}

absl::Status OrgLogic::ListExpiringTerms(const CallContext& c, const v1::ListExpiringTermsRequest& req,
                                         v1::ListExpiringTermsResponse* out) {
  Validator v;
  std::string root_id = v.Name("root", req.root(), kOrgUnits);
  v.Check(req.within_days() >= 0 && req.within_days() <= 3650, "within_days", "must be 0..3650");
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(int size, PageSize(req.page_size(), 100, 1000));
  absl::CivilDay today = BeijingDay(clock_.Now());
  std::string until = absl::FormatCivilTime(today + req.within_days());
  std::string fp = absl::StrCat("expiring|", root_id, "|", until);
  ASSIGN_OR_RETURN(std::string after, tokens_.Decode(req.page_token(), fp));
  return db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(store::UnitRecord root, LoadUnit(db, c, root_id, "root", false));
    ASSIGN_OR_RETURN(auto rows, store::ListExpiring(db, root.district_id, root.path, until, after, size + 1));
    EmitPage(
        rows, size, tokens_, fp, [&](const auto& r) { *out->add_positions() = WithReminder(r.proto); },
        [](const auto& r) { return absl::StrCat(r.proto.term_end(), "|", r.id); }, out->mutable_next_page_token());
    return absl::OkStatus();
  });
}

}  // namespace lianxin::org
