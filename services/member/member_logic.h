// The member service's rules (docs/domain.md "Members"): one method per RPC, named
// as the RPC. No gRPC, no SQL: the organization service is reached through
// OrgDirectory, the database through member_store.h.
//
// Access: a member lies in a caller's subtree when the member's branch does.
// Reads need any role in scope; changes need operator or secretary; personal
// values in clear (reveal) need operator or secretary and are recorded as
// disclosures, listable by auditors.
#ifndef LIANXIN_SERVICES_MEMBER_MEMBER_LOGIC_H_
#define LIANXIN_SERVICES_MEMBER_MEMBER_LOGIC_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "common/call_context.h"
#include "common/changes.h"
#include "common/clock.h"
#include "common/crypto.h"
#include "common/db.h"
#include "common/history.h"
#include "common/page_token.h"
#include "lianxin/member/v1/member_service.pb.h"
#include "lianxin/member/v1/registration.pb.h"
#include "lianxin/member/v1/transfer.pb.h"
#include "services/member/member_store.h"
#include "services/member/org_directory.h"

namespace lianxin::member {

namespace v1 = ::lianxin::member::v1;

// One bulk import in progress, across its batches.
struct ImportState {
  v1::ImportOptions options;
  // The caller's reach, checked once per branch.
  absl::flat_hash_map<std::string, absl::StatusOr<UnitInfo>> branches;
  // National-ID index → the row that brought it, to catch repeats in a file.
  absl::flat_hash_map<std::string, int> seen;
  // all_or_nothing: what FinishImport writes.
  std::vector<store::MemberRecord> pending;
  std::vector<HistoryEntry> pending_events;
  v1::ImportMembersResponse report;  // progress so far, problems, and at the end done/committed
};

class MemberLogic {
 public:
  MemberLogic(DbPool& db, const PageTokens& tokens, const FieldCipher& cipher, OrgDirectory& org,
              const Clock& clock = SystemClock::Get())
      : db_(db), tokens_(tokens), cipher_(cipher), org_(org), clock_(clock) {}

  // How many days a transfer within the platform stays valid (docs/domain.md: a
  // set number of days, at most 3 months).
  void set_transfer_valid_days(int days) { transfer_valid_days_ = days; }
  // The rows one ImportMembers stream may carry (all_or_nothing keeps them in
  // memory until the end); past it the stream stops, RESOURCE_EXHAUSTED.
  void set_import_max_rows(int rows) { import_max_rows_ = rows; }
  // How many ID numbers a caller may match against members outside its
  // subtree in a day (identity_matches.cc).
  void set_identity_matches_per_day(int n) { identity_matches_per_day_ = n; }

  // The file (records.cc).
  absl::Status CreateMember(const CallContext& c, const v1::CreateMemberRequest& req, v1::Member* out);
  absl::Status GetMember(const CallContext& c, const v1::GetMemberRequest& req, v1::Member* out);
  absl::Status UpdateMember(const CallContext& c, const v1::UpdateMemberRequest& req, v1::Member* out);
  absl::Status ListMembers(const CallContext& c, const v1::ListMembersRequest& req, v1::ListMembersResponse* out);
  absl::Status FindMember(const CallContext& c, const v1::FindMemberRequest& req, v1::Member* out);

  // Standing and contact (standing.cc).
  absl::Status ChangeLifecycle(const CallContext& c, const v1::ChangeLifecycleRequest& req, v1::Member* out);
  absl::Status MarkLost(const CallContext& c, const v1::MarkLostRequest& req, v1::Member* out);
  absl::Status MarkFound(const CallContext& c, const v1::MarkFoundRequest& req, v1::Member* out);
  absl::Status ListLostMembers(const CallContext& c, const v1::ListLostMembersRequest& req,
                               v1::ListMembersResponse* out);

  // Yearly appraisals by the community a member registered with (appraisals.cc).
  absl::Status AppraiseMember(const CallContext& c, const v1::AppraiseMemberRequest& req, v1::Appraisal* out);
  absl::Status ListAppraisals(const CallContext& c, const v1::ListAppraisalsRequest& req,
                              v1::ListAppraisalsResponse* out);

  // To-dos (todos.cc): what is due now, for the sweep (common/todos.h), and
  // the outbox for the organization service.
  absl::StatusOr<std::vector<TodoItem>> DueTodos(Db& db, absl::Time now) const;
  absl::Status ListTodoChanges(const CallContext& c, const org::v1::ListTodoChangesRequest& req,
                               org::v1::ListTodoChangesResponse* out);

