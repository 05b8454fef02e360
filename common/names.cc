#include "common/names.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/status.h"

namespace lianxin {
namespace {

bool AllOf(absl::string_view s, size_t max_len, bool (*ok)(char)) {
  if (s.empty() || s.size() > max_len) return false;
  for (char c : s) {
    if (!ok(c)) return false;
  }
  return true;
}

bool IdChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }

}  // namespace

bool IsValidId(absl::string_view id) { return AllOf(id, 64, &IdChar); }

bool IsCategoryCode(absl::string_view code) { return AllOf(code, 32, &IdChar); }

bool IsRegistrationCode(absl::string_view code) {
  return code.size() == 8 && AllOf(code, 8, [](char c) {
           return c != '\0' && absl::string_view(kRegistrationCodeAlphabet).find(c) != absl::string_view::npos;
         });
}

std::string Collection::Name(absl::string_view id) const { return absl::StrCat(plural_, "/", id); }

std::string Collection::IdOf(absl::string_view name) const {
  if (!absl::ConsumePrefix(&name, plural_) || !absl::ConsumePrefix(&name, "/")) return "";
  return valid_id_(name) ? std::string(name) : "";
}

std::string Collection::Pattern() const { return absl::StrCat(plural_, "/{id}"); }

absl::StatusOr<std::string> Collection::Parse(absl::string_view name, absl::string_view field) const {
  std::string id = IdOf(name);
  if (!id.empty()) return id;
  if (name.empty()) return FieldError(field, absl::StrCat("is required (", Pattern(), ")"));
  return FieldError(field, absl::StrCat("must be a resource name like ", Pattern()));
}

absl::Status NotFoundIn(const Collection& collection, absl::string_view id, absl::string_view field) {
  return ResourceNotFound(collection.type(), collection.Name(id), field);
}

absl::Status MissingIn(bool platform_wide, const Collection& collection, absl::string_view id,
                       absl::string_view field) {
  return Missing(platform_wide, collection.type(), collection.Name(id), field);
}

std::string SettingsName(absl::string_view unit_id) { return absl::StrCat(kOrgUnits.Name(unit_id), "/settings"); }

std::string SettingsUnitId(absl::string_view name) {
  if (!absl::ConsumeSuffix(&name, "/settings")) return "";
  return kOrgUnits.IdOf(name);
}

std::string CategoryName(absl::string_view district_id, absl::string_view code) {
  return absl::StrCat(kOrgUnits.Name(district_id), "/categories/", code);
}

CategoryKey ParseCategoryName(absl::string_view name) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 4 || parts[0] != kOrgUnits.plural() || parts[2] != "categories" || !IsValidId(parts[1]) ||
      !IsCategoryCode(parts[3])) {
    return {};
  }
  return {std::string(parts[1]), std::string(parts[3])};
}

}  // namespace lianxin
