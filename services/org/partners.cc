// OrgLogic: partner units (驻区单位, 结对共建) of a community.
#include "absl/strings/str_cat.h"
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

void CheckPartner(Validator& v, const v1::Partner& p) {
  v.Check(v1::PartnerKind_IsValid(p.kind()) && p.kind() != v1::PARTNER_KIND_UNSPECIFIED, "partner.kind",
          "is required: resident unit or paired unit");
  v.Text("partner.display_name", p.display_name(), 1, 100);
  v.Text("partner.liaison_name", p.liaison_name(), 1, 50);
  v.Text("partner.liaison_contact", p.liaison_contact(), 0, 100);
  v.Text("partner.note", p.note(), 0, 500);
}

absl::Status PartnerNotVisible(const CallContext& c, const std::string& name, const std::string& field) {
  if (c.principal.IsPlatformWide()) return ResourceNotFound(kPartners.type(), name, field);
  return absl::PermissionDeniedError(absl::StrCat(field, ": ", name, " is outside the caller's subtree"));
}

}  // namespace

absl::Status OrgLogic::CreatePartner(const CallContext& c, const v1::CreatePartnerRequest& req, v1::Partner* out) {
  RETURN_IF_ERROR(RequireWriter(c));
  const v1::Partner& p = req.partner();
  Validator v;
  std::string community_id = v.Name("partner.community", p.community(), kOrgUnits);
  CheckPartner(v, p);
  v.RequestId(req.request_id());
  RETURN_IF_ERROR(v.status());
  auto replay = [&](Db& db, const std::string& name) -> absl::StatusOr<bool> {
    ASSIGN_OR_RETURN(auto rec, store::GetPartner(db, kPartners.IdOf(name), false));
    // A replay answers only what the caller may see now, as the first call did.
    if (rec.has_value()) RETURN_IF_ERROR(LoadCommunity(db, c, rec->community_id, "request_id", false).status());
    if (rec.has_value()) *out = rec->proto;
    return rec.has_value();
  };
  return CreateOnce(
      db_, c, req.request_id(), "CreatePartner", NowUs(), replay,
      [&](Db& db, RememberCreated remember) -> absl::Status {
        ASSIGN_OR_RETURN(store::UnitRecord community, LoadCommunity(db, c, community_id, "partner.community", false));
        store::PartnerRecord rec;
        rec.id = NewId();
        rec.district_id = community.district_id;
        rec.community_id = community_id;
        rec.proto = p;
        rec.created_us = rec.updated_us = NowUs();
        std::string name = kPartners.Name(rec.id);
        RETURN_IF_ERROR(remember(rec.district_id, name));
        RETURN_IF_ERROR(store::InsertPartner(db, rec));
        ChangeSet changes;
        changes.Set("display_name", p.display_name());
        changes.Set("kind", v1::PartnerKind_Name(p.kind()));
        changes.Set("liaison_name", p.liaison_name());
        RETURN_IF_ERROR(
            RecordHistory(db, c, {rec.district_id, kOrgUnits.Name(community_id), name, "create", changes}, NowUs()));
        ASSIGN_OR_RETURN(auto stored, store::GetPartner(db, rec.id, false));
        *out = stored->proto;
        return absl::OkStatus();
      });
}

absl::Status OrgLogic::GetPartner(const CallContext& c, const v1::GetPartnerRequest& req, v1::Partner* out) {
  Validator v;
  std::string id = v.Name("name", req.name(), kPartners);
  RETURN_IF_ERROR(v.status());
  return db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto rec, store::GetPartner(db, id, false));
    if (!rec.has_value()) return PartnerNotVisible(c, req.name(), "name");
    RETURN_IF_ERROR(LoadUnit(db, c, rec->community_id, "name", false).status());
    *out = rec->proto;
    return absl::OkStatus();
  });
}