  // The probation (probation.cc).
  absl::Status CompleteProbation(const CallContext& c, const v1::CompleteProbationRequest& req, v1::Member* out);
  absl::Status ExtendProbation(const CallContext& c, const v1::ExtendProbationRequest& req, v1::Member* out);

  // History and disclosures (audit.cc).
  absl::Status ListMemberEvents(const CallContext& c, const v1::ListMemberEventsRequest& req,
                                v1::ListMemberEventsResponse* out);
  absl::Status ListDisclosures(const CallContext& c, const v1::ListDisclosuresRequest& req,
                               v1::ListDisclosuresResponse* out);

  // Bulk import (import.cc): one batch of rows, then the end of the stream.
  // UNAVAILABLE (the org service is away) stops the import; a bad row only
  // adds a problem to the report.
  absl::Status ImportBatch(const CallContext& c, const std::vector<v1::ImportRow>& rows, ImportState& st);
  absl::Status FinishImport(const CallContext& c, ImportState& st);

  // For the org service and for operators (maintenance.cc).
  absl::Status CountMembers(const CallContext& c, const v1::CountMembersRequest& req, v1::CountMembersResponse* out);
  absl::Status MoveMembers(const CallContext& c, const v1::MoveMembersRequest& req, v1::MoveMembersResponse* out);
  absl::Status RotateKeys(const CallContext& c, const v1::RotateKeysRequest& req, v1::RotateKeysResponse* out);

  // Self-registration (registrations.cc).
  absl::Status CreateRegistrationCode(const CallContext& c, const v1::CreateRegistrationCodeRequest& req,
                                      v1::RegistrationCode* out);
  absl::Status GetRegistrationCode(const CallContext& c, const v1::GetRegistrationCodeRequest& req,
                                   v1::RegistrationCode* out);
  absl::Status RevokeRegistrationCode(const CallContext& c, const v1::RevokeRegistrationCodeRequest& req,
                                      v1::RegistrationCode* out);
  absl::Status ListRegistrationCodes(const CallContext& c, const v1::ListRegistrationCodesRequest& req,
                                     v1::ListRegistrationCodesResponse* out);
  absl::Status SubmitRegistration(const CallContext& c, const v1::SubmitRegistrationRequest& req,
                                  v1::Registration* out);
  absl::Status GetRegistration(const CallContext& c, const v1::GetRegistrationRequest& req, v1::Registration* out);
  absl::Status ListRegistrations(const CallContext& c, const v1::ListRegistrationsRequest& req,
                                 v1::ListRegistrationsResponse* out);
  absl::Status ConfirmRegistration(const CallContext& c, const v1::ConfirmRegistrationRequest& req,
                                   v1::Registration* out);
  absl::Status RejectRegistration(const CallContext& c, const v1::RejectRegistrationRequest& req,
                                  v1::Registration* out);

  // Transfers of the formal relation (transfers.cc).
  absl::Status StartTransfer(const CallContext& c, const v1::StartTransferRequest& req, v1::Transfer* out);
  absl::Status GetTransfer(const CallContext& c, const v1::GetTransferRequest& req, v1::Transfer* out);
  absl::Status ListTransfers(const CallContext& c, const v1::ListTransfersRequest& req, v1::ListTransfersResponse* out);
  absl::Status ApproveTransfer(const CallContext& c, const v1::ApproveTransferRequest& req, v1::Transfer* out);
  absl::Status ReturnTransfer(const CallContext& c, const v1::ReturnTransferRequest& req, v1::Transfer* out);
  absl::Status CancelTransfer(const CallContext& c, const v1::CancelTransferRequest& req, v1::Transfer* out);

  static bool MayMove(v1::Lifecycle from, v1::Lifecycle to);

 private:
  // probation.cc: loads a probationary, active member in the caller's scope,
  // applies `change` and saves it with history under `method`.
  absl::Status ChangeProbation(const CallContext& c, const std::string& name, const std::string& etag,
                               const char* method,
                               absl::FunctionRef<absl::Status(store::MemberRecord&, ChangeSet&)> change,
                               v1::Member* out);
  // records.cc: the pieces of a create, shared with registrations and
  // transfers in. A branch the caller may put members in; the checks of a
  // new member's fields; the record (references resolved, values sealed);
  // its insert with history.
  absl::StatusOr<UnitInfo> BranchForCaller(const CallContext& c, const std::string& id, const std::string& field);
  void CheckNew(const v1::Member& m, class Validator& v) const;
  absl::StatusOr<store::MemberRecord> NewMember(const CallContext& c, const v1::Member& m, const UnitInfo& branch);
  absl::Status InsertNew(Db& db, const CallContext& c, const store::MemberRecord& rec, const v1::Member& m,
                         const std::string& action, ChangeSet changes);
  // A value sealed for storage (base64 text) and opened again.
  absl::StatusOr<std::string> SealStored(absl::string_view value, absl::string_view context) const;
  absl::StatusOr<std::string> OpenStored(absl::string_view stored, absl::string_view context) const;
  // registrations.cc / transfers.cc: rows as messages.
  absl::StatusOr<v1::Registration> RegistrationProto(const store::RegistrationRecord& g) const;
  static v1::Transfer TransferProto(const store::TransferRecord& t, const std::string& today);
  absl::StatusOr<store::TransferRecord> LoadTransfer(const std::string& id, const CallContext& c);

