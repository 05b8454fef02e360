// The demo district's organizational life (docs/domain.md "Organizational
// life", "Volunteer teams", "Party dues"): 学卫's branches hold a theme day on
// the 15th of each of the last eleven months, where the groups who come in
// person come, and each month study is delivered at home to the long-term ill;
// online study is offered to those away — half of whom never take part, the
// drifting members of seeds 000-002; 黄金's five lectures of its 悦智讲堂 with 1,300
// attendances (seed 003); 29 volunteer teams of 黄金's members, as many as
// 华锦 has (seed 002), with the service they recorded; and a year of 黄金's
// party dues, most paid, some behind, a few six months and more.
//
// Times count back from today; request ids stay, so loading again creates
// nothing.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/client.h"
#include "common/clock.h"
#include "common/status.h"
#include "common/timestamps.h"
#include "deploy/demo/demo.h"

namespace lianxin::demo {
namespace {

namespace av1 = ::lianxin::activity::v1;
namespace mv1 = ::lianxin::member::v1;

template <typename F>
absl::Status Call(const std::string& token, F rpc) {
  grpc::ClientContext ctx;
  PrepareClientContext(&ctx, token, "", absl::Seconds(30));
  return FromGrpcStatus(rpc(&ctx));
}

// Already so from an earlier load: not an error here.
absl::Status Again(absl::Status s) { return absl::IsAlreadyExists(s) ? absl::OkStatus() : s; }

class ActivityLoader {
 public:
  ActivityLoader(const std::shared_ptr<grpc::Channel>& channel, mv1::MemberService::Stub& members, std::string token,
                 Summary& summary)
      : activities_(av1::ActivityService::NewStub(channel)),
        teams_(av1::TeamService::NewStub(channel)),
        dues_(av1::DuesService::NewStub(channel)),
        members_(members),
        token_(std::move(token)),
        summary_(summary) {}

  // The members of a unit (a group's roster), or those registered with it.
  absl::StatusOr<std::vector<mv1::Member>> Roster(const std::string& unit, bool registered_here = false) {
    mv1::ListMembersRequest req;
    req.set_parent(unit);
    req.set_registered_here(registered_here);
    req.set_page_size(500);
    std::vector<mv1::Member> out;
    do {
      mv1::ListMembersResponse page;
      RETURN_IF_ERROR(Call(token_, [&](grpc::ClientContext* c) { return members_.ListMembers(c, req, &page); }));
      out.insert(out.end(), page.members().begin(), page.members().end());
      req.set_page_token(page.next_page_token());
    } while (!req.page_token().empty());
    return out;
  }

  // Plans, records who came and holds an activity, once per `key`.
  absl::Status Held(const std::string& key, const std::string& unit, av1::Activity a, absl::Time start, int minutes,
                    const std::vector<mv1::Member>& present) {
    SetTimestampUs(absl::ToUnixMicros(start), a.mutable_start_time());
    SetTimestampUs(absl::ToUnixMicros(start + absl::Minutes(minutes)), a.mutable_end_time());
    av1::CreateActivityRequest create;
    create.set_parent(unit);
    *create.mutable_activity() = std::move(a);
    create.set_request_id(key);
    av1::Activity made;
    RETURN_IF_ERROR(
        Call(token_, [&](grpc::ClientContext* c) { return activities_->CreateActivity(c, create, &made); }));
    ++summary_.activities;
    if (made.state() == av1::ACTIVITY_STATE_HELD) {
      summary_.attendances += made.present_count();
      return absl::OkStatus();
    }
    for (size_t i = 0; i < present.size(); i += 500) {
      av1::RecordAttendanceRequest record;
      record.set_activity(made.name());
      record.set_status(av1::ATTENDANCE_STATUS_PRESENT);
      for (size_t j = i; j < present.size() && j < i + 500; ++j) record.add_members(present[j].name());
      av1::RecordAttendanceResponse out;
      RETURN_IF_ERROR(
          Call(token_, [&](grpc::ClientContext* c) { return activities_->RecordAttendance(c, record, &out); }));
    }
    av1::HoldActivityRequest hold;
    hold.set_name(made.name());
    av1::Activity held;
    RETURN_IF_ERROR(Call(token_, [&](grpc::ClientContext* c) { return activities_->HoldActivity(c, hold, &held); }));
    summary_.attendances += held.present_count();
    return absl::OkStatus();
  }

