#include "services/clients/member/member_csv.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace lianxin::member {
namespace {

struct Word {
  const char* zh;
  int value;
};

template <typename Enum, size_t N>
bool ParseWord(absl::string_view s, const Word (&words)[N], bool (*parse)(const std::string&, Enum*), Enum* out) {
  for (const auto& w : words) {
    if (s == w.zh) {
      *out = static_cast<Enum>(w.value);
      return true;
    }
  }
  return parse(std::string(s), out);
}

std::string Quote(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

absl::StatusOr<std::vector<std::vector<std::string>>> ParseCsv(absl::string_view text) {
  absl::ConsumePrefix(&text, "\xEF\xBB\xBF");
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false, field_started = false;
  size_t line = 1;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"' && !field_started) {
      quoted = field_started = true;
    } else if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
      field_started = false;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      record.push_back(std::move(field));
      field.clear();
      field_started = false;
      if (!(record.size() == 1 && record[0].empty())) records.push_back(std::move(record));
      record.clear();
      ++line;
    } else {
      field += c;
      field_started = true;
    }
  }
  if (quoted) return absl::InvalidArgumentError(absl::StrCat("line ", line, ": a quoted field is not closed"));
  if (field_started || !record.empty()) {
    record.push_back(std::move(field));
    records.push_back(std::move(record));
  }
  return records;
}

const std::vector<std::string>& MemberCsvColumns() {
  static const auto* columns = new std::vector<std::string>{"display_name",
                                                            "gender",
                                                            "ethnicity",
                                                            "birth_date",
                                                            "national_id",
                                                            "phone",
                                                            "branch",
                                                            "standing",
                                                            "join_date",
                                                            "full_member_date",
                                                            "categories",
                                                            "skills",
                                                            "occupation",
                                                            "compound",
                                                            "building",
                                                            "stairwell",
                                                            "room",
                                                            "residence_community",
                                                            "registered_community",
                                                            "hardship",
                                                            "hardship_help",
                                                            "health_notes",
                                                            "attitude_notes"};
  return *columns;
}

absl::StatusOr<v1::Member> MemberFromCsv(const std::vector<std::string>& header,
                                         const std::vector<std::string>& record) {
  static const Word kGender[] = {
      {"男", v1::GENDER_MALE}, {"女", v1::GENDER_FEMALE}, {"male", v1::GENDER_MALE}, {"female", v1::GENDER_FEMALE}};
  static const Word kStanding[] = {{"预备", v1::STANDING_PROBATIONARY},
                                   {"正式", v1::STANDING_FULL},
                                   {"probationary", v1::STANDING_PROBATIONARY},
                                   {"full", v1::STANDING_FULL}};
  static const Word kCategory[] = {{"在职", v1::CATEGORY_EMPLOYED}, {"离退休", v1::CATEGORY_RETIRED},
                                   {"流动", v1::CATEGORY_MOBILE},   {"退役军人", v1::CATEGORY_VETERAN},
                                   {"下岗", v1::CATEGORY_LAID_OFF}, {"直管", v1::CATEGORY_DIRECTLY_MANAGED}};
  if (record.size() != header.size()) {
    return absl::InvalidArgumentError(absl::StrCat("has ", record.size(), " fields, the header ", header.size()));
  }
  v1::Member m;
  for (size_t i = 0; i < header.size(); ++i) {
    const std::string& col = header[i];
    std::string value(absl::StripAsciiWhitespace(record[i]));
    if (value.empty()) continue;
    if (col == "display_name")
      m.set_display_name(value);
    else if (col == "gender") {
      v1::Gender g;
      if (!ParseWord(value, kGender, &v1::Gender_Parse, &g)) return absl::InvalidArgumentError("gender: 男 or 女");
      m.set_gender(g);
    } else if (col == "ethnicity")
      m.set_ethnicity(value);
    else if (col == "birth_date")
      m.set_birth_date(value);
    else if (col == "national_id")
      m.set_national_id(value);
    else if (col == "phone")
      m.set_phone(value);
    else if (col == "branch")
      m.set_branch(value);
    else if (col == "standing") {
      v1::Standing s;
      if (!ParseWord(value, kStanding, &v1::Standing_Parse, &s))
        return absl::InvalidArgumentError("standing: 预备 or 正式");
      m.set_standing(s);
    } else if (col == "join_date")
      m.set_join_date(value);
    else if (col == "full_member_date")
      m.set_full_member_date(value);
    else if (col == "categories") {
      for (absl::string_view part : absl::StrSplit(value, ';', absl::SkipWhitespace())) {
        v1::Category cat;
        if (!ParseWord(absl::StripAsciiWhitespace(part), kCategory, &v1::Category_Parse, &cat)) {
          return absl::InvalidArgumentError(absl::StrCat("categories: unknown '", part, "'"));
        }
        m.add_categories(cat);
      }
    } else if (col == "skills") {
      for (absl::string_view part : absl::StrSplit(value, ';', absl::SkipWhitespace())) {
        m.add_skills(std::string(absl::StripAsciiWhitespace(part)));
      }
    } else if (col == "occupation")
      m.set_occupation(value);
    else if (col == "compound")
      m.mutable_address()->set_compound(value);
    else if (col == "building")
      m.mutable_address()->set_building(value);
    else if (col == "stairwell")
      m.mutable_address()->set_stairwell(value);
    else if (col == "room")
      m.mutable_address()->set_room(value);
    else if (col == "residence_community")
      m.set_residence_community(value);
    else if (col == "registered_community")
      m.set_registered_community(value);
    else if (col == "hardship")
      m.set_hardship(value == "是" || value == "true" || value == "1");
    else if (col == "hardship_help")
      m.set_hardship_help(value);
    else if (col == "health_notes")
      m.set_health_notes(value);
    else if (col == "attitude_notes")
      m.set_attitude_notes(value);
    else
      return absl::InvalidArgumentError(absl::StrCat("unknown column '", col, "'"));
  }
  return m;
}

std::string MemberToCsv(const v1::Member& m) {
  std::vector<std::string> cats, skills;
  static const char* kCat[] = {"", "在职", "离退休", "流动", "退役军人", "下岗", "直管"};
  for (int c : m.categories()) cats.push_back(kCat[c]);
  for (const auto& s : m.skills()) skills.push_back(s);
  std::vector<std::string> f = {
      m.display_name(),
      m.gender() == v1::GENDER_MALE ? "男" : (m.gender() == v1::GENDER_FEMALE ? "女" : ""),
      m.ethnicity(),
      m.birth_date(),
      m.national_id(),
      m.phone(),
      m.branch(),
      m.standing() == v1::STANDING_FULL ? "正式" : (m.standing() == v1::STANDING_PROBATIONARY ? "预备" : ""),
      m.join_date(),
      m.full_member_date(),
      absl::StrJoin(cats, ";"),
      absl::StrJoin(skills, ";"),
      m.occupation(),
      m.address().compound(),
      m.address().building(),
      m.address().stairwell(),
      m.address().room(),
      m.residence_community(),
      m.registered_community(),
      m.hardship() ? "是" : "",
      m.hardship_help(),
      m.health_notes(),
      m.attitude_notes()};
  std::vector<std::string> quoted;
  for (const auto& s : f) quoted.push_back(Quote(s));
  return absl::StrJoin(quoted, ",");
}

}  // namespace lianxin::member
