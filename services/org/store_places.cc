// SQL for positions, places, coverage and partners.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/names.h"
#include "common/status.h"
#include "services/org/org_store.h"

namespace lianxin::org::store {
namespace {

// ---- positions
constexpr char kPositionCols[] =
    "id, district_id, unit_id, role, member, holder_name, term_start, term_end, version, "
    "created_us, updated_us";

PositionRecord ReadPosition(const Row& r) {
  PositionRecord p;
  p.id = r.Str("id");
  p.district_id = r.Str("district_id");
  p.unit_id = r.Str("unit_id");
  p.version = r.Int("version");
  p.created_us = r.Int("created_us");
  p.updated_us = r.Int("updated_us");
  v1::Position& pr = p.proto;
  pr.set_name(kPositions.Name(p.id));
  pr.set_org_unit(kOrgUnits.Name(p.unit_id));
  pr.set_role(static_cast<v1::PositionRole>(r.Int("role")));
  pr.set_member(r.Str("member"));
  pr.set_holder_display_name(r.Str("holder_name"));
  if (!r.IsNull("term_start")) pr.set_term_start(r.Str("term_start"));
  if (!r.IsNull("term_end")) pr.set_term_end(r.Str("term_end"));
  SetTimestampUs(p.created_us, pr.mutable_create_time());
  SetTimestampUs(p.updated_us, pr.mutable_update_time());
  pr.set_etag(EtagOf(p.version));
  return p;
}

// ---- places
constexpr char kPlaceCols[] =
    "id, district_id, community_id, parent_id, kind, display_name, address, version, created_us, "
    "updated_us";

PlaceRecord ReadPlace(const Row& r) {
  PlaceRecord p;
  p.id = r.Str("id");
  p.district_id = r.Str("district_id");
  p.community_id = r.Str("community_id");
  p.parent_id = r.Str("parent_id");
  p.version = r.Int("version");
  p.created_us = r.Int("created_us");
  p.updated_us = r.Int("updated_us");
  v1::Place& pr = p.proto;
  pr.set_name(kPlaces.Name(p.id));
  pr.set_community(kOrgUnits.Name(p.community_id));
  if (!p.parent_id.empty()) pr.set_parent(kPlaces.Name(p.parent_id));
  pr.set_kind(static_cast<v1::PlaceKind>(r.Int("kind")));
  pr.set_display_name(r.Str("display_name"));
  pr.set_address(r.Str("address"));
  SetTimestampUs(p.created_us, pr.mutable_create_time());
  SetTimestampUs(p.updated_us, pr.mutable_update_time());
  pr.set_etag(EtagOf(p.version));
  return p;
}

// ---- partners
constexpr char kPartnerCols[] =
    "id, district_id, community_id, kind, display_name, liaison_name, liaison_contact, note, "
    "version, created_us, updated_us";

PartnerRecord ReadPartner(const Row& r) {
  PartnerRecord p;
  p.id = r.Str("id");
  p.district_id = r.Str("district_id");
  p.community_id = r.Str("community_id");
  p.version = r.Int("version");
  p.created_us = r.Int("created_us");
  p.updated_us = r.Int("updated_us");
  v1::Partner& pr = p.proto;
  pr.set_name(kPartners.Name(p.id));
  pr.set_community(kOrgUnits.Name(p.community_id));
  pr.set_kind(static_cast<v1::PartnerKind>(r.Int("kind")));
  pr.set_display_name(r.Str("display_name"));
  pr.set_liaison_name(r.Str("liaison_name"));
  pr.set_liaison_contact(r.Str("liaison_contact"));
  pr.set_note(r.Str("note"));
  SetTimestampUs(p.created_us, pr.mutable_create_time());
  SetTimestampUs(p.updated_us, pr.mutable_update_time());
  pr.set_etag(EtagOf(p.version));
  return p;
}

template <typename T, typename F>
absl::StatusOr<std::optional<T>> GetOne(Db& db, const std::string& sql, const std::string& id, F read) {
  std::optional<T> out;
  RETURN_IF_ERROR(db.Query(sql, {id}, [&](const Row& r) { out = read(r); }));
  return out;
}

}  // namespace

absl::StatusOr<std::optional<PositionRecord>> GetPosition(Db& db, const std::string& id, bool for_update) {
  return GetOne<PositionRecord>(
      db, absl::StrCat("SELECT ", kPositionCols, " FROM org_positions WHERE id = ?", for_update ? " FOR UPDATE" : ""),
      id, ReadPosition);
}

absl::Status InsertPosition(Db& db, const PositionRecord& p) {
  const v1::Position& pr = p.proto;
  return db
      .Exec(absl::StrCat("INSERT INTO org_positions (", kPositionCols, ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            {p.id, p.district_id, p.unit_id, int64_t{pr.role()}, pr.member(), pr.holder_display_name(),
             NullIfEmpty(pr.term_start()), NullIfEmpty(pr.term_end()), p.version, p.created_us, p.updated_us})
      .status();
}

absl::Status UpdatePosition(Db& db, const PositionRecord& p) {
  const v1::Position& pr = p.proto;
  return db
      .Exec(
          "UPDATE org_positions SET member = ?, holder_name = ?, term_start = ?, term_end = ?, "
          "version = ?, updated_us = ? WHERE id = ?",
          {pr.member(), pr.holder_display_name(), NullIfEmpty(pr.term_start()), NullIfEmpty(pr.term_end()), p.version,
           p.updated_us, p.id})
      .status();
}

absl::Status DeletePosition(Db& db, const std::string& id) {
  return db.Exec("DELETE FROM org_positions WHERE id = ?", {id}).status();
}

absl::StatusOr<std::vector<PositionRecord>> ListPositions(Db& db, const std::string& unit_id,
                                                          const std::string& after_id, int limit) {
  std::vector<PositionRecord> out;
  RETURN_IF_ERROR(db.Query(
      absl::StrCat("SELECT ", kPositionCols, " FROM org_positions WHERE unit_id = ? AND id > ? ORDER BY id LIMIT ?"),
      {unit_id, after_id, int64_t{limit}}, [&](const Row& r) { out.push_back(ReadPosition(r)); }));
  return out;
}

absl::StatusOr<std::vector<PositionRecord>> PositionsOf(Db& db, const std::string& member) {
  std::vector<PositionRecord> out;
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT ", kPositionCols, " FROM org_positions WHERE member = ? FOR UPDATE"),
                           {member}, [&](const Row& r) { out.push_back(ReadPosition(r)); }));
  return out;
}

