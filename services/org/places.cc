// OrgLogic: compounds, buildings and stairwells, and which unit covers them.
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
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

// Coverage levels (org_coverage.level).
constexpr int kBranchLevel = 1;
constexpr int kGroupLevel = 2;

int CoverageLevel(v1::OrgUnitType t) {
  switch (t) {
    case v1::ORG_UNIT_TYPE_BRANCH:
    case v1::ORG_UNIT_TYPE_GENERAL_BRANCH:
      return kBranchLevel;
    case v1::ORG_UNIT_TYPE_PARTY_GROUP:
    case v1::ORG_UNIT_TYPE_BUILDING_PARTY_GROUP:
      return kGroupLevel;
    default:
      return 0;
  }
}

absl::Status PlaceNotVisible(const CallContext& c, const std::string& name, const std::string& field) {
  if (c.principal.IsPlatformWide()) return ResourceNotFound(kPlaces.type(), name, field);
  return absl::PermissionDeniedError(absl::StrCat(field, ": ", name, " is outside the caller's subtree"));
}

// The ids of places[i], each checked.
std::vector<std::string> PlaceIds(Validator& v, const google::protobuf::RepeatedPtrField<std::string>& names) {
  std::vector<std::string> ids;
  for (int i = 0; i < names.size(); ++i) ids.push_back(v.Name(absl::StrCat("places[", i, "]"), names[i], kPlaces));
  return ids;
}

// The community-level unit on a unit's path (the deepest one), or "".
absl::StatusOr<std::string> CommunityOf(Db& db, const store::UnitRecord& unit) {
  std::vector<std::string> ids = absl::StrSplit(unit.path, '/', absl::SkipEmpty());
  ASSIGN_OR_RETURN(auto rows, store::GetUnits(db, ids));
  std::string community;
  for (const auto& r : rows) {  // ordered by depth
    if (OrgLogic::IsCommunityLevel(r.type)) community = r.id;
  }
  return community;
}

}  // namespace

absl::Status OrgLogic::CreatePlace(const CallContext& c, const v1::CreatePlaceRequest& req, v1::Place* out) {
  RETURN_IF_ERROR(RequireWriter(c));
  const v1::Place& p = req.place();
  Validator v;
  std::string community_id = v.Name("place.community", p.community(), kOrgUnits);
  std::string parent_id = v.Name("place.parent", p.parent(), kPlaces, /*required=*/false);
  v.Check(v1::PlaceKind_IsValid(p.kind()) && p.kind() != v1::PLACE_KIND_UNSPECIFIED, "place.kind",
          "is required: compound, building or stairwell");
  v.Text("place.display_name", p.display_name(), 1, 100);
  v.Text("place.address", p.address(), 0, 200);
  v.RequestId(req.request_id());
  if (p.kind() == v1::PLACE_KIND_COMPOUND && !p.parent().empty())
    v.Add("place.parent", "a compound has no parent place");
  if (p.kind() == v1::PLACE_KIND_STAIRWELL && p.parent().empty())
    v.Add("place.parent", "a stairwell needs its building");
  RETURN_IF_ERROR(v.status());
  auto replay = [&](Db& db, const std::string& name) -> absl::StatusOr<bool> {
    ASSIGN_OR_RETURN(auto rec, store::GetPlace(db, kPlaces.IdOf(name), false));
    // A replay answers only what the caller may see now, as the first call did.
    if (rec.has_value()) RETURN_IF_ERROR(LoadCommunity(db, c, rec->community_id, "request_id", false).status());
    if (rec.has_value()) *out = rec->proto;
    return rec.has_value();
  };
  return CreateOnce(
      db_, c, req.request_id(), "CreatePlace", NowUs(), replay, [&](Db& db, RememberCreated remember) -> absl::Status {
        ASSIGN_OR_RETURN(store::UnitRecord community, LoadCommunity(db, c, community_id, "place.community", false));
        if (!parent_id.empty()) {
          ASSIGN_OR_RETURN(auto parent, store::GetPlace(db, parent_id, false));
          if (!parent.has_value() || parent->community_id != community_id) {
            return FieldError("place.parent", "must be a place of the same community");
          }
          v1::PlaceKind want = p.kind() == v1::PLACE_KIND_STAIRWELL ? v1::PLACE_KIND_BUILDING : v1::PLACE_KIND_COMPOUND;
          if (parent->proto.kind() != want) {
            return FieldError("place.parent",
                              p.kind() == v1::PLACE_KIND_STAIRWELL ? "must be a building" : "must be a compound");
          }
        }
        store::PlaceRecord rec;
        rec.id = NewId();
        rec.district_id = community.district_id;
        rec.community_id = community_id;
        rec.parent_id = parent_id;
        rec.proto = p;
        rec.created_us = rec.updated_us = NowUs();
        std::string name = kPlaces.Name(rec.id);
        RETURN_IF_ERROR(remember(rec.district_id, name));
        RETURN_IF_ERROR(store::InsertPlace(db, rec));
        ChangeSet changes;
        changes.Set("kind", v1::PlaceKind_Name(p.kind()));
        changes.Set("display_name", p.display_name());
        changes.Set("parent", p.parent());
        RETURN_IF_ERROR(
            RecordHistory(db, c, {rec.district_id, kOrgUnits.Name(community_id), name, "create", changes}, NowUs()));
        ASSIGN_OR_RETURN(auto stored, store::GetPlace(db, rec.id, false));
        *out = stored->proto;
        return absl::OkStatus();
      });
}

