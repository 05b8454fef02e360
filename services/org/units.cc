// OrgLogic: units, history and community settings.
#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
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

bool ValidType(int t) { return v1::OrgUnitType_IsValid(t) && t != v1::ORG_UNIT_TYPE_UNSPECIFIED; }

}  // namespace

absl::Status OrgLogic::CreateOrgUnit(const CallContext& c, const v1::CreateOrgUnitRequest& req, v1::OrgUnit* out) {
  RETURN_IF_ERROR(RequireWriter(c));
  const v1::OrgUnit& u = req.org_unit();
  Validator v;
  std::string parent_id = v.Name("org_unit.parent", u.parent(), kOrgUnits, /*required=*/false);
  v.Check(ValidType(u.type()), "org_unit.type", "is required: one of the OrgUnitType values");
  v.Text("org_unit.display_name", u.display_name(), 1, 100);
  v.Text("org_unit.code", u.code(), 1, 64);
  v.RequestId(req.request_id());
  bool root = u.type() == v1::ORG_UNIT_TYPE_DISTRICT_COMMITTEE;
  if (root && !u.parent().empty()) v.Add("org_unit.parent", "a district committee has no parent");
  if (!root && u.parent().empty() && ValidType(u.type())) {
    v.Add("org_unit.parent", "is required for every unit but a district committee");
  }
  RETURN_IF_ERROR(v.status());
  if (root && !(c.principal.IsPlatformWide() && c.principal.HasRole(kRoleOperator))) {
    return absl::PermissionDeniedError("only platform-wide operators may create a district");
  }

  auto replay = [&](Db& db, const std::string& name) -> absl::StatusOr<bool> {
    ASSIGN_OR_RETURN(auto unit, store::GetUnit(db, kOrgUnits.IdOf(name), false));
    // A replay answers only what the caller may see now, as the first call did.
    if (unit.has_value() && !c.principal.CoversPath(unit->path)) return OutsideSubtree(name, "request_id");
    if (unit.has_value()) *out = unit->ToProto();
    return unit.has_value();
  };
  return CreateOnce(db_, c, req.request_id(), "CreateOrgUnit", NowUs(), replay, [&](Db& db, RememberCreated remember) {
    store::UnitRecord rec;
    rec.id = NewId();
    if (root) {
      rec.district_id = rec.id;
      rec.path = absl::StrCat("/", rec.id, "/");
      rec.depth = 0;
    } else {
      ASSIGN_OR_RETURN(store::UnitRecord parent, LoadUnit(db, c, parent_id, "org_unit.parent", false));
      if (parent.state != v1::OrgUnit::STATE_ACTIVE) {
        return FieldStatus(absl::StatusCode::kFailedPrecondition, "org_unit.parent",
                           "the parent is dissolved or merged", "UNIT_INACTIVE");
      }
      if (!MayContain(parent.type, u.type())) {
        return FieldError("org_unit.parent", absl::StrCat("a ", v1::OrgUnitType_Name(u.type()), " cannot sit under a ",
                                                          v1::OrgUnitType_Name(parent.type)));
      }
      rec.district_id = parent.district_id;
      rec.parent_id = parent.id;
      rec.path = absl::StrCat(parent.path, rec.id, "/");
      rec.depth = parent.depth + 1;
    }
    rec.type = u.type();
    rec.code = u.code();
    rec.display_name = u.display_name();
    rec.created_us = rec.updated_us = NowUs();
    std::string name = kOrgUnits.Name(rec.id);
    RETURN_IF_ERROR(remember(rec.district_id, name));
    absl::Status ins = store::InsertUnit(db, rec);
    if (absl::IsAlreadyExists(ins)) {
      return FieldStatus(absl::StatusCode::kAlreadyExists, "org_unit.code",
                         absl::StrCat("code ", u.code(), " is already used in this district"), "CODE_TAKEN");
    }
    RETURN_IF_ERROR(ins);
    ChangeSet changes;
    changes.Set("parent", u.parent());
    changes.Set("type", v1::OrgUnitType_Name(u.type()));
    changes.Set("code", rec.code);
    changes.Set("display_name", rec.display_name);
    RETURN_IF_ERROR(RecordHistory(db, c, {rec.district_id, name, "", "create", changes}, rec.created_us));
    *out = rec.ToProto();
    return absl::OkStatus();
  });
}

absl::Status OrgLogic::GetOrgUnit(const CallContext& c, const v1::GetOrgUnitRequest& req, v1::OrgUnit* out) {
  Validator v;
  std::string id = v.Name("name", req.name(), kOrgUnits);
  RETURN_IF_ERROR(v.status());
  return db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(store::UnitRecord unit, LoadUnit(db, c, id, "name", false));
    *out = unit.ToProto();
    return absl::OkStatus();
  });
}

