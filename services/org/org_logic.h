// The organization service's rules (docs/domain.md "Organizations"): one method
// per RPC, named as the RPC, taking the caller and the request, filling the
// response. It knows nothing of gRPC; its SQL is in org_store.h.
//
// Access: every caller must be in scope — the unit it names lies in the
// caller's subtree — and is refused PERMISSION_DENIED before anything is said
// about existence. Changes need the operator or secretary role.
#ifndef LIANXIN_SERVICES_ORG_ORG_LOGIC_H_
#define LIANXIN_SERVICES_ORG_ORG_LOGIC_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/call_context.h"
#include "common/changes.h"
#include "common/clock.h"
#include "common/db.h"
#include "common/page_token.h"
#include "lianxin/org/v1/org_service.pb.h"
#include "lianxin/org/v1/todo.pb.h"
#include "services/org/member_directory.h"
#include "services/org/org_store.h"
#include "services/org/todo_sources.h"

namespace lianxin::org {

namespace v1 = ::lianxin::org::v1;

class OrgLogic {
 public:
  OrgLogic(DbPool& db, const PageTokens& tokens, const Clock& clock = SystemClock::Get())
      : db_(db), tokens_(tokens), clock_(clock) {}

  // The member service, for the rules that need member data: no dissolving
  // a unit that holds members, merges move members, building party groups
  // need resident members, positions name members on file. Without it
  // (a standalone org service, as in the org-only tests) those checks are
  // off; the platform always sets it.
  void set_members(MemberDirectory* members) { members_ = members; }

  // Units (units.cc).
  absl::Status CreateOrgUnit(const CallContext& c, const v1::CreateOrgUnitRequest& req, v1::OrgUnit* out);
  absl::Status GetOrgUnit(const CallContext& c, const v1::GetOrgUnitRequest& req, v1::OrgUnit* out);
  absl::Status UpdateOrgUnit(const CallContext& c, const v1::UpdateOrgUnitRequest& req, v1::OrgUnit* out);
  absl::Status DeleteOrgUnit(const CallContext& c, const v1::DeleteOrgUnitRequest& req, v1::OrgUnit* out);
  absl::Status ListChildOrgUnits(const CallContext& c, const v1::ListChildOrgUnitsRequest& req,
                                 v1::ListOrgUnitsResponse* out);
  absl::Status ListSubtreeOrgUnits(const CallContext& c, const v1::ListSubtreeOrgUnitsRequest& req,
                                   v1::ListOrgUnitsResponse* out);
  absl::Status ListAncestorOrgUnits(const CallContext& c, const v1::ListAncestorOrgUnitsRequest& req,
                                    v1::ListAncestorOrgUnitsResponse* out);
  absl::Status ListOrgEvents(const CallContext& c, const v1::ListOrgEventsRequest& req, v1::ListOrgEventsResponse* out);
  absl::Status GetCommunitySettings(const CallContext& c, const v1::GetCommunitySettingsRequest& req,
                                    v1::CommunitySettings* out);
  absl::Status UpdateCommunitySettings(const CallContext& c, const v1::UpdateCommunitySettingsRequest& req,
                                       v1::CommunitySettings* out);

  // Restructuring (restructure.cc).
  absl::Status MoveOrgUnit(const CallContext& c, const v1::MoveOrgUnitRequest& req, v1::OrgUnit* out);
  absl::Status MergeOrgUnits(const CallContext& c, const v1::MergeOrgUnitsRequest& req, v1::OrgUnit* out);
  absl::Status GetApprovalPath(const CallContext& c, const v1::GetApprovalPathRequest& req,
                               v1::GetApprovalPathResponse* out);

  // Positions (positions.cc).
  absl::Status CreatePosition(const CallContext& c, const v1::CreatePositionRequest& req, v1::Position* out);
  absl::Status UpdatePosition(const CallContext& c, const v1::UpdatePositionRequest& req, v1::Position* out);
  absl::Status DeletePosition(const CallContext& c, const v1::DeletePositionRequest& req, v1::Position* out);
  // The member died, left or was expelled: their posts end (for the member service).
  absl::Status EndMemberPositions(const CallContext& c, const v1::EndMemberPositionsRequest& req,
                                  v1::EndMemberPositionsResponse* out);
  absl::Status ListPositions(const CallContext& c, const v1::ListPositionsRequest& req, v1::ListPositionsResponse* out);
  absl::Status ListExpiringTerms(const CallContext& c, const v1::ListExpiringTermsRequest& req,
                                 v1::ListExpiringTermsResponse* out);

