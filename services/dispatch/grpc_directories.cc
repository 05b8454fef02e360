#include "services/dispatch/grpc_directories.h"

#include "absl/strings/str_cat.h"
#include "common/names.h"
#include "common/status.h"

namespace lianxin::dispatch {

namespace mv1 = ::lianxin::member::v1;

GrpcDirectories::GrpcDirectories(std::shared_ptr<grpc::Channel> org, std::shared_ptr<grpc::Channel> member,
                                 SigningKey signing_key, std::string audience)
    : org_(std::move(org)), members_(std::move(member)), tokens_(std::move(signing_key), std::move(audience)) {}

absl::StatusOr<org::Coverage> GrpcDirectories::CoverageOf(const CallContext& c, const std::string& place_id,
                                                          const std::string& field) {
  org::Coverage cached;
  if (coverage_.Get(place_id, &cached)) return cached;
  ASSIGN_OR_RETURN(org::Coverage coverage, org_.ResolveCoverage(c, tokens_.Get(), place_id, field));
  coverage_.Put(place_id, coverage);
  return coverage;
}

absl::StatusOr<std::string> GrpcDirectories::PathOf(const CallContext& c, const std::string& unit_id,
                                                    const std::string& field) {
  std::string cached;
  if (paths_.Get(unit_id, &cached)) return cached;
  ASSIGN_OR_RETURN(std::vector<std::string> ancestors, org_.AncestorIds(c, tokens_.Get(), unit_id, field));
  std::string path = "/";
  for (const auto& id : ancestors) absl::StrAppend(&path, id, "/");
  absl::StrAppend(&path, unit_id, "/");
  paths_.Put(unit_id, path);
  return path;
}

absl::Status GrpcDirectories::RequireInScope(const CallContext& c, const std::string& unit_id,
                                             const std::string& field) {
  // Keyed by the reach the token claims: every token with the same scope
  // gets the same answer (only yes is kept).
  const std::string key = absl::StrCat(c.principal.org_scope, "|", unit_id);
  bool yes = false;
  if (reach_.Get(key, &yes)) return absl::OkStatus();
  absl::Status s = org_.GetUnit(c, c.principal.token, unit_id, field).status();
  if (absl::IsNotFound(s)) return OutsideSubtree(kOrgUnits.Name(unit_id), field);
  if (s.ok()) reach_.Put(key, true);
  return s;
}

bool GrpcDirectories::InScopeKnown(const CallContext& c, const std::string& unit_id) {
  bool yes = false;
  return reach_.Get(absl::StrCat(c.principal.org_scope, "|", unit_id), &yes) && yes;
}

absl::StatusOr<mv1::Member> GrpcDirectories::Member(const CallContext& c, const std::string& name,
                                                    const std::string& field) {
  mv1::Member out;
  if (member_records_.Get(name, &out)) return out;
  ASSIGN_OR_RETURN(out, members_.GetMember(c, tokens_.Get(), name, field));
  member_records_.Put(name, out);
  return out;
}

absl::StatusOr<std::vector<mv1::Member>> GrpcDirectories::Pool(const CallContext& c, const std::string& community_id,
                                                               const std::string& place_id,
                                                               const std::vector<std::string>& skills) {
  std::vector<mv1::Member> out;
  auto list = [&](const std::string& building, const std::string& skill, bool registered) -> absl::Status {
    mv1::ListMembersRequest req;
    req.set_parent(kOrgUnits.Name(community_id));
    req.set_registered_here(registered);
    if (!building.empty()) req.set_building(kPlaces.Name(building));
    if (!skill.empty()) req.set_skill(skill);
    req.set_lifecycle(mv1::LIFECYCLE_ACTIVE);
    req.set_page_size(200);
    ASSIGN_OR_RETURN(mv1::ListMembersResponse resp, members_.ListMembers(c, tokens_.Get(), req, "name"));
    for (auto& m : *resp.mutable_members()) out.push_back(std::move(m));
    return absl::OkStatus();
  };
  // Members of the community's branches, then those registered with it where
  // they live (双报到): in the building, or with one of the skills.
  for (bool registered : {false, true}) {
    RETURN_IF_ERROR(list(place_id, "", registered));
    for (const auto& s : skills) RETURN_IF_ERROR(list("", s, registered));
  }
  return out;
}

absl::StatusOr<std::vector<mv1::Member>> GrpcDirectories::RegisteredWith(const CallContext& c,
                                                                         const std::string& community_id) {
  std::vector<mv1::Member> out;
  mv1::ListMembersRequest req;
  req.set_parent(kOrgUnits.Name(community_id));
  req.set_registered_here(true);
  req.set_page_size(500);
  do {
    ASSIGN_OR_RETURN(mv1::ListMembersResponse resp, members_.ListMembers(c, tokens_.Get(), req, "parent"));
    for (auto& m : *resp.mutable_members()) out.push_back(std::move(m));
    req.set_page_token(resp.next_page_token());
  } while (!req.page_token().empty());
  return out;
}

}  // namespace lianxin::dispatch
