#include "services/dispatch/directories.h"

#include "absl/strings/str_cat.h"
#include "common/names.h"
#include "common/status.h"

namespace lianxin::dispatch {

namespace ov1 = ::lianxin::org::v1;
namespace mv1 = ::lianxin::member::v1;

Directories::Directories(std::shared_ptr<grpc::Channel> org, std::shared_ptr<grpc::Channel> member,
                         std::string signing_key, std::string audience)
    : org_(ov1::OrgService::NewStub(std::move(org))),
      member_(mv1::MemberService::NewStub(std::move(member))),
      tokens_("service:dispatch", std::move(signing_key), std::move(audience)) {}

absl::Status Directories::CallOrg(const CallContext& c, const std::string& token, const std::string& field,
                                  const std::string& resource,
                                  absl::FunctionRef<grpc::Status(grpc::ClientContext*)> rpc) {
  absl::string_view type = kPlaces.IdOf(resource).empty() ? kOrgUnits.type() : kPlaces.type();
  return CallService(c, token, {"organization", "ORG_UNAVAILABLE", resource, field, std::string(type)}, rpc);
}

absl::Status Directories::CallMember(const CallContext& c, const std::string& field, const std::string& resource,
                                     absl::FunctionRef<grpc::Status(grpc::ClientContext*)> rpc) {
  return CallService(c, tokens_.Get(), {"member", "MEMBER_UNAVAILABLE", resource, field, "lianxin.member.v1.Member"},
                     rpc);
}

absl::StatusOr<std::string> Directories::PathOf(const CallContext& c, const std::string& unit_id,
                                                const std::string& field) {
  std::string cached;
  if (paths_.Get(unit_id, &cached)) return cached;
  ov1::ListAncestorOrgUnitsRequest req;
  req.set_name(kOrgUnits.Name(unit_id));
  ov1::ListAncestorOrgUnitsResponse out;
  RETURN_IF_ERROR(CallOrg(c, tokens_.Get(), field, req.name(),
                          [&](grpc::ClientContext* ctx) { return org_->ListAncestorOrgUnits(ctx, req, &out); }));
  std::string path = "/";
  for (const auto& u : out.org_units()) absl::StrAppend(&path, kOrgUnits.IdOf(u.name()), "/");
  absl::StrAppend(&path, unit_id, "/");
  paths_.Put(unit_id, path);
  return path;
}

absl::StatusOr<Responsibility> Directories::ResponsibleFor(const CallContext& c, const std::string& place_id,
                                                           const std::string& field) {
  Responsibility cached;
  if (responsible_.Get(place_id, &cached)) return cached;
  ov1::ResolveCoverageRequest req;
  req.set_place(kPlaces.Name(place_id));
  ov1::ResolveCoverageResponse out;
  RETURN_IF_ERROR(CallOrg(c, tokens_.Get(), field, req.place(),
                          [&](grpc::ClientContext* ctx) { return org_->ResolveCoverage(ctx, req, &out); }));
  Responsibility r;
  r.place_id = place_id;
  r.community_id = kOrgUnits.IdOf(out.community());
  const std::string& unit = !out.building_party_group().empty() ? out.building_party_group()
                            : !out.branch().empty()             ? out.branch()
                                                                : out.community();
  r.unit_id = kOrgUnits.IdOf(unit);
  ASSIGN_OR_RETURN(r.unit_path, PathOf(c, r.unit_id, field));
  r.district_id = r.unit_path.substr(1, r.unit_path.find('/', 1) - 1);
  responsible_.Put(place_id, r);
  return r;
}

absl::Status Directories::RequireInScope(const CallContext& c, const std::string& unit_id, const std::string& field) {
  // Keyed by the reach the token claims: every token with the same scope
  // gets the same answer (only yes is kept).
  const std::string key = absl::StrCat(c.principal.org_scope, "|", unit_id);
  bool yes = false;
  if (reach_.Get(key, &yes)) return absl::OkStatus();
  ov1::GetOrgUnitRequest req;
  req.set_name(kOrgUnits.Name(unit_id));
  ov1::OrgUnit out;
  absl::Status s = CallOrg(c, c.principal.token, field, req.name(),
                           [&](grpc::ClientContext* ctx) { return org_->GetOrgUnit(ctx, req, &out); });
  if (absl::IsNotFound(s)) return OutsideSubtree(req.name(), field);
  if (s.ok()) reach_.Put(key, true);
  return s;
}

bool Directories::InScopeKnown(const CallContext& c, const std::string& unit_id) {
  bool yes = false;
  return reach_.Get(absl::StrCat(c.principal.org_scope, "|", unit_id), &yes) && yes;
}

absl::StatusOr<mv1::Member> Directories::Member(const CallContext& c, const std::string& name,
                                                const std::string& field) {
  mv1::Member out;
  if (members_.Get(name, &out)) return out;
  mv1::GetMemberRequest req;
  req.set_name(name);
  RETURN_IF_ERROR(
      CallMember(c, field, name, [&](grpc::ClientContext* ctx) { return member_->GetMember(ctx, req, &out); }));
  members_.Put(name, out);
  return out;
}

absl::StatusOr<std::vector<mv1::Member>> Directories::Pool(const CallContext& c, const std::string& community_id,
                                                           const std::string& place_id,
                                                           const std::vector<std::string>& skills) {
  std::vector<mv1::Member> out;
  auto list = [&](const std::string& building, const std::string& skill) -> absl::Status {
    mv1::ListMembersRequest req;
    req.set_parent(kOrgUnits.Name(community_id));
    if (!building.empty()) req.set_building(kPlaces.Name(building));
    if (!skill.empty()) req.set_skill(skill);
    req.set_lifecycle(mv1::LIFECYCLE_ACTIVE);
    req.set_page_size(200);
    mv1::ListMembersResponse resp;
    RETURN_IF_ERROR(CallMember(c, "name", req.parent(),
                               [&](grpc::ClientContext* ctx) { return member_->ListMembers(ctx, req, &resp); }));
    for (auto& m : *resp.mutable_members()) out.push_back(std::move(m));
    return absl::OkStatus();
  };
  RETURN_IF_ERROR(list(place_id, ""));
  for (const auto& s : skills) RETURN_IF_ERROR(list("", s));
  return out;
}

}  // namespace lianxin::dispatch
