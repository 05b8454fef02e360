#include "services/activity/grpc_directories.h"

#include "absl/strings/str_cat.h"
#include "common/names.h"
#include "common/status.h"

namespace lianxin::activity {

namespace mv1 = ::lianxin::member::v1;
namespace ov1 = ::lianxin::org::v1;

GrpcDirectories::GrpcDirectories(std::shared_ptr<grpc::Channel> org, std::shared_ptr<grpc::Channel> member,
                                 SigningKey signing_key, std::string audience)
    : org_(std::move(org)), members_(std::move(member)), tokens_(std::move(signing_key), std::move(audience)) {}

absl::StatusOr<Unit> GrpcDirectories::UnitOf(const CallContext& c, const std::string& unit_id,
                                             const std::string& field) {
  Unit unit;
  if (units_.Get(unit_id, &unit)) return unit;
  ASSIGN_OR_RETURN(org::UnitInfo info, org_.GetUnit(c, tokens_.Get(), unit_id, field));
  ASSIGN_OR_RETURN(std::vector<std::string> ancestors, org_.AncestorIds(c, tokens_.Get(), unit_id, field));
  unit.id = unit_id;
  unit.district_id = info.district_id.empty() ? unit_id : info.district_id;
  unit.display_name = info.display_name;
  unit.type = info.type;
  unit.active = info.active;
  unit.path = "/";
  for (const auto& id : ancestors) absl::StrAppend(&unit.path, id, "/");
  absl::StrAppend(&unit.path, unit_id, "/");
  units_.Put(unit_id, unit);
  return unit;
}

absl::StatusOr<std::vector<Person>> GrpcDirectories::Members(const CallContext& c, const std::string& unit_id,
                                                             bool registered_here) {
  std::vector<Person> out;
  mv1::ListMembersRequest req;
  req.set_parent(kOrgUnits.Name(unit_id));
  req.set_registered_here(registered_here);
  req.set_page_size(500);
  do {
    ASSIGN_OR_RETURN(mv1::ListMembersResponse resp, members_.ListMembers(c, tokens_.Get(), req, "parent"));
    for (const auto& m : resp.members()) {
      // Suspended, restored-pending or gone members are not expected.
      if (m.lifecycle() != mv1::LIFECYCLE_ACTIVE && m.lifecycle() != mv1::LIFECYCLE_RESTORED) continue;
      out.push_back({kMembers.IdOf(m.name()), m.display_name(), m.standing() == mv1::STANDING_FULL});
    }
    req.set_page_token(resp.next_page_token());
  } while (!req.page_token().empty());
  return out;
}

absl::StatusOr<std::vector<Person>> GrpcDirectories::Committee(const CallContext& c, const std::string& unit_id) {
  ASSIGN_OR_RETURN(std::vector<ov1::Position> posts, org_.Positions(c, tokens_.Get(), unit_id, "parent"));
  std::vector<Person> out;
  std::set<std::string> seen;
  for (const auto& p : posts) {
    std::string id = kMembers.IdOf(p.member());
    if (id.empty() || !seen.insert(id).second) continue;
    out.push_back({id, p.holder_display_name(), true});
  }
  return out;
}

absl::StatusOr<mv1::Member> GrpcDirectories::Member(const CallContext& c, const std::string& name,
                                                    const std::string& field) {
  mv1::Member out;
  if (member_records_.Get(name, &out)) return out;
  ASSIGN_OR_RETURN(out, members_.GetMember(c, tokens_.Get(), name, field));
  member_records_.Put(name, out);
  return out;
}

absl::StatusOr<std::vector<org::UnitInfo>> GrpcDirectories::Subtree(const CallContext& c, const std::string& root_id,
                                                                    const std::vector<ov1::OrgUnitType>& types,
                                                                    const std::string& field) {
  return org_.SubtreeUnits(c, tokens_.Get(), root_id, types, field);
}

absl::StatusOr<std::set<std::string>> GrpcDirectories::SecretariesAround(const CallContext& c,
                                                                         const std::string& unit_id) {
  std::set<std::string> out;
  if (secretaries_.Get(unit_id, &out)) return out;
  auto add = [&](const std::vector<ov1::Position>& posts) {
    for (const auto& p : posts) {
      if (p.role() == ov1::POSITION_ROLE_SECRETARY) out.insert(kMembers.IdOf(p.member()));
    }
  };
  // Every post of the subtree (terms are at most five years).
  ASSIGN_OR_RETURN(auto below, org_.ExpiringTerms(c, tokens_.Get(), unit_id, 3650, "parent"));
  add(below);
  ASSIGN_OR_RETURN(std::vector<std::string> ancestors, org_.AncestorIds(c, tokens_.Get(), unit_id, "parent"));
  for (const auto& id : ancestors) {
    ASSIGN_OR_RETURN(auto posts, org_.Positions(c, tokens_.Get(), id, "parent"));
    add(posts);
  }
  secretaries_.Put(unit_id, out);
  return out;
}

}  // namespace lianxin::activity
