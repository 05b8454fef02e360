// MemberLogic: the member's file — create, read, update, list, find.
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/field_mask.h"
#include "common/history.h"
#include "common/idempotency.h"
#include "common/ids.h"
#include "common/names.h"
#include "common/status.h"
#include "common/validate.h"
#include "services/clients/member/identity.h"
#include "services/member/member_logic.h"

namespace lianxin::member {
namespace {

// What UpdateMember may change (lifecycle, contact and branch have their own methods).
constexpr absl::string_view kUpdatable[] = {"display_name",
                                            "gender",
                                            "ethnicity",
                                            "birth_date",
                                            "national_id",
                                            "phone",
                                            "address",
                                            "standing",
                                            "join_date",
                                            "full_member_date",
                                            "categories",
                                            "group",
                                            "residence_community",
                                            "registered_community",
                                            "skills",
                                            "availability",
                                            "occupation",
                                            "hardship",
                                            "hardship_help",
                                            "health_notes",
                                            "attitude_notes",
                                            "education",
                                            "job_post",
                                            "professional_title",
                                            "admission",
                                            "work_unit",
                                            "household_registration",
                                            "branch_since",
                                            "mobility"};

}  // namespace

bool HoldsMembers(org::v1::OrgUnitType t) {
  return t == org::v1::ORG_UNIT_TYPE_BRANCH || t == org::v1::ORG_UNIT_TYPE_GENERAL_BRANCH ||
         t == org::v1::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE;
}

absl::Status RequireOnPlatform(const store::MemberRecord& m, const std::string& field) {
  if (m.lifecycle != v1::LIFECYCLE_TRANSFERRED_OUT) return absl::OkStatus();
  return FieldStatus(absl::StatusCode::kFailedPrecondition, field,
                     "the member's relation moved out of the platform: the record is read-only", "TRANSFERRED_OUT");
}

absl::Status DuplicateIdentity() {
  return FieldStatus(absl::StatusCode::kAlreadyExists, "member.national_id",
                     "a member with this national ID is already on file", "DUPLICATE_IDENTITY");
}

absl::StatusOr<UnitInfo> MemberLogic::BranchForCaller(const CallContext& c, const std::string& id,
                                                      const std::string& field) {
  ASSIGN_OR_RETURN(UnitInfo branch, org_.UnitForCaller(c, id, field));
  if (!HoldsMembers(branch.type)) {
    return FieldError(field, "must be a branch, general branch or community committee");
  }
  if (!branch.active) {
    return FieldStatus(absl::StatusCode::kFailedPrecondition, field, "the unit is not active", "UNIT_INACTIVE");
  }
  return branch;
}

void MemberLogic::CheckNew(const v1::Member& m, Validator& v) const {
  CheckFields(m, {}, v);
  v.Check(m.lifecycle() == v1::LIFECYCLE_UNSPECIFIED || m.lifecycle() == v1::LIFECYCLE_ACTIVE, "member.lifecycle",
          "a new member is active (ChangeLifecycle moves it)");
  if (m.contact_status() == v1::CONTACT_STATUS_LOST) {
    v.Date("member.lost_since", m.lost_since(), true);
    v.Check(m.lost_since() <= Today(), "member.lost_since", "must not be in the future");
  }
}

absl::StatusOr<store::MemberRecord> MemberLogic::NewMember(const CallContext& c, const v1::Member& m,
                                                           const UnitInfo& branch) {
  store::MemberRecord rec;
  rec.id = NewId();
  rec.district_id = branch.district_id;
  rec.branch_id = branch.id;
  ApplyPlain(m, {}, rec);
  rec.lifecycle = v1::LIFECYCLE_ACTIVE;
  rec.lifecycle_since = m.join_date().empty() ? Today() : m.join_date();
  if (rec.branch_since.empty()) rec.branch_since = Today();
  rec.contact_status =
      m.contact_status() == v1::CONTACT_STATUS_LOST ? v1::CONTACT_STATUS_LOST : v1::CONTACT_STATUS_IN_CONTACT;
  rec.lost_since = rec.contact_status == v1::CONTACT_STATUS_LOST ? m.lost_since() : "";
  RETURN_IF_ERROR(ResolveReferences(c, m, {}, rec));
  RETURN_IF_ERROR(Seal(m, {}, rec));
  rec.created_us = rec.updated_us = NowUs();
  return rec;
}

absl::Status MemberLogic::InsertNew(Db& db, const CallContext& c, const store::MemberRecord& rec, const v1::Member& m,
                                    const std::string& action, ChangeSet changes) {
  absl::Status ins = store::InsertMember(db, rec);
  if (absl::IsAlreadyExists(ins)) return DuplicateIdentity();
  RETURN_IF_ERROR(ins);
  for (const char* path :
       {"display_name", "gender", "birth_date", "national_id", "phone", "standing", "categories", "contact_status"}) {
    std::string value = HistoryValue(m, path);
    if (!value.empty()) changes.Set(path, value);
  }
  changes.Set("branch", kOrgUnits.Name(rec.branch_id));
  return RecordHistory(db, c, {rec.district_id, kMembers.Name(rec.id), "", action, changes}, rec.created_us);
}

absl::Status MemberLogic::CreateMember(const CallContext& c, const v1::CreateMemberRequest& req, v1::Member* out) {
  RETURN_IF_ERROR(RequireWriter(c));
  RETURN_IF_ERROR(RequireReveal(c, req.reveal()));
  const v1::Member& m = req.member();
  Validator v;
  std::string branch_id = v.Name("member.branch", m.branch(), kOrgUnits);
  CheckNew(m, v);
  v.RequestId(req.request_id());
  RETURN_IF_ERROR(v.status());

  // Everything the org service must confirm, before anything is written.
  ASSIGN_OR_RETURN(UnitInfo branch, BranchForCaller(c, branch_id, "member.branch"));
  ASSIGN_OR_RETURN(store::MemberRecord rec, NewMember(c, m, branch));
  RETURN_IF_ERROR(CheckIdentityAllowance(c));
  auto replay = [&](Db& db, const std::string& name) -> absl::StatusOr<bool> {
    ASSIGN_OR_RETURN(std::optional<store::MemberRecord> first, store::GetMember(db, kMembers.IdOf(name), false));
    // A replay answers only what the caller may see now, as the first call did.
    if (first.has_value()) RETURN_IF_ERROR(CheckScope(c, *first, "request_id"));
    if (first.has_value()) RETURN_IF_ERROR(Respond(db, c, *first, req.reveal(), "CreateMember", out));
    return first.has_value();
  };
  absl::Status created =
      CreateOnce(db_, c, req.request_id(), "CreateMember", NowUs(), replay, [&](Db& db, RememberCreated remember) {
        std::string name = kMembers.Name(rec.id);
        RETURN_IF_ERROR(remember(rec.district_id, name));
        RETURN_IF_ERROR(InsertNew(db, c, rec, m, "create", {}));
        return Respond(db, c, rec, req.reveal(), "CreateMember", out);
      });
  if (ReasonOf(created) == "DUPLICATE_IDENTITY") {
    // The caller learnt that this person is on file: recorded if elsewhere.
    std::optional<std::string> known;
    RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
      ASSIGN_OR_RETURN(known, store::FindMemberId(db, "national_id_index", rec.national_id_index));
      return absl::OkStatus();
    }));
    if (known.has_value()) RETURN_IF_ERROR(RecordIdentityMatches(c, {*known}, "CreateMember"));
  }
  return created;
}