absl::Status OrgLogic::UpdatePartner(const CallContext& c, const v1::UpdatePartnerRequest& req, v1::Partner* out) {
  RETURN_IF_ERROR(RequireWriter(c));
  const v1::Partner& p = req.partner();
  Validator v;
  std::string id = v.Name("partner.name", p.name(), kPartners);
  std::vector<std::string> paths =
      MaskPaths(v, req.update_mask(), {"kind", "display_name", "liaison_name", "liaison_contact", "note"});
  RETURN_IF_ERROR(v.status());
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto rec, store::GetPartner(db, id, true));
    if (!rec.has_value()) return PartnerNotVisible(c, p.name(), "partner.name");
    RETURN_IF_ERROR(LoadUnit(db, c, rec->community_id, "partner.name", false).status());
    RETURN_IF_ERROR(CheckEtag("partner.etag", p.etag(), rec->version));
    v1::Partner next = rec->proto;
    ApplyMask(p, paths, &next);
    Validator after;
    CheckPartner(after, next);
    RETURN_IF_ERROR(after.status());
    ChangeSet changes;
    changes.Changed("kind", v1::PartnerKind_Name(rec->proto.kind()), v1::PartnerKind_Name(next.kind()));
    changes.Changed("display_name", rec->proto.display_name(), next.display_name());
    changes.Changed("liaison_name", rec->proto.liaison_name(), next.liaison_name());
    changes.Changed("liaison_contact", rec->proto.liaison_contact(), next.liaison_contact());
    changes.Changed("note", rec->proto.note(), next.note());
    if (!changes.empty()) {
      rec->proto = next;
      RETURN_IF_ERROR(SaveChange(db, c, NowUs(), *rec, store::UpdatePartner,
                                 {rec->district_id, kOrgUnits.Name(rec->community_id), p.name(), "update", changes}));
    }
    ASSIGN_OR_RETURN(auto stored, store::GetPartner(db, id, false));
    *out = stored->proto;
    return absl::OkStatus();
  });
}

absl::Status OrgLogic::DeletePartner(const CallContext& c, const v1::DeletePartnerRequest& req, v1::Partner* out) {
  RETURN_IF_ERROR(RequireWriter(c));
  Validator v;
  std::string id = v.Name("name", req.name(), kPartners);
  RETURN_IF_ERROR(v.status());
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(auto rec, store::GetPartner(db, id, true));
    if (!rec.has_value()) return PartnerNotVisible(c, req.name(), "name");
    RETURN_IF_ERROR(LoadUnit(db, c, rec->community_id, "name", false).status());
    RETURN_IF_ERROR(CheckEtag("etag", req.etag(), rec->version));
    RETURN_IF_ERROR(store::DeletePartner(db, id));
    ChangeSet changes;
    changes.Changed("display_name", rec->proto.display_name(), "");
    RETURN_IF_ERROR(RecordHistory(
        db, c, {rec->district_id, kOrgUnits.Name(rec->community_id), req.name(), "delete", changes}, NowUs()));
    *out = rec->proto;
    return absl::OkStatus();
  });
}

absl::Status OrgLogic::ListPartners(const CallContext& c, const v1::ListPartnersRequest& req,
                                    v1::ListPartnersResponse* out) {
  Validator v;
  std::string community_id = v.Name("community", req.community(), kOrgUnits);
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(int size, PageSize(req.page_size(), 100, 1000));
  std::string fp = absl::StrCat("partners|", community_id);
  ASSIGN_OR_RETURN(std::string after, tokens_.Decode(req.page_token(), fp));
  return db_.Run([&](Db& db) -> absl::Status {
    RETURN_IF_ERROR(LoadUnit(db, c, community_id, "community", false).status());
    ASSIGN_OR_RETURN(auto rows, store::ListPartners(db, community_id, after, size + 1));
    EmitPage(
        rows, size, tokens_, fp, [&](const auto& r) { *out->add_partners() = r.proto; },
        [](const auto& r) { return r.id; }, out->mutable_next_page_token());
    return absl::OkStatus();
  });
}

}  // namespace lianxin::org
