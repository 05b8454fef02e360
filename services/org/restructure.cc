// OrgLogic: moving and merging units, and the approval path between two units.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/history.h"
#include "common/names.h"
#include "common/status.h"
#include "common/validate.h"
#include "services/org/org_logic.h"

namespace lianxin::org {

absl::Status OrgLogic::Reparent(Db& db, const CallContext& c, const store::UnitRecord& unit,
                                const store::UnitRecord& new_parent) {
  std::string new_prefix = absl::StrCat(new_parent.path, unit.id, "/");
  int delta = new_parent.depth + 1 - unit.depth;
  RETURN_IF_ERROR(store::RewritePaths(db, unit.district_id, unit.path, new_prefix, delta, NowUs()));
  ASSIGN_OR_RETURN(auto moved, store::GetUnit(db, unit.id, true));
  if (!moved.has_value()) return absl::InternalError("moved unit vanished");
  moved->parent_id = new_parent.id;
  RETURN_IF_ERROR(store::UpdateUnit(db, *moved));
  ChangeSet changes;
  changes.Changed("parent", kOrgUnits.Name(unit.parent_id), kOrgUnits.Name(new_parent.id));
  return RecordHistory(db, c, {unit.district_id, kOrgUnits.Name(unit.id), kOrgUnits.Name(unit.id), "move", changes},
                       NowUs());
}

absl::Status OrgLogic::MoveOrgUnit(const CallContext& c, const v1::MoveOrgUnitRequest& req, v1::OrgUnit* out) {
  RETURN_IF_ERROR(RequireWriter(c));
  Validator v;
  std::string id = v.Name("name", req.name(), kOrgUnits);
  std::string parent_id = v.Name("new_parent", req.new_parent(), kOrgUnits);
  RETURN_IF_ERROR(v.status());
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(store::UnitRecord unit, LoadUnit(db, c, id, "name", true));
    ASSIGN_OR_RETURN(store::UnitRecord parent, LoadUnit(db, c, parent_id, "new_parent", true));
    RETURN_IF_ERROR(CheckEtag("etag", req.etag(), unit.version));
    if (unit.state != v1::OrgUnit::STATE_ACTIVE || parent.state != v1::OrgUnit::STATE_ACTIVE) {
      return WithReason(absl::FailedPreconditionError("both units must be active"), "UNIT_INACTIVE");
    }
    if (unit.parent_id.empty()) return FieldError("name", "a district committee cannot be moved");
    if (parent.path.rfind(unit.path, 0) == 0) {
      return FieldStatus(absl::StatusCode::kInvalidArgument, "new_parent",
                         "is the unit itself or one of its descendants: the move would make a cycle", "CYCLE");
    }
    if (parent.district_id != unit.district_id) return FieldError("new_parent", "must be in the same district");
    if (!MayContain(parent.type, unit.type)) {
      return FieldError("new_parent", absl::StrCat("a ", v1::OrgUnitType_Name(unit.type), " cannot sit under a ",
                                                   v1::OrgUnitType_Name(parent.type)));
    }
    if (parent.id != unit.parent_id) RETURN_IF_ERROR(Reparent(db, c, unit, parent));
    ASSIGN_OR_RETURN(auto moved, store::GetUnit(db, unit.id, false));
    *out = moved->ToProto();
    return absl::OkStatus();
  });
}