  // member_view.cc: record ↔ message, masks, checks of the fields.
  absl::StatusOr<v1::Member> ToProto(const store::MemberRecord& m, bool reveal,
                                     std::vector<store::DisclosureRecord>* disclosures, const CallContext& c,
                                     const char* method) const;
  // Checks every field of `m` that `paths` names (all when empty), with one
  // violation per bad field, prefixed "member.".
  void CheckFields(const v1::Member& m, const std::vector<std::string>& paths, class Validator& v) const;
  // Copies the plain (not personal, not referencing) fields `paths` names.
  static void ApplyPlain(const v1::Member& m, const std::vector<std::string>& paths, store::MemberRecord& rec);
  // A field's value for the history: personal values masked.
  static std::string HistoryValue(const v1::Member& m, const std::string& path);
  // Seals and indexes the personal values of `m` into `rec`.
  absl::Status Seal(const v1::Member& m, const std::vector<std::string>& paths, store::MemberRecord& rec) const;
  // Resolves the org references `m` names (for `paths`) into `rec`, checking
  // they exist and have the right kind.
  absl::Status ResolveReferences(const CallContext& c, const v1::Member& m, const std::vector<std::string>& paths,
                                 store::MemberRecord& rec);
  // Loads a member the caller may see (PERMISSION_DENIED before existence).
  absl::StatusOr<store::MemberRecord> Load(Db& db, const CallContext& c, const std::string& id,
                                           const std::string& field, bool for_update);
  absl::StatusOr<store::MemberRecord> LoadInScope(const CallContext& c, const std::string& id,
                                                  const std::string& field);
  absl::Status CheckScope(const CallContext& c, const store::MemberRecord& m, const std::string& field);
  // LoadInScope for reads: the community a member registered with where they
  // live (双报到) reads their file as well.
  absl::StatusOr<store::MemberRecord> LoadForRead(const CallContext& c, const std::string& id,
                                                  const std::string& field);
  // Answers `m` as a message, recording disclosures when revealing.
  absl::Status Respond(Db& db, const CallContext& c, const store::MemberRecord& m, bool reveal, const char* method,
                       v1::Member* out);
  absl::Status RequireWriter(const CallContext& c) const;
  // Matches of ID numbers outside the caller's subtree (identity_matches.cc).
  absl::Status CheckIdentityAllowance(const CallContext& c);
  absl::Status RecordIdentityMatches(const CallContext& c, const std::vector<std::string>& member_ids,
                                     const char* method);
  // The branch of the member the caller is (sub = members/{id}).
  absl::StatusOr<std::string> BranchOfCaller(const CallContext& c);
  absl::Status RequireReveal(const CallContext& c, bool reveal) const;
  std::string Today() const;
  int64_t NowUs() const { return absl::ToUnixMicros(clock_.Now()); }

  DbPool& db_;
  const PageTokens& tokens_;
  const FieldCipher& cipher_;
  OrgDirectory& org_;
  const Clock& clock_;
  int transfer_valid_days_ = 30;
  int import_max_rows_ = 50000;
  int identity_matches_per_day_ = 20;
};

// Units that can hold a member's formal relation: community committees,
// general branches, branches.
bool HoldsMembers(org::v1::OrgUnitType t);

// The day a probationary member's probation ends (join_date + 1 year, or as
// extended); "" for full members.
std::string ProbationEnd(const store::MemberRecord& m);

// The YYYY-MM-DD `months` and `years` before `today` (31 March - 1 month →
// the last day of February).
std::string DaysBefore(const std::string& today, int months, int years);

// ALREADY_EXISTS naming member.national_id.
absl::Status DuplicateIdentity();
// FAILED_PRECONDITION naming `field` when the member's relation moved out of
// the platform: the record is kept for history, read-only.
absl::Status RequireOnPlatform(const store::MemberRecord& m, const std::string& field);

}  // namespace lianxin::member

#endif  // LIANXIN_SERVICES_MEMBER_MEMBER_LOGIC_H_
