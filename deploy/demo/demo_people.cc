// The demo district's people, at the sizes of docs/domain.md "The demo district":
//   学卫              1,028 retired mill members handed over by 湘纺, across
//                     its 21 branches, living in the branches' buildings, each
//                     in one of its branch's 3 groups by how they attend;
//   黄金              32 directly managed (the 党总支 itself), 56 retired,
//                     34 mobile, 27 veteran across its 3 compound branches,
//                     and 139 employed members whose relation stays with the
//                     district offices and who registered where they live (双报到);
//   铁西              199 members over 3 branches; 12 lost ("12 members could
//                     not be found"), the 3 lost longest suspended long since;
//   西湖新村          7 resident members in each of 8 buildings, so each
//                     building party group covers two neighbouring buildings.
// Every ID number is valid (GB 11643) and agrees with birth date and gender;
// phones are valid. Then: branch secretaries and group leaders, three
// registrations waiting at 西湖新村, two transfers from 学卫 to 黄金 under way.
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "common/auth.h"
#include "common/client.h"
#include "common/clock.h"
#include "common/status.h"
#include "deploy/demo/demo.h"
#include "services/clients/member/identity.h"
#include "services/clients/member/import_client.h"

namespace lianxin::demo {
namespace {

namespace mv1 = ::lianxin::member::v1;
namespace ov1 = ::lianxin::org::v1;

// One community's list: who they are is a function of (region, index).
struct Person {
  std::string region;  // the ID number's first six digits
  int index = 0;
  int phone_prefix = 0;  // 130..199
};

constexpr const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
                                     "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗"};
constexpr const char* kGiven[] = {"建国", "秀英", "志强", "桂兰", "德明", "玉梅", "海涛", "丽华",
                                  "卫东", "春花", "国庆", "淑珍", "红军", "美玲", "永胜", "翠华"};

mv1::Member Identity(const Person& p) {
  // Distinct birth dates for up to 21,000 people per region, 1940..1997.
  absl::CivilDay birth = absl::CivilDay(1940, 1, 1) + (static_cast<int64_t>(p.index) * 7919) % 21000;
  int seq = p.index % 1000;
  std::string first17 =
      absl::StrCat(p.region, absl::FormatCivilTime(birth).substr(0, 4), absl::FormatCivilTime(birth).substr(5, 2),
                   absl::FormatCivilTime(birth).substr(8, 2), seq < 10 ? "00" : (seq < 100 ? "0" : ""), seq);
  mv1::Member m;
  m.set_display_name(absl::StrCat(kSurnames[p.index % 20], kGiven[(p.index / 20 + p.index) % 16]));
  m.set_gender(seq % 2 == 1 ? mv1::GENDER_MALE : mv1::GENDER_FEMALE);
  m.set_ethnicity(p.index % 23 == 0 ? "回族" : "汉族");
  m.set_birth_date(absl::FormatCivilTime(birth));
  m.set_national_id(first17 + member::NationalIdCheckChar(first17));
  m.set_phone(absl::StrCat(p.phone_prefix, absl::StrCat(100000000 + p.index).substr(1)));
  int join_year = std::max(static_cast<int>(birth.year()) + 22, 1960);
  m.set_join_date(absl::StrCat(std::min(join_year, 2024), "-07-01"));
  m.set_standing(join_year >= 2025 ? mv1::STANDING_PROBATIONARY : mv1::STANDING_FULL);
  m.set_occupation(p.index % 3 == 0 ? "退休工人" : (p.index % 3 == 1 ? "教师" : "职员"));
  return m;
}

class People {
 public:
  People(OrgLoader& org, mv1::MemberService::Stub& members, std::string token, SigningKey key, Summary& summary)
      : org_(org), members_(members), token_(std::move(token)), key_(std::move(key)), summary_(summary) {}

  // Imports `rows` (already filled) as one list; problems are errors.
  absl::Status Import(const std::string& source, std::vector<mv1::Member> people) {
    std::vector<mv1::ImportRow> rows;
    for (size_t i = 0; i < people.size(); ++i) {
      mv1::ImportRow row;
      row.set_row(static_cast<int>(i + 1));
      *row.mutable_member() = std::move(people[i]);
      rows.push_back(std::move(row));
    }
    mv1::ImportOptions options;
    options.set_source(source);
    ASSIGN_OR_RETURN(mv1::ImportMembersResponse report, member::StreamImport(members_, token_, options, rows, 500));
    if (report.problems_size() > 0) {
      const auto& p = report.problems(0);
      return absl::InternalError(absl::StrCat(source, " row ", p.row(), " ", p.field(), ": ", p.reason()));
    }
    summary_.members += report.progress().created() + report.progress().existing();
    return absl::OkStatus();
  }

