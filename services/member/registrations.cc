// MemberLogic: self-registration (亮明身份). A community hands out codes; a
// member registers through one; a secretary of the community confirms
// (creating the member in a branch of the community, or, for a member
// already on file elsewhere, recording their registration with the
// community, 双报到) or rejects with a reason.
//
// The applicant's form is sealed whole (it holds the national ID, the phone,
// perhaps notes) and found by the national ID's blind index.
#include "absl/random/random.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/history.h"
#include "common/idempotency.h"
#include "common/ids.h"
#include "common/names.h"
#include "common/status.h"
#include "common/timestamps.h"
#include "common/validate.h"
#include "services/clients/member/identity.h"
#include "services/member/member_logic.h"

namespace lianxin::member {
namespace {

std::string NewCode() {
  static absl::Mutex mu(absl::kConstInit);
  static absl::BitGen* gen = new absl::BitGen();
  absl::MutexLock lock(&mu);
  std::string code;
  for (int i = 0; i < 8; ++i)
    code.push_back(kRegistrationCodeAlphabet[absl::Uniform(*gen, 0u, sizeof(kRegistrationCodeAlphabet) - 1)]);
  return code;
}

bool IsCommunity(org::v1::OrgUnitType t) {
  return t == org::v1::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE || t == org::v1::ORG_UNIT_TYPE_GENERAL_BRANCH;
}

v1::RegistrationCode CodeProto(const store::CodeRecord& r) {
  v1::RegistrationCode p;
  p.set_name(kRegistrationCodes.Name(r.code));
  p.set_community(kOrgUnits.Name(r.community_id));
  if (!r.place_id.empty()) p.set_place(kPlaces.Name(r.place_id));
  p.set_label(r.label);
  p.set_revoked(r.revoked);
  p.set_created_by(r.created_by);
  SetTimestampUs(r.created_us, p.mutable_create_time());
  return p;
}

}  // namespace

absl::Status MemberLogic::CreateRegistrationCode(const CallContext& c, const v1::CreateRegistrationCodeRequest& req,
                                                 v1::RegistrationCode* out) {
  RETURN_IF_ERROR(RequireWriter(c));
  const auto& rc = req.registration_code();
  Validator v;
  std::string community_id = v.Name("registration_code.community", rc.community(), kOrgUnits);
  std::string place_id = v.Name("registration_code.place", rc.place(), kPlaces, false);
  v.Text("registration_code.label", rc.label(), 1, 100);
  v.RequestId(req.request_id());
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(UnitInfo community, org_.UnitForCaller(c, community_id, "registration_code.community"));
  if (!IsCommunity(community.type)) return FieldError("registration_code.community", "must be a community");
  if (!community.active) {
    return FieldStatus(absl::StatusCode::kFailedPrecondition, "registration_code.community", "the unit is not active",
                       "UNIT_INACTIVE");
  }
  if (!place_id.empty()) {
    ASSIGN_OR_RETURN(PlaceInfo place, org_.Place(c, place_id, "registration_code.place"));
    if (place.community_id != community_id) {
      return FieldError("registration_code.place", "lies in another community");
    }
  }
  store::CodeRecord rec{NewCode(),  community.district_id, community_id, place_id,
                        rc.label(), c.principal.subject,   false,        NowUs()};
  auto replay = [&](Db& db, const std::string& name) -> absl::StatusOr<bool> {
    ASSIGN_OR_RETURN(auto first, store::GetCode(db, kRegistrationCodes.IdOf(name)));
    if (first.has_value()) *out = CodeProto(*first);
    return first.has_value();
  };
  return CreateOnce(db_, c, req.request_id(), "CreateRegistrationCode", NowUs(), replay,
                    [&](Db& db, RememberCreated remember) -> absl::Status {
                      std::string name = kRegistrationCodes.Name(rec.code);
                      RETURN_IF_ERROR(remember(rec.district_id, name));
                      RETURN_IF_ERROR(store::InsertCode(db, rec));
                      *out = CodeProto(rec);
                      return absl::OkStatus();
                    });
}

absl::Status MemberLogic::GetRegistrationCode(const CallContext& c, const v1::GetRegistrationCodeRequest& req,
                                              v1::RegistrationCode* out) {
  (void)c;  // any signed-in caller: the code itself is what a poster shows
  Validator v;
  std::string code = v.Name("name", req.name(), kRegistrationCodes);
  RETURN_IF_ERROR(v.status());
  std::optional<store::CodeRecord> rec;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(rec, store::GetCode(db, code));
    return absl::OkStatus();
  }));
  if (!rec.has_value()) return NotFoundIn(kRegistrationCodes, code, "name");
  *out = CodeProto(*rec);
  return absl::OkStatus();
}

