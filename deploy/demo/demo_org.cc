// The demo district's organization tree (docs/domain.md "The demo district"):
//   示范区委
//   ├ 五里堆街道党工委 ─ 学卫社区党委: 21 branches by building and compound, each
//   │                    with 3 groups (in person, ill at home with study brought
//   │                    to them, away and online);
//   │                    the old 新建社区 merged into it
//   ├ 金山桥街道党工委 ─ 黄金社区党总支: four-level grid, 3 compound branches, groups
//   ├ 铁西街道党工委   ─ 3 community branches
//   ├ 青山街道党工委   ─ 西湖新村社区党总支: a branch and 4 building party groups
//   │                    covering neighbouring buildings
//   └ 区直机关党总支 ─ 3 branches of district offices (employed members' relations)
#include "absl/strings/str_cat.h"
#include "common/client.h"
#include "common/status.h"
#include "deploy/demo/demo.h"

namespace lianxin::demo {

namespace v1 = ::lianxin::org::v1;

absl::Status OrgLoader::Call(const std::function<grpc::Status(grpc::ClientContext*)>& rpc) {
  grpc::ClientContext ctx;
  PrepareClientContext(&ctx, token_, "", absl::Seconds(30));
  return FromGrpcStatus(rpc(&ctx));
}

absl::StatusOr<std::string> OrgLoader::Unit(const std::string& parent, v1::OrgUnitType type, const std::string& code,
                                            const std::string& name) {
  v1::CreateOrgUnitRequest req;
  req.set_request_id(absl::StrCat("demo-unit-", code));
  auto* u = req.mutable_org_unit();
  u->set_parent(parent);
  u->set_type(type);
  u->set_code(code);
  u->set_display_name(name);
  v1::OrgUnit out;
  RETURN_IF_ERROR(Call([&](grpc::ClientContext* ctx) { return org_.CreateOrgUnit(ctx, req, &out); }));
  summary_.units++;
  return out.name();
}

absl::StatusOr<std::string> OrgLoader::Place(const std::string& community, const std::string& parent,
                                             v1::PlaceKind kind, const std::string& key, const std::string& name,
                                             const std::string& address) {
  v1::CreatePlaceRequest req;
  req.set_request_id(absl::StrCat("demo-place-", key));
  auto* p = req.mutable_place();
  p->set_community(community);
  p->set_parent(parent);
  p->set_kind(kind);
  p->set_display_name(name);
  p->set_address(address);
  v1::Place out;
  RETURN_IF_ERROR(Call([&](grpc::ClientContext* ctx) { return org_.CreatePlace(ctx, req, &out); }));
  summary_.places++;
  return out.name();
}

absl::Status OrgLoader::Position(const std::string& unit, v1::PositionRole role, const std::string& key,
                                 const std::string& member, const std::string& holder, const std::string& start,
                                 const std::string& end) {
  v1::CreatePositionRequest req;
  req.set_request_id(absl::StrCat("demo-position-", key));
  auto* p = req.mutable_position();
  p->set_org_unit(unit);
  p->set_role(role);
  p->set_member(member);
  p->set_holder_display_name(holder);
  p->set_term_start(start);
  p->set_term_end(end);
  v1::Position out;
  RETURN_IF_ERROR(Call([&](grpc::ClientContext* ctx) { return org_.CreatePosition(ctx, req, &out); }));
  summary_.positions++;
  return absl::OkStatus();
}

absl::Status OrgLoader::Partner(const std::string& community, v1::PartnerKind kind, const std::string& key,
                                const std::string& name, const std::string& liaison, const std::string& contact) {
  v1::CreatePartnerRequest req;
  req.set_request_id(absl::StrCat("demo-partner-", key));
  auto* p = req.mutable_partner();
  p->set_community(community);
  p->set_kind(kind);
  p->set_display_name(name);
  p->set_liaison_name(liaison);
  p->set_liaison_contact(contact);
  v1::Partner out;
  RETURN_IF_ERROR(Call([&](grpc::ClientContext* ctx) { return org_.CreatePartner(ctx, req, &out); }));
  summary_.partners++;
  return absl::OkStatus();
}

absl::Status OrgLoader::Cover(const std::string& unit, const std::vector<std::string>& places) {
  v1::CoverPlacesRequest req;
  req.set_org_unit(unit);
  for (const auto& p : places) req.add_places(p);
  v1::CoverPlacesResponse out;
  return Call([&](grpc::ClientContext* ctx) { return org_.CoverPlaces(ctx, req, &out); });
}

absl::Status OrgLoader::MergeOnce(const std::string& from, const std::string& into) {
  v1::GetOrgUnitRequest get;
  get.set_name(from);
  v1::OrgUnit unit;
  RETURN_IF_ERROR(Call([&](grpc::ClientContext* ctx) { return org_.GetOrgUnit(ctx, get, &unit); }));
  if (unit.state() != v1::OrgUnit::STATE_ACTIVE) return absl::OkStatus();
  v1::MergeOrgUnitsRequest req;
  req.set_name(from);
  req.set_into(into);
  v1::OrgUnit out;
  return Call([&](grpc::ClientContext* ctx) { return org_.MergeOrgUnits(ctx, req, &out); });
}

absl::StatusOr<Tree> LoadOrgTree(OrgLoader& l, Summary& summary) {
  Tree tree;
  using T = v1::OrgUnitType;
  ASSIGN_OR_RETURN(std::string district, l.Unit("", T::ORG_UNIT_TYPE_DISTRICT_COMMITTEE, "SF", "示范区委"));
  summary.district = district;
  tree.district = district;

  // 五里堆街道 / 学卫社区: 1,028 transferred members, 21 branches × 3 groups.
  ASSIGN_OR_RETURN(std::string wulidui,
                   l.Unit(district, T::ORG_UNIT_TYPE_STREET_WORKING_COMMITTEE, "SF-WLD", "五里堆街道党工委"));
  ASSIGN_OR_RETURN(std::string xuewei,
                   l.Unit(wulidui, T::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE, "SF-WLD-XW", "学卫社区党委"));
  ASSIGN_OR_RETURN(std::string xinjian,
                   l.Unit(wulidui, T::ORG_UNIT_TYPE_COMMUNITY_COMMITTEE, "SF-WLD-XJ", "新建社区党委"));
  ASSIGN_OR_RETURN(std::string xinjian_branch,
                   l.Unit(xinjian, T::ORG_UNIT_TYPE_BRANCH, "SF-WLD-XJ-B01", "新建社区第一党支部"));
  (void)xinjian_branch;
  tree.xuewei = xuewei;
  ASSIGN_OR_RETURN(std::string xw_compound,
                   l.Place(xuewei, "", v1::PLACE_KIND_COMPOUND, "xw-xiangfang", "湘纺生活区", "岳塘区五里堆街道"));
  static const char* kGroups[][2] = {{"A", "集中学习小组"}, {"B", "送学上门小组"}, {"C", "线上学习小组"}};
  for (int b = 1; b <= 21; ++b) {
    std::string code = absl::StrCat("SF-WLD-XW-B", b < 10 ? "0" : "", b);
    ASSIGN_OR_RETURN(std::string branch,
                     l.Unit(xuewei, T::ORG_UNIT_TYPE_BRANCH, code, absl::StrCat("学卫社区第", b, "党支部")));
    std::array<std::string, 3> groups;
    for (int g = 0; g < 3; ++g) {
      ASSIGN_OR_RETURN(groups[g], l.Unit(branch, T::ORG_UNIT_TYPE_PARTY_GROUP, absl::StrCat(code, "-", kGroups[g][0]),
                                         absl::StrCat("第", b, "支部", kGroups[g][1])));
    }
    tree.xuewei_groups.push_back(groups);
    ASSIGN_OR_RETURN(std::string building, l.Place(xuewei, xw_compound, v1::PLACE_KIND_BUILDING,
                                                   absl::StrCat("xw-b", b), absl::StrCat("湘纺", b, "栋"), ""));
    RETURN_IF_ERROR(l.Cover(branch, {building}));
    tree.xuewei_branches.push_back(branch);
    tree.xuewei_buildings.push_back(building);
  }
  // 学卫 = old 学卫 + 新建: the merge keeps 新建's history readable.
  RETURN_IF_ERROR(l.MergeOnce(xinjian, xuewei));

  // 金山桥街道 / 黄金社区: 社区党总支 → 小区党支部 → 党小组 → 党员.
  ASSIGN_OR_RETURN(std::string jinshanqiao,
                   l.Unit(district, T::ORG_UNIT_TYPE_STREET_WORKING_COMMITTEE, "SF-JSQ", "金山桥街道党工委"));
  ASSIGN_OR_RETURN(std::string huangjin,
                   l.Unit(jinshanqiao, T::ORG_UNIT_TYPE_GENERAL_BRANCH, "SF-JSQ-HJ", "黄金社区党总支"));
  tree.huangjin = huangjin;
  static const char* kCompounds[] = {"金山小区", "黄金园小区", "金桥新村"};
  for (int b = 0; b < 3; ++b) {
    std::string code = absl::StrCat("SF-JSQ-HJ-B0", b + 1);
    ASSIGN_OR_RETURN(std::string compound, l.Place(huangjin, "", v1::PLACE_KIND_COMPOUND, absl::StrCat("hj-c", b),
                                                   kCompounds[b], "望城区金山桥街道"));
    ASSIGN_OR_RETURN(std::string branch,
                     l.Unit(huangjin, T::ORG_UNIT_TYPE_BRANCH, code, absl::StrCat(kCompounds[b], "党支部")));
    RETURN_IF_ERROR(l.Cover(branch, {compound}));
    tree.huangjin_branches.push_back(branch);
    tree.huangjin_compounds.push_back(compound);
    for (int g = 1; g <= 3; ++g) {
      ASSIGN_OR_RETURN(std::string group, l.Unit(branch, T::ORG_UNIT_TYPE_PARTY_GROUP, absl::StrCat(code, "-G", g),
                                                 absl::StrCat(kCompounds[b], "第", g, "党小组")));
      (void)group;
    }
  }
  RETURN_IF_ERROR(
      l.Partner(huangjin, v1::PARTNER_KIND_RESIDENT_UNIT, "hj-school", "金山桥小学", "王老师", "0731-00000001"));
  RETURN_IF_ERROR(
      l.Partner(huangjin, v1::PARTNER_KIND_PAIRED_UNIT, "hj-bureau", "区住建局机关党支部", "李科长", "0731-00000002"));
  RETURN_IF_ERROR(
      l.Partner(huangjin, v1::PARTNER_KIND_RESIDENT_UNIT, "hj-property", "金山物业公司", "赵经理", "0731-00000003"));

  // 铁西街道: a street working committee over 3 community branches.
  ASSIGN_OR_RETURN(std::string tiexi,
                   l.Unit(district, T::ORG_UNIT_TYPE_STREET_WORKING_COMMITTEE, "SF-TX", "铁西街道党工委"));
  static const char* kTiexi[] = {"铁西第一社区党支部", "铁西第二社区党支部", "铁西第三社区党支部"};
  for (int b = 0; b < 3; ++b) {
    ASSIGN_OR_RETURN(std::string branch,
                     l.Unit(tiexi, T::ORG_UNIT_TYPE_BRANCH, absl::StrCat("SF-TX-B0", b + 1), kTiexi[b]));
    tree.tiexi_branches.push_back(branch);
  }

  // 青山街道 / 西湖新村: building party groups by residence.
  ASSIGN_OR_RETURN(std::string qingshan,
                   l.Unit(district, T::ORG_UNIT_TYPE_STREET_WORKING_COMMITTEE, "SF-QS", "青山街道党工委"));
  ASSIGN_OR_RETURN(std::string xihu,
                   l.Unit(qingshan, T::ORG_UNIT_TYPE_GENERAL_BRANCH, "SF-QS-XH", "西湖新村社区党总支"));
  ASSIGN_OR_RETURN(std::string xihu_branch, l.Unit(xihu, T::ORG_UNIT_TYPE_BRANCH, "SF-QS-XH-B01", "西湖新村党支部"));
  ASSIGN_OR_RETURN(std::string xihu_compound,
                   l.Place(xihu, "", v1::PLACE_KIND_COMPOUND, "xh-c", "西湖新村小区", "石鼓区青山街道"));
  RETURN_IF_ERROR(l.Cover(xihu_branch, {xihu_compound}));
  std::vector<std::string> buildings;
  for (int b = 1; b <= 8; ++b) {
    ASSIGN_OR_RETURN(std::string building, l.Place(xihu, xihu_compound, v1::PLACE_KIND_BUILDING,
                                                   absl::StrCat("xh-b", b), absl::StrCat("西湖新村", b, "栋"), ""));
    for (int s = 1; s <= 2; ++s) {
      ASSIGN_OR_RETURN(std::string stair, l.Place(xihu, building, v1::PLACE_KIND_STAIRWELL,
                                                  absl::StrCat("xh-b", b, "-u", s), absl::StrCat(s, "单元"), ""));
      tree.xihu_stairwells.push_back(stair);
    }
    buildings.push_back(building);
  }
  tree.xihu = xihu;
  tree.xihu_branch = xihu_branch;
  tree.xihu_buildings = buildings;
  // Each group will cover two neighbouring buildings, once their resident
  // members are on file (demo_people.cc).
  for (int g = 0; g < 4; ++g) {
    ASSIGN_OR_RETURN(std::string group,
                     l.Unit(xihu_branch, T::ORG_UNIT_TYPE_BUILDING_PARTY_GROUP, absl::StrCat("SF-QS-XH-L0", g + 1),
                            absl::StrCat("西湖新村", 2 * g + 1, "-", 2 * g + 2, "栋楼栋党小组")));
    tree.xihu_groups.push_back(group);
  }

  // 区直机关: where employed members living in 黄金 keep their relation (双报到).
  ASSIGN_OR_RETURN(std::string organs, l.Unit(district, T::ORG_UNIT_TYPE_GENERAL_BRANCH, "SF-ZJ", "区直机关党总支"));
  static const char* kOrgans[] = {"区住建局机关党支部", "区教育局机关党支部", "区卫健局机关党支部"};
  for (int b = 0; b < 3; ++b) {
    ASSIGN_OR_RETURN(std::string branch,
                     l.Unit(organs, T::ORG_UNIT_TYPE_BRANCH, absl::StrCat("SF-ZJ-B0", b + 1), kOrgans[b]));
    tree.organ_branches.push_back(branch);
  }
  return tree;
}

}  // namespace lianxin::demo
