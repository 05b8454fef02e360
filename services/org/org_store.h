// The organization service's SQL: every statement the service runs is in
// store_*.cc, behind these functions. Each takes the Db of the caller's
// transaction (DbPool::Transact / Run), so the logic decides where a
// transaction begins and ends without seeing any SQL.
#ifndef LIANXIN_SERVICES_ORG_ORG_STORE_H_
#define LIANXIN_SERVICES_ORG_ORG_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/db.h"
#include "common/migrations.h"
#include "common/timestamps.h"
#include "common/todos.h"
#include "lianxin/org/v1/org_unit.pb.h"
#include "lianxin/org/v1/partner.pb.h"
#include "lianxin/org/v1/place.pb.h"
#include "lianxin/org/v1/position.pb.h"

namespace lianxin {
// The service's schema: migrations/*.sql, embedded at build time.
const std::vector<Migration>& OrgMigrations();
}  // namespace lianxin

namespace lianxin::org::store {

namespace v1 = ::lianxin::org::v1;

struct UnitRecord {
  std::string id, district_id, parent_id, path;
  int32_t depth = 0;
  v1::OrgUnitType type = v1::ORG_UNIT_TYPE_UNSPECIFIED;
  std::string code, display_name;
  v1::OrgUnit::State state = v1::OrgUnit::STATE_ACTIVE;
  std::string merged_into;
  int64_t version = 1, created_us = 0, updated_us = 0;

