// OrgLogic: committee posts and group leaders, with their terms.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/idempotency.h"
#include "common/ids.h"
#include "common/names.h"
#include "common/status.h"
#include "common/validate.h"
#include "services/org/org_logic.h"

namespace lianxin::org {
namespace {

// Terms and reminders run on Beijing time.
const absl::TimeZone& Beijing() {
  static const absl::TimeZone* tz = new absl::TimeZone(absl::FixedTimeZone(8 * 3600));
  return *tz;
}

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

}  // namespace

absl::Status OrgLogic::CreatePosition(const CallContext& c, const v1::CreatePositionRequest& req, v1::Position* out) {
  RETURN_IF_ERROR(RequireWriter(c));
  const v1::Position& p = req.position();
  Validator v;
  std::string unit_id = v.Name("position.org_unit", p.org_unit(), kOrgUnits);
  CheckPositionFields(v, p, true);
  v.Check(req.request_id().size() <= 64, "request_id", "must be at most 64 characters");
  RETURN_IF_ERROR(v.status());
  if (members_ != nullptr && !p.member().empty()) {
    RETURN_IF_ERROR(db_.Run([&](Db& db) { return LoadUnit(db, c, unit_id, "position.org_unit", false).status(); }));
    RETURN_IF_ERROR(members_->RequireMember(c, p.member(), "position.member"));
  }
  return CreateOnce(db_, [&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto prior, FindRequest(db, c, req.request_id()));
    if (prior.has_value()) {
      ASSIGN_OR_RETURN(auto rec, store::GetPosition(db, kPositions.IdOf(*prior), false));
      if (!rec.has_value()) return absl::FailedPreconditionError("the position this request created was deleted");
      *out = rec->proto;
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(store::UnitRecord unit, LoadUnit(db, c, unit_id, "position.org_unit", false));
    if (unit.state != v1::OrgUnit::STATE_ACTIVE) {
      return FieldStatus(absl::StatusCode::kFailedPrecondition, "position.org_unit", "the unit is not active",
                         "UNIT_INACTIVE");
    }
    store::PositionRecord rec;
    rec.id = NewId();
    rec.district_id = unit.district_id;
    rec.unit_id = unit.id;
    rec.created_us = rec.updated_us = NowUs();
    rec.proto = p;
    std::string name = kPositions.Name(rec.id);
    RETURN_IF_ERROR(RememberRequest(db, c, req.request_id(), rec.district_id, "CreatePosition", name, NowUs()));
    RETURN_IF_ERROR(store::InsertPosition(db, rec));
    ChangeSet changes;
    changes.Set("role", v1::PositionRole_Name(p.role()));
    changes.Set("member", p.member());
    changes.Set("term_start", p.term_start());
    changes.Set("term_end", p.term_end());
    RETURN_IF_ERROR(Record(db, c, unit.district_id, unit.id, name, "create", changes));
    ASSIGN_OR_RETURN(auto stored, store::GetPosition(db, rec.id, false));
    *out = stored->proto;
    return absl::OkStatus();
  });
}

absl::Status OrgLogic::UpdatePosition(const CallContext& c, const v1::UpdatePositionRequest& req, v1::Position* out) {
  RETURN_IF_ERROR(RequireWriter(c));
  const v1::Position& p = req.position();
  Validator v;
  std::string id = v.Name("position.name", p.name(), kPositions);
  if (req.update_mask().paths_size() == 0) v.Add("update_mask", "is required");
  for (const std::string& path : req.update_mask().paths()) {
    if (path != "member" && path != "holder_display_name" && path != "term_start" && path != "term_end") {
      v.Add("update_mask",
            absl::StrCat("cannot update '", path, "'; updatable: member, holder_display_name, term_start, term_end"));
    }
  }
  RETURN_IF_ERROR(v.status());
  bool names_member = std::find(req.update_mask().paths().begin(), req.update_mask().paths().end(), "member") !=
                      req.update_mask().paths().end();
  if (members_ != nullptr && names_member && !p.member().empty()) {
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
    for (const std::string& path : req.update_mask().paths()) {
      if (path == "member") next.set_member(p.member());
      if (path == "holder_display_name") next.set_holder_display_name(p.holder_display_name());
      if (path == "term_start") next.set_term_start(p.term_start());
      if (path == "term_end") next.set_term_end(p.term_end());
    }
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
      rec->version++;
      rec->updated_us = NowUs();
      RETURN_IF_ERROR(store::UpdatePosition(db, *rec));
      RETURN_IF_ERROR(Record(db, c, rec->district_id, rec->unit_id, p.name(), "update", changes));
    }
    ASSIGN_OR_RETURN(auto stored, store::GetPosition(db, id, false));
    *out = stored->proto;
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
    RETURN_IF_ERROR(Record(db, c, rec->district_id, rec->unit_id, req.name(), "delete", changes));
    *out = rec->proto;
    return absl::OkStatus();
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
        rows, size, tokens_, fp, [&](const auto& r) { *out->add_positions() = r.proto; },
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
  absl::CivilDay today = absl::ToCivilDay(clock_.Now(), Beijing());
  std::string until = absl::FormatCivilTime(today + req.within_days());
  std::string fp = absl::StrCat("expiring|", root_id, "|", until);
  ASSIGN_OR_RETURN(std::string after, tokens_.Decode(req.page_token(), fp));
  return db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(store::UnitRecord root, LoadUnit(db, c, root_id, "root", false));
    ASSIGN_OR_RETURN(auto rows, store::ListExpiring(db, root.district_id, root.path, until, after, size + 1));
    EmitPage(
        rows, size, tokens_, fp, [&](const auto& r) { *out->add_positions() = r.proto; },
        [](const auto& r) { return absl::StrCat(r.proto.term_end(), "|", r.id); }, out->mutable_next_page_token());
    return absl::OkStatus();
  });
}

}  // namespace lianxin::org