absl::Status OrgLogic::GetPlace(const CallContext& c, const v1::GetPlaceRequest& req, v1::Place* out) {
  Validator v;
  std::string id = v.Name("name", req.name(), kPlaces);
  RETURN_IF_ERROR(v.status());
  return db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto rec, store::GetPlace(db, id, false));
    if (!rec.has_value()) return PlaceNotVisible(c, req.name(), "name");
    RETURN_IF_ERROR(LoadUnit(db, c, rec->community_id, "name", false).status());
    *out = rec->proto;
    return absl::OkStatus();
  });
}

absl::Status OrgLogic::UpdatePlace(const CallContext& c, const v1::UpdatePlaceRequest& req, v1::Place* out) {
  RETURN_IF_ERROR(RequireWriter(c));
  const v1::Place& p = req.place();
  Validator v;
  std::string id = v.Name("place.name", p.name(), kPlaces);
  std::vector<std::string> paths = MaskPaths(v, req.update_mask(), {"display_name", "address"});
  if (Masks(paths, "display_name")) v.Text("place.display_name", p.display_name(), 1, 100);
  if (Masks(paths, "address")) v.Text("place.address", p.address(), 0, 200);
  RETURN_IF_ERROR(v.status());
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto rec, store::GetPlace(db, id, true));
    if (!rec.has_value()) return PlaceNotVisible(c, p.name(), "place.name");
    RETURN_IF_ERROR(LoadUnit(db, c, rec->community_id, "place.name", false).status());
    RETURN_IF_ERROR(CheckEtag("place.etag", p.etag(), rec->version));
    v1::Place next = rec->proto;
    ApplyMask(p, paths, &next);
    ChangeSet changes;
    changes.Changed("display_name", rec->proto.display_name(), next.display_name());
    changes.Changed("address", rec->proto.address(), next.address());
    if (!changes.empty()) {
      rec->proto = next;
      RETURN_IF_ERROR(SaveChange(db, c, NowUs(), *rec, store::UpdatePlace,
                                 {rec->district_id, kOrgUnits.Name(rec->community_id), p.name(), "update", changes}));
    }
    ASSIGN_OR_RETURN(auto stored, store::GetPlace(db, id, false));
    *out = stored->proto;
    return absl::OkStatus();
  });
}

