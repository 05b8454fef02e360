// MemberLogic: bulk import of an employer's list (the 1,028 mill members of
// the demo's 学卫 community). Each batch is checked row by row; good rows are written in a few
// multi-row statements per batch (or, with all_or_nothing, all at the end in
// one transaction, and only if no row failed). Identity is the national ID:
// a row whose ID is already on file counts as existing, not as new.
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/history.h"
#include "common/ids.h"
#include "common/names.h"
#include "common/status.h"
#include "common/validate.h"
#include "services/clients/member/identity.h"
#include "services/member/member_logic.h"

namespace lianxin::member {
namespace {

void Problem(ImportState& st, int row, const std::string& field, const std::string& reason) {
  auto* p = st.report.add_problems();
  p->set_row(row);
  p->set_field(field);
  p->set_reason(reason);
  st.report.mutable_progress()->set_failed(st.report.progress().failed() + 1);
}

void ProblemsFrom(ImportState& st, int row, const absl::Status& s) {
  auto violations = ViolationsOf(s);
  if (violations.empty()) return Problem(st, row, FieldOf(s), std::string(s.message()));
  // One entry for the row, naming every bad field.
  for (size_t i = 0; i < violations.size(); ++i) {
    auto* p = st.report.add_problems();
    p->set_row(row);
    p->set_field(violations[i].field);
    p->set_reason(violations[i].description);
  }
  st.report.mutable_progress()->set_failed(st.report.progress().failed() + 1);
}

}  // namespace

absl::Status MemberLogic::ImportBatch(const CallContext& c, const std::vector<v1::ImportRow>& rows, ImportState& st) {
  RETURN_IF_ERROR(RequireWriter(c));
  RETURN_IF_ERROR(CheckIdentityAllowance(c));
  auto* progress = st.report.mutable_progress();
  if (progress->received() + static_cast<int64_t>(rows.size()) > import_max_rows_) {
    return WithReason(
        absl::ResourceExhaustedError(absl::StrCat(
            "one import stream carries at most ", import_max_rows_, " rows; this one went past it at row ",
            progress->received() + 1, " (", st.options.all_or_nothing() ? "nothing was written" : "rows before it were",
            "): split the file")),
        "IMPORT_TOO_LARGE");
  }
  std::vector<store::MemberRecord> good;
  std::vector<int> good_rows;
  for (const v1::ImportRow& row : rows) {
    progress->set_received(progress->received() + 1);
    const v1::Member& m = row.member();
    Validator v;
    std::string branch_id = v.Name("member.branch", m.branch(), kOrgUnits);
    CheckFields(m, {}, v);
    if (!v.ok()) {
      ProblemsFrom(st, row.row(), v.status());
      continue;
    }
    auto cached = st.branches.find(branch_id);
    if (cached == st.branches.end()) {
      cached = st.branches.emplace(branch_id, org_.UnitForCaller(c, branch_id, "member.branch")).first;
    }
    if (!cached->second.ok()) {
      if (absl::IsUnavailable(cached->second.status())) {
        st.branches.erase(cached);
        return cached->second.status();  // stop: nothing of this batch was written
      }
      ProblemsFrom(st, row.row(), cached->second.status());
      continue;
    }
    const UnitInfo& branch = *cached->second;
    if (!HoldsMembers(branch.type) || !branch.active) {
      Problem(st, row.row(), "member.branch", "must be an active branch, general branch or community committee");
      continue;
    }
    std::string index = absl::BytesToHexString(cipher_.BlindIndex("national_id", NormalizeNationalId(m.national_id())));
    if (!st.seen.emplace(index, row.row()).second) {
      Problem(st, row.row(), "member.national_id", absl::StrCat("the same person as row ", st.seen[index]));
      continue;
    }
    store::MemberRecord rec;
    rec.id = NewId();
    rec.district_id = branch.district_id;
    rec.branch_id = branch_id;
    ApplyPlain(m, {}, rec);
    if (rec.branch_since.empty()) rec.branch_since = Today();
    rec.lifecycle = v1::LIFECYCLE_ACTIVE;
    rec.lifecycle_since = m.join_date().empty() ? Today() : m.join_date();
    rec.contact_status = v1::CONTACT_STATUS_IN_CONTACT;
    if (m.contact_status() == v1::CONTACT_STATUS_LOST && !m.lost_since().empty()) {
      rec.contact_status = v1::CONTACT_STATUS_LOST;
      rec.lost_since = m.lost_since();
    }
    absl::Status s = ResolveReferences(c, m, {}, rec);
    if (absl::IsUnavailable(s)) return s;
    if (s.ok()) s = Seal(m, {}, rec);
    if (!s.ok()) {
      ProblemsFrom(st, row.row(), s);
      continue;
    }
    rec.created_us = rec.updated_us = NowUs();
    good.push_back(std::move(rec));
    good_rows.push_back(row.row());
  }

  // Who is already on file?
  std::vector<std::string> indexes;
  for (const auto& r : good) indexes.push_back(r.national_id_index);
  std::vector<std::pair<std::string, std::string>> on_file;  // index, member id
  RETURN_IF_ERROR(db_.Run([&](Db& db) -> absl::Status {
    ASSIGN_OR_RETURN(on_file, store::MembersByNationalId(db, indexes));
    return absl::OkStatus();
  }));
  std::vector<std::string> existing, matched;
  for (const auto& [index, id] : on_file) {
    existing.push_back(index);
    matched.push_back(id);
  }
  // The count of those on file tells the caller who is: recorded if elsewhere.
  RETURN_IF_ERROR(RecordIdentityMatches(c, matched, "ImportMembers"));
  std::vector<store::MemberRecord> fresh;
  for (auto& r : good) {
    if (std::find(existing.begin(), existing.end(), r.national_id_index) != existing.end()) {
      progress->set_existing(progress->existing() + 1);
    } else {
      fresh.push_back(std::move(r));
    }
  }
  std::vector<HistoryEntry> events;
  for (const auto& r : fresh) {
    ChangeSet changes;
    changes.Set("source", st.options.source());
    changes.Set("branch", kOrgUnits.Name(r.branch_id));
    events.push_back({r.district_id, kMembers.Name(r.id), "", "import", changes});
  }
  if (st.options.all_or_nothing()) {
    st.pending.insert(st.pending.end(), std::make_move_iterator(fresh.begin()), std::make_move_iterator(fresh.end()));
    st.pending_events.insert(st.pending_events.end(), events.begin(), events.end());
    return absl::OkStatus();
  }
  RETURN_IF_ERROR(db_.Transact([&](Db& db) -> absl::Status {
    RETURN_IF_ERROR(store::InsertMembers(db, fresh));
    return RecordHistory(db, c, events, NowUs());
  }));
  progress->set_created(progress->created() + static_cast<int32_t>(fresh.size()));
  return absl::OkStatus();
}

absl::Status MemberLogic::FinishImport(const CallContext& c, ImportState& st) {
  st.report.set_done(true);
  if (!st.options.all_or_nothing()) {
    st.report.set_committed(true);
    return absl::OkStatus();
  }
  if (st.report.progress().failed() > 0) {
    st.report.set_committed(false);
    return absl::OkStatus();
  }
  constexpr size_t kChunk = 500;
  RETURN_IF_ERROR(db_.Transact([&](Db& db) -> absl::Status {
    for (size_t i = 0; i < st.pending.size(); i += kChunk) {
      std::vector<store::MemberRecord> chunk(
          st.pending.begin() + static_cast<long>(i),
          st.pending.begin() + static_cast<long>(std::min(i + kChunk, st.pending.size())));
      std::vector<HistoryEntry> events(
          st.pending_events.begin() + static_cast<long>(i),
          st.pending_events.begin() + static_cast<long>(std::min(i + kChunk, st.pending_events.size())));
      RETURN_IF_ERROR(store::InsertMembers(db, chunk));
      RETURN_IF_ERROR(RecordHistory(db, c, events, NowUs()));
    }
    return absl::OkStatus();
  }));
  st.report.mutable_progress()->set_created(static_cast<int32_t>(st.pending.size()));
  st.report.set_committed(true);
  return absl::OkStatus();
}

}  // namespace lianxin::member
