// AppraisalLogic: democratic appraisal rounds (appraisalRounds/{id}) —
// self-assessment, peer assessment, votes, and the grades the branch meeting
// decided, kept per member year by year.
#include <set>

#include "absl/strings/str_cat.h"
#include "common/auth.h"
#include "common/history.h"
#include "common/idempotency.h"
#include "common/ids.h"
#include "common/names.h"
#include "common/status.h"
#include "common/timestamps.h"
#include "common/validate.h"
#include "services/activity/activity_logic.h"
#include "services/activity/activity_store.h"
#include "services/activity/appraisal_logic.h"
#include "services/activity/rules.h"

namespace lianxin::activity {
namespace {

inline constexpr Collection kRounds{"appraisalRounds", "lianxin.activity.v1.AppraisalRound"};

v1::AppraisalRound RoundProto(const store::RoundRecord& r) {
  v1::AppraisalRound p;
  p.set_name(kRounds.Name(r.id));
  p.set_org_unit(kOrgUnits.Name(r.unit_id));
  p.set_year(r.year);
  p.set_stage(static_cast<v1::AppraisalStage>(r.stage));
  p.set_member_count(r.member_count);
  if (!r.decided_at.empty()) p.set_decided_at(kActivities.Name(r.decided_at));
  SetTimestampUs(r.created_us, p.mutable_create_time());
  SetTimestampUs(r.updated_us, p.mutable_update_time());
  p.set_etag(EtagOf(r.version));
  return p;
}

v1::MemberAppraisal AppraiseeProto(const store::RoundRecord& round, const store::AppraiseeRecord& m) {
  v1::MemberAppraisal p;
  p.set_name(absl::StrCat(kRounds.Name(round.id), "/members/", m.member_id));
  p.set_member(kMembers.Name(m.member_id));
  p.set_display_name(m.display_name);
  p.set_year(round.year);
  p.set_org_unit(kOrgUnits.Name(round.unit_id));
  if (!m.self_text.empty()) p.set_self_assessment(m.self_text);
  if (m.grade != 0) p.set_grade(static_cast<v1::AppraisalGrade>(m.grade));
  return p;
}

absl::Status WrongStage(const std::string& field, const char* what) {
  return FieldStatus(absl::StatusCode::kFailedPrecondition, field, what, "WRONG_STAGE");
}

bool ValidGrade(int g) { return g >= v1::APPRAISAL_GRADE_EXCELLENT && g <= v1::APPRAISAL_GRADE_UNQUALIFIED; }

}  // namespace

absl::StatusOr<store::RoundRecord> AppraisalLogic::LoadRound(Db& db, const CallContext& c, const std::string& name,
                                                             const std::string& field, bool staff, bool for_update) {
  ASSIGN_OR_RETURN(std::string id, kRounds.Parse(name, field));
  ASSIGN_OR_RETURN(auto round, store::GetRound(db, id, for_update));
  if (!round.has_value()) return MissingIn(c.principal.IsPlatformWide(), kRounds, id, field);
  const bool over = IsStaff(c) && c.principal.CoversPath(round->unit_path) &&
                    (!staff || c.principal.HasAnyRole({kRoleOperator, kRoleSecretary}));
  if (over) return *std::move(round);
  if (!staff && c.principal.HasRole(kRoleMember)) {
    ASSIGN_OR_RETURN(auto mine, store::GetAppraisee(db, id, CallerMemberId(c), false));
    if (mine.has_value()) return *std::move(round);
  }
  return MissingIn(false, kRounds, id, field);
}

absl::Status AppraisalLogic::CreateAppraisalRound(const CallContext& c, const v1::CreateAppraisalRoundRequest& req,
                                                  v1::AppraisalRound* out) {
  Validator v;
  std::string unit_id = v.Name("parent", req.parent(), kOrgUnits);
  v.RequestId(req.request_id());
  const int this_year = static_cast<int>(BeijingDay(clock_.Now()).year());
  const int year = req.year() == 0 ? this_year : req.year();
  v.Check(year >= 2000 && year <= this_year, "year", "must be a year from 2000 to this year");
  RETURN_IF_ERROR(v.status());
  if (!IsStaff(c) || !c.principal.HasAnyRole({kRoleOperator, kRoleSecretary})) {
    return WithReason(absl::PermissionDeniedError("a branch's secretaries open its appraisal"), "ROLE_REQUIRED");
  }
  absl::StatusOr<Unit> unit = dirs_.UnitOf(c, unit_id, "parent");
  if (!unit.ok() || !c.principal.CoversPath(unit->path)) {
    return absl::IsUnavailable(unit.status()) ? unit.status() : OutsideSubtree(req.parent(), "parent");
  }
  if (unit->type != org::v1::ORG_UNIT_TYPE_BRANCH && unit->type != org::v1::ORG_UNIT_TYPE_GENERAL_BRANCH) {
    return FieldStatus(absl::StatusCode::kFailedPrecondition, "parent", "a branch appraises its members",
                       "WRONG_HOST_UNIT");
  }
  ASSIGN_OR_RETURN(std::vector<Person> members, dirs_.Members(c, unit_id, false));
  const int64_t now = NowUs();
  return CreateOnce(
      db_, c, req.request_id(), "CreateAppraisalRound", now,
      [&](Db& db, const std::string& name) -> absl::StatusOr<bool> {
        ASSIGN_OR_RETURN(auto r, store::GetRound(db, kRounds.IdOf(name), false));
        if (!r.has_value()) return false;
        *out = RoundProto(*r);
        return true;
      },
      [&](Db& db, RememberCreated remember) -> absl::Status {
        ASSIGN_OR_RETURN(auto existing, store::RoundOf(db, unit_id, year));
        if (existing.has_value()) {
          return FieldStatus(absl::StatusCode::kAlreadyExists, "year",
                             absl::StrCat("the branch's ", year, " round is ", kRounds.Name(existing->id)),
                             "ROUND_EXISTS");
        }
        store::RoundRecord r;
        r.id = NewId();
        r.district_id = unit->district_id;
        r.unit_id = unit_id;
        r.unit_path = unit->path;
        r.year = year;
        r.stage = v1::APPRAISAL_STAGE_SELF_ASSESSMENT;
        r.created_us = r.updated_us = now;
        RETURN_IF_ERROR(remember(r.district_id, kRounds.Name(r.id)));
        RETURN_IF_ERROR(store::InsertRound(db, r));
        std::vector<store::AppraiseeRecord> rows;
        for (const Person& p : members) rows.push_back({r.id, p.member_id, p.display_name, p.full, "", 0});
        RETURN_IF_ERROR(store::InsertAppraisees(db, rows));
        r.member_count = static_cast<int>(rows.size());
        ChangeSet changes;
        changes.Set("year", absl::StrCat(year));
        changes.Set("members", absl::StrCat(rows.size()));
        RETURN_IF_ERROR(
            RecordHistory(db, c, {r.district_id, kOrgUnits.Name(unit_id), kRounds.Name(r.id), "create", changes}, now));
        *out = RoundProto(r);
        return absl::OkStatus();
      });
}

absl::Status AppraisalLogic::GetAppraisalRound(const CallContext& c, const v1::GetAppraisalRoundRequest& req,
                                               v1::AppraisalRound* out) {
  return db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(store::RoundRecord r, LoadRound(db, c, req.name(), "name", false, false));
    *out = RoundProto(r);
    return absl::OkStatus();
  });
}