absl::Status OrgLogic::UpdateOrgUnit(const CallContext& c, const v1::UpdateOrgUnitRequest& req, v1::OrgUnit* out) {
  RETURN_IF_ERROR(RequireWriter(c));
  const v1::OrgUnit& u = req.org_unit();
  Validator v;
  std::string id = v.Name("org_unit.name", u.name(), kOrgUnits);
  std::vector<std::string> paths =
      MaskPaths(v, req.update_mask(), {"display_name", "code"}, "MoveOrgUnit changes the parent");
  if (Masks(paths, "display_name")) v.Text("org_unit.display_name", u.display_name(), 1, 100);
  if (Masks(paths, "code")) v.Text("org_unit.code", u.code(), 1, 64);
  RETURN_IF_ERROR(v.status());
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(store::UnitRecord rec, LoadUnit(db, c, id, "org_unit.name", true));
    RETURN_IF_ERROR(CheckEtag("org_unit.etag", u.etag(), rec.version));
    if (rec.state != v1::OrgUnit::STATE_ACTIVE) {
      return WithReason(absl::FailedPreconditionError("the unit is dissolved or merged"), "UNIT_INACTIVE");
    }
    v1::OrgUnit next = rec.ToProto();
    ApplyMask(u, paths, &next);
    ChangeSet changes;
    changes.Changed("display_name", rec.display_name, next.display_name());
    changes.Changed("code", rec.code, next.code());
    rec.display_name = next.display_name();
    rec.code = next.code();
    if (!changes.empty()) {
      absl::Status s = SaveChange(db, c, NowUs(), rec, store::UpdateUnit,
                                  {rec.district_id, kOrgUnits.Name(rec.id), "", "update", changes});
      if (absl::IsAlreadyExists(s)) {
        return FieldStatus(absl::StatusCode::kAlreadyExists, "org_unit.code",
                           absl::StrCat("code ", u.code(), " is already used in this district"), "CODE_TAKEN");
      }
      RETURN_IF_ERROR(s);
    }
    *out = rec.ToProto();
    return absl::OkStatus();
  });
}

absl::Status OrgLogic::DeleteOrgUnit(const CallContext& c, const v1::DeleteOrgUnitRequest& req, v1::OrgUnit* out) {
  RETURN_IF_ERROR(RequireWriter(c));
  Validator v;
  std::string id = v.Name("name", req.name(), kOrgUnits);
  std::string target_id = v.Name("move_children_to", req.move_children_to(), kOrgUnits, false);
  RETURN_IF_ERROR(v.status());
  if (members_ != nullptr) {
    // In scope first; then the member service says whether members remain.
    RETURN_IF_ERROR(db_.Run([&](Db& db) { return LoadUnit(db, c, id, "name", false).status(); }));
    ASSIGN_OR_RETURN(int held, members_->MembersOf(c, id, "name"));
    if (held > 0) {
      return FieldStatus(
          absl::StatusCode::kFailedPrecondition, "name",
          absl::StrCat("the unit holds ", held, " members: transfer them, or merge the unit into another"),
          "HAS_MEMBERS");
    }
  }
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(store::UnitRecord rec, LoadUnit(db, c, id, "name", true));
    RETURN_IF_ERROR(CheckEtag("etag", req.etag(), rec.version));
    if (rec.state != v1::OrgUnit::STATE_ACTIVE) {
      return WithReason(absl::FailedPreconditionError("the unit is already dissolved or merged"), "UNIT_INACTIVE");
    }
    if (rec.parent_id.empty()) {
      return WithReason(absl::FailedPreconditionError("a district committee cannot be dissolved"), "ROOT_UNIT");
    }
    ASSIGN_OR_RETURN(std::vector<std::string> children, store::ActiveChildIds(db, rec.id));
    if (!children.empty()) {
      if (target_id.empty()) {
        return FieldStatus(
            absl::StatusCode::kFailedPrecondition, "move_children_to",
            absl::StrCat("the unit has ", children.size(), " active children: name a unit to move them to"),
            "HAS_CHILDREN");
      }
      ASSIGN_OR_RETURN(store::UnitRecord target, LoadUnit(db, c, target_id, "move_children_to", true));
      if (target.state != v1::OrgUnit::STATE_ACTIVE || target.path.rfind(rec.path, 0) == 0) {
        return FieldError("move_children_to", "must be an active unit outside the dissolved unit's subtree");
      }
      for (const std::string& child_id : children) {
        ASSIGN_OR_RETURN(auto child, store::GetUnit(db, child_id, true));
        if (!MayContain(target.type, child->type)) {
          return FieldError("move_children_to",
                            absl::StrCat("a ", v1::OrgUnitType_Name(child->type), " cannot sit under a ",
                                         v1::OrgUnitType_Name(target.type)));
        }
        RETURN_IF_ERROR(Reparent(db, c, *child, target));
      }
    }
    ASSIGN_OR_RETURN(std::vector<std::string> covered, store::PlacesCoveredBy(db, rec.id));
    for (const std::string& place : covered) RETURN_IF_ERROR(store::DeleteCoverage(db, rec.id, place).status());
    rec.state = v1::OrgUnit::STATE_DISSOLVED;
    ChangeSet changes;
    changes.Changed("state", "STATE_ACTIVE", "STATE_DISSOLVED");
    if (!children.empty()) changes.Set("children_moved_to", req.move_children_to());
    RETURN_IF_ERROR(SaveChange(db, c, NowUs(), rec, store::UpdateUnit,
                               {rec.district_id, kOrgUnits.Name(rec.id), "", "dissolve", changes}));
    *out = rec.ToProto();
    return absl::OkStatus();
  });
}