  absl::StatusOr<std::string> Team(const std::string& key, const std::string& unit, const std::string& name,
                                   const std::vector<std::string>& skills, const std::string& leader) {
    av1::CreateVolunteerTeamRequest req;
    req.mutable_team()->set_org_unit(unit);
    req.mutable_team()->set_display_name(name);
    for (const auto& s : skills) req.mutable_team()->add_skills(s);
    req.mutable_team()->set_leader(leader);
    req.set_request_id(key);
    av1::VolunteerTeam out;
    RETURN_IF_ERROR(Call(token_, [&](grpc::ClientContext* c) { return teams_->CreateVolunteerTeam(c, req, &out); }));
    ++summary_.teams;
    return out.name();
  }

  absl::Status Join(const std::string& team, const std::string& member) {
    av1::AddTeamMemberRequest req;
    req.set_parent(team);
    req.set_member(member);
    av1::TeamMember out;
    return Again(Call(token_, [&](grpc::ClientContext* c) { return teams_->AddTeamMember(c, req, &out); }));
  }

  absl::Status Served(const std::string& key, const std::string& team, const std::vector<std::string>& members,
                      absl::CivilDay day, int minutes, const std::string& what) {
    av1::RecordServiceRequest req;
    req.mutable_record()->set_team(team);
    for (const auto& m : members) req.mutable_record()->add_members(m);
    req.mutable_record()->set_service_date(absl::FormatCivilTime(day));
    req.mutable_record()->set_minutes(minutes);
    req.mutable_record()->set_description(what);
    req.set_request_id(key);
    av1::ServiceRecord out;
    RETURN_IF_ERROR(Call(token_, [&](grpc::ClientContext* c) { return teams_->RecordService(c, req, &out); }));
    ++summary_.service_records;
    return absl::OkStatus();
  }

  absl::Status Assess(const std::string& member, const std::string& month, av1::DuesCategory category,
                      int64_t base_fen) {
    av1::SetDuesAssessmentRequest req;
    req.mutable_assessment()->set_name(absl::StrCat(member, "/duesAssessments/", month));
    req.mutable_assessment()->set_category(category);
    if (base_fen > 0) req.mutable_assessment()->set_base_pay_fen(base_fen);
    av1::DuesAssessment out;
    return Call(token_, [&](grpc::ClientContext* c) { return dues_->SetDuesAssessment(c, req, &out); });
  }

  absl::Status Pay(const std::string& key, const std::string& member, const std::vector<std::string>& months,
                   int64_t monthly_fen) {
    av1::RecordDuesPaymentRequest req;
    req.mutable_payment()->set_member(member);
    for (const auto& m : months) req.mutable_payment()->add_months(m);
    req.mutable_payment()->set_amount_fen(monthly_fen * static_cast<int64_t>(months.size()));
    req.mutable_payment()->set_method(av1::DUES_METHOD_ONLINE);
    req.set_request_id(key);
    av1::DuesPayment out;
    RETURN_IF_ERROR(Call(token_, [&](grpc::ClientContext* c) { return dues_->RecordDuesPayment(c, req, &out); }));
    ++summary_.dues_payments;
    return absl::OkStatus();
  }

  absl::Status Reason(const std::string& member, const std::string& reason) {
    av1::SetDuesReasonRequest req;
    req.set_name(member + "/duesStanding");
    req.set_reason(reason);
    av1::DuesStanding out;
    return Call(token_, [&](grpc::ClientContext* c) { return dues_->SetDuesReason(c, req, &out); });
  }