absl::Status MemberLogic::RevokeRegistrationCode(const CallContext& c, const v1::RevokeRegistrationCodeRequest& req,
                                                 v1::RegistrationCode* out) {
  RETURN_IF_ERROR(RequireWriter(c));
  Validator v;
  std::string code = v.Name("name", req.name(), kRegistrationCodes);
  RETURN_IF_ERROR(v.status());
  std::optional<store::CodeRecord> rec;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(rec, store::GetCode(db, code));
    return absl::OkStatus();
  }));
  // Permission first: a code that does not exist is refused as one outside the
  // subtree would be, so a secretary cannot probe which codes exist.
  if (!rec.has_value()) return MissingIn(c.principal.IsPlatformWide(), kRegistrationCodes, code, "name");
  RETURN_IF_ERROR(org_.UnitForCaller(c, rec->community_id, "name").status());
  RETURN_IF_ERROR(db_.Transact([&](Db& db) { return store::RevokeCode(db, code); }));
  rec->revoked = true;
  *out = CodeProto(*rec);
  return absl::OkStatus();
}

absl::Status MemberLogic::ListRegistrationCodes(const CallContext& c, const v1::ListRegistrationCodesRequest& req,
                                                v1::ListRegistrationCodesResponse* out) {
  RETURN_IF_ERROR(RequireWriter(c));
  Validator v;
  std::string community_id = v.Name("parent", req.parent(), kOrgUnits);
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(int size, PageSize(req.page_size(), 50, 500));
  std::string fp = absl::StrCat("codes|", community_id);
  ASSIGN_OR_RETURN(std::string after, tokens_.Decode(req.page_token(), fp));
  RETURN_IF_ERROR(org_.UnitForCaller(c, community_id, "parent").status());
  std::vector<store::CodeRecord> rows;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(rows, store::ListCodes(db, community_id, after, size + 1));
    return absl::OkStatus();
  }));
  EmitPage(
      rows, size, tokens_, fp, [&](const store::CodeRecord& r) { *out->add_registration_codes() = CodeProto(r); },
      [](const store::CodeRecord& r) { return r.code; }, out->mutable_next_page_token());
  return absl::OkStatus();
}

absl::StatusOr<v1::Registration> MemberLogic::RegistrationProto(const store::RegistrationRecord& g) const {
  v1::Registration p;
  p.set_name(kRegistrations.Name(g.id));
  p.set_registration_code(kRegistrationCodes.Name(g.code));
  p.set_community(kOrgUnits.Name(g.community_id));
  ASSIGN_OR_RETURN(std::string form, OpenStored(g.form_sealed, absl::StrCat(kRegistrations.Name(g.id), "/form")));
  v1::Member* a = p.mutable_applicant();
  if (!a->ParseFromString(form)) return absl::DataLossError("registration form does not parse");
  a->set_national_id(MaskNationalId(a->national_id()));
  if (a->has_birth_date()) a->set_birth_date(BirthYear(a->birth_date()));
  if (a->has_phone()) a->set_phone(MaskPhone(a->phone()));
  if (a->has_health_notes()) a->set_health_notes("***");
  if (a->has_attitude_notes()) a->set_attitude_notes("***");
  if (!g.current_organization.empty()) p.set_current_organization(g.current_organization);
  p.set_state(static_cast<v1::RegistrationState>(g.state));
  p.set_submitted_by(g.submitted_by);
  SetTimestampUs(g.submitted_us, p.mutable_submit_time());
  if (!g.decided_by.empty()) {
    p.set_decided_by(g.decided_by);
    SetTimestampUs(g.decided_us, p.mutable_decide_time());
  }
  if (!g.reason.empty()) p.set_reason(g.reason);
  if (!g.member_id.empty()) p.set_member(kMembers.Name(g.member_id));
  p.set_etag(EtagOf(g.version));
  return p;
}