absl::Status OrgLogic::MergeOrgUnits(const CallContext& c, const v1::MergeOrgUnitsRequest& req, v1::OrgUnit* out) {
  RETURN_IF_ERROR(RequireWriter(c));
  Validator v;
  std::string id = v.Name("name", req.name(), kOrgUnits);
  std::string into_id = v.Name("into", req.into(), kOrgUnits);
  RETURN_IF_ERROR(v.status());
  if (id == into_id) return FieldError("into", "must differ from name");
  auto check = [&](const store::UnitRecord& from, const store::UnitRecord& into) -> absl::Status {
    RETURN_IF_ERROR(CheckEtag("etag", req.etag(), from.version));
    if (from.state != v1::OrgUnit::STATE_ACTIVE || into.state != v1::OrgUnit::STATE_ACTIVE) {
      return WithReason(absl::FailedPreconditionError("both units must be active"), "UNIT_INACTIVE");
    }
    if (from.parent_id.empty()) return FieldError("name", "a district committee cannot be merged");
    if (into.path.rfind(from.path, 0) == 0) {
      return FieldStatus(absl::StatusCode::kInvalidArgument, "into",
                         "lies inside the merged unit's subtree: the merge would make a cycle", "CYCLE");
    }
    if (from.type != into.type && !(IsCommunityLevel(from.type) && IsCommunityLevel(into.type))) {
      return FieldError("into", "must be a unit of the same level");
    }
    return absl::OkStatus();
  };
  if (members_ != nullptr) {
    // The merged unit's members follow it, through the member service, once
    // the merge is known to be allowed; the merge itself commits next.
    RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
      ASSIGN_OR_RETURN(store::UnitRecord from, LoadUnit(db, c, id, "name", false));
      ASSIGN_OR_RETURN(store::UnitRecord into, LoadUnit(db, c, into_id, "into", false));
      return check(from, into);
    }));
    RETURN_IF_ERROR(members_->MoveMembers(c, id, into_id, "name").status());
  }
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(store::UnitRecord from, LoadUnit(db, c, id, "name", true));
    ASSIGN_OR_RETURN(store::UnitRecord into, LoadUnit(db, c, into_id, "into", true));
    RETURN_IF_ERROR(check(from, into));
    ASSIGN_OR_RETURN(std::vector<std::string> children, store::ActiveChildIds(db, from.id));
    for (const std::string& child_id : children) {
      ASSIGN_OR_RETURN(auto child, store::GetUnit(db, child_id, true));
      RETURN_IF_ERROR(Reparent(db, c, *child, into));
    }
    RETURN_IF_ERROR(store::MoveCoverage(db, from.id, into.id));
    if (IsCommunityLevel(from.type)) RETURN_IF_ERROR(store::MovePartners(db, from.id, into.id));
    ASSIGN_OR_RETURN(auto fresh, store::GetUnit(db, from.id, true));
    fresh->state = v1::OrgUnit::STATE_MERGED;
    fresh->merged_into = into.id;
    ChangeSet from_changes;
    from_changes.Changed("state", "STATE_ACTIVE", "STATE_MERGED");
    from_changes.Set("merged_into", req.into());
    RETURN_IF_ERROR(SaveChange(db, c, NowUs(), *fresh, store::UpdateUnit,
                               {from.district_id, kOrgUnits.Name(from.id), "", "merge", from_changes}));
    ChangeSet into_changes;
    into_changes.Set("merged_from", req.name());
    into_changes.Set("children_moved", absl::StrCat(children.size()));
    RETURN_IF_ERROR(
        RecordHistory(db, c, {into.district_id, kOrgUnits.Name(into.id), req.into(), "merge", into_changes}, NowUs()));
    ASSIGN_OR_RETURN(auto result, store::GetUnit(db, into.id, false));
    *out = result->ToProto();
    return absl::OkStatus();
  });
}

absl::Status OrgLogic::GetApprovalPath(const CallContext& c, const v1::GetApprovalPathRequest& req,
                                       v1::GetApprovalPathResponse* out) {
  Validator v;
  std::string from_id = v.Name("from", req.from(), kOrgUnits);
  std::string to_id = v.Name("to", req.to(), kOrgUnits);
  RETURN_IF_ERROR(v.status());
  return db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(store::UnitRecord from, LoadUnit(db, c, from_id, "from", false));
    // The receiving side may lie outside the sender's subtree: transfers go
    // anywhere in the district.
    ASSIGN_OR_RETURN(auto to, store::GetUnit(db, to_id, false));
    if (!to.has_value() || to->district_id != from.district_id) {
      return NotFoundIn(kOrgUnits, to_id, "to");
    }
    std::vector<std::string> up = absl::StrSplit(from.path, '/', absl::SkipEmpty());
    std::vector<std::string> down = absl::StrSplit(to->path, '/', absl::SkipEmpty());
    size_t common = 0;
    while (common < up.size() && common < down.size() && up[common] == down[common]) ++common;
    if (common == 0) return absl::InternalError("units of one district share no ancestor");
    std::vector<std::string> ids;
    for (size_t i = up.size(); i-- > common - 1;) ids.push_back(up[i]);    // from .. common ancestor
    for (size_t i = common; i < down.size(); ++i) ids.push_back(down[i]);  // below it .. to
    ASSIGN_OR_RETURN(auto rows, store::GetUnits(db, ids));
    for (const std::string& want : ids) {
      for (const auto& r : rows) {
        if (r.id == want) *out->add_org_units() = r.ToProto();
      }
    }
    out->set_common_ancestor(kOrgUnits.Name(up[common - 1]));
    return absl::OkStatus();
  });
}

}  // namespace lianxin::org