absl::Status AppraisalLogic::AdvanceAppraisalRound(const CallContext& c, const v1::AdvanceAppraisalRoundRequest& req,
                                                   v1::AppraisalRound* out) {
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(store::RoundRecord r, LoadRound(db, c, req.name(), "name", true, true));
    RETURN_IF_ERROR(CheckEtag("etag", req.etag(), r.version));
    if (r.stage >= v1::APPRAISAL_STAGE_VOTING) {
      return WrongStage("name", "after the votes, the branch meeting decides (DecideAppraisal)");
    }
    const int before = r.stage;
    ++r.stage;
    ChangeSet changes;
    changes.Changed("stage", v1::AppraisalStage_Name(static_cast<v1::AppraisalStage>(before)),
                    v1::AppraisalStage_Name(static_cast<v1::AppraisalStage>(r.stage)));
    RETURN_IF_ERROR(SaveChange(db, c, NowUs(), r, store::UpdateRound,
                               {r.district_id, kOrgUnits.Name(r.unit_id), req.name(), "advance", changes}));
    *out = RoundProto(r);
    return absl::OkStatus();
  });
}

absl::Status AppraisalLogic::SubmitAssessment(const CallContext& c, const v1::SubmitAssessmentRequest& req,
                                              v1::MemberAppraisal* out) {
  Validator v;
  v.Name("round", req.round(), kRounds);
  std::string about = v.Name("member", req.member(), kMembers);
  v.LongText("text", req.text(), 2000);
  v.Check(!req.text().empty(), "text", "must not be empty");
  RETURN_IF_ERROR(v.status());
  const std::string author = CallerMemberId(c);
  if (author.empty() || !c.principal.HasRole(kRoleMember)) {
    return WithReason(absl::PermissionDeniedError("members write their assessments themselves"), "NOT_YOURSELF");
  }
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(store::RoundRecord r, LoadRound(db, c, req.round(), "round", false, false));
    ASSIGN_OR_RETURN(auto subject, store::GetAppraisee(db, r.id, about, true));
    if (!subject.has_value()) {
      return FieldStatus(absl::StatusCode::kFailedPrecondition, "member", "not a member of this round", "NOT_IN_ROUND");
    }
    if (about == author) {
      if (r.stage != v1::APPRAISAL_STAGE_SELF_ASSESSMENT) return WrongStage("round", "self-assessment is over");
      RETURN_IF_ERROR(store::SetSelfText(db, r.id, about, req.text()));
      subject->self_text = req.text();
    } else {
      if (r.stage != v1::APPRAISAL_STAGE_PEER_ASSESSMENT) {
        return WrongStage("round", "members write of each other in the peer-assessment stage");
      }
      RETURN_IF_ERROR(store::PutNote(db, r.id, about, author, req.text()));
    }
    *out = AppraiseeProto(r, *subject);
    if (about != author) out->add_peer_assessments()->set_text(req.text());
    return absl::OkStatus();
  });
}