absl::Status OrgLogic::DeletePlace(const CallContext& c, const v1::DeletePlaceRequest& req, v1::Place* out) {
  RETURN_IF_ERROR(RequireWriter(c));
  Validator v;
  std::string id = v.Name("name", req.name(), kPlaces);
  RETURN_IF_ERROR(v.status());
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto rec, store::GetPlace(db, id, true));
    if (!rec.has_value()) return PlaceNotVisible(c, req.name(), "name");
    RETURN_IF_ERROR(LoadUnit(db, c, rec->community_id, "name", false).status());
    RETURN_IF_ERROR(CheckEtag("etag", req.etag(), rec->version));
    ASSIGN_OR_RETURN(int64_t children, store::CountPlaceChildren(db, id));
    ASSIGN_OR_RETURN(auto coverage, store::CoverageOfPlaces(db, {id}));
    if (children > 0 || !coverage.empty()) {
      return WithReason(
          absl::FailedPreconditionError("the place still has buildings or stairwells, or a unit covers it"),
          "PLACE_IN_USE");
    }
    RETURN_IF_ERROR(store::DeletePlace(db, id));
    ChangeSet changes;
    changes.Changed("display_name", rec->proto.display_name(), "");
    RETURN_IF_ERROR(RecordHistory(
        db, c, {rec->district_id, kOrgUnits.Name(rec->community_id), req.name(), "delete", changes}, NowUs()));
    *out = rec->proto;
    return absl::OkStatus();
  });
}

absl::Status OrgLogic::ListPlaces(const CallContext& c, const v1::ListPlacesRequest& req, v1::ListPlacesResponse* out) {
  Validator v;
  std::string community_id = v.Name("community", req.community(), kOrgUnits);
  std::string parent_id = v.Name("parent", req.parent(), kPlaces, false);
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(int size, PageSize(req.page_size(), 100, 1000));
  std::string fp = absl::StrCat("places|", community_id, "|", parent_id);
  ASSIGN_OR_RETURN(std::string after, tokens_.Decode(req.page_token(), fp));
  return db_.Run([&](Db& db) -> absl::Status {
    RETURN_IF_ERROR(LoadUnit(db, c, community_id, "community", false).status());
    ASSIGN_OR_RETURN(auto rows, store::ListPlaces(db, community_id, parent_id, after, size + 1));
    EmitPage(
        rows, size, tokens_, fp, [&](const auto& r) { *out->add_places() = r.proto; },
        [](const auto& r) { return r.id; }, out->mutable_next_page_token());
    return absl::OkStatus();
  });
}

// docs/domain.md "Organizations": a building with five or more resident members (a per-community
// setting) may form a building party group; neighbouring buildings may
// combine. Counted over every building the group would cover, members in good
// standing living there (membership by residence, not formal relation).
absl::Status OrgLogic::CheckResidentMembers(const CallContext& c, const std::string& unit_id,
                                            const std::vector<std::string>& place_ids) {
  if (members_ == nullptr) return absl::OkStatus();
  std::vector<std::string> all = place_ids;
  int needed = 0;
  bool group = false;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(store::UnitRecord unit, LoadUnit(db, c, unit_id, "org_unit", false));
    group = unit.type == v1::ORG_UNIT_TYPE_BUILDING_PARTY_GROUP;
    if (!group) return absl::OkStatus();
    ASSIGN_OR_RETURN(std::vector<std::string> already, store::PlacesCoveredBy(db, unit.id));
    all.insert(all.end(), already.begin(), already.end());
    ASSIGN_OR_RETURN(std::string community_id, CommunityOf(db, unit));
    ASSIGN_OR_RETURN(store::SettingsRecord settings, store::GetSettings(db, community_id, false));
    needed = settings.building_group_min_residents;
    return absl::OkStatus();
  }));
  if (!group) return absl::OkStatus();
  ASSIGN_OR_RETURN(int residents, members_->ResidentsOf(c, all, "places"));
  if (residents >= needed) return absl::OkStatus();
  return FieldStatus(absl::StatusCode::kFailedPrecondition, "places",
                     absl::StrCat("the buildings have ", residents,
                                  " resident members in good standing; a building "
                                  "party group needs at least ",
                                  needed, " (the community's setting)"),
                     "TOO_FEW_RESIDENT_MEMBERS");
}