absl::Status MemberLogic::GetMember(const CallContext& c, const v1::GetMemberRequest& req, v1::Member* out) {
  RETURN_IF_ERROR(RequireReveal(c, req.reveal()));
  Validator v;
  std::string id = v.Name("name", req.name(), kMembers);
  RETURN_IF_ERROR(v.status());
  // A member reads their own file only (access table: own).
  if (c.access == Access::kOwn && req.name() != c.principal.subject) {
    return WithReason(absl::PermissionDeniedError("a member may read their own file only (name)"), "OWN_RECORD_ONLY");
  }
  ASSIGN_OR_RETURN(store::MemberRecord m, LoadForRead(c, id, "name"));
  if (!req.reveal()) {
    ASSIGN_OR_RETURN(*out, ToProto(m, false, nullptr, c, "GetMember"));
    return absl::OkStatus();
  }
  // Revealing writes the disclosures; no clear value leaves without its record.
  return db_.Transact([&](Db& db) { return Respond(db, c, m, true, "GetMember", out); });
}

absl::Status MemberLogic::UpdateMember(const CallContext& c, const v1::UpdateMemberRequest& req, v1::Member* out) {
  RETURN_IF_ERROR(RequireWriter(c));
  RETURN_IF_ERROR(RequireReveal(c, req.reveal()));
  const v1::Member& m = req.member();
  Validator v;
  std::string id = v.Name("member.name", m.name(), kMembers);
  std::vector<std::string> paths =
      MaskPaths(v, req.update_mask(), kUpdatable, "lifecycle, contact and branch have their own methods");
  RETURN_IF_ERROR(v.status());

  for (int attempt = 0;; ++attempt) {
    ASSIGN_OR_RETURN(store::MemberRecord current, LoadInScope(c, id, "member.name"));
    RETURN_IF_ERROR(CheckEtag("member.etag", m.etag(), current.version));
    ASSIGN_OR_RETURN(v1::Member before, ToProto(current, true, nullptr, c, "UpdateMember"));
    v1::Member next = before;
    ApplyMask(m, paths, &next);
    Validator after;
    CheckFields(next, paths, after);
    RETURN_IF_ERROR(after.status());
    store::MemberRecord rec = current;
    ApplyPlain(next, paths, rec);
    RETURN_IF_ERROR(ResolveReferences(c, next, paths, rec));
    RETURN_IF_ERROR(Seal(next, paths, rec));
    ChangeSet changes;
    for (const auto& p : paths) changes.Changed(p, HistoryValue(before, p), HistoryValue(next, p));

    bool raced = false;
    absl::Status s = db_.Transact([&](Db& db) -> absl::Status {
      ASSIGN_OR_RETURN(store::MemberRecord fresh, Load(db, c, id, "member.name", true));
      RETURN_IF_ERROR(RequireOnPlatform(fresh, "member.name"));
      if (fresh.version != current.version) {
        if (!m.etag().empty()) return CheckEtag("member.etag", m.etag(), fresh.version);
        raced = true;  // no etag: apply the mask again onto the newer record
        return absl::AbortedError("raced");
      }
      if (changes.empty()) return Respond(db, c, fresh, req.reveal(), "UpdateMember", out);
      absl::Status upd = SaveChange(db, c, NowUs(), rec, store::UpdateMember,
                                    {rec.district_id, kMembers.Name(rec.id), "", "update", changes});
      if (absl::IsAlreadyExists(upd)) return DuplicateIdentity();
      RETURN_IF_ERROR(upd);
      return Respond(db, c, rec, req.reveal(), "UpdateMember", out);
    });
    if (!(raced && attempt < 3)) return s;
  }
}