absl::StatusOr<std::vector<PositionRecord>> ListExpiring(Db& db, const std::string& district_id,
                                                         const std::string& path_prefix, const std::string& until,
                                                         const std::string& after_key, int limit) {
  // after_key is "YYYY-MM-DD|id" of the last row returned.
  std::string after_date = after_key.empty() ? "0000-01-01" : after_key.substr(0, 10);
  std::string after_id = after_key.empty() ? "" : after_key.substr(11);
  std::string upper = path_prefix.substr(0, path_prefix.size() - 1) + "0";
  std::vector<PositionRecord> out;
  std::string cols = absl::StrCat("p.", absl::StrJoin(absl::StrSplit(kPositionCols, ", "), ", p."));
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT ", cols,
                                        " FROM org_positions p JOIN org_units u ON u.id = p.unit_id "
                                        "WHERE p.district_id = ? AND p.term_end IS NOT NULL AND p.term_end <= ? "
                                        "AND (p.term_end > ? OR (p.term_end = ? AND p.id > ?)) "
                                        "AND u.path >= ? AND u.path < ? AND u.state = 1 "
                                        "ORDER BY p.term_end, p.id LIMIT ?"),
                           {district_id, until, after_date, after_date, after_id, path_prefix, upper, int64_t{limit}},
                           [&](const Row& r) { out.push_back(ReadPosition(r)); }));
  return out;
}

absl::StatusOr<std::optional<PlaceRecord>> GetPlace(Db& db, const std::string& id, bool for_update) {
  return GetOne<PlaceRecord>(
      db, absl::StrCat("SELECT ", kPlaceCols, " FROM org_places WHERE id = ?", for_update ? " FOR UPDATE" : ""), id,
      ReadPlace);
}

absl::StatusOr<std::vector<PlaceRecord>> GetPlaces(Db& db, const std::vector<std::string>& ids) {
  std::vector<PlaceRecord> out;
  if (ids.empty()) return out;
  SqlParams params(ids.begin(), ids.end());
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT ", kPlaceCols, " FROM org_places WHERE id IN (",
                                        SqlPlaceholders(ids.size()), ") ORDER BY id"),
                           params, [&](const Row& r) { out.push_back(ReadPlace(r)); }));
  return out;
}

absl::Status InsertPlace(Db& db, const PlaceRecord& p) {
  const v1::Place& pr = p.proto;
  return db
      .Exec(absl::StrCat("INSERT INTO org_places (", kPlaceCols, ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            {p.id, p.district_id, p.community_id, p.parent_id, int64_t{pr.kind()}, pr.display_name(), pr.address(),
             p.version, p.created_us, p.updated_us})
      .status();
}

absl::Status UpdatePlace(Db& db, const PlaceRecord& p) {
  return db
      .Exec(
          "UPDATE org_places SET community_id = ?, display_name = ?, address = ?, version = ?, "
          "updated_us = ? WHERE id = ?",
          {p.community_id, p.proto.display_name(), p.proto.address(), p.version, p.updated_us, p.id})
      .status();
}

absl::Status DeletePlace(Db& db, const std::string& id) {
  return db.Exec("DELETE FROM org_places WHERE id = ?", {id}).status();
}

absl::StatusOr<std::vector<PlaceRecord>> ListPlaces(Db& db, const std::string& community_id,
                                                    const std::string& parent_id, const std::string& after_id,
                                                    int limit) {
  std::vector<PlaceRecord> out;
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT ", kPlaceCols,
                                        " FROM org_places WHERE community_id = ? AND parent_id = ? "
                                        "AND id > ? ORDER BY id LIMIT ?"),
                           {community_id, parent_id, after_id, int64_t{limit}},
                           [&](const Row& r) { out.push_back(ReadPlace(r)); }));
  return out;
}

