// MemberLogic: matches of an ID number against members outside the caller's
// subtree. A create, an import or a transfer in tells its caller whether the
// person is a party member already on file, wherever that is: each such match
// outside the caller's subtree is recorded as a disclosure (field
// "identity_match": who, when, which record, by which method), auditors list
// them with the other disclosures, and a caller who made a day's allowance of
// them (--identity_matches_per_day) may make no more identity-bearing writes
// that day, so the refusal itself tells nothing.
#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "common/names.h"
#include "common/status.h"
#include "services/member/member_logic.h"

namespace lianxin::member {

inline constexpr char kIdentityMatch[] = "identity_match";

absl::Status MemberLogic::CheckIdentityAllowance(const CallContext& c) {
  if (c.principal.IsPlatformWide()) return absl::OkStatus();  // nothing lies outside
  const int64_t day_start =
      absl::ToUnixMicros(absl::FromCivil(absl::CivilSecond(BeijingDay(clock_.Now())), BeijingTime()));
  int64_t used = 0;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(used, store::CountDisclosures(db, c.principal.subject, kIdentityMatch, day_start));
    return absl::OkStatus();
  }));
  if (used < identity_matches_per_day_) return absl::OkStatus();
  return WithReason(absl::ResourceExhaustedError(absl::StrCat(
                        "this caller matched ", used,
                        " ID numbers against members outside its subtree today, the day's allowance; creates, "
                        "imports and transfers in are refused until tomorrow")),
                    "IDENTITY_MATCHES_EXHAUSTED");
}

absl::Status MemberLogic::RecordIdentityMatches(const CallContext& c, const std::vector<std::string>& member_ids,
                                                const char* method) {
  if (c.principal.IsPlatformWide() || member_ids.empty()) return absl::OkStatus();
  std::vector<store::DisclosureRecord> outside;
  for (const std::string& id : member_ids) {
    std::optional<store::MemberRecord> m;
    RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
      ASSIGN_OR_RETURN(m, store::GetMember(db, id, false));
      return absl::OkStatus();
    }));
    if (!m.has_value()) continue;
    absl::Status scope = CheckScope(c, *m, "member.national_id");
    if (scope.ok()) continue;
    if (!absl::IsPermissionDenied(scope)) return scope;
    outside.push_back({m->district_id, m->id, m->branch_id, c.principal.subject, kIdentityMatch, method, c.request_id,
                       absl::ToUnixMicros(clock_.Now()), 0});
  }
  if (outside.empty()) return absl::OkStatus();
  return db_.Transact([&](Db& db) { return store::InsertDisclosures(db, outside); });
}

}  // namespace lianxin::member