  v1::OrgUnit ToProto() const;
};

// Units.
absl::StatusOr<std::optional<UnitRecord>> GetUnit(Db& db, const std::string& id, bool for_update);
absl::StatusOr<std::vector<UnitRecord>> GetUnits(Db& db, const std::vector<std::string>& ids);
absl::Status InsertUnit(Db& db, const UnitRecord& u);
// Writes every mutable column of `u` and bumps nothing: the caller sets version.
absl::Status UpdateUnit(Db& db, const UnitRecord& u);
absl::StatusOr<std::vector<UnitRecord>> ListChildren(Db& db, const std::string& parent_id, const std::string& after_id,
                                                     int limit, bool show_inactive);
absl::StatusOr<std::vector<UnitRecord>> ListSubtree(Db& db, const std::string& district_id,
                                                    const std::string& path_prefix, const std::string& after_path,
                                                    const std::vector<int>& types, int limit, bool show_inactive);
absl::StatusOr<int64_t> CountActiveChildren(Db& db, const std::string& id);
absl::StatusOr<std::vector<std::string>> ActiveChildIds(Db& db, const std::string& id);
// Rewrites "old_prefix..." paths under old_prefix to "new_prefix..." (the
// unit at old_prefix itself included) and shifts depth.
absl::Status RewritePaths(Db& db, const std::string& district_id, const std::string& old_prefix,
                          const std::string& new_prefix, int depth_delta, int64_t now_us);

// Community settings (defaults when no row exists).
struct SettingsRecord {
  std::string community_id, district_id;
  int32_t building_group_min_residents = 5;
  int64_t version = 0;  // 0: never written
};
absl::StatusOr<SettingsRecord> GetSettings(Db& db, const std::string& community_id, bool for_update);
absl::Status UpsertSettings(Db& db, const SettingsRecord& s);

// Positions.
struct PositionRecord {
  v1::Position proto;  // name, org_unit, ... etag filled by ToProto-style reads
  std::string id, district_id, unit_id;
  int64_t version = 1, created_us = 0, updated_us = 0;
};
absl::StatusOr<std::optional<PositionRecord>> GetPosition(Db& db, const std::string& id, bool for_update);
absl::Status InsertPosition(Db& db, const PositionRecord& p);
absl::Status UpdatePosition(Db& db, const PositionRecord& p);
absl::Status DeletePosition(Db& db, const std::string& id);
absl::StatusOr<std::vector<PositionRecord>> ListPositions(Db& db, const std::string& unit_id,
                                                          const std::string& after_id, int limit);
// Every post the member (members/{id}) holds, locked.
absl::StatusOr<std::vector<PositionRecord>> PositionsOf(Db& db, const std::string& member);
// Terms ending on or before `until` (YYYY-MM-DD) in a subtree, by term end.
absl::StatusOr<std::vector<PositionRecord>> ListExpiring(Db& db, const std::string& district_id,
                                                         const std::string& path_prefix, const std::string& until,
                                                         const std::string& after_key, int limit);

// Places and coverage.
struct PlaceRecord {
  v1::Place proto;
  std::string id, district_id, community_id, parent_id;
  int64_t version = 1, created_us = 0, updated_us = 0;
};
absl::StatusOr<std::optional<PlaceRecord>> GetPlace(Db& db, const std::string& id, bool for_update);
absl::StatusOr<std::vector<PlaceRecord>> GetPlaces(Db& db, const std::vector<std::string>& ids);
absl::Status InsertPlace(Db& db, const PlaceRecord& p);
absl::Status UpdatePlace(Db& db, const PlaceRecord& p);
absl::Status DeletePlace(Db& db, const std::string& id);
absl::StatusOr<std::vector<PlaceRecord>> ListPlaces(Db& db, const std::string& community_id,
                                                    const std::string& parent_id, const std::string& after_id,
                                                    int limit);
absl::StatusOr<int64_t> CountPlaceChildren(Db& db, const std::string& id);
struct CoverageRecord {
  std::string place_id, unit_id;
  int level = 0;
};
absl::StatusOr<std::vector<CoverageRecord>> CoverageOfPlaces(Db& db, const std::vector<std::string>& place_ids);
absl::StatusOr<std::vector<std::string>> PlacesCoveredBy(Db& db, const std::string& unit_id);
absl::Status InsertCoverage(Db& db, const std::string& district_id, const CoverageRecord& c);
absl::StatusOr<int64_t> DeleteCoverage(Db& db, const std::string& unit_id, const std::string& place_id);
absl::Status MoveCoverage(Db& db, const std::string& from_unit, const std::string& to_unit);

// Partners.
struct PartnerRecord {
  v1::Partner proto;
  std::string id, district_id, community_id;
  int64_t version = 1, created_us = 0, updated_us = 0;
};
absl::StatusOr<std::optional<PartnerRecord>> GetPartner(Db& db, const std::string& id, bool for_update);
absl::Status InsertPartner(Db& db, const PartnerRecord& p);
absl::Status UpdatePartner(Db& db, const PartnerRecord& p);
absl::Status DeletePartner(Db& db, const std::string& id);
absl::StatusOr<std::vector<PartnerRecord>> ListPartners(Db& db, const std::string& community_id,
                                                        const std::string& after_id, int limit);
absl::Status MovePartners(Db& db, const std::string& from_community, const std::string& to_community);

// To-dos (store_todos.cc; migration 0004). Posts whose term ends on or
// before `until`, as the org service's own to-dos (`today` sorts them into
// ended, within 30 days, within 90 days).
absl::StatusOr<std::vector<TodoItem>> TermTodos(Db& db, const std::string& today, const std::string& in_30_days,
                                                const std::string& until);
// A service's outbox read up to here.
absl::StatusOr<int64_t> TodoCursor(Db& db, const std::string& source);
// Adds `changes`, read from `source` after `after_seq`, to the feed and the
// open items, and moves the source's cursor past them: all or nothing, and
// nothing when the cursor is no longer `after_seq` (another replica
// gathered them first). Returns the number of changes added.
absl::StatusOr<int> GatherTodos(Db& db, const std::string& source, int64_t after_seq,
                                const std::vector<TodoChangeRecord>& changes);
// Which units' to-dos: one unit, or a subtree (its district and path).
struct TodoScope {
  std::string unit_id, district_id, path;
  bool subtree = false;
};
struct TodoRecord {
  int64_t seq = 0;  // the feed's (0 for open items)
  std::string source, todo_key;
  TodoChangeRecord change;
};
absl::StatusOr<std::vector<TodoRecord>> OpenTodos(Db& db, const TodoScope& scope, const std::vector<int>& kinds,
                                                  const std::string& after_key, int limit);
absl::StatusOr<int64_t> TodoFeedHead(Db& db);
// The scope's feed rows in (after_seq, upto], in seq order.
absl::StatusOr<std::vector<TodoRecord>> TodoFeedAfter(Db& db, const TodoScope& scope, int64_t after_seq, int64_t upto,
                                                      int limit);

}  // namespace lianxin::org::store

#endif  // LIANXIN_SERVICES_ORG_ORG_STORE_H_