absl::Status MemberLogic::ListMembers(const CallContext& c, const v1::ListMembersRequest& req,
                                      v1::ListMembersResponse* out) {
  Validator v;
  std::string root = v.Name("parent", req.parent(), kOrgUnits);
  store::MemberFilter f;
  f.building_id = v.Name("building", req.building(), kPlaces, false);
  v.Text("skill", req.skill(), 0, 30);
  v.Text("display_name_prefix", req.display_name_prefix(), 0, 50);
  RETURN_IF_ERROR(v.status());
  f.category_bit = req.category() == v1::CATEGORY_UNSPECIFIED ? 0 : int64_t{1} << req.category();
  f.skill = req.skill();
  f.name_prefix = req.display_name_prefix();
  f.standing = req.standing();
  f.contact_status = req.contact_status();
  f.lifecycle = req.lifecycle();
  if (req.has_probation_ending_within_days()) {
    int days = req.probation_ending_within_days();
    if (days < 0 || days > 366) return FieldError("probation_ending_within_days", "must be 0-366");
    f.probation_ends_by = BeijingDate(clock_.Now() + absl::Hours(24) * days);
  }
  ASSIGN_OR_RETURN(int size, PageSize(req.page_size(), 50, 500));
  v1::ListMembersRequest query = req;
  query.clear_page_size();
  query.clear_page_token();
  std::string fp = absl::StrCat("members|", absl::BytesToHexString(query.SerializeAsString()));
  ASSIGN_OR_RETURN(std::string after, tokens_.Decode(req.page_token(), fp));
  // A member sees the names alone of the members of their own branch.
  const bool names_only = c.access == Access::kOwn;
  if (names_only) {
    ASSIGN_OR_RETURN(std::string own_branch, BranchOfCaller(c));
    if (root != own_branch) {
      return WithReason(absl::PermissionDeniedError("a member may list their own branch only (parent)"),
                        "OWN_RECORD_ONLY");
    }
    f.branch_ids = {own_branch};
  } else if (req.registered_here()) {
    ASSIGN_OR_RETURN(UnitInfo community, org_.UnitForCaller(c, root, "parent"));
    if (community.type != org::v1::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE &&
        community.type != org::v1::ORG_UNIT_TYPE_GENERAL_BRANCH) {
      return FieldError("parent", "registered_here lists a community's registered members: must be a community");
    }
    f.registered_id = root;
  } else {
    ASSIGN_OR_RETURN(f.branch_ids, org_.MemberUnitsIn(c, root, "parent"));
    if (f.branch_ids.empty()) {
      // No unit holding members below: a party group lists its roster.
      ASSIGN_OR_RETURN(UnitInfo unit, org_.UnitForCaller(c, root, "parent"));
      if (unit.type == org::v1::ORG_UNIT_TYPE_PARTY_GROUP || unit.type == org::v1::ORG_UNIT_TYPE_BUILDING_PARTY_GROUP) {
        f.branch_ids = {unit.parent_id};
        f.group_id = root;
      }
    }
  }
  std::vector<store::MemberRecord> rows;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(rows, store::ListMembers(db, f, after, size + 1));
    return absl::OkStatus();
  }));
  absl::Status status;
  EmitPage(
      rows, size, tokens_, fp,
      [&](const store::MemberRecord& r) {
        if (names_only) {
          v1::Member* m = out->add_members();
          m->set_name(kMembers.Name(r.id));
          m->set_display_name(r.display_name);
          return;
        }
        auto p = ToProto(r, false, nullptr, c, "ListMembers");
        if (p.ok())
          *out->add_members() = *std::move(p);
        else
          status.Update(p.status());
      },
      [](const store::MemberRecord& r) { return r.id; }, out->mutable_next_page_token());
  return status;
}