absl::Status MemberLogic::SubmitRegistration(const CallContext& c, const v1::SubmitRegistrationRequest& req,
                                             v1::Registration* out) {
  Validator v;
  std::string code = v.Name("registration_code", req.registration_code(), kRegistrationCodes);
  v.Check(req.applicant().branch().empty(), "applicant.branch", "is chosen by the secretary who confirms");
  v.Text("current_organization", req.current_organization(), 0, 100);
  v.RequestId(req.request_id());
  Validator form;
  CheckNew(req.applicant(), form);
  if (!form.ok()) {
    for (const auto& fv : ViolationsOf(RenameFields(form.status(), "member.", "applicant.")))
      v.Add(fv.field, fv.description);
  }
  RETURN_IF_ERROR(v.status());

  std::optional<store::CodeRecord> rc;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(rc, store::GetCode(db, code));
    return absl::OkStatus();
  }));
  if (!rc.has_value()) {
    return NotFoundIn(kRegistrationCodes, code, "registration_code");
  }
  if (rc->revoked) {
    return FieldStatus(absl::StatusCode::kFailedPrecondition, "registration_code", "the code was withdrawn",
                       "CODE_REVOKED");
  }
  // The places named must exist, before anything is written.
  store::MemberRecord probe;
  RETURN_IF_ERROR(RenameFields(ResolveReferences(c, req.applicant(), {"address", "residence_community"}, probe),
                               "member.", "applicant."));

  v1::Member applicant = req.applicant();
  applicant.set_national_id(NormalizeNationalId(applicant.national_id()));
  if (applicant.has_phone()) applicant.set_phone(NormalizePhone(applicant.phone()));
  store::RegistrationRecord g;
  g.id = NewId();
  g.district_id = rc->district_id;
  g.community_id = rc->community_id;
  g.code = code;
  g.display_name = applicant.display_name();
  ASSIGN_OR_RETURN(g.form_sealed,
                   SealStored(applicant.SerializeAsString(), absl::StrCat(kRegistrations.Name(g.id), "/form")));
  g.national_id_index = absl::BytesToHexString(cipher_.BlindIndex("national_id", applicant.national_id()));
  g.current_organization = req.current_organization();
  g.state = v1::REGISTRATION_STATE_PENDING;
  g.submitted_by = c.principal.subject;
  g.submitted_us = NowUs();

  auto replay = [&](Db& db, const std::string& name) -> absl::StatusOr<bool> {
    ASSIGN_OR_RETURN(auto first, store::GetRegistration(db, kRegistrations.IdOf(name), false));
    if (first.has_value()) {
      ASSIGN_OR_RETURN(*out, RegistrationProto(*first));
    }
    return first.has_value();
  };
  return CreateOnce(
      db_, c, req.request_id(), "SubmitRegistration", NowUs(), replay, [&](Db& db, RememberCreated remember) {
        ASSIGN_OR_RETURN(auto pending, store::PendingRegistration(db, g.national_id_index, g.community_id));
        if (pending.has_value()) {
          return FieldStatus(absl::StatusCode::kAlreadyExists, "applicant.national_id",
                             absl::StrCat(kRegistrations.Name(*pending), " with this community is still waiting"),
                             "REGISTRATION_PENDING");
        }
        std::string name = kRegistrations.Name(g.id);
        RETURN_IF_ERROR(remember(g.district_id, name));
        RETURN_IF_ERROR(store::InsertRegistration(db, g));
        ASSIGN_OR_RETURN(*out, RegistrationProto(g));
        return absl::OkStatus();
      });
}

// The registration, if the caller submitted it or may act on its community.
static absl::StatusOr<store::RegistrationRecord> LoadRegistrationFor(DbPool& pool, OrgDirectory& org,
                                                                     const CallContext& c, const std::string& id,
                                                                     bool writer_only) {
  std::optional<store::RegistrationRecord> g;
  RETURN_IF_ERROR(pool.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(g, store::GetRegistration(db, id, false));
    return absl::OkStatus();
  }));
  const std::string name = kRegistrations.Name(id);
  auto outside = [&] { return OutsideSubtree(name, "name"); };
  if (!g.has_value()) return MissingIn(c.principal.IsPlatformWide(), kRegistrations, id, "name");
  if (!writer_only && g->submitted_by == c.principal.subject) return *std::move(g);
  if (!c.principal.HasAnyRole({kRoleOperator, kRoleSecretary})) return outside();
  absl::Status s = org.UnitForCaller(c, g->community_id, "name").status();
  if (absl::IsPermissionDenied(s) || absl::IsNotFound(s)) return outside();
  RETURN_IF_ERROR(s);
  return *std::move(g);
}