 private:
  std::unique_ptr<av1::ActivityService::Stub> activities_;
  std::unique_ptr<av1::TeamService::Stub> teams_;
  std::unique_ptr<av1::DuesService::Stub> dues_;
  mv1::MemberService::Stub& members_;
  std::string token_;
  Summary& summary_;
};

av1::Activity Planned(av1::ActivityType type, const std::string& title, const std::string& place) {
  av1::Activity a;
  a.set_type(type);
  a.set_title(title);
  a.set_place(place);
  return a;
}

// 09:00 Beijing time on `day`.
absl::Time Morning(absl::CivilDay day) { return absl::FromCivil(absl::CivilSecond(day) + 9 * 3600, BeijingTime()); }

std::string Key(const std::string& what, size_t i, absl::CivilMonth m) {
  return absl::StrFormat("demo-%s-%d-%04d%02d", what, i, m.year(), m.month());
}

absl::Status LoadXuewei(ActivityLoader& load, const Tree& tree, absl::CivilDay today) {
  static const char* kTopics[] = {"学习新修订的党章", "重温入党誓词", "学习身边的榜样"};
  const absl::CivilMonth month(today);
  for (size_t b = 0; b < tree.xuewei_branches.size(); ++b) {
    const std::string& branch = tree.xuewei_branches[b];
    ASSIGN_OR_RETURN(auto in_person, load.Roster(tree.xuewei_groups[b][0]));
    ASSIGN_OR_RETURN(auto ill, load.Roster(tree.xuewei_groups[b][1]));
    ASSIGN_OR_RETURN(auto away, load.Roster(tree.xuewei_groups[b][2]));
    // Each month: the theme day, and the same study brought home to the ill.
    for (int back = 11; back >= 1; --back) {
      const absl::CivilMonth m = month - back;
      const char* topic = kTopics[back % 3];
      RETURN_IF_ERROR(load.Held(Key("xw-theme", b, m), branch,
                                Planned(av1::ACTIVITY_TYPE_THEME_DAY, topic, "学卫社区党群服务中心"),
                                Morning(absl::CivilDay(m.year(), m.month(), 15)), 120, in_person));
      av1::Activity home = Planned(av1::ACTIVITY_TYPE_HOME_STUDY, absl::StrCat("送学上门：", topic), "党员家中");
      for (const auto& person : ill) home.add_delivered_to(person.name());
      if (!ill.empty()) {
        RETURN_IF_ERROR(
            load.Held(Key("xw-home", b, m), branch, home, Morning(absl::CivilDay(m.year(), m.month(), 20)), 60, ill));
      }
    }
    // Last month, online study for those away (half of whom take part).
    const absl::CivilMonth last = month - 1;
    std::vector<mv1::Member> online(away.begin(), away.begin() + static_cast<long>(away.size() / 2));
    RETURN_IF_ERROR(load.Held(Key("xw-online", b, last), branch,
                              Planned(av1::ACTIVITY_TYPE_ONLINE_STUDY, "线上学习：党章", "线上"),
                              Morning(absl::CivilDay(last.year(), last.month(), 22)) + absl::Hours(11), 60, online));
  }
  return absl::OkStatus();
}

// Everyone of 黄金: its own members and those registered with it.
absl::StatusOr<std::vector<mv1::Member>> HuangjinPeople(ActivityLoader& load, const Tree& tree) {
  ASSIGN_OR_RETURN(auto own, load.Roster(tree.huangjin));
  ASSIGN_OR_RETURN(auto registered, load.Roster(tree.huangjin, true));
  own.insert(own.end(), registered.begin(), registered.end());
  return own;
}

absl::Status LoadHuangjinLectures(ActivityLoader& load, const Tree& tree, const std::vector<mv1::Member>& people,
                                  absl::CivilDay today) {
  static const char* kLectures[] = {"悦智讲堂：社区治理共同体", "悦智讲堂：家风家教", "悦智讲堂：健康养老",
                                    "悦智讲堂：垃圾分类", "悦智讲堂：法律进社区"};
  const absl::CivilMonth month(today);
  for (size_t i = 0; i < 5; ++i) {
    const absl::CivilMonth m = month - static_cast<int>(5 - i);
    // 260 of them each time, a different few missing: 1,300 attendances.
    std::vector<mv1::Member> came;
    for (size_t j = 0; j < people.size() && came.size() < 260; ++j)
      came.push_back(people[(j + i * 29) % people.size()]);
    av1::Activity a = Planned(av1::ACTIVITY_TYPE_LECTURE, kLectures[i], "黄金社区新时代文明实践站");
    a.set_open(true);
    RETURN_IF_ERROR(load.Held(Key("hj-lecture", i, m), tree.huangjin, a,
                              Morning(absl::CivilDay(m.year(), m.month(), 10)) + absl::Hours(6), 90, came));
  }
  return absl::OkStatus();
}

absl::Status LoadHuangjinTeams(ActivityLoader& load, const Tree& tree, const std::vector<mv1::Member>& people,
                               absl::CivilDay today) {
  static const std::vector<std::pair<const char*, const char*>> kTeams = {{"银发先锋关爱队", "陪护"},
                                                                          {"理发志愿队", "理发"},
                                                                          {"水电维修队", "水电维修"},
                                                                          {"政策宣讲队", "政策宣讲"},
                                                                          {"法律咨询队", "法律咨询"},
                                                                          {"邻里调解队", "邻里调解"},
                                                                          {"文艺宣传队", "文艺"},
                                                                          {"广场舞队", "文艺"},
                                                                          {"书画队", "书画"},
                                                                          {"太极拳队", "健身指导"},
                                                                          {"义诊队", "健康咨询"},
                                                                          {"助餐队", "助餐"},
                                                                          {"垃圾分类督导队", "环境卫生"},
                                                                          {"环境清洁队", "环境卫生"},
                                                                          {"治安巡逻队", "巡逻"},
                                                                          {"消防宣传队", "消防宣传"},
                                                                          {"四点半课堂", "课业辅导"},
                                                                          {"家风家教宣讲队", "政策宣讲"},
                                                                          {"反诈宣传队", "反诈宣传"},
                                                                          {"心理疏导队", "心理疏导"},
                                                                          {"代购代办队", "代购代办"},
                                                                          {"助浴队", "陪护"},
                                                                          {"爱心缝补队", "缝补"},
                                                                          {"电器维修队", "家电维修"},
                                                                          {"手机教学队", "手机教学"},
                                                                          {"读书会", "读书"},
                                                                          {"文明劝导队", "文明劝导"},
                                                                          {"楼栋长服务队", "楼栋服务"},
                                                                          {"应急救援队", "应急救援"}};
  const absl::CivilMonth month(today);
  for (size_t t = 0; t < kTeams.size(); ++t) {
    // Seven members each, the first the leader, from 黄金's members in turn.
    std::vector<std::string> crew;
    for (size_t j = 0; j < 7; ++j) crew.push_back(people[(t * 7 + j) % people.size()].name());
    ASSIGN_OR_RETURN(std::string team, load.Team(absl::StrCat("demo-hj-team-", t), tree.huangjin, kTeams[t].first,
                                                 {kTeams[t].second}, crew[0]));
    for (size_t j = 1; j < crew.size(); ++j) RETURN_IF_ERROR(load.Join(team, crew[j]));
    for (int back = 2; back >= 1; --back) {
      const absl::CivilMonth m = month - back;
      std::vector<std::string> served(crew.begin(), crew.begin() + 3 + back);
      RETURN_IF_ERROR(load.Served(Key("hj-served", t, m), team, served,
                                  absl::CivilDay(m.year(), m.month(), 6 + static_cast<int>(t % 20)), 120,
                                  absl::StrCat(kTeams[t].first, "月度服务")));
    }
  }
  return absl::OkStatus();
}

// From January: most have paid every month that ended, a quarter at a time;
// one in twenty is three months behind, one in twenty has paid nothing for
// seven (one in forty with a reason recorded).
absl::Status LoadHuangjinDues(ActivityLoader& load, const std::vector<mv1::Member>& people, absl::CivilDay today) {
  const absl::CivilMonth month(today);
  const absl::CivilMonth january(month.year(), 1);
  auto text = [](absl::CivilMonth m) { return absl::StrFormat("%04d-%02d", m.year(), m.month()); };
  for (size_t i = 0; i < people.size(); ++i) {
    const mv1::Member& m = people[i];
    av1::DuesCategory category = av1::DUES_CATEGORY_RETIRED;
    int64_t base = 300000 + static_cast<int64_t>(i % 7) * 50000;  // pensions of 3,000-6,000 yuan
    int64_t monthly = base <= 500000 ? (base * 50 + 5000) / 10000 : (base * 100 + 5000) / 10000;
    for (int c : m.categories()) {
      if (c == mv1::CATEGORY_EMPLOYED || c == mv1::CATEGORY_MOBILE) {
        category = av1::DUES_CATEGORY_EMPLOYED;
        base = 400000 + static_cast<int64_t>(i % 9) * 100000;  // 4,000-12,000 yuan
        const int bp = base <= 500000 ? 100 : base <= 1000000 ? 150 : 200;
        monthly = (base * bp + 5000) / 10000;
      }
    }
    RETURN_IF_ERROR(load.Assess(m.name(), text(january), category, base));
    const absl::CivilMonth paid_to = month - 1 - (i % 20 == 7 ? 7 : i % 20 == 13 ? 3 : 0);
    for (absl::CivilMonth q = january; q <= paid_to; q += 3) {
      std::vector<std::string> months;
      for (absl::CivilMonth k = q; k < q + 3 && k <= paid_to; ++k) months.push_back(text(k));
      RETURN_IF_ERROR(load.Pay(absl::StrCat("demo-hj-dues-", i, "-", text(q)), m.name(), months, monthly));
    }
    if (i % 40 == 7) RETURN_IF_ERROR(load.Reason(m.name(), "长期住院治疗，家属已说明情况"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status LoadActivity(const std::shared_ptr<grpc::Channel>& activity, mv1::MemberService::Stub& members,
                          const std::string& token, const Tree& tree, Summary& summary) {
  ActivityLoader load(activity, members, token, summary);
  const absl::CivilDay today = BeijingDay(absl::Now());
  RETURN_IF_ERROR(LoadXuewei(load, tree, today));
  ASSIGN_OR_RETURN(std::vector<mv1::Member> people, HuangjinPeople(load, tree));
  if (people.empty()) return absl::FailedPreconditionError("黄金 has no members to load activities for");
  RETURN_IF_ERROR(LoadHuangjinLectures(load, tree, people, today));
  RETURN_IF_ERROR(LoadHuangjinTeams(load, tree, people, today));
  RETURN_IF_ERROR(LoadHuangjinDues(load, people, today));
  summary.dues_members = static_cast<int>(people.size());
  return absl::OkStatus();
}

}  // namespace lianxin::demo
