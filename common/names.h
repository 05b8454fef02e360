// Resource names (AIP-122) of the platform's collections, formatted and
// parsed in one place: "orgUnits/{id}", "members/{id}", "requests/{id}", ...
//
//   p.set_name(kOrgUnits.Name(id));                   // "orgUnits/<id>"
//   std::string id = kMembers.IdOf(m.branch());        // "" unless "members/<id>"
//   ASSIGN_OR_RETURN(std::string id, kRequests.Parse(req.name(), "name"));
//   std::string parent = v.Name("org_unit.parent", u.parent(), kOrgUnits, false);  // Validator
//
// Parse answers a bad name with INVALID_ARGUMENT and a BadRequest violation
// naming the field. Ids are 1..64 characters of [a-z0-9-] (common/ids.h makes
// them); registration codes and category codes have their own alphabets.
#ifndef LIANXIN_COMMON_NAMES_H_
#define LIANXIN_COMMON_NAMES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace lianxin {

// 1..64 characters of [a-z0-9-].
bool IsValidId(absl::string_view id);
// Eight characters of kRegistrationCodeAlphabet.
bool IsRegistrationCode(absl::string_view code);
// 1..32 characters of [a-z0-9-].
bool IsCategoryCode(absl::string_view code);

// Read off a poster and typed by hand: no 0/O, no 1/I/L.
inline constexpr char kRegistrationCodeAlphabet[] = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

// One collection: its plural (the name's first segment) and the message type
// its resources are (for google.rpc.ResourceInfo).
class Collection {
 public:
  constexpr Collection(absl::string_view plural, absl::string_view type,
                       bool (*valid_id)(absl::string_view) = &IsValidId)
      : plural_(plural), type_(type), valid_id_(valid_id) {}

  absl::string_view plural() const { return plural_; }
  absl::string_view type() const { return type_; }
  // "<plural>/<id>".
  std::string Name(absl::string_view id) const;
  // The id of "<plural>/<id>" with a valid id; "" for anything else.
  std::string IdOf(absl::string_view name) const;
  // The id, or INVALID_ARGUMENT naming `field` (also when `name` is empty).
  absl::StatusOr<std::string> Parse(absl::string_view name, absl::string_view field) const;
  // What a field holding such a name must look like, for error messages.
  std::string Pattern() const;

 private:
  absl::string_view plural_;
  absl::string_view type_;
  bool (*valid_id_)(absl::string_view);
};

inline constexpr Collection kOrgUnits{"orgUnits", "lianxin.org.v1.OrgUnit"};
inline constexpr Collection kPlaces{"places", "lianxin.org.v1.Place"};
inline constexpr Collection kPositions{"positions", "lianxin.org.v1.Position"};
inline constexpr Collection kPartners{"partners", "lianxin.org.v1.Partner"};
inline constexpr Collection kMembers{"members", "lianxin.member.v1.Member"};
inline constexpr Collection kRegistrations{"registrations", "lianxin.member.v1.Registration"};
inline constexpr Collection kRegistrationCodes{"registrationCodes", "lianxin.member.v1.RegistrationCode",
                                               &IsRegistrationCode};
inline constexpr Collection kTransfers{"transfers", "lianxin.member.v1.Transfer"};
inline constexpr Collection kRequests{"requests", "lianxin.dispatch.v1.Request"};
inline constexpr Collection kActivities{"activities", "lianxin.activity.v1.Activity"};
inline constexpr Collection kAccounts{"accounts", "lianxin.gateway.v1.Account"};
inline constexpr Collection kClients{"clients", "lianxin.gateway.v1.Client"};
inline constexpr Collection kSessions{"sessions", "lianxin.gateway.v1.Session"};
// Residents are known to the app backends that call for them, not kept here.
inline constexpr Collection kResidents{"residents", "resident"};

// NOT_FOUND with ResourceInfo naming `collection`'s resource `id` and `field`.
absl::Status NotFoundIn(const Collection& collection, absl::string_view id, absl::string_view field);
// What a caller hears of a resource that does not exist (status.h Missing):
// NOT_FOUND when it sees the whole platform, else the same as outside its subtree.
absl::Status MissingIn(bool platform_wide, const Collection& collection, absl::string_view id, absl::string_view field);

// A community's settings, a singleton under its unit: "orgUnits/{id}/settings".
std::string SettingsName(absl::string_view unit_id);
// The unit id of such a name; "" for anything else.
std::string SettingsUnitId(absl::string_view name);

// A district's request category: "orgUnits/{district}/categories/{code}".
struct CategoryKey {
  std::string district_id, code;
  bool ok() const { return !district_id.empty(); }
};
std::string CategoryName(absl::string_view district_id, absl::string_view code);
// Both parts empty for a malformed name.
CategoryKey ParseCategoryName(absl::string_view name);
inline constexpr char kCategoryPattern[] = "orgUnits/{district}/categories/{code}";
inline constexpr char kCategoryType[] = "lianxin.dispatch.v1.Category";

}  // namespace lianxin

#endif  // LIANXIN_COMMON_NAMES_H_
