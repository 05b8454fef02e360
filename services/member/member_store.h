// The member service's SQL: every statement is in store_*.cc, behind these
// functions, each taking the Db of the caller's transaction.
#ifndef LIANXIN_SERVICES_MEMBER_MEMBER_STORE_H_
#define LIANXIN_SERVICES_MEMBER_MEMBER_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/db.h"
#include "common/migrations.h"
#include "common/todos.h"

namespace lianxin {
// The service's schema: migrations/*.sql, embedded at build time.
const std::vector<Migration>& MemberMigrations();
}  // namespace lianxin

namespace lianxin::member::store {

// A row of `members`: personal values only sealed (base64) and indexed (hex).
struct MemberRecord {
  std::string id, district_id, branch_id, group_id, display_name;
  int gender = 0;
  std::string ethnicity, birth_date;
  std::string national_id_sealed, national_id_index;
  std::string phone_sealed, phone_index;  // "" when absent
  std::string compound_id, building_id, stairwell_id, room;
  int standing = 0;
  std::string join_date, full_member_date;  // "" when absent
  int lifecycle = 0;
  std::string lifecycle_since;
  int64_t categories = 0, availability = 0;  // bit sets
  std::string residence_community_id, registered_community_id, occupation;
  bool hardship = false;
  std::string hardship_help;
  std::string health_sealed, attitude_sealed;  // "" when absent
  int contact_status = 0;
  std::string lost_since;
  std::vector<std::string> skills;
  int64_t version = 1, created_us = 0, updated_us = 0;
  int education = 0, admission = 0;
  std::string job_post, professional_title, work_unit, household_registration;
  std::string branch_since, probation_until;  // "" when absent; probation_until only when extended
  std::string mobility_destination, mobility_organization, mobility_contact_name, mobility_contact_sealed,
      mobility_since;
};

struct MemberFilter {
  std::vector<std::string> branch_ids;  // required: the subtree's member-holding units
  int64_t category_bit = 0;
  std::string group_id;           // one group's roster
  std::string registered_id;      // instead of branch_ids: members registered with this community
  std::string probation_ends_by;  // probationary members whose probation ends by this day
  std::string skill, building_id, name_prefix;
  int standing = 0, contact_status = 0, lifecycle = 0;
};

absl::StatusOr<std::optional<MemberRecord>> GetMember(Db& db, const std::string& id, bool for_update);
// By blind index column ("national_id_index" or "phone_index").
absl::StatusOr<std::optional<std::string>> FindMemberId(Db& db, const std::string& column, const std::string& index);
absl::Status InsertMember(Db& db, const MemberRecord& m);
// Many members (and their skills) in a few multi-row statements.
absl::Status InsertMembers(Db& db, const std::vector<MemberRecord>& members);
// Writes every column but id and created_us; replaces the skills.
absl::Status UpdateMember(Db& db, const MemberRecord& m);
absl::StatusOr<std::vector<MemberRecord>> ListMembers(Db& db, const MemberFilter& f, const std::string& after_id,
                                                      int limit);
// Lost since on or before `lost_before`, lifecycle in `lifecycles`, and (when
// set) lifecycle changed on or before `lifecycle_before`.
absl::StatusOr<std::vector<MemberRecord>> ListLost(Db& db, const std::vector<std::string>& branch_ids,
                                                   const std::string& lost_before, const std::vector<int>& lifecycles,
                                                   const std::string& lifecycle_before, const std::string& after_id,
                                                   int limit);

struct DisclosureRecord {
  std::string district_id, member_id, branch_id, reader, field, method, request_id;
  int64_t at_us = 0, seq = 0;
};
absl::Status InsertDisclosures(Db& db, const std::vector<DisclosureRecord>& d);
// How many disclosures of `field` `reader` made since `since_us`.
absl::StatusOr<int64_t> CountDisclosures(Db& db, const std::string& reader, const std::string& field, int64_t since_us);
// The members on file with these national-ID indexes: index → member id.
absl::StatusOr<std::vector<std::pair<std::string, std::string>>> MembersByNationalId(
    Db& db, const std::vector<std::string>& indexes);
// For one member, or (member_id empty) for members of `branch_ids` (empty:
// every branch, for platform-wide auditors).
absl::StatusOr<std::vector<DisclosureRecord>> ListDisclosures(Db& db, const std::string& member_id,
                                                              const std::vector<std::string>& branch_ids,
                                                              bool all_branches, int64_t after_seq, int limit);

// Counts (for the org service): members of one unit, or living in places.
absl::StatusOr<int64_t> CountInUnit(Db& db, const std::string& unit_id, bool active_only);
// For each unit, in order: members whose branch or group it is.
absl::StatusOr<std::vector<int64_t>> CountInUnits(Db& db, const std::vector<std::string>& unit_ids, bool active_only);
absl::StatusOr<int64_t> CountInPlaces(Db& db, const std::vector<std::string>& place_ids, bool active_only);

// Moves every member of `from` to `to` (version + 1); returns their records
// as they are now.
absl::StatusOr<std::vector<MemberRecord>> MoveBranch(Db& db, const std::string& from, const std::string& to,
                                                     int64_t now_us);

// Key rotation: a page of rows by id, and one row's sealed values rewritten.
struct SealedRow {
  std::string id;
  std::vector<std::string> values;  // the table's sealed columns, "" when NULL
};
// `table` is "members" (national_id, phone, health, attitude) or
// "registrations" (form).
absl::StatusOr<std::vector<SealedRow>> ScanSealed(Db& db, const std::string& table, const std::string& after_id,
                                                  int limit);
absl::Status WriteSealed(Db& db, const std::string& table, const SealedRow& row);

// store_flows.cc: registration codes, registrations, transfers.
struct CodeRecord {
  std::string code, district_id, community_id, place_id, label, created_by;
  bool revoked = false;
  int64_t created_us = 0;
};
absl::Status InsertCode(Db& db, const CodeRecord& c);
absl::StatusOr<std::optional<CodeRecord>> GetCode(Db& db, const std::string& code);
absl::Status RevokeCode(Db& db, const std::string& code);
absl::StatusOr<std::vector<CodeRecord>> ListCodes(Db& db, const std::string& community_id,
                                                  const std::string& after_code, int limit);

struct RegistrationRecord {
  std::string id, district_id, community_id, code, display_name, form_sealed, national_id_index, current_organization,
      submitted_by, decided_by, reason, member_id;
  int state = 0;
  int64_t submitted_us = 0, decided_us = 0, version = 1;
};
absl::Status InsertRegistration(Db& db, const RegistrationRecord& r);
absl::StatusOr<std::optional<RegistrationRecord>> GetRegistration(Db& db, const std::string& id, bool for_update);
// Writes state, decision, member_id, form_sealed and version.
absl::Status UpdateRegistration(Db& db, const RegistrationRecord& r);
// A pending registration of this person with this community, if any.
absl::StatusOr<std::optional<std::string>> PendingRegistration(Db& db, const std::string& national_id_index,
                                                               const std::string& community_id);
absl::StatusOr<std::vector<RegistrationRecord>> ListRegistrations(Db& db, const std::vector<std::string>& community_ids,
                                                                  int state, const std::string& after_id, int limit);

struct StepRecord {
  int idx = 0;
  std::string org_unit, decided_by, reason;
  int decision = 0;
  int64_t decided_us = 0;
};
struct TransferRecord {
  std::string id, district_id, member_id, from_unit, to_unit, waiting_unit, letter_number, outside_organization,
      dues_paid_through, reason, cancel_reason, started_by, valid_until;
  int kind = 0, state = 0, current_step = 0;
  int64_t created_us = 0, updated_us = 0, version = 1;
  std::vector<StepRecord> steps;
};
absl::Status InsertTransfer(Db& db, const TransferRecord& t);
absl::StatusOr<std::optional<TransferRecord>> GetTransfer(Db& db, const std::string& id, bool for_update);
// Writes the row's changing columns and the step `step_idx` (none when < 0).
absl::Status UpdateTransfer(Db& db, const TransferRecord& t, int step_idx);
// The member's pending transfer still valid on `today`, if any.
absl::StatusOr<std::optional<std::string>> PendingTransferOf(Db& db, const std::string& member_id,
                                                             const std::string& today);
struct TransferFilter {
  std::string member_id;              // one member's, or
  std::vector<std::string> unit_ids;  // sent from or to these units, or
  std::string waiting_unit;           // waiting for this unit
  int state = 0;
  std::string today;  // pending past valid_until counts as expired
};
absl::StatusOr<std::vector<TransferRecord>> ListTransfers(Db& db, const TransferFilter& f, const std::string& after_id,
                                                          int limit);

// Yearly appraisals by the community a member registered with (store_flows.cc).
struct AppraisalRecord {
  std::string member_id, community_id, district_id, comment, appraiser;
  int year = 0, grade = 0;
  int64_t version = 1, updated_us = 0;
  std::string display_name;  // read by ListAppraisals, from members
};
absl::StatusOr<std::optional<AppraisalRecord>> GetAppraisal(Db& db, const std::string& member_id,
                                                            const std::string& community_id, int year, bool for_update);
// Inserts or replaces the row of (member, community, year).
absl::Status PutAppraisal(Db& db, const AppraisalRecord& a);
absl::StatusOr<std::vector<AppraisalRecord>> ListAppraisals(Db& db, const std::string& community_id, int year,
                                                            const std::string& after_member, int limit);

// The to-dos the member records raise (store_todos.cc): registrations
// waiting, transfers waiting and returned, suspensions and removals due,
// probations due, as of the days in `d`.
struct TodoDays {
  std::string today;
  std::string lost_before;        // lost on or before it: suspension due
  std::string suspended_before;   // suspended on or before it, still lost: removal due
  std::string probation_by;       // a probation ending on or before it is due
  int64_t returned_since_us = 0;  // a transfer returned since then stays a to-do
};
absl::StatusOr<std::vector<TodoItem>> DueTodos(Db& db, const TodoDays& d);

}  // namespace lianxin::member::store

#endif  // LIANXIN_SERVICES_MEMBER_MEMBER_STORE_H_