absl::Status MemberLogic::GetRegistration(const CallContext& c, const v1::GetRegistrationRequest& req,
                                          v1::Registration* out) {
  Validator v;
  std::string id = v.Name("name", req.name(), kRegistrations);
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(store::RegistrationRecord g, LoadRegistrationFor(db_, org_, c, id, false));
  ASSIGN_OR_RETURN(*out, RegistrationProto(g));
  return absl::OkStatus();
}

absl::Status MemberLogic::ListRegistrations(const CallContext& c, const v1::ListRegistrationsRequest& req,
                                            v1::ListRegistrationsResponse* out) {
  RETURN_IF_ERROR(RequireWriter(c));
  Validator v;
  std::string root = v.Name("parent", req.parent(), kOrgUnits);
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(int size, PageSize(req.page_size(), 50, 500));
  std::string fp = absl::StrCat("registrations|", root, "|", static_cast<int>(req.state()));
  ASSIGN_OR_RETURN(std::string after, tokens_.Decode(req.page_token(), fp));
  ASSIGN_OR_RETURN(std::vector<std::string> units, org_.MemberUnitsIn(c, root, "parent"));
  std::vector<store::RegistrationRecord> rows;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(rows, store::ListRegistrations(db, units, req.state(), after, size + 1));
    return absl::OkStatus();
  }));
  absl::Status status;
  EmitPage(
      rows, size, tokens_, fp,
      [&](const store::RegistrationRecord& r) {
        auto p = RegistrationProto(r);
        if (p.ok())
          *out->add_registrations() = *std::move(p);
        else
          status.Update(p.status());
      },
      [](const store::RegistrationRecord& r) { return r.id; }, out->mutable_next_page_token());
  return status;
}