absl::Status OrgLogic::ListChildOrgUnits(const CallContext& c, const v1::ListChildOrgUnitsRequest& req,
                                         v1::ListOrgUnitsResponse* out) {
  Validator v;
  std::string id = v.Name("parent", req.parent(), kOrgUnits);
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(int size, PageSize(req.page_size(), 100, 1000));
  std::string fp = absl::StrCat("children|", id, "|", req.show_inactive());
  ASSIGN_OR_RETURN(std::string after, tokens_.Decode(req.page_token(), fp));
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    RETURN_IF_ERROR(LoadUnit(db, c, id, "parent", false).status());
    ASSIGN_OR_RETURN(auto rows, store::ListChildren(db, id, after, size + 1, req.show_inactive()));
    EmitPage(
        rows, size, tokens_, fp, [&](const auto& r) { *out->add_org_units() = r.ToProto(); },
        [](const auto& r) { return r.id; }, out->mutable_next_page_token());
    return absl::OkStatus();
  }));
  return req.member_counts() ? FillMemberCounts(c, *out) : absl::OkStatus();
}

absl::Status OrgLogic::FillMemberCounts(const CallContext& c, v1::ListOrgUnitsResponse& page) {
  if (members_ == nullptr) return absl::UnavailableError("member counts: no member service configured");
  std::vector<std::string> ids;
  for (const auto& u : page.org_units()) ids.push_back(kOrgUnits.IdOf(u.name()));
  if (ids.empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::vector<int> counts, members_->CountsOf(c, ids, "member_counts"));
  for (int i = 0; i < page.org_units_size(); ++i) page.mutable_org_units(i)->set_member_count(counts[i]);
  return absl::OkStatus();
}

absl::Status OrgLogic::ListSubtreeOrgUnits(const CallContext& c, const v1::ListSubtreeOrgUnitsRequest& req,
                                           v1::ListOrgUnitsResponse* out) {
  Validator v;
  std::string id = v.Name("root", req.root(), kOrgUnits);
  std::vector<int> types;
  for (int t : req.types()) {
    if (!ValidType(t)) v.Add("types", absl::StrCat("unknown type ", t));
    types.push_back(t);
  }
  RETURN_IF_ERROR(v.status());
  std::sort(types.begin(), types.end());
  types.erase(std::unique(types.begin(), types.end()), types.end());
  ASSIGN_OR_RETURN(int size, PageSize(req.page_size(), 100, 1000));
  std::string fp = absl::StrCat("subtree|", id, "|", absl::StrJoin(types, ","), "|", req.show_inactive());
  ASSIGN_OR_RETURN(std::string after, tokens_.Decode(req.page_token(), fp));
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(store::UnitRecord root, LoadUnit(db, c, id, "root", false));
    ASSIGN_OR_RETURN(auto rows,
                     store::ListSubtree(db, root.district_id, root.path, after, types, size + 1, req.show_inactive()));
    EmitPage(
        rows, size, tokens_, fp, [&](const auto& r) { *out->add_org_units() = r.ToProto(); },
        [](const auto& r) { return r.path; }, out->mutable_next_page_token());
    return absl::OkStatus();
  }));
  return req.member_counts() ? FillMemberCounts(c, *out) : absl::OkStatus();
}

absl::Status OrgLogic::ListAncestorOrgUnits(const CallContext& c, const v1::ListAncestorOrgUnitsRequest& req,
                                            v1::ListAncestorOrgUnitsResponse* out) {
  Validator v;
  std::string id = v.Name("name", req.name(), kOrgUnits);
  RETURN_IF_ERROR(v.status());
  return db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(store::UnitRecord unit, LoadUnit(db, c, id, "name", false));
    std::vector<std::string> ids = absl::StrSplit(unit.path, '/', absl::SkipEmpty());
    ids.pop_back();  // the unit itself
    ASSIGN_OR_RETURN(auto rows, store::GetUnits(db, ids));
    for (const auto& r : rows) *out->add_org_units() = r.ToProto();
    return absl::OkStatus();
  });
}

