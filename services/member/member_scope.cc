// MemberLogic: loading a member the caller may see — their branch in the
// caller's subtree, or (reads only) the community they registered with.
#include "common/names.h"
#include "common/status.h"
#include "services/member/member_logic.h"

namespace lianxin::member {

absl::Status MemberLogic::CheckScope(const CallContext& c, const store::MemberRecord& m, const std::string& field) {
  if (c.principal.IsPlatformWide()) return absl::OkStatus();
  absl::Status s = org_.UnitForCaller(c, m.branch_id, field).status();
  if (absl::IsPermissionDenied(s) || absl::IsNotFound(s)) return OutsideSubtree(kMembers.Name(m.id), field);
  return s;
}

absl::StatusOr<store::MemberRecord> MemberLogic::Load(Db& db, const CallContext& c, const std::string& id,
                                                      const std::string& field, bool for_update) {
  ASSIGN_OR_RETURN(auto m, store::GetMember(db, id, for_update));
  if (!m.has_value()) {
    return MissingIn(c.principal.IsPlatformWide(), kMembers, id, field);
  }
  return *std::move(m);
}

absl::StatusOr<store::MemberRecord> MemberLogic::LoadInScope(const CallContext& c, const std::string& id,
                                                             const std::string& field) {
  std::optional<store::MemberRecord> found;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(found, Load(db, c, id, field, false));
    return absl::OkStatus();
  }));
  RETURN_IF_ERROR(CheckScope(c, *found, field));
  return *std::move(found);
}

absl::StatusOr<store::MemberRecord> MemberLogic::LoadForRead(const CallContext& c, const std::string& id,
                                                             const std::string& field) {
  std::optional<store::MemberRecord> found;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(found, Load(db, c, id, field, false));
    return absl::OkStatus();
  }));
  absl::Status s = CheckScope(c, *found, field);
  if (absl::IsPermissionDenied(s) && !found->registered_community_id.empty()) {
    // Registered where they live (双报到): that community reads the file too.
    absl::Status there = org_.UnitForCaller(c, found->registered_community_id, field).status();
    if (there.ok()) return *std::move(found);
    if (!absl::IsPermissionDenied(there) && !absl::IsNotFound(there)) return there;
  }
  RETURN_IF_ERROR(s);
  return *std::move(found);
}

}  // namespace lianxin::member