absl::Status AppraisalLogic::CastAppraisalVotes(const CallContext& c, const v1::CastAppraisalVotesRequest& req,
                                                v1::CastAppraisalVotesResponse* out) {
  Validator v;
  v.Name("round", req.round(), kRounds);
  v.Check(req.votes_size() >= 1 && req.votes_size() <= 500, "votes", "1-500 votes");
  std::set<std::string> named;
  for (int i = 0; i < req.votes_size(); ++i) {
    const std::string f = absl::StrCat("votes[", i, "]");
    std::string id = v.Name(f + ".member", req.votes(i).member(), kMembers);
    if (!id.empty() && !named.insert(id).second) v.Add(f + ".member", "named twice");
    v.Check(ValidGrade(req.votes(i).grade()), f + ".grade", "must be one of the four grades");
  }
  RETURN_IF_ERROR(v.status());
  const std::string voter = CallerMemberId(c);
  if (voter.empty() || !c.principal.HasRole(kRoleMember)) {
    return WithReason(absl::PermissionDeniedError("members vote themselves"), "NOT_YOURSELF");
  }
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(store::RoundRecord r, LoadRound(db, c, req.round(), "round", false, false));
    if (r.stage != v1::APPRAISAL_STAGE_VOTING) return WrongStage("round", "the round is not at its vote");
    ASSIGN_OR_RETURN(auto me, store::GetAppraisee(db, r.id, voter, false));
    if (!me.has_value() || !me->voting) {
      return WithReason(absl::PermissionDeniedError("full members of the branch vote; probationary members do not"),
                        "NOT_A_VOTER");
    }
    for (int i = 0; i < req.votes_size(); ++i) {
      const std::string about = kMembers.IdOf(req.votes(i).member());
      ASSIGN_OR_RETURN(auto subject, store::GetAppraisee(db, r.id, about, false));
      if (!subject.has_value()) {
        return FieldStatus(absl::StatusCode::kFailedPrecondition, absl::StrCat("votes[", i, "].member"),
                           "not a member of this round", "NOT_IN_ROUND");
      }
      RETURN_IF_ERROR(store::PutVote(db, r.id, about, voter, req.votes(i).grade()));
    }
    out->set_votes(req.votes_size());
    return absl::OkStatus();
  });
}

absl::Status AppraisalLogic::DecideAppraisal(const CallContext& c, const v1::DecideAppraisalRequest& req,
                                             v1::AppraisalRound* out) {
  Validator v;
  v.Name("round", req.round(), kRounds);
  std::string meeting = v.Name("meeting", req.meeting(), kActivities);
  std::map<std::string, int> grades;
  for (int i = 0; i < req.grades_size(); ++i) {
    const std::string f = absl::StrCat("grades[", i, "]");
    std::string id = v.Name(f + ".member", req.grades(i).member(), kMembers);
    if (!id.empty() && grades.count(id)) v.Add(f + ".member", "named twice");
    v.Check(ValidGrade(req.grades(i).grade()), f + ".grade", "must be one of the four grades");
    grades[id] = req.grades(i).grade();
  }
  RETURN_IF_ERROR(v.status());
  return db_.Transact([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(store::RoundRecord r, LoadRound(db, c, req.round(), "round", true, true));
    RETURN_IF_ERROR(CheckEtag("etag", req.etag(), r.version));
    if (r.stage != v1::APPRAISAL_STAGE_VOTING) return WrongStage("round", "the round is decided after its vote");
    ASSIGN_OR_RETURN(auto m, store::GetActivity(db, meeting));
    if (!m.has_value() || m->type != v1::ACTIVITY_TYPE_MEMBER_MEETING || m->host_unit_id != r.unit_id ||
        m->state != v1::ACTIVITY_STATE_HELD || !m->valid || m->start_date.substr(0, 4) != absl::StrCat(r.year)) {
      return FieldStatus(absl::StatusCode::kFailedPrecondition, "meeting",
                         "must be a held, valid member meeting of the branch in the round's year", "NOT_THE_MEETING");
    }
    ASSIGN_OR_RETURN(auto members, store::ListAppraisees(db, r.id, "", 100000));
    std::set<std::string> in_round;
    for (const auto& a : members) in_round.insert(a.member_id);
    for (const auto& [id, grade] : grades) {
      if (!in_round.count(id)) {
        return FieldStatus(absl::StatusCode::kFailedPrecondition, "grades",
                           absl::StrCat("members/", id, " is not in the round"), "NOT_IN_ROUND");
      }
    }
    if (grades.size() != in_round.size()) {
      return FieldStatus(absl::StatusCode::kFailedPrecondition, "grades",
                         absl::StrCat("give a grade to each of the ", in_round.size(), " members"), "GRADES_MISSING");
    }
    for (const auto& [id, grade] : grades) RETURN_IF_ERROR(store::SetGrade(db, r.id, id, grade));
    r.stage = v1::APPRAISAL_STAGE_DECIDED;
    r.decided_at = meeting;
    ChangeSet changes;
    changes.Set("decided_at", req.meeting());
    changes.Set("grades", absl::StrCat(grades.size()));
    RETURN_IF_ERROR(SaveChange(db, c, NowUs(), r, store::UpdateRound,
                               {r.district_id, kOrgUnits.Name(r.unit_id), req.round(), "decide", changes}));
    *out = RoundProto(r);
    return absl::OkStatus();
  });
}