absl::Status OrgLogic::CoverPlaces(const CallContext& c, const v1::CoverPlacesRequest& req,
                                   v1::CoverPlacesResponse* out) {
  RETURN_IF_ERROR(RequireWriter(c));
  Validator v;
  std::string unit_id = v.Name("org_unit", req.org_unit(), kOrgUnits);
  std::vector<std::string> place_ids = PlaceIds(v, req.places());
  v.Check(req.places_size() > 0 && req.places_size() <= 100, "places", "must name 1..100 places");
  RETURN_IF_ERROR(v.status());
  RETURN_IF_ERROR(CheckResidentMembers(c, unit_id, place_ids));
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(store::UnitRecord unit, LoadUnit(db, c, unit_id, "org_unit", true));
    int level = CoverageLevel(unit.type);
    if (level == 0)
      return FieldError("org_unit", "must be a branch, general branch, party group or building party group");
    if (unit.state != v1::OrgUnit::STATE_ACTIVE) {
      return FieldStatus(absl::StatusCode::kFailedPrecondition, "org_unit", "the unit is not active", "UNIT_INACTIVE");
    }
    ASSIGN_OR_RETURN(std::string community_id, CommunityOf(db, unit));
    ASSIGN_OR_RETURN(std::vector<std::string> already, store::PlacesCoveredBy(db, unit.id));
    std::vector<std::string> all_ids = place_ids;
    all_ids.insert(all_ids.end(), already.begin(), already.end());
    ASSIGN_OR_RETURN(auto places, store::GetPlaces(db, all_ids));
    ASSIGN_OR_RETURN(auto coverage, store::CoverageOfPlaces(db, place_ids));
    std::set<std::string> compounds;  // for the "neighbouring buildings" rule
    for (size_t i = 0; i < all_ids.size(); ++i) {
      const std::string field = i < place_ids.size() ? absl::StrCat("places[", i, "]") : "org_unit";
      const store::PlaceRecord* place = nullptr;
      for (const auto& p : places)
        if (p.id == all_ids[i]) place = &p;
      if (place == nullptr || place->community_id != community_id) {
        return FieldError(field, "must be a place of the unit's community");
      }
      if (unit.type == v1::ORG_UNIT_TYPE_BUILDING_PARTY_GROUP) {
        if (place->proto.kind() == v1::PLACE_KIND_COMPOUND)
          return FieldError(field, "a building party group covers buildings or stairwells");
        std::string compound = place->parent_id;
        if (place->proto.kind() == v1::PLACE_KIND_STAIRWELL) {
          ASSIGN_OR_RETURN(auto building, store::GetPlace(db, place->parent_id, false));
          compound = building.has_value() ? building->parent_id : "";
        }
        compounds.insert(compound);
      }
    }
    if (compounds.size() > 1) {
      return FieldError("places", "a building party group covers neighbouring buildings of one compound");
    }
    for (size_t i = 0; i < place_ids.size(); ++i) {
      bool mine = false;
      for (const auto& cov : coverage) {
        if (cov.place_id != place_ids[i] || cov.level != level) continue;
        if (cov.unit_id != unit.id) {
          return FieldStatus(absl::StatusCode::kFailedPrecondition, absl::StrCat("places[", i, "]"),
                             absl::StrCat("already covered by orgUnits/", cov.unit_id), "ALREADY_COVERED");
        }
        mine = true;
      }
      if (mine) continue;
      absl::Status s = store::InsertCoverage(db, unit.district_id, {place_ids[i], unit.id, level});
      if (absl::IsAlreadyExists(s)) continue;  // the same place named twice
      RETURN_IF_ERROR(s);
      ChangeSet changes;
      changes.Set("covers", req.places(static_cast<int>(i)));
      RETURN_IF_ERROR(
          RecordHistory(db, c, {unit.district_id, kOrgUnits.Name(unit.id), req.org_unit(), "cover", changes}, NowUs()));
    }
    ASSIGN_OR_RETURN(std::vector<std::string> now, store::PlacesCoveredBy(db, unit.id));
    for (const auto& id : now) out->add_places(kPlaces.Name(id));
    return absl::OkStatus();
  });
}

