// The demo district's requests (docs/domain.md "Requests"): the categories residents order by,
// with their time limits; the year's public holidays; and at 西湖新村 a few
// requests at each stage of their life — waiting, open for grabbing,
// dispatched, being worked, resolved and rated — and the months before, from
// its ledger.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/auth.h"
#include "common/client.h"
#include "common/status.h"
#include "common/timestamps.h"
#include "deploy/demo/demo.h"

namespace lianxin::demo {
namespace {

namespace dv1 = ::lianxin::dispatch::v1;

struct CategorySpec {
  const char* code;
  const char* name;
  int hours, working_days;
  std::vector<std::string> skills;
  bool grabbable;
};

template <typename F>
absl::Status Call(const std::string& token, F rpc) {
  grpc::ClientContext ctx;
  PrepareClientContext(&ctx, token, "", absl::Seconds(30));
  return FromGrpcStatus(rpc(&ctx));
}

// 西湖新村's ledger of the five months before (seed 004: 100+ requests
// collected, 60+ dispatched, 80+ served): 96 served requests, one every day
// or two, over every category and building — 64 dispatched, 24 grabbed, 8
// handed to a department, one in nine escalated. Times count back from today;
// the ledger numbers stay, so loading again imports nothing.
absl::Status ImportXihuLedger(dv1::DispatchService::Stub& dispatch, const std::string& token, const Tree& tree,
                              const std::vector<std::string>& xihu_members, Summary& summary) {
  struct Kind {
    const char* code;
    const char* text;
  };
  static const Kind kDispatched[] = {
      {"hardship", "独居老人需要代购药品"}, {"dispute", "楼上漏水引发邻里纠纷"},
      {"noise", "广场舞音响太吵"},          {"repair", "楼道灯不亮"},
      {"policy", "咨询退休手续办理"},       {"illegal-building", "一楼私搭棚子"},
      {"sanitation", "垃圾站清运不及时"},   {"other", "小区路面积水"},
  };
  static const Kind kGrabbed[] = {
      {"repair", "水龙头漏水"},
      {"policy", "咨询医保异地备案"},
      {"residence-permit", "居住证续签"},
      {"sanitation", "楼道堆放杂物清理"},
  };
  static const char* kDepartments[] = {"区住建局", "区城管局", "街道综治中心"};
  dv1::ImportLedgerRequest req;
  req.set_community(tree.xihu);
  const absl::Time now = absl::Now();
  for (int i = 0; i < 96; ++i) {
    auto* e = req.add_entries();
    e->set_ledger_id(absl::StrFormat("xh-ledger-%03d", i + 1));
    const int route = i % 12;  // 0-7 dispatched, 8-10 grabbed, 11 handed off
    const Kind& kind =
        route >= 8 && route <= 10 ? kGrabbed[i % std::size(kGrabbed)] : kDispatched[i % std::size(kDispatched)];
    e->set_category(absl::StrCat(tree.district, "/categories/", kind.code));
    e->set_description(kind.text);
    const size_t building = static_cast<size_t>(i) % tree.xihu_buildings.size();
    e->set_place(tree.xihu_buildings.at(building));
    e->set_urgency(i % 7 == 3 ? dv1::URGENCY_URGENT : dv1::URGENCY_NORMAL);
    const absl::Time submitted = now - absl::Hours(24 * (150 - i * 3 / 2)) - absl::Hours(i % 9);
    SetTimestampUs(absl::ToUnixMicros(submitted), e->mutable_submit_time());
    SetTimestampUs(absl::ToUnixMicros(submitted + absl::Hours(4 + (i * 7) % 44)), e->mutable_resolve_time());
    e->set_escalation_level(i % 9 == 4 ? 1 : 0);
    e->set_route(route < 8    ? dv1::LEDGER_ROUTE_DISPATCHED
                 : route < 11 ? dv1::LEDGER_ROUTE_GRABBED
                              : dv1::LEDGER_ROUTE_HANDED_OFF);
    if (route == 11) e->set_department(kDepartments[(i / 12) % std::size(kDepartments)]);
    e->set_member(xihu_members.at(building * 7 + static_cast<size_t>(i / 8) % 7));
    e->set_minutes_spent(20 + (i * 13) % 100);
    e->set_resolution("已办结，居民满意");
    if (i % 10 != 9) e->set_rating(i % 10 == 8 ? 4 : 5);
  }
  dv1::ImportLedgerResponse out;
  RETURN_IF_ERROR(Call(token, [&](grpc::ClientContext* ctx) { return dispatch.ImportLedger(ctx, req, &out); }));
  summary.ledger = out.requests_size();
  return absl::OkStatus();
}

}  // namespace

absl::Status LoadRequests(dv1::DispatchService::Stub& dispatch, const std::string& token, const SigningKey& signing_key,
                          const Tree& tree, const std::vector<std::string>& xihu_members, Summary& summary) {
  static const std::vector<CategorySpec> kCategories = {
      {"policy", "政策咨询", 0, 3, {"政策宣讲"}, true},
      {"sanitation", "环境卫生", 0, 2, {}, true},
      {"hardship", "困难需求", 24, 0, {}, false},
      {"dispute", "邻里纠纷", 0, 5, {"邻里调解", "法律咨询"}, false},
      {"noise", "噪音扰民", 48, 0, {"邻里调解"}, false},
      {"illegal-building", "违章搭建", 0, 10, {}, false},
      {"residence-permit", "居住证办理", 0, 5, {"政策宣讲"}, true},
      {"repair", "水电维修", 24, 0, {"水电维修", "家电维修"}, true},
      {"other", "其他", 0, 5, {}, true},
  };
  for (const auto& spec : kCategories) {
    dv1::CreateCategoryRequest req;
    req.set_parent(tree.district);
    req.set_category_id(spec.code);
    auto* c = req.mutable_category();
    c->set_display_name(spec.name);
    if (spec.hours > 0) c->set_limit_hours(spec.hours);
    if (spec.working_days > 0) c->set_limit_working_days(spec.working_days);
    for (const auto& s : spec.skills) c->add_skills(s);
    c->set_grabbable(spec.grabbable);
    dv1::Category out;
    RETURN_IF_ERROR(Call(token, [&](grpc::ClientContext* ctx) { return dispatch.CreateCategory(ctx, req, &out); }));
    summary.categories++;
  }

  // 2026's public holidays and make-up workdays (国务院办公厅关于2026年部分节假日
  // 安排的通知, 4 November 2025); operators add each year's with SetCalendarDays.
  dv1::SetCalendarDaysRequest cal;
  cal.set_parent(tree.district);
  auto days = [&](int month, int first, int last, dv1::DayKind kind, const char* label) {
    for (int d = first; d <= last; ++d) {
      auto* day = cal.add_days();
      day->set_date(absl::StrFormat("2026-%02d-%02d", month, d));
      day->set_kind(kind);
      day->set_label(label);
    }
  };
  const auto kOff = dv1::DAY_KIND_HOLIDAY, kOn = dv1::DAY_KIND_WORKDAY;
  days(1, 1, 3, kOff, "元旦");
  days(1, 4, 4, kOn, "元旦调休上班");
  days(2, 15, 23, kOff, "春节");
  days(2, 14, 14, kOn, "春节调休上班");
  days(2, 28, 28, kOn, "春节调休上班");
  days(4, 4, 6, kOff, "清明节");
  days(5, 1, 5, kOff, "劳动节");
  days(5, 9, 9, kOn, "劳动节调休上班");
  days(6, 19, 21, kOff, "端午节");
  days(9, 25, 27, kOff, "中秋节");
  days(9, 20, 20, kOn, "国庆节调休上班");
  days(10, 1, 7, kOff, "国庆节");
  days(10, 10, 10, kOn, "国庆节调休上班");
  auto* new_year = cal.add_days();
  new_year->set_date("2027-01-01");
  new_year->set_kind(kOff);
  new_year->set_label("元旦");
  dv1::SetCalendarDaysResponse set;
  RETURN_IF_ERROR(Call(token, [&](grpc::ClientContext* ctx) { return dispatch.SetCalendarDays(ctx, cal, &set); }));

  // 西湖新村: requests at every stage. Each resident submits once (request ids),
  // and each step is taken only if the request is still before it.
  struct Slip {
    const char* category;
    const char* text;
    int building;
    const char* stage;  // "pending", "offered", "dispatched", "working", "closed"
  };
  static const Slip kSlips[] = {
      {"repair", "3单元楼道灯不亮", 0, "closed"},         {"sanitation", "小区垃圾站清运不及时", 1, "offered"},
      {"hardship", "独居老人需要买菜送药", 2, "working"}, {"noise", "楼上夜间装修噪音", 3, "dispatched"},
      {"policy", "咨询医保异地备案", 4, "pending"},       {"dispute", "楼道堆放杂物引发邻里矛盾", 6, "pending"},
  };
  ASSIGN_OR_RETURN(
      std::string leader,
      MintToken(signing_key, {"demo-group-leader", {kRoleSecretary}, tree.xihu, "lianxin", absl::Minutes(10)}));
  for (size_t i = 0; i < std::size(kSlips); ++i) {
    const Slip& s = kSlips[i];
    ASSIGN_OR_RETURN(
        std::string resident,
        MintToken(
            signing_key,
            {absl::StrCat("demo-xh-resident-", i + 1), {kRoleResident}, tree.district, "lianxin", absl::Minutes(10)}));
    dv1::SubmitRequestRequest req;
    req.set_request_id(absl::StrCat("demo-request-", i + 1));
    auto* r = req.mutable_request();
    r->set_category(absl::StrCat(tree.district, "/categories/", s.category));
    r->set_description(s.text);
    r->set_place(tree.xihu_buildings[static_cast<size_t>(s.building)]);
    r->set_contact_phone(absl::StrCat("1390731", 1000 + i));
    r->set_urgency(i == 2 ? dv1::URGENCY_URGENT : dv1::URGENCY_NORMAL);
    req.set_allow_duplicate(true);
    dv1::Request out;
    RETURN_IF_ERROR(Call(resident, [&](grpc::ClientContext* ctx) { return dispatch.SubmitRequest(ctx, req, &out); }));
    summary.requests++;
    const std::string stage = s.stage;
    const std::string& member = xihu_members[static_cast<size_t>(s.building) * 7];
    ASSIGN_OR_RETURN(std::string member_token,
                     MintToken(signing_key, {member, {kRoleMember}, tree.xihu, "lianxin", absl::Minutes(10)}));
    if (stage == "offered" && out.state() == dv1::REQUEST_STATE_PENDING) {
      dv1::OpenForGrabRequest open;
      open.set_name(out.name());
      RETURN_IF_ERROR(Call(leader, [&](grpc::ClientContext* ctx) { return dispatch.OpenForGrab(ctx, open, &out); }));
    }
    if ((stage == "dispatched" || stage == "working" || stage == "closed") &&
        out.state() == dv1::REQUEST_STATE_PENDING) {
      dv1::DispatchRequestRequest d;
      d.set_name(out.name());
      d.set_member(member);
      RETURN_IF_ERROR(Call(leader, [&](grpc::ClientContext* ctx) { return dispatch.DispatchRequest(ctx, d, &out); }));
    }
    if ((stage == "working" || stage == "closed") && out.state() == dv1::REQUEST_STATE_DISPATCHED) {
      dv1::AcceptRequestRequest a;
      a.set_name(out.name());
      RETURN_IF_ERROR(
          Call(member_token, [&](grpc::ClientContext* ctx) { return dispatch.AcceptRequest(ctx, a, &out); }));
    }
    if (stage == "closed" && out.state() == dv1::REQUEST_STATE_IN_PROGRESS) {
      dv1::ResolveRequestRequest res;
      res.set_name(out.name());
      res.set_resolution("已上门更换楼道灯泡");
      res.set_minutes_spent(40);
      RETURN_IF_ERROR(
          Call(member_token, [&](grpc::ClientContext* ctx) { return dispatch.ResolveRequest(ctx, res, &out); }));
    }
    if (stage == "closed" && out.state() == dv1::REQUEST_STATE_RESOLVED) {
      dv1::ConfirmRequestRequest conf;
      conf.set_name(out.name());
      conf.set_rating(5);
      conf.set_comment("党员同志来得很及时");
      RETURN_IF_ERROR(
          Call(resident, [&](grpc::ClientContext* ctx) { return dispatch.ConfirmRequest(ctx, conf, &out); }));
    }
  }
  return ImportXihuLedger(dispatch, token, tree, xihu_members, summary);
}

}  // namespace lianxin::demo
