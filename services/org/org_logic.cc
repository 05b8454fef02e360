// What every OrgLogic method shares: scope checks, etags, history, request ids.
#include "services/org/org_logic.h"

#include "absl/strings/str_cat.h"
#include "common/ids.h"
#include "common/names.h"
#include "common/status.h"

namespace lianxin::org {

bool OrgLogic::IsCommunityLevel(v1::OrgUnitType t) {
  return t == v1::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE || t == v1::ORG_UNIT_TYPE_GENERAL_BRANCH;
}

bool OrgLogic::MayContain(v1::OrgUnitType parent, v1::OrgUnitType child) {
  using T = v1::OrgUnitType;
  switch (child) {
    case T::ORG_UNIT_TYPE_DISTRICT_COMMITTEE:
      return parent == T::ORG_UNIT_TYPE_UNSPECIFIED;
    case T::ORG_UNIT_TYPE_STREET_WORKING_COMMITTEE:
      return parent == T::ORG_UNIT_TYPE_DISTRICT_COMMITTEE;
    case T::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE:
      return parent == T::ORG_UNIT_TYPE_STREET_WORKING_COMMITTEE || parent == T::ORG_UNIT_TYPE_DISTRICT_COMMITTEE;
    case T::ORG_UNIT_TYPE_GENERAL_BRANCH:  // a community's 党总支, or under a 社区党委
      return parent == T::ORG_UNIT_TYPE_STREET_WORKING_COMMITTEE || parent == T::ORG_UNIT_TYPE_DISTRICT_COMMITTEE ||
             parent == T::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE;
    case T::ORG_UNIT_TYPE_BRANCH:
      return parent == T::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE || parent == T::ORG_UNIT_TYPE_GENERAL_BRANCH ||
             parent == T::ORG_UNIT_TYPE_STREET_WORKING_COMMITTEE;
    case T::ORG_UNIT_TYPE_PARTY_GROUP:
      return parent == T::ORG_UNIT_TYPE_BRANCH;
    case T::ORG_UNIT_TYPE_BUILDING_PARTY_GROUP:  // by residence: under a branch or the community
      return parent == T::ORG_UNIT_TYPE_BRANCH || parent == T::ORG_UNIT_TYPE_GENERAL_BRANCH ||
             parent == T::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE;
    default:
      return false;
  }
}

absl::Status OrgLogic::RequireWriter(const CallContext& c) {
  if (c.principal.HasAnyRole({kRoleOperator, kRoleSecretary})) return absl::OkStatus();
  return WithReason(absl::PermissionDeniedError("changing the organization tree needs the operator or secretary role"),
                    "ROLE_REQUIRED");
}

absl::StatusOr<store::UnitRecord> OrgLogic::LoadUnit(Db& db, const CallContext& c, const std::string& id,
                                                     const std::string& field, bool for_update) {
  ASSIGN_OR_RETURN(auto unit, store::GetUnit(db, id, for_update));
  std::string name = kOrgUnits.Name(id);
  if (unit.has_value() && c.principal.CoversPath(unit->path)) return *std::move(unit);
  if (!unit.has_value()) return MissingIn(c.principal.IsPlatformWide(), kOrgUnits, id, field);
  return OutsideSubtree(name, field);
}

absl::StatusOr<store::UnitRecord> OrgLogic::LoadCommunity(Db& db, const CallContext& c, const std::string& id,
                                                          const std::string& field, bool for_update) {
  ASSIGN_OR_RETURN(store::UnitRecord unit, LoadUnit(db, c, id, field, for_update));
  if (!IsCommunityLevel(unit.type)) {
    return FieldError(field, "must be a community (community committee or general branch)");
  }
  if (unit.state != v1::OrgUnit::STATE_ACTIVE) {
    return FieldStatus(absl::StatusCode::kFailedPrecondition, field, "the community is not active", "UNIT_INACTIVE");
  }
  return unit;
}

}  // namespace lianxin::org