absl::Status OrgLogic::ListOrgEvents(const CallContext& c, const v1::ListOrgEventsRequest& req,
                                     v1::ListOrgEventsResponse* out) {
  Validator v;
  std::string id = v.Name("org_unit", req.org_unit(), kOrgUnits);
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(int size, PageSize(req.page_size(), 100, 1000));
  std::string fp = absl::StrCat("events|", id);
  ASSIGN_OR_RETURN(std::string after, tokens_.Decode(req.page_token(), fp));
  int64_t after_seq = 0;
  if (!after.empty() && !absl::SimpleAtoi(after, &after_seq)) return FieldError("page_token", "is malformed");
  return db_.Run([&](Db& db) -> absl::Status {
    RETURN_IF_ERROR(LoadUnit(db, c, id, "org_unit", false).status());
    ASSIGN_OR_RETURN(auto rows, ListHistory(db, kOrgUnits.Name(id), after_seq, size + 1));
    EmitPage(
        rows, size, tokens_, fp,
        [&](const HistoryRecord& e) {
          auto* pe = out->add_events();
          pe->set_id(e.id);
          pe->set_org_unit(e.owner);
          pe->set_resource(e.resource);
          pe->set_action(e.action);
          pe->set_actor(e.actor);
          SetTimestampUs(e.at_us, pe->mutable_time());
          pe->set_changes_json(e.changes);
          pe->set_request_id(e.request_id);
        },
        [](const HistoryRecord& e) { return absl::StrCat(e.seq); }, out->mutable_next_page_token());
    return absl::OkStatus();
  });
}

absl::Status OrgLogic::GetCommunitySettings(const CallContext& c, const v1::GetCommunitySettingsRequest& req,
                                            v1::CommunitySettings* out) {
  Validator v;
  std::string id = SettingsUnitId(req.name());
  v.Check(!id.empty(), "name", "must be orgUnits/{id}/settings");
  RETURN_IF_ERROR(v.status());
  return db_.Run([&](Db& db) -> absl::Status {
    RETURN_IF_ERROR(LoadCommunity(db, c, id, "name", false).status());
    ASSIGN_OR_RETURN(store::SettingsRecord s, store::GetSettings(db, id, false));
    out->set_name(req.name());
    out->set_building_group_min_residents(s.building_group_min_residents);
    out->set_etag(EtagOf(s.version));
    return absl::OkStatus();
  });
}

absl::Status OrgLogic::UpdateCommunitySettings(const CallContext& c, const v1::UpdateCommunitySettingsRequest& req,
                                               v1::CommunitySettings* out) {
  RETURN_IF_ERROR(RequireWriter(c));
  Validator v;
  std::string id = SettingsUnitId(req.settings().name());
  v.Check(!id.empty(), "settings.name", "must be orgUnits/{id}/settings");
  std::vector<std::string> paths = MaskPaths(v, req.update_mask(), {"building_group_min_residents"});
  if (Masks(paths, "building_group_min_residents")) {
    int n = req.settings().building_group_min_residents();
    v.Check(n >= 1 && n <= 100, "settings.building_group_min_residents", "must be 1..100");
  }
  RETURN_IF_ERROR(v.status());
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(store::UnitRecord unit, LoadCommunity(db, c, id, "settings.name", true));
    ASSIGN_OR_RETURN(store::SettingsRecord s, store::GetSettings(db, id, true));
    RETURN_IF_ERROR(CheckEtag("settings.etag", req.settings().etag(), s.version));
    v1::CommunitySettings next;
    next.set_building_group_min_residents(s.building_group_min_residents);
    ApplyMask(req.settings(), paths, &next);
    ChangeSet changes;
    changes.Changed("building_group_min_residents", absl::StrCat(s.building_group_min_residents),
                    absl::StrCat(next.building_group_min_residents()));
    s.building_group_min_residents = next.building_group_min_residents();
    s.district_id = unit.district_id;
    RETURN_IF_ERROR(SaveChange(db, c, NowUs(), s, store::UpsertSettings,
                               {unit.district_id, kOrgUnits.Name(unit.id), req.settings().name(), "update", changes}));
    out->set_name(req.settings().name());
    out->set_building_group_min_residents(s.building_group_min_residents);
    out->set_etag(EtagOf(s.version));
    return absl::OkStatus();
  });
}

}  // namespace lianxin::org
