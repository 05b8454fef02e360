// MemberLogic: counts for the organization service, and key rotation.
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/history.h"
#include "common/ids.h"
#include "common/names.h"
#include "common/status.h"
#include "common/validate.h"
#include "services/member/member_logic.h"

namespace lianxin::member {

absl::Status MemberLogic::CountMembers(const CallContext& c, const v1::CountMembersRequest& req,
                                       v1::CountMembersResponse* out) {
  if (!c.principal.HasAnyRole({kRoleService, kRoleOperator})) {
    return WithReason(absl::PermissionDeniedError("counting members needs the service or operator role"),
                      "ROLE_REQUIRED");
  }
  Validator v;
  int asked = (req.org_unit().empty() ? 0 : 1) + (req.places_size() == 0 ? 0 : 1) + (req.org_units_size() == 0 ? 0 : 1);
  if (asked != 1) v.Add("org_unit", "give exactly one of org_unit, places and org_units");
  std::string unit_id = v.Name("org_unit", req.org_unit(), kOrgUnits, false);
  v.Check(req.places_size() <= 100, "places", "at most 100 places");
  std::vector<std::string> places;
  for (const auto& p : req.places()) places.push_back(v.Name("places", p, kPlaces));
  v.Check(req.org_units_size() <= 1000, "org_units", "at most 1000 units");
  std::vector<std::string> units;
  for (const auto& u : req.org_units()) units.push_back(v.Name("org_units", u, kOrgUnits));
  RETURN_IF_ERROR(v.status());
  int64_t n = 0;
  std::vector<int64_t> each;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    if (!unit_id.empty()) {
      ASSIGN_OR_RETURN(n, store::CountInUnit(db, unit_id, req.active_only()));
    } else if (!units.empty()) {
      ASSIGN_OR_RETURN(each, store::CountInUnits(db, units, req.active_only()));
    } else {
      ASSIGN_OR_RETURN(n, store::CountInPlaces(db, places, req.active_only()));
    }
    return absl::OkStatus();
  }));
  if (units.empty()) out->set_members(static_cast<int32_t>(n));
  for (size_t i = 0; i < units.size(); ++i) {
    auto* count = out->add_counts();
    count->set_org_unit(req.org_units(static_cast<int>(i)));
    count->set_members(static_cast<int32_t>(each[i]));
  }
  return absl::OkStatus();
}

absl::Status MemberLogic::MoveMembers(const CallContext& c, const v1::MoveMembersRequest& req,
                                      v1::MoveMembersResponse* out) {
  if (!c.principal.HasRole(kRoleService)) {
    return WithReason(absl::PermissionDeniedError("moving members with a merge is for the organization service"),
                      "ROLE_REQUIRED");
  }
  Validator v;
  std::string from = v.Name("from_unit", req.from_unit(), kOrgUnits);
  std::string to = v.Name("to_unit", req.to_unit(), kOrgUnits);
  RETURN_IF_ERROR(v.status());
  if (from == to) return FieldError("to_unit", "must differ from from_unit");
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(std::vector<store::MemberRecord> moved, store::MoveBranch(db, from, to, NowUs()));
    std::vector<HistoryEntry> events;
    for (const auto& m : moved) {
      ChangeSet changes;
      changes.Changed(m.group_id == to ? "group" : "branch", req.from_unit(), req.to_unit());
      changes.Set("reason", "the unit merged");
      events.push_back({m.district_id, kMembers.Name(m.id), "", "merge", changes});
    }
    RETURN_IF_ERROR(RecordHistory(db, c, events, NowUs()));
    out->set_moved(static_cast<int32_t>(moved.size()));
    return absl::OkStatus();
  });
}

// Rows are walked by id, members first, then registrations: the cursor is
// "m:<id>" or "r:<id>". A value sealed under an older key is opened and
// sealed again under the active one, with the same context; the blind
// indexes do not change (their key does not rotate).
absl::Status MemberLogic::RotateKeys(const CallContext& c, const v1::RotateKeysRequest& req,
                                     v1::RotateKeysResponse* out) {
  if (!c.principal.HasRole(kRoleOperator) || !c.principal.IsPlatformWide()) {
    return WithReason(absl::PermissionDeniedError("key rotation needs a platform-wide operator"), "ROLE_REQUIRED");
  }
  ASSIGN_OR_RETURN(int size, PageSize(req.page_size(), 200, 1000));
  ASSIGN_OR_RETURN(std::string cursor, tokens_.Decode(req.page_token(), "rotate"));
  std::string table = cursor.rfind("r:", 0) == 0 ? "registrations" : "members";
  std::string after = cursor.size() > 2 ? cursor.substr(2) : "";
  static const char* kMemberFields[] = {"national_id", "phone", "health_notes", "attitude_notes", "mobility_contact"};
  int resealed = 0, scanned = 0;
  std::string last;
  RETURN_IF_ERROR(db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(std::vector<store::SealedRow> rows, store::ScanSealed(db, table, after, size));
    scanned = static_cast<int>(rows.size());
    for (auto& row : rows) {
      last = row.id;
      bool changed = false;
      for (size_t i = 0; i < row.values.size(); ++i) {
        std::string& value = row.values[i];
        if (value.empty()) continue;
        std::string raw;
        if (!absl::Base64Unescape(value, &raw))
          return absl::DataLossError(absl::StrCat(table, "/", row.id, ": not base64"));
        if (FieldCipher::KeyIdOf(raw) == cipher_.active_key_id()) continue;
        std::string context = table == "members" ? absl::StrCat(kMembers.Name(row.id), "/", kMemberFields[i])
                                                 : absl::StrCat(kRegistrations.Name(row.id), "/form");
        ASSIGN_OR_RETURN(std::string clear, cipher_.Open(raw, context));
        ASSIGN_OR_RETURN(value, SealStored(clear, context));
        changed = true;
      }
      if (changed) {
        RETURN_IF_ERROR(store::WriteSealed(db, table, row));
        ++resealed;
      }
    }
    return absl::OkStatus();
  }));
  out->set_resealed(resealed);
  out->set_scanned(scanned);
  out->set_active_key_id(cipher_.active_key_id());
  if (scanned == size) {
    out->set_next_page_token(tokens_.Encode("rotate", absl::StrCat(table == "members" ? "m:" : "r:", last)));
  } else if (table == "members") {
    out->set_next_page_token(tokens_.Encode("rotate", "r:"));
  }
  return absl::OkStatus();
}

}  // namespace lianxin::member