absl::Status MemberLogic::ConfirmRegistration(const CallContext& c, const v1::ConfirmRegistrationRequest& req,
                                              v1::Registration* out) {
  RETURN_IF_ERROR(RequireWriter(c));
  Validator v;
  std::string id = v.Name("name", req.name(), kRegistrations);
  std::string branch_id = v.Name("branch", req.branch(), kOrgUnits, false);
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(store::RegistrationRecord g, LoadRegistrationFor(db_, org_, c, id, true));
  RETURN_IF_ERROR(CheckEtag("etag", req.etag(), g.version));
  if (g.state != v1::REGISTRATION_STATE_PENDING) {
    return FieldStatus(absl::StatusCode::kFailedPrecondition, "name", "the registration was already decided",
                       "REGISTRATION_DECIDED");
  }
  ASSIGN_OR_RETURN(std::string form, OpenStored(g.form_sealed, absl::StrCat(kRegistrations.Name(g.id), "/form")));
  v1::Member applicant;
  if (!applicant.ParseFromString(form)) return absl::DataLossError("registration form does not parse");
  std::optional<std::string> existing;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(existing, store::FindMemberId(db, "national_id_index", g.national_id_index));
    return absl::OkStatus();
  }));

  // Prepared outside the transaction: everything the org service must say.
  std::optional<store::MemberRecord> fresh;
  if (!existing.has_value()) {
    if (branch_id.empty()) return FieldError("branch", "is required: the applicant is not on file yet");
    ASSIGN_OR_RETURN(UnitInfo branch, BranchForCaller(c, branch_id, "branch"));
    ASSIGN_OR_RETURN(std::vector<std::string> units, org_.MemberUnitsIn(c, g.community_id, "branch"));
    if (std::find(units.begin(), units.end(), branch_id) == units.end()) {
      return FieldError("branch", "must lie in the registration's community");
    }
    applicant.set_branch(kOrgUnits.Name(branch_id));
    if (applicant.residence_community().empty()) {
      applicant.set_residence_community(kOrgUnits.Name(g.community_id));
    }
    auto rec = NewMember(c, applicant, branch);
    if (!rec.ok()) return RenameFields(rec.status(), "member.", "applicant.");
    fresh = *std::move(rec);
  }
  // A member on file inside the secretary's subtree takes the registration's
  // community and address; one on file elsewhere is not rewritten by a
  // secretary who may not change their file: the confirmed registration
  // alone records that they registered here.
  bool rewrite_existing = false;
  store::MemberRecord resolved;  // the address from the form, for a member on file
  if (existing.has_value()) {
    std::optional<store::MemberRecord> on_file;
    RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
      ASSIGN_OR_RETURN(on_file, store::GetMember(db, *existing, false));
      return absl::OkStatus();
    }));
    if (!on_file.has_value()) return absl::AbortedError("the member on file changed; try again");
    absl::Status scope = CheckScope(c, *on_file, "name");
    if (!scope.ok() && !absl::IsPermissionDenied(scope)) return scope;
    rewrite_existing = scope.ok();
    if (rewrite_existing) RETURN_IF_ERROR(ResolveReferences(c, applicant, {"address"}, resolved));
  }

  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto locked, store::GetRegistration(db, id, true));
    if (!locked.has_value()) return absl::InternalError("registration vanished");
    RETURN_IF_ERROR(CheckEtag("etag", EtagOf(g.version), locked->version));  // decided meanwhile
    // Checked here, after the lock: a confirmation racing this one may have put
    // the applicant on file meanwhile, and then this one is simply too late.
    if (existing.has_value() && !branch_id.empty()) {
      return FieldError("branch", absl::StrCat("the applicant is already on file (", kMembers.Name(*existing),
                                               "): their relation moves by transfer; confirm without a branch"));
    }
    store::RegistrationRecord next = *locked;
    ChangeSet changes;
    changes.Set("registration", kRegistrations.Name(g.id));
    changes.Set("registered_community", kOrgUnits.Name(g.community_id));
    if (fresh.has_value()) {
      fresh->registered_community_id = g.community_id;
      RETURN_IF_ERROR(InsertNew(db, c, *fresh, applicant, "register", changes));
      next.member_id = fresh->id;
    } else if (!rewrite_existing) {
      next.member_id = *existing;
    } else {
      ASSIGN_OR_RETURN(auto m, store::GetMember(db, *existing, true));
      if (!m.has_value()) return absl::AbortedError("the member on file changed; try again");
      m->registered_community_id = g.community_id;
      if (!resolved.building_id.empty() || !resolved.compound_id.empty()) {
        m->compound_id = resolved.compound_id;
        m->building_id = resolved.building_id;
        m->stairwell_id = resolved.stairwell_id;
        m->room = resolved.room;
        changes.Set("address", "from the registration");
      }
      RETURN_IF_ERROR(SaveChange(db, c, NowUs(), *m, store::UpdateMember,
                                 {m->district_id, kMembers.Name(m->id), "", "register", changes}));
      next.member_id = m->id;
    }
    next.state = v1::REGISTRATION_STATE_CONFIRMED;
    next.decided_by = c.principal.subject;
    next.decided_us = NowUs();
    next.version++;
    RETURN_IF_ERROR(store::UpdateRegistration(db, next));
    ASSIGN_OR_RETURN(*out, RegistrationProto(next));
    return absl::OkStatus();
  });
}

absl::Status MemberLogic::RejectRegistration(const CallContext& c, const v1::RejectRegistrationRequest& req,
                                             v1::Registration* out) {
  RETURN_IF_ERROR(RequireWriter(c));
  Validator v;
  std::string id = v.Name("name", req.name(), kRegistrations);
  v.Text("reason", req.reason(), 1, 200);
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(store::RegistrationRecord g, LoadRegistrationFor(db_, org_, c, id, true));
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto locked, store::GetRegistration(db, id, true));
    if (!locked.has_value()) return absl::InternalError("registration vanished");
    RETURN_IF_ERROR(CheckEtag("etag", req.etag(), locked->version));
    if (locked->state != v1::REGISTRATION_STATE_PENDING) {
      return FieldStatus(absl::StatusCode::kFailedPrecondition, "name", "the registration was already decided",
                         "REGISTRATION_DECIDED");
    }
    store::RegistrationRecord next = *locked;
    next.state = v1::REGISTRATION_STATE_REJECTED;
    next.decided_by = c.principal.subject;
    next.decided_us = NowUs();
    next.reason = req.reason();
    next.version++;
    RETURN_IF_ERROR(store::UpdateRegistration(db, next));
    ASSIGN_OR_RETURN(*out, RegistrationProto(next));
    return absl::OkStatus();
  });
}

}  // namespace lianxin::member