absl::StatusOr<int64_t> CountPlaceChildren(Db& db, const std::string& id) {
  int64_t n = 0;
  RETURN_IF_ERROR(db.Query("SELECT COUNT(*) AS n FROM org_places WHERE parent_id = ?", {id},
                           [&](const Row& r) { n = r.Int("n"); }));
  return n;
}

absl::StatusOr<std::vector<CoverageRecord>> CoverageOfPlaces(Db& db, const std::vector<std::string>& place_ids) {
  std::vector<CoverageRecord> out;
  if (place_ids.empty()) return out;
  SqlParams params(place_ids.begin(), place_ids.end());
  RETURN_IF_ERROR(db.Query(absl::StrCat("SELECT place_id, level, unit_id FROM org_coverage WHERE place_id IN (",
                                        SqlPlaceholders(place_ids.size()), ")"),
                           params, [&](const Row& r) {
                             out.push_back({r.Str("place_id"), r.Str("unit_id"), static_cast<int>(r.Int("level"))});
                           }));
  return out;
}

absl::StatusOr<std::vector<std::string>> PlacesCoveredBy(Db& db, const std::string& unit_id) {
  std::vector<std::string> out;
  RETURN_IF_ERROR(db.Query("SELECT place_id FROM org_coverage WHERE unit_id = ? ORDER BY place_id", {unit_id},
                           [&](const Row& r) { out.push_back(r.Str("place_id")); }));
  return out;
}

absl::Status InsertCoverage(Db& db, const std::string& district_id, const CoverageRecord& c) {
  return db
      .Exec("INSERT INTO org_coverage (district_id, place_id, level, unit_id) VALUES (?, ?, ?, ?)",
            {district_id, c.place_id, int64_t{c.level}, c.unit_id})
      .status();
}

absl::StatusOr<int64_t> DeleteCoverage(Db& db, const std::string& unit_id, const std::string& place_id) {
  return db.Exec("DELETE FROM org_coverage WHERE unit_id = ? AND place_id = ?", {unit_id, place_id});
}

absl::Status MoveCoverage(Db& db, const std::string& from_unit, const std::string& to_unit) {
  // A place the target already covers at that level keeps the target's entry.
  RETURN_IF_ERROR(
      db.Exec("UPDATE IGNORE org_coverage SET unit_id = ? WHERE unit_id = ?", {to_unit, from_unit}).status());
  return db.Exec("DELETE FROM org_coverage WHERE unit_id = ?", {from_unit}).status();
}

absl::StatusOr<std::optional<PartnerRecord>> GetPartner(Db& db, const std::string& id, bool for_update) {
  return GetOne<PartnerRecord>(
      db, absl::StrCat("SELECT ", kPartnerCols, " FROM org_partners WHERE id = ?", for_update ? " FOR UPDATE" : ""), id,
      ReadPartner);
}

absl::Status InsertPartner(Db& db, const PartnerRecord& p) {
  const v1::Partner& pr = p.proto;
  return db
      .Exec(absl::StrCat("INSERT INTO org_partners (", kPartnerCols, ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            {p.id, p.district_id, p.community_id, int64_t{pr.kind()}, pr.display_name(), pr.liaison_name(),
             pr.liaison_contact(), pr.note(), p.version, p.created_us, p.updated_us})
      .status();
}

absl::Status UpdatePartner(Db& db, const PartnerRecord& p) {
  const v1::Partner& pr = p.proto;
  return db
      .Exec(
          "UPDATE org_partners SET community_id = ?, kind = ?, display_name = ?, liaison_name = ?, "
          "liaison_contact = ?, note = ?, version = ?, updated_us = ? WHERE id = ?",
          {p.community_id, int64_t{pr.kind()}, pr.display_name(), pr.liaison_name(), pr.liaison_contact(), pr.note(),
           p.version, p.updated_us, p.id})
      .status();
}

absl::Status DeletePartner(Db& db, const std::string& id) {
  return db.Exec("DELETE FROM org_partners WHERE id = ?", {id}).status();
}

absl::StatusOr<std::vector<PartnerRecord>> ListPartners(Db& db, const std::string& community_id,
                                                        const std::string& after_id, int limit) {
  std::vector<PartnerRecord> out;
  RETURN_IF_ERROR(db.Query(
      absl::StrCat("SELECT ", kPartnerCols, " FROM org_partners WHERE community_id = ? AND id > ? ORDER BY id LIMIT ?"),
      {community_id, after_id, int64_t{limit}}, [&](const Row& r) { out.push_back(ReadPartner(r)); }));
  return out;
}

absl::Status MovePartners(Db& db, const std::string& from_community, const std::string& to_community) {
  return db
      .Exec("UPDATE org_partners SET community_id = ?, version = version + 1 WHERE community_id = ?",
            {to_community, from_community})
      .status();
}

}  // namespace lianxin::org::store