absl::Status AppraisalLogic::ListMemberAppraisals(const CallContext& c, const v1::ListMemberAppraisalsRequest& req,
                                                  v1::ListMemberAppraisalsResponse* out) {
  const std::string member = kMembers.IdOf(req.parent());
  if (!member.empty()) {
    // A member's grades, year by year: theirs, or staff over their branch.
    if (CallerMemberId(c) != member || !c.principal.HasRole(kRoleMember)) {
      if (!IsStaff(c)) return OutsideSubtree(req.parent(), "parent");
      ASSIGN_OR_RETURN(member::v1::Member m, dirs_.Member(c, req.parent(), "parent"));
      absl::StatusOr<Unit> branch = dirs_.UnitOf(c, kOrgUnits.IdOf(m.branch()), "parent");
      if (!branch.ok() || !c.principal.CoversPath(branch->path)) return OutsideSubtree(req.parent(), "parent");
    }
    return db_.Run([&](Db& db) -> absl::Status {
      ASSIGN_OR_RETURN(auto rows, store::DecidedFor(db, member));
      for (const auto& [round, m] : rows) *out->add_appraisals() = AppraiseeProto(round, m);
      return absl::OkStatus();
    });
  }
  Validator v;
  v.Name("parent", req.parent(), kRounds);
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(int size, PageSize(req.page_size(), 50, 500));
  const std::string fp = absl::StrCat("appraisees|", req.parent());
  ASSIGN_OR_RETURN(std::string after, tokens_.Decode(req.page_token(), fp));
  return db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(store::RoundRecord r, LoadRound(db, c, req.parent(), "parent", false, false));
    if (!(IsStaff(c) && c.principal.CoversPath(r.unit_path))) {
      // A member of the round sees their own entry, without who wrote what.
      ASSIGN_OR_RETURN(auto mine, store::GetAppraisee(db, r.id, CallerMemberId(c), false));
      if (mine.has_value() && after.empty()) *out->add_appraisals() = AppraiseeProto(r, *mine);
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(auto rows, store::ListAppraisees(db, r.id, after, size + 1));
    std::vector<std::string> ids;
    for (size_t i = 0; i < rows.size() && i < static_cast<size_t>(size); ++i) ids.push_back(rows[i].member_id);
    ASSIGN_OR_RETURN(auto notes, store::NotesOf(db, r.id, ids));
    ASSIGN_OR_RETURN(auto votes, store::VotesOf(db, r.id, ids));
    EmitPage(
        rows, size, tokens_, fp,
        [&](const auto& m) {
          v1::MemberAppraisal* p = out->add_appraisals();
          *p = AppraiseeProto(r, m);
          for (const auto& [author, text] : notes[m.member_id]) {
            auto* note = p->add_peer_assessments();
            note->set_author(kMembers.Name(author));
            note->set_text(text);
          }
          const auto& n = votes[m.member_id];
          p->set_votes_excellent(n[1]);
          p->set_votes_qualified(n[2]);
          p->set_votes_basically_qualified(n[3]);
          p->set_votes_unqualified(n[4]);
        },
        [](const auto& m) { return m.member_id; }, out->mutable_next_page_token());
    return absl::OkStatus();
  });
}

}  // namespace lianxin::activity