absl::StatusOr<std::string> MemberLogic::BranchOfCaller(const CallContext& c) {
  std::string id = kMembers.IdOf(c.principal.subject);
  std::optional<store::MemberRecord> me;
  if (!id.empty()) {
    RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
      ASSIGN_OR_RETURN(me, store::GetMember(db, id, false));
      return absl::OkStatus();
    }));
  }
  if (!me.has_value() || (me->lifecycle != v1::LIFECYCLE_ACTIVE && me->lifecycle != v1::LIFECYCLE_RESTORED)) {
    return WithReason(absl::PermissionDeniedError("the caller is no member on file (sub must be members/{id})"),
                      "OWN_RECORD_ONLY");
  }
  return me->branch_id;
}

absl::Status MemberLogic::FindMember(const CallContext& c, const v1::FindMemberRequest& req, v1::Member* out) {
  RETURN_IF_ERROR(RequireWriter(c));
  Validator v;
  std::string column, index;
  if (req.national_id().empty() == req.phone().empty()) {
    v.Add("national_id", "give exactly one of national_id and phone");
  } else if (!req.national_id().empty()) {
    std::string id = NormalizeNationalId(req.national_id());
    std::string why = CheckNationalId(id, nullptr);
    if (!why.empty()) v.Add("national_id", why);
    column = "national_id_index";
    index = absl::BytesToHexString(cipher_.BlindIndex("national_id", id));
  } else {
    std::string phone = NormalizePhone(req.phone());
    std::string why = CheckPhone(phone);
    if (!why.empty()) v.Add("phone", why);
    column = "phone_index";
    index = absl::BytesToHexString(cipher_.BlindIndex("phone", phone));
  }
  RETURN_IF_ERROR(v.status());
  std::optional<std::string> id;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(id, store::FindMemberId(db, column, index));
    return absl::OkStatus();
  }));
  const std::string field = column == "phone_index" ? "phone" : "national_id";
  if (!id.has_value()) {
    if (c.principal.IsPlatformWide())
      return ResourceNotFound(kMembers.type(), absl::StrCat("a member with this ", field), field);
    return WithReason(absl::PermissionDeniedError(absl::StrCat(field, ": no member in the caller's subtree")),
                      "OUTSIDE_SUBTREE");
  }
  absl::StatusOr<store::MemberRecord> m = LoadInScope(c, *id, field);
  if (absl::IsPermissionDenied(m.status())) {
    // The same answer as for nobody: the member's name would tell that the
    // person is on file elsewhere.
    return WithReason(absl::PermissionDeniedError(absl::StrCat(field, ": no member in the caller's subtree")),
                      "OUTSIDE_SUBTREE");
  }
  if (!m.ok()) return m.status();
  ASSIGN_OR_RETURN(*out, ToProto(*m, false, nullptr, c, "FindMember"));
  return absl::OkStatus();
}

}  // namespace lianxin::member