  // Places and coverage (places.cc).
  absl::Status CreatePlace(const CallContext& c, const v1::CreatePlaceRequest& req, v1::Place* out);
  absl::Status GetPlace(const CallContext& c, const v1::GetPlaceRequest& req, v1::Place* out);
  absl::Status UpdatePlace(const CallContext& c, const v1::UpdatePlaceRequest& req, v1::Place* out);
  absl::Status DeletePlace(const CallContext& c, const v1::DeletePlaceRequest& req, v1::Place* out);
  absl::Status ListPlaces(const CallContext& c, const v1::ListPlacesRequest& req, v1::ListPlacesResponse* out);
  absl::Status CoverPlaces(const CallContext& c, const v1::CoverPlacesRequest& req, v1::CoverPlacesResponse* out);
  absl::Status UncoverPlaces(const CallContext& c, const v1::UncoverPlacesRequest& req, v1::UncoverPlacesResponse* out);
  absl::Status ListCoveredPlaces(const CallContext& c, const v1::ListCoveredPlacesRequest& req,
                                 v1::ListCoveredPlacesResponse* out);
  absl::Status ResolveCoverage(const CallContext& c, const v1::ResolveCoverageRequest& req,
                               v1::ResolveCoverageResponse* out);

  // Partners (partners.cc).
  absl::Status CreatePartner(const CallContext& c, const v1::CreatePartnerRequest& req, v1::Partner* out);
  absl::Status GetPartner(const CallContext& c, const v1::GetPartnerRequest& req, v1::Partner* out);
  absl::Status UpdatePartner(const CallContext& c, const v1::UpdatePartnerRequest& req, v1::Partner* out);
  absl::Status DeletePartner(const CallContext& c, const v1::DeletePartnerRequest& req, v1::Partner* out);
  absl::Status ListPartners(const CallContext& c, const v1::ListPartnersRequest& req, v1::ListPartnersResponse* out);

  // To-dos (todos.cc): the org service's own (terms ending), and every
  // service's gathered into one feed, listed and watched (todo_watch.h).
  // The services whose outboxes are gathered besides this one's.
  void add_todo_source(std::string name, TodoSource* source) { todo_sources_.emplace_back(std::move(name), source); }
  // The background tasks: this service's own sweep, and the gathering.
  absl::Status SweepTodos();
  absl::Status GatherTodos();
  absl::Status ListTodos(const CallContext& c, const v1::ListTodosRequest& req, v1::ListTodosResponse* out);
  // The units a WatchTodos stream hears of, once the caller may see them.
  absl::StatusOr<store::TodoScope> WatchScope(const CallContext& c, const v1::WatchTodosRequest& req);
  struct TodoRead {
    std::vector<v1::TodoChange> changes;
    int64_t covered = 0;  // the feed was read up to here
  };
  // The scope's changes after `after_seq`, up to the feed's head.
  absl::StatusOr<TodoRead> TodoChangesFor(const store::TodoScope& scope, int64_t after_seq, int limit);
  absl::StatusOr<int64_t> TodoFeedHead();

  // Whether a unit of type `child` may sit under a unit of type `parent`
  // (UNSPECIFIED parent: a root).
  static bool MayContain(v1::OrgUnitType parent, v1::OrgUnitType child);
  static bool IsCommunityLevel(v1::OrgUnitType t);

 private:
  // The post with its term_reminder as of today.
  v1::Position WithReminder(v1::Position p) const;
  // Each unit's member_count, from the member service (UNAVAILABLE when it is away).
  absl::Status FillMemberCounts(const CallContext& c, v1::ListOrgUnitsResponse& page);
  // Loads a unit the caller may see: PERMISSION_DENIED when outside the
  // caller's subtree (or missing, for callers scoped below the platform),
  // NOT_FOUND naming `field` for platform-wide callers.
  absl::StatusOr<store::UnitRecord> LoadUnit(Db& db, const CallContext& c, const std::string& id,
                                             const std::string& field, bool for_update);
  // The same, and the unit must be an active community (committee or general
  // branch), for places, partners and settings.
  absl::StatusOr<store::UnitRecord> LoadCommunity(Db& db, const CallContext& c, const std::string& id,
                                                  const std::string& field, bool for_update);
  static absl::Status RequireWriter(const CallContext& c);
  // places.cc: the five-resident-members rule for a building party group
  // about to cover `place_ids` too (other units: nothing to check).
  absl::Status CheckResidentMembers(const CallContext& c, const std::string& unit_id,
                                    const std::vector<std::string>& place_ids);
  // Moves `unit` (with its subtree) under `new_parent` and records it.
  absl::Status Reparent(Db& db, const CallContext& c, const store::UnitRecord& unit,
                        const store::UnitRecord& new_parent);
  int64_t NowUs() const { return absl::ToUnixMicros(clock_.Now()); }

  DbPool& db_;
  const PageTokens& tokens_;
  const Clock& clock_;
  MemberDirectory* members_ = nullptr;
  std::vector<std::pair<std::string, TodoSource*>> todo_sources_;
};

}  // namespace lianxin::org

#endif  // LIANXIN_SERVICES_ORG_ORG_LOGIC_H_
