// MemberLogic: what every method shares — the record as a message (masked or
// revealed), the checks of each field, sealing, org references, scope.
#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/ids.h"
#include "common/names.h"
#include "common/status.h"
#include "common/timestamps.h"
#include "common/validate.h"
#include "services/clients/member/identity.h"
#include "services/member/member_logic.h"

namespace lianxin::member {
namespace {

constexpr char kMasked[] = "***";

bool Wants(const std::vector<std::string>& paths, absl::string_view field) {
  if (paths.empty()) return true;
  for (const auto& p : paths) {
    if (p == field) return true;
  }
  return false;
}

std::string Context(const std::string& id, absl::string_view field) {
  return absl::StrCat(kMembers.Name(id), "/", field);
}

std::string Base64(const std::string& s) { return absl::Base64Escape(s); }

}  // namespace

std::string MemberLogic::Today() const { return BeijingDate(clock_.Now()); }

absl::StatusOr<std::string> MemberLogic::SealStored(absl::string_view value, absl::string_view context) const {
  ASSIGN_OR_RETURN(std::string sealed, cipher_.Seal(value, context));
  return Base64(sealed);
}

absl::StatusOr<std::string> MemberLogic::OpenStored(absl::string_view stored, absl::string_view context) const {
  std::string raw;
  if (!absl::Base64Unescape(stored, &raw)) return absl::DataLossError("sealed value is not base64");
  return cipher_.Open(raw, context);
}

absl::Status MemberLogic::RequireWriter(const CallContext& c) const {
  if (c.principal.HasAnyRole({kRoleOperator, kRoleSecretary})) return absl::OkStatus();
  return WithReason(absl::PermissionDeniedError("changing member records needs the operator or secretary role"),
                    "ROLE_REQUIRED");
}

absl::Status MemberLogic::RequireReveal(const CallContext& c, bool reveal) const {
  if (!reveal || c.principal.HasAnyRole({kRoleOperator, kRoleSecretary})) return absl::OkStatus();
  return FieldStatus(absl::StatusCode::kPermissionDenied, "reveal",
                     "personal data in clear needs the operator or secretary role", "REVEAL_NOT_ALLOWED");
}

absl::StatusOr<v1::Member> MemberLogic::ToProto(const store::MemberRecord& m, bool reveal,
                                                std::vector<store::DisclosureRecord>* disclosures, const CallContext& c,
                                                const char* method) const {
  v1::Member p;
  p.set_name(kMembers.Name(m.id));
  p.set_display_name(m.display_name);
  p.set_gender(static_cast<v1::Gender>(m.gender));
  p.set_ethnicity(m.ethnicity);
  // Masked, the birth date is its year: with the whole date in clear, the
  // masked national ID's hidden digits would follow from its check digit.
  p.set_birth_date(reveal ? m.birth_date : BirthYear(m.birth_date));
  auto open = [&](const std::string& sealed, absl::string_view field) -> absl::StatusOr<std::string> {
    if (sealed.empty()) return std::string();
    std::string raw;
    if (!absl::Base64Unescape(sealed, &raw)) return absl::DataLossError("sealed value is not base64");
    return cipher_.Open(raw, Context(m.id, field));
  };
  auto disclose = [&](absl::string_view field, const std::string& value) {
    if (disclosures != nullptr && !value.empty()) {
      disclosures->push_back({m.district_id, m.id, m.branch_id, c.principal.subject, std::string(field), method,
                              c.request_id, absl::ToUnixMicros(clock_.Now()), 0});
    }
  };
  ASSIGN_OR_RETURN(std::string national_id, open(m.national_id_sealed, "national_id"));
  ASSIGN_OR_RETURN(std::string phone, open(m.phone_sealed, "phone"));
  if (reveal) {
    p.set_national_id(national_id);
    p.set_phone(phone);
    disclose("national_id", national_id);
    disclose("phone", phone);
    ASSIGN_OR_RETURN(std::string health, open(m.health_sealed, "health_notes"));
    ASSIGN_OR_RETURN(std::string attitude, open(m.attitude_sealed, "attitude_notes"));
    p.set_health_notes(health);
    p.set_attitude_notes(attitude);
    disclose("health_notes", health);
    disclose("attitude_notes", attitude);
  } else {
    p.set_national_id(MaskNationalId(national_id));
    if (!phone.empty()) p.set_phone(MaskPhone(phone));
    if (!m.health_sealed.empty()) p.set_health_notes(kMasked);
    if (!m.attitude_sealed.empty()) p.set_attitude_notes(kMasked);
  }
  auto* a = p.mutable_address();
  if (!m.compound_id.empty()) a->set_compound(kPlaces.Name(m.compound_id));
  if (!m.building_id.empty()) a->set_building(kPlaces.Name(m.building_id));
  if (!m.stairwell_id.empty()) a->set_stairwell(kPlaces.Name(m.stairwell_id));
  a->set_room(m.room);
  p.set_standing(static_cast<v1::Standing>(m.standing));
  if (!m.join_date.empty()) p.set_join_date(m.join_date);
  if (!m.full_member_date.empty()) p.set_full_member_date(m.full_member_date);
  p.set_lifecycle(static_cast<v1::Lifecycle>(m.lifecycle));
  if (!m.lifecycle_since.empty()) p.set_lifecycle_since(m.lifecycle_since);
  for (int i = 1; i <= 6; ++i) {
    if (m.categories & (int64_t{1} << i)) p.add_categories(static_cast<v1::Category>(i));
  }
  p.set_branch(kOrgUnits.Name(m.branch_id));
  if (!m.group_id.empty()) p.set_group(kOrgUnits.Name(m.group_id));
  if (!m.residence_community_id.empty()) p.set_residence_community(kOrgUnits.Name(m.residence_community_id));
  if (!m.registered_community_id.empty()) {
    p.set_registered_community(kOrgUnits.Name(m.registered_community_id));
  }
  for (const auto& s : m.skills) p.add_skills(s);
  for (int i = 1; i <= 4; ++i) {
    if (m.availability & (int64_t{1} << i)) p.add_availability(static_cast<v1::Availability>(i));
  }
  p.set_occupation(m.occupation);
  p.set_hardship(m.hardship);
  p.set_hardship_help(m.hardship_help);
  p.set_contact_status(static_cast<v1::ContactStatus>(m.contact_status));
  if (!m.lost_since.empty()) p.set_lost_since(m.lost_since);
  if (m.education != 0) p.set_education(static_cast<v1::Education>(m.education));
  if (!m.job_post.empty()) p.set_job_post(m.job_post);
  if (!m.professional_title.empty()) p.set_professional_title(m.professional_title);
  if (m.admission != 0) p.set_admission(static_cast<v1::Admission>(m.admission));
  if (!m.work_unit.empty()) p.set_work_unit(m.work_unit);
  if (!m.household_registration.empty()) p.set_household_registration(m.household_registration);
  if (!m.branch_since.empty()) p.set_branch_since(m.branch_since);
  std::string probation_end = ProbationEnd(m);
  if (!probation_end.empty()) {
    p.set_probation_end(probation_end);
    p.set_probation_extended(!m.probation_until.empty());
  }
  if (!m.mobility_destination.empty()) {
    v1::Mobility* mob = p.mutable_mobility();
    mob->set_destination(m.mobility_destination);
    if (!m.mobility_organization.empty()) mob->set_destination_organization(m.mobility_organization);
    if (!m.mobility_contact_name.empty()) mob->set_contact_name(m.mobility_contact_name);
    if (!m.mobility_since.empty()) mob->set_since(m.mobility_since);
    ASSIGN_OR_RETURN(std::string contact, open(m.mobility_contact_sealed, "mobility_contact"));
    if (!contact.empty()) mob->set_contact_phone(reveal ? contact : MaskPhone(contact));
    if (reveal) disclose("mobility_contact", contact);
  }
  SetTimestampUs(m.created_us, p.mutable_create_time());
  SetTimestampUs(m.updated_us, p.mutable_update_time());
  p.set_etag(EtagOf(m.version));
  return p;
}

void MemberLogic::CheckFields(const v1::Member& m, const std::vector<std::string>& paths, Validator& v) const {
  if (Wants(paths, "display_name")) v.Text("member.display_name", m.display_name(), 1, 50);
  if (Wants(paths, "gender")) {
    v.Check(m.gender() != v1::GENDER_UNSPECIFIED, "member.gender", "is required");
  }
  if (Wants(paths, "ethnicity")) v.Text("member.ethnicity", m.ethnicity(), 0, 20);
  if (Wants(paths, "birth_date")) v.Date("member.birth_date", m.birth_date(), true);
  if (Wants(paths, "national_id")) {
    std::string why = CheckNationalId(NormalizeNationalId(m.national_id()), nullptr);
    if (!why.empty()) v.Add("member.national_id", why);
  }
  if (Wants(paths, "phone") && !m.phone().empty()) {
    std::string why = CheckPhone(NormalizePhone(m.phone()));
    if (!why.empty()) v.Add("member.phone", why);
  }
  if (Wants(paths, "address")) {
    v.Name("member.address.compound", m.address().compound(), kPlaces, false);
    v.Name("member.address.building", m.address().building(), kPlaces, false);
    v.Name("member.address.stairwell", m.address().stairwell(), kPlaces, false);
    v.Text("member.address.room", m.address().room(), 0, 20);
  }
  if (Wants(paths, "standing")) v.Check(m.standing() != v1::STANDING_UNSPECIFIED, "member.standing", "is required");
  if (Wants(paths, "join_date")) v.Date("member.join_date", m.join_date(), false);
  if (Wants(paths, "full_member_date")) {
    v.Date("member.full_member_date", m.full_member_date(), false);
    if (!m.full_member_date().empty() && !m.join_date().empty() && m.full_member_date() < m.join_date()) {
      v.Add("member.full_member_date", "must not be before join_date");
    }
  }
  if (Wants(paths, "categories")) {
    for (int cat : m.categories()) {
      v.Check(cat != v1::CATEGORY_UNSPECIFIED, "member.categories", "holds an unspecified category");
    }
  }
  if (Wants(paths, "group")) v.Name("member.group", m.group(), kOrgUnits, false);
  if (Wants(paths, "residence_community"))
    v.Name("member.residence_community", m.residence_community(), kOrgUnits, false);
  if (Wants(paths, "registered_community")) {
    v.Name("member.registered_community", m.registered_community(), kOrgUnits, false);
  }
  if (Wants(paths, "skills")) {
    v.Check(m.skills_size() <= 20, "member.skills", "at most 20 skills");
    for (const auto& s : m.skills()) v.Text("member.skills", s, 1, 30);
  }
  if (Wants(paths, "occupation")) v.Text("member.occupation", m.occupation(), 0, 100);
  if (Wants(paths, "job_post")) v.Text("member.job_post", m.job_post(), 0, 100);
  if (Wants(paths, "professional_title")) v.Text("member.professional_title", m.professional_title(), 0, 100);
  if (Wants(paths, "work_unit")) v.Text("member.work_unit", m.work_unit(), 0, 200);
  if (Wants(paths, "household_registration")) {
    v.Text("member.household_registration", m.household_registration(), 0, 200);
  }
  if (Wants(paths, "branch_since")) {
    v.Date("member.branch_since", m.branch_since(), false);
    if (v.ok() && !m.branch_since().empty() && m.branch_since() > Today()) {
      v.Add("member.branch_since", "must not be in the future");
    }
  }
  if (Wants(paths, "mobility") && m.has_mobility()) {
    const v1::Mobility& mob = m.mobility();
    v.Text("member.mobility.destination", mob.destination(), 1, 200);
    v.Text("member.mobility.destination_organization", mob.destination_organization(), 0, 200);
    v.Text("member.mobility.contact_name", mob.contact_name(), 0, 50);
    if (!mob.contact_phone().empty()) {
      std::string why = CheckPhone(NormalizePhone(mob.contact_phone()));
      if (!why.empty()) v.Add("member.mobility.contact_phone", why);
    }
    v.Date("member.mobility.since", mob.since(), false);
  }
  if (Wants(paths, "hardship_help")) v.Text("member.hardship_help", m.hardship_help(), 0, 500);
  if (Wants(paths, "health_notes")) v.Text("member.health_notes", m.health_notes(), 0, 1000);
  if (Wants(paths, "attitude_notes")) v.Text("member.attitude_notes", m.attitude_notes(), 0, 1000);
  // The national ID must agree with the birth date and gender given.
  bool identity = Wants(paths, "national_id") || Wants(paths, "birth_date") || Wants(paths, "gender");
  NationalIdFacts facts;
  if (identity && v.ok() && CheckNationalId(NormalizeNationalId(m.national_id()), &facts).empty()) {
    if (facts.birth_date != m.birth_date()) {
      v.Add("member.national_id", absl::StrCat("says born ", facts.birth_date, ", not ", m.birth_date()));
    } else if (facts.male != (m.gender() == v1::GENDER_MALE)) {
      v.Add("member.national_id", "does not agree with the gender given");
    }
  }
}

absl::Status MemberLogic::Seal(const v1::Member& m, const std::vector<std::string>& paths,
                               store::MemberRecord& rec) const {
  auto seal = [&](absl::string_view field, const std::string& value, std::string* out) -> absl::Status {
    if (value.empty()) {
      out->clear();
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(std::string sealed, cipher_.Seal(value, Context(rec.id, field)));
    *out = Base64(sealed);
    return absl::OkStatus();
  };
  if (Wants(paths, "national_id")) {
    std::string id = NormalizeNationalId(m.national_id());
    RETURN_IF_ERROR(seal("national_id", id, &rec.national_id_sealed));
    rec.national_id_index = absl::BytesToHexString(cipher_.BlindIndex("national_id", id));
  }
  if (Wants(paths, "phone")) {
    std::string phone = NormalizePhone(m.phone());
    RETURN_IF_ERROR(seal("phone", phone, &rec.phone_sealed));
    rec.phone_index = phone.empty() ? "" : absl::BytesToHexString(cipher_.BlindIndex("phone", phone));
  }
  if (Wants(paths, "health_notes")) RETURN_IF_ERROR(seal("health_notes", m.health_notes(), &rec.health_sealed));
  if (Wants(paths, "attitude_notes")) RETURN_IF_ERROR(seal("attitude_notes", m.attitude_notes(), &rec.attitude_sealed));
  if (Wants(paths, "mobility")) {
    RETURN_IF_ERROR(
        seal("mobility_contact", NormalizePhone(m.mobility().contact_phone()), &rec.mobility_contact_sealed));
  }
  return absl::OkStatus();
}

absl::Status MemberLogic::ResolveReferences(const CallContext& c, const v1::Member& m,
                                            const std::vector<std::string>& paths, store::MemberRecord& rec) {
  if (Wants(paths, "address")) {
    struct Want {
      const std::string& name;
      const char* field;
      org::v1::PlaceKind kind;
      std::string* id;
    };
    for (const Want& w :
         {Want{m.address().compound(), "member.address.compound", org::v1::PLACE_KIND_COMPOUND, &rec.compound_id},
          Want{m.address().building(), "member.address.building", org::v1::PLACE_KIND_BUILDING, &rec.building_id},
          Want{m.address().stairwell(), "member.address.stairwell", org::v1::PLACE_KIND_STAIRWELL,
               &rec.stairwell_id}}) {
      *w.id = kPlaces.IdOf(w.name);
      if (w.id->empty()) continue;
      ASSIGN_OR_RETURN(PlaceInfo place, org_.Place(c, *w.id, w.field));
      if (place.kind != w.kind) return FieldError(w.field, "is a place of another kind");
    }
    rec.room = m.address().room();
  }
  auto community = [&](const std::string& name, const char* field, std::string* id) -> absl::Status {
    *id = kOrgUnits.IdOf(name);
    if (id->empty()) return absl::OkStatus();
    ASSIGN_OR_RETURN(UnitInfo unit, org_.Unit(c, *id, field));
    if (unit.type != org::v1::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE && unit.type != org::v1::ORG_UNIT_TYPE_GENERAL_BRANCH) {
      return FieldError(field, "must be a community");
    }
    return absl::OkStatus();
  };
  if (Wants(paths, "group")) {
    rec.group_id = kOrgUnits.IdOf(m.group());
    if (!rec.group_id.empty()) {
      ASSIGN_OR_RETURN(UnitInfo group, org_.Unit(c, rec.group_id, "member.group"));
      if (group.type != org::v1::ORG_UNIT_TYPE_PARTY_GROUP &&
          group.type != org::v1::ORG_UNIT_TYPE_BUILDING_PARTY_GROUP) {
        return FieldError("member.group", "must be a party group");
      }
      if (group.parent_id != rec.branch_id) {
        return FieldStatus(absl::StatusCode::kFailedPrecondition, "member.group",
                           "the group is not one of the member's branch", "GROUP_OUTSIDE_BRANCH");
      }
      if (!group.active) {
        return FieldStatus(absl::StatusCode::kFailedPrecondition, "member.group", "the group is not active",
                           "UNIT_INACTIVE");
      }
    }
  }
  if (Wants(paths, "residence_community")) {
    RETURN_IF_ERROR(community(m.residence_community(), "member.residence_community", &rec.residence_community_id));
  }
  if (Wants(paths, "registered_community")) {
    RETURN_IF_ERROR(community(m.registered_community(), "member.registered_community", &rec.registered_community_id));
  }
  return absl::OkStatus();
}

absl::Status MemberLogic::Respond(Db& db, const CallContext& c, const store::MemberRecord& m, bool reveal,
                                  const char* method, v1::Member* out) {
  std::vector<store::DisclosureRecord> disclosures;
  ASSIGN_OR_RETURN(*out, ToProto(m, reveal, &disclosures, c, method));
  return store::InsertDisclosures(db, disclosures);
}

void MemberLogic::ApplyPlain(const v1::Member& m, const std::vector<std::string>& paths, store::MemberRecord& rec) {
  if (Wants(paths, "display_name")) rec.display_name = m.display_name();
  if (Wants(paths, "gender")) rec.gender = m.gender();
  if (Wants(paths, "ethnicity")) rec.ethnicity = m.ethnicity();
  if (Wants(paths, "birth_date")) rec.birth_date = m.birth_date();
  if (Wants(paths, "standing")) rec.standing = m.standing();
  if (Wants(paths, "join_date")) rec.join_date = m.join_date();
  if (Wants(paths, "full_member_date")) rec.full_member_date = m.full_member_date();
  if (Wants(paths, "categories")) {
    rec.categories = 0;
    for (int cat : m.categories()) rec.categories |= int64_t{1} << cat;
  }
  if (Wants(paths, "skills")) {
    rec.skills.assign(m.skills().begin(), m.skills().end());
    std::sort(rec.skills.begin(), rec.skills.end());  // as LoadSkills returns them
    rec.skills.erase(std::unique(rec.skills.begin(), rec.skills.end()), rec.skills.end());
  }
  if (Wants(paths, "availability")) {
    rec.availability = 0;
    for (int a : m.availability()) rec.availability |= int64_t{1} << a;
  }
  if (Wants(paths, "occupation")) rec.occupation = m.occupation();
  if (Wants(paths, "hardship")) rec.hardship = m.hardship();
  if (Wants(paths, "hardship_help")) rec.hardship_help = m.hardship_help();
  if (Wants(paths, "education")) rec.education = m.education();
  if (Wants(paths, "job_post")) rec.job_post = m.job_post();
  if (Wants(paths, "professional_title")) rec.professional_title = m.professional_title();
  if (Wants(paths, "admission")) rec.admission = m.admission();
  if (Wants(paths, "work_unit")) rec.work_unit = m.work_unit();
  if (Wants(paths, "household_registration")) rec.household_registration = m.household_registration();
  if (Wants(paths, "branch_since")) rec.branch_since = m.branch_since();
  if (Wants(paths, "mobility")) {
    rec.mobility_destination = m.mobility().destination();
    rec.mobility_organization = m.mobility().destination_organization();
    rec.mobility_contact_name = m.mobility().contact_name();
    rec.mobility_since = m.mobility().since();
  }
}

std::string MemberLogic::HistoryValue(const v1::Member& m, const std::string& path) {
  if (path == "national_id") return MaskNationalId(m.national_id());
  if (path == "birth_date") return BirthYear(m.birth_date());
  if (path == "phone") return m.phone().empty() ? "" : MaskPhone(m.phone());
  if (path == "health_notes") return m.health_notes().empty() ? "" : kMasked;
  if (path == "attitude_notes") return m.attitude_notes().empty() ? "" : kMasked;
  if (path == "mobility") {
    v1::Mobility mob = m.mobility();
    if (!mob.contact_phone().empty()) mob.set_contact_phone(MaskPhone(NormalizePhone(mob.contact_phone())));
    return m.has_mobility() ? mob.ShortDebugString() : "";
  }
  const auto* field = v1::Member::descriptor()->FindFieldByName(path);
  if (field == nullptr) return "";
  std::string text;
  if (field->is_repeated()) {
    const auto* refl = m.GetReflection();
    for (int i = 0; i < refl->FieldSize(m, field); ++i) {
      if (i > 0) text += ",";
      text += field->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_ENUM
                  ? refl->GetRepeatedEnum(m, field, i)->name()
                  : refl->GetRepeatedString(m, field, i);
    }
    return text;
  }
  if (field->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) {
    return m.GetReflection()->GetMessage(m, field).ShortDebugString();
  }
  if (field->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_ENUM) {
    return m.GetReflection()->GetEnum(m, field)->name();
  }
  if (field->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_BOOL) {
    return m.GetReflection()->GetBool(m, field) ? "true" : "false";
  }
  return m.GetReflection()->GetString(m, field);
}

}  // namespace lianxin::member
