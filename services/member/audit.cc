// MemberLogic: a member's history, and the disclosures auditors read.
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/history.h"
#include "common/names.h"
#include "common/status.h"
#include "common/timestamps.h"
#include "common/validate.h"
#include "services/member/member_logic.h"

namespace lianxin::member {

absl::Status MemberLogic::ListMemberEvents(const CallContext& c, const v1::ListMemberEventsRequest& req,
                                           v1::ListMemberEventsResponse* out) {
  Validator v;
  std::string id = v.Name("member", req.member(), kMembers);
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(int size, PageSize(req.page_size(), 100, 1000));
  std::string fp = absl::StrCat("member-events|", id);
  ASSIGN_OR_RETURN(std::string after, tokens_.Decode(req.page_token(), fp));
  int64_t after_seq = 0;
  if (!after.empty() && !absl::SimpleAtoi(after, &after_seq)) return FieldError("page_token", "is malformed");
  RETURN_IF_ERROR(LoadInScope(c, id, "member").status());
  std::vector<HistoryRecord> rows;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(rows, ListHistory(db, kMembers.Name(id), after_seq, size + 1));
    return absl::OkStatus();
  }));
  EmitPage(
      rows, size, tokens_, fp,
      [&](const HistoryRecord& e) {
        auto* pe = out->add_events();
        pe->set_id(e.id);
        pe->set_member(e.owner);
        pe->set_action(e.action);
        pe->set_actor(e.actor);
        SetTimestampUs(e.at_us, pe->mutable_time());
        pe->set_changes_json(e.changes);
        pe->set_request_id(e.request_id);
      },
      [](const HistoryRecord& e) { return absl::StrCat(e.seq); }, out->mutable_next_page_token());
  return absl::OkStatus();
}

absl::Status MemberLogic::ListDisclosures(const CallContext& c, const v1::ListDisclosuresRequest& req,
                                          v1::ListDisclosuresResponse* out) {
  if (!c.principal.HasRole(kRoleAuditor)) {
    return WithReason(absl::PermissionDeniedError("reading disclosures needs the auditor role"), "ROLE_REQUIRED");
  }
  Validator v;
  std::string member_id = v.Name("member", req.member(), kMembers, false);
  RETURN_IF_ERROR(v.status());
  ASSIGN_OR_RETURN(int size, PageSize(req.page_size(), 100, 1000));
  std::string fp = absl::StrCat("disclosures|", member_id);
  ASSIGN_OR_RETURN(std::string after, tokens_.Decode(req.page_token(), fp));
  int64_t after_seq = 0;
  if (!after.empty() && !absl::SimpleAtoi(after, &after_seq)) return FieldError("page_token", "is malformed");
  std::vector<std::string> branches;
  if (!member_id.empty()) {
    RETURN_IF_ERROR(LoadInScope(c, member_id, "member").status());
  } else if (!c.principal.IsPlatformWide()) {
    ASSIGN_OR_RETURN(branches, org_.MemberUnitsIn(c, c.principal.org_scope, "member"));
  }
  std::vector<store::DisclosureRecord> rows;
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(
        rows, store::ListDisclosures(db, member_id, branches, c.principal.IsPlatformWide(), after_seq, size + 1));
    return absl::OkStatus();
  }));
  EmitPage(
      rows, size, tokens_, fp,
      [&](const store::DisclosureRecord& d) {
        auto* pd = out->add_disclosures();
        pd->set_reader(d.reader);
        pd->set_member(kMembers.Name(d.member_id));
        pd->set_field(d.field);
        SetTimestampUs(d.at_us, pd->mutable_time());
        pd->set_request_id(d.request_id);
        pd->set_method(d.method);
      },
      [](const store::DisclosureRecord& d) { return absl::StrCat(d.seq); }, out->mutable_next_page_token());
  return absl::OkStatus();
}

}  // namespace lianxin::member