  // The member with this ID number.
  absl::StatusOr<mv1::Member> Find(const std::string& national_id) {
    mv1::FindMemberRequest req;
    req.set_national_id(national_id);
    mv1::Member out;
    RETURN_IF_ERROR(Call(token_, [&](grpc::ClientContext* c) { return members_.FindMember(c, req, &out); }));
    return out;
  }

  absl::Status Secretary(const std::string& unit, ov1::PositionRole role, const std::string& key,
                         const mv1::Member& holder, const std::string& start, const std::string& end) {
    return org_.Position(unit, role, key, holder.name(), holder.display_name(), start, end);
  }

  template <typename F>
  absl::Status Call(const std::string& token, F rpc) {
    grpc::ClientContext ctx;
    PrepareClientContext(&ctx, token, "", absl::Seconds(30));
    return FromGrpcStatus(rpc(&ctx));
  }

  OrgLoader& org_;
  mv1::MemberService::Stub& members_;
  std::string token_;
  SigningKey key_;
  Summary& summary_;
};

mv1::Member In(mv1::Member m, const std::string& branch, std::initializer_list<mv1::Category> categories) {
  m.set_branch(branch);
  for (auto c : categories) m.add_categories(c);
  return m;
}

}  // namespace

absl::Status LoadPeople(OrgLoader& org, mv1::MemberService::Stub& members, const std::string& token,
                        const SigningKey& signing_key, Tree& tree, Summary& summary) {
  People p(org, members, token, signing_key, summary);

  // 学卫: the 湘纺 list, 1,028 members over 21 branches (49 or 48 each).
  std::vector<mv1::Member> xuewei;
  for (int i = 0; i < 1028; ++i) {
    int b = i % 21;
    mv1::Member m = In(Identity({"430302", i, 138}), tree.xuewei_branches[b], {mv1::CATEGORY_RETIRED});
    if (i % 17 == 0) m.add_categories(mv1::CATEGORY_VETERAN);
    m.mutable_address()->set_building(tree.xuewei_buildings[b]);
    m.mutable_address()->set_room(absl::StrCat(1 + (i / 21) % 6, "0", 1 + (i / 126) % 4));
    m.set_residence_community(tree.xuewei);
    if (i % 9 == 0) m.add_skills("理发");
    if (i % 11 == 0) m.add_skills("家电维修");
    if (i % 13 == 0) m.add_availability(mv1::AVAILABILITY_WEEKDAY_DAYTIME);
    // Groups by how they attend: ill at home (study brought to them), living
    // or working away (online), the rest in person.
    int group = 0, k = i / 21;  // k: the member's place in their branch
    if (k % 8 == 3) {
      m.set_health_notes("行动不便，需送学上门");
      group = 1;
    } else if (k % 7 == 5) {
      m.add_categories(mv1::CATEGORY_MOBILE);
      group = 2;
    }
    m.set_group(tree.xuewei_groups[b][group]);
    xuewei.push_back(std::move(m));
  }
  RETURN_IF_ERROR(p.Import("湘纺集团党委移交名单（1028名）", std::move(xuewei)));

  // 黄金: by category, as the community counts them.
  std::vector<mv1::Member> huangjin;
  int n = 0;
  auto add = [&](int count, const std::string& branch, mv1::Category cat, const std::string& compound) {
    for (int i = 0; i < count; ++i, ++n) {
      mv1::Member m = In(Identity({"430112", n, 139}), branch, {cat});
      m.mutable_address()->set_compound(compound);
      m.set_residence_community(tree.huangjin);
      if (cat == mv1::CATEGORY_EMPLOYED) {
        m.set_registered_community(tree.huangjin);
        m.add_availability(mv1::AVAILABILITY_WEEKENDS);
        m.add_availability(mv1::AVAILABILITY_WEEKDAY_EVENINGS);
      }
      if (n % 10 == 0) m.add_skills("政策宣讲");
      if (n % 14 == 0) m.add_skills("法律咨询");
      huangjin.push_back(std::move(m));
    }
  };
  add(32, tree.huangjin, mv1::CATEGORY_DIRECTLY_MANAGED, tree.huangjin_compounds[0]);
  for (int b = 0; b < 3; ++b) {
    add(b == 2 ? 18 : 19, tree.huangjin_branches[b], mv1::CATEGORY_RETIRED, tree.huangjin_compounds[b]);  // 56
    add(b == 0 ? 12 : 11, tree.huangjin_branches[b], mv1::CATEGORY_MOBILE, tree.huangjin_compounds[b]);   // 34
    add(9, tree.huangjin_branches[b], mv1::CATEGORY_VETERAN, tree.huangjin_compounds[b]);                 // 27
  }
  for (int b = 0; b < 3; ++b) {  // 139 employed: relations with the district offices
    add(b == 0 ? 47 : 46, tree.organ_branches[b], mv1::CATEGORY_EMPLOYED, tree.huangjin_compounds[b]);
  }
  RETURN_IF_ERROR(p.Import("黄金社区党员花名册", std::move(huangjin)));

  // 铁西: 199 members, 12 lost for months or years (dates from today, so
  // that the demo tells the same story on any day).
  std::vector<mv1::Member> tiexi;
  std::vector<std::pair<std::string, std::string>> suspended;  // national ID, since
  const absl::CivilMonth this_month(BeijingDay(absl::Now()));
  for (int i = 0; i < 199; ++i) {
    mv1::Member m = In(Identity({"210106", i, 150}), tree.tiexi_branches[i % 3], {mv1::CATEGORY_RETIRED});
    if (i % 16 == 3 && i < 192) {
      m.set_contact_status(mv1::CONTACT_STATUS_LOST);
      int months = 3 + (i / 16) * 4;  // 3 .. 47 months
      absl::CivilDay since(this_month - months);
      m.set_lost_since(absl::FormatCivilTime(since));
      // Suspended (停止党籍) seven months after contact was lost.
      if (months >= 36)
        suspended.emplace_back(m.national_id(), absl::FormatCivilTime(absl::CivilDay(this_month - months + 7)));
      ++summary.lost;
    }
    tiexi.push_back(std::move(m));
  }
  RETURN_IF_ERROR(p.Import("铁西街道党员名册", std::move(tiexi)));
  for (const auto& [id, since] : suspended) {  // lost 6+ months: suspended long ago
    ASSIGN_OR_RETURN(mv1::Member m, p.Find(id));
    if (m.lifecycle() != mv1::LIFECYCLE_ACTIVE) continue;
    mv1::ChangeLifecycleRequest req;
    req.set_name(m.name());
    req.set_lifecycle(mv1::LIFECYCLE_SUSPENDED);
    req.set_reason("失联超过六个月，经支部大会讨论停止党籍");
    req.set_effective_date(since);
    mv1::Member out;
    RETURN_IF_ERROR(p.Call(token, [&](grpc::ClientContext* c) { return members.ChangeLifecycle(c, req, &out); }));
  }

  // 西湖新村: 7 resident members per building, in its two stairwells.
  std::vector<mv1::Member> xihu;
  for (int i = 0; i < 56; ++i) {
    int b = i / 7;
    mv1::Member m =
        In(Identity({"430407", i, 186}), tree.xihu_branch, {i % 2 ? mv1::CATEGORY_RETIRED : mv1::CATEGORY_EMPLOYED});
    m.mutable_address()->set_building(tree.xihu_buildings[b]);
    m.mutable_address()->set_stairwell(tree.xihu_stairwells[2 * b + i % 2]);
    m.mutable_address()->set_room(absl::StrCat(1 + i % 6, "0", 1 + i % 2));
    m.set_residence_community(tree.xihu);
    if (i % 4 == 0) m.add_skills("水电维修");
    if (i % 5 == 0) m.add_skills("邻里调解");
    m.add_availability(i % 3 == 0 ? mv1::AVAILABILITY_ON_CALL : mv1::AVAILABILITY_WEEKENDS);
    xihu.push_back(std::move(m));
  }
  RETURN_IF_ERROR(p.Import("西湖新村亮身份登记", std::move(xihu)));
  for (int g = 0; g < 4; ++g) {  // now each pair of buildings has 14 resident members
    RETURN_IF_ERROR(org.Cover(tree.xihu_groups[g], {tree.xihu_buildings[2 * g], tree.xihu_buildings[2 * g + 1]}));
  }

  tree.xihu_members.clear();
  for (int i = 0; i < 56; ++i) {
    ASSIGN_OR_RETURN(mv1::Member m, p.Find(Identity({"430407", i, 186}).national_id()));
    tree.xihu_members.push_back(m.name());
  }

  // Positions, held by members on file.
  // Terms from today: 学卫's committee and most of its branches elect within
  // 30 days, a few within 90; 黄金's within 30; 西湖新村's leaders have time.
  auto day = [](int from_today) { return BeijingDate(absl::Now() + absl::Hours(24) * from_today); };
  auto years_before = [](const std::string& end, int years) {
    return absl::StrCat(std::stoi(end.substr(0, 4)) - years, end.substr(4, 3), "-01");
  };
  ASSIGN_OR_RETURN(mv1::Member xw_secretary, p.Find(Identity({"430302", 0, 138}).national_id()));
  RETURN_IF_ERROR(p.Secretary(tree.xuewei, ov1::POSITION_ROLE_SECRETARY, "xw-secretary", xw_secretary,
                              years_before(day(20), 5), day(20)));
  for (int b = 0; b < 21; ++b) {
    ASSIGN_OR_RETURN(mv1::Member holder, p.Find(Identity({"430302", 21 + b, 138}).national_id()));
    std::string end = day(b % 4 == 3 ? 60 : 20);
    RETURN_IF_ERROR(p.Secretary(tree.xuewei_branches[b], ov1::POSITION_ROLE_SECRETARY,
                                absl::StrCat("xw-b", b + 1, "-secretary"), holder, years_before(end, 3), end));
  }
  ASSIGN_OR_RETURN(mv1::Member hj_secretary, p.Find(Identity({"430112", 0, 139}).national_id()));
  RETURN_IF_ERROR(p.Secretary(tree.huangjin, ov1::POSITION_ROLE_SECRETARY, "hj-secretary", hj_secretary,
                              years_before(day(14), 5), day(14)));
  for (int g = 0; g < 4; ++g) {
    ASSIGN_OR_RETURN(mv1::Member leader, p.Find(Identity({"430407", 14 * g, 186}).national_id()));
    RETURN_IF_ERROR(p.Secretary(tree.xihu_groups[g], ov1::POSITION_ROLE_GROUP_LEADER,
                                absl::StrCat("xh-l", g + 1, "-leader"), leader, years_before(day(400), 3), day(400)));
  }

  // Three residents registering themselves at 西湖新村 (亮明身份), waiting.
  mv1::CreateRegistrationCodeRequest code_req;
  code_req.set_request_id("demo-code-xh");
  code_req.mutable_registration_code()->set_community(tree.xihu);
  code_req.mutable_registration_code()->set_place(tree.xihu_buildings[0]);
  code_req.mutable_registration_code()->set_label("西湖新村1栋单元门");
  mv1::RegistrationCode code;
  RETURN_IF_ERROR(
      p.Call(token, [&](grpc::ClientContext* c) { return members.CreateRegistrationCode(c, code_req, &code); }));
  for (int i = 0; i < 3; ++i) {
    ASSIGN_OR_RETURN(
        std::string resident,
        MintToken(
            signing_key,
            {absl::StrCat("demo-resident-", i + 1), {kRoleResident}, tree.district, "lianxin", absl::Minutes(10)}));
    mv1::SubmitRegistrationRequest req;
    req.set_registration_code(code.name());
    req.set_request_id(absl::StrCat("demo-registration-", i + 1));
    *req.mutable_applicant() = Identity({"430407", 900 + i, 187});
    req.mutable_applicant()->mutable_address()->set_building(tree.xihu_buildings[0]);
    req.set_current_organization(i == 0 ? "某物流公司党支部" : "");
    mv1::Registration out;
    RETURN_IF_ERROR(p.Call(resident, [&](grpc::ClientContext* c) { return members.SubmitRegistration(c, req, &out); }));
    if (out.state() == mv1::REGISTRATION_STATE_PENDING) ++summary.pending_registrations;
  }

  // Two 学卫 members moving to 黄金 (组织关系转接), one already approved by 学卫.
  for (int i = 0; i < 2; ++i) {
    ASSIGN_OR_RETURN(mv1::Member mover, p.Find(Identity({"430302", 1000 + i, 138}).national_id()));
    mv1::StartTransferRequest req;
    req.set_request_id(absl::StrCat("demo-transfer-", i + 1));
    req.mutable_transfer()->set_kind(mv1::TRANSFER_KIND_WITHIN);
    req.mutable_transfer()->set_member(mover.name());
    req.mutable_transfer()->set_to_unit(tree.huangjin_branches[i]);
    req.mutable_transfer()->set_reason("随子女迁居黄金社区");
    req.mutable_transfer()->mutable_letter()->set_dues_paid_through(absl::FormatCivilTime(this_month - 1).substr(0, 7));
    mv1::Transfer t;
    RETURN_IF_ERROR(p.Call(token, [&](grpc::ClientContext* c) { return members.StartTransfer(c, req, &t); }));
    if (i == 0 && t.state() == mv1::TRANSFER_STATE_PENDING && t.current_step() == 0) {
      mv1::ApproveTransferRequest approve;
      approve.set_name(t.name());
      approve.set_etag(t.etag());
      RETURN_IF_ERROR(p.Call(token, [&](grpc::ClientContext* c) { return members.ApproveTransfer(c, approve, &t); }));
    }
    if (t.state() == mv1::TRANSFER_STATE_PENDING) ++summary.transfers;
  }
  return absl::OkStatus();
}

}  // namespace lianxin::demo