absl::Status OrgLogic::UncoverPlaces(const CallContext& c, const v1::UncoverPlacesRequest& req,
                                     v1::UncoverPlacesResponse* out) {
  RETURN_IF_ERROR(RequireWriter(c));
  Validator v;
  std::string unit_id = v.Name("org_unit", req.org_unit(), kOrgUnits);
  std::vector<std::string> place_ids = PlaceIds(v, req.places());
  RETURN_IF_ERROR(v.status());
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(store::UnitRecord unit, LoadUnit(db, c, unit_id, "org_unit", true));
    for (size_t i = 0; i < place_ids.size(); ++i) {
      ASSIGN_OR_RETURN(int64_t n, store::DeleteCoverage(db, unit.id, place_ids[i]));
      if (n == 0) continue;
      ChangeSet changes;
      changes.Changed("covers", req.places(static_cast<int>(i)), "");
      RETURN_IF_ERROR(RecordHistory(
          db, c, {unit.district_id, kOrgUnits.Name(unit.id), req.org_unit(), "uncover", changes}, NowUs()));
    }
    ASSIGN_OR_RETURN(std::vector<std::string> now, store::PlacesCoveredBy(db, unit.id));
    for (const auto& id : now) out->add_places(kPlaces.Name(id));
    return absl::OkStatus();
  });
}

absl::Status OrgLogic::ListCoveredPlaces(const CallContext& c, const v1::ListCoveredPlacesRequest& req,
                                         v1::ListCoveredPlacesResponse* out) {
  Validator v;
  std::string unit_id = v.Name("org_unit", req.org_unit(), kOrgUnits);
  RETURN_IF_ERROR(v.status());
  return db_.Run([&](Db& db) -> absl::Status {
    RETURN_IF_ERROR(LoadUnit(db, c, unit_id, "org_unit", false).status());
    ASSIGN_OR_RETURN(std::vector<std::string> ids, store::PlacesCoveredBy(db, unit_id));
    ASSIGN_OR_RETURN(auto places, store::GetPlaces(db, ids));
    for (const auto& p : places) *out->add_places() = p.proto;
    return absl::OkStatus();
  });
}

absl::Status OrgLogic::ResolveCoverage(const CallContext& c, const v1::ResolveCoverageRequest& req,
                                       v1::ResolveCoverageResponse* out) {
  Validator v;
  std::string id = v.Name("place", req.place(), kPlaces);
  RETURN_IF_ERROR(v.status());
  return db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto place, store::GetPlace(db, id, false));
    if (!place.has_value()) return PlaceNotVisible(c, req.place(), "place");
    RETURN_IF_ERROR(LoadUnit(db, c, place->community_id, "place", false).status());
    // The place itself, then its building, then its compound: nearest wins.
    std::vector<std::string> chain = {place->id};
    std::string parent = place->parent_id;
    while (!parent.empty() && chain.size() < 3) {
      chain.push_back(parent);
      ASSIGN_OR_RETURN(auto up, store::GetPlace(db, parent, false));
      parent = up.has_value() ? up->parent_id : "";
    }
    ASSIGN_OR_RETURN(auto coverage, store::CoverageOfPlaces(db, chain));
    for (const std::string& pid : chain) {
      for (const auto& cov : coverage) {
        if (cov.place_id != pid) continue;
        std::string unit = kOrgUnits.Name(cov.unit_id);
        if (cov.level == kGroupLevel && out->building_party_group().empty()) out->set_building_party_group(unit);
        if (cov.level == kBranchLevel && out->branch().empty()) out->set_branch(unit);
      }
    }
    out->set_community(kOrgUnits.Name(place->community_id));
    return absl::OkStatus();
  });
}

}  // namespace lianxin::org
