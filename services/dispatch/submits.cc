// DispatchLogic::SubmitRequest: a resident's request arrives, and how the
// requests arriving together are written together.
//
// The call itself checks the request and works out everything that needs
// other services or settings (where it goes: org service; its category and
// the calendar for its deadline: kept briefly, see catalog.cc), seals the
// phone, then hands a finished row to submits_ (common/batcher.h). A batcher
// thread runs one transaction for all the submissions waiting: which are
// duplicates of open requests (one SELECT, for those that care), then the new
// request ids, requests and timeline rows and the commit in one round trip;
// another thread answers each caller. Retries are rare, so the batch assumes
// none: a request id seen before makes the insert fail (ALREADY_EXISTS), and
// the batch is written again after reading which ids were seen (one SELECT).
// A retry with the same request id gets the first result, also when both are
// in the same batch; a duplicate within the batch counts as one.
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/idempotency.h"
#include "common/ids.h"
#include "common/names.h"
#include "common/status.h"
#include "common/validate.h"
#include "services/dispatch/dispatch_logic.h"

namespace lianxin::dispatch {

absl::Status DispatchLogic::SubmitRequest(const CallContext& c, const v1::SubmitRequestRequest& req, v1::Request* out,
                                          UnaryDone done) {
  const v1::Request& q = req.request();
  Validator v;
  std::string place = v.Name("request.place", q.place(), kPlaces);
  v.Text("request.description", q.description(), 1, 2000);
  v.Text("request.address", q.address(), 0, 200);
  std::string phone = NormalizePhone(q.contact_phone());
  if (!phone.empty()) {
    std::string why = CheckPhone(phone);
    if (!why.empty()) v.Add("request.contact_phone", why);
  }
  v.Check(q.urgency() != v1::URGENCY_UNSPECIFIED, "request.urgency", "is required: NORMAL or URGENT");
  CheckPhotoUrls(q.photo_urls(), "request.photo_urls", v);
  v.Check(req.request_id().size() <= 64, "request_id", "must be at most 64 characters");
  auto [category_district, category] = ParseCategoryName(q.category());
  if (category.empty()) v.Add("request.category", "must be orgUnits/{district}/categories/{code}");
  RETURN_IF_ERROR(v.status());

  // Where it goes and when it is due, asked before anything is written.
  ASSIGN_OR_RETURN(Responsibility resp, ResponsibleFor(c, place, "request.place"));
  if (resp.district_id != category_district) {
    return FieldError("request.category", "must be a category of the place's district");
  }
  const absl::Time now = clock_.Now();
  ASSIGN_OR_RETURN(store::CategoryRecord cat, CachedCategory(resp.district_id, category, "request.category"));
  ASSIGN_OR_RETURN(CalendarExceptions days, CachedExceptions(resp.district_id, now));

  auto job = std::make_unique<SubmitJob>();
  job->c = &c;
  job->request_id = req.request_id();
  job->allow_duplicate = req.allow_duplicate();
  job->out = out;
  job->done = std::move(done);
  store::RequestRecord& r = job->record;
  r.id = NewId();
  r.district_id = resp.district_id;
  r.category = category;
  r.description = q.description();
  r.place_id = place;
  r.address = q.address();
  if (!phone.empty()) {
    ASSIGN_OR_RETURN(std::string sealed, cipher_.Seal(phone, PhoneContext(r.id)));
    r.phone_sealed = absl::Base64Escape(sealed);
    r.phone_masked = MaskPhone(phone);
  }
  r.urgency = q.urgency();
  r.photo_urls.assign(q.photo_urls().begin(), q.photo_urls().end());
  r.state = v1::REQUEST_STATE_PENDING;
  r.resident = c.principal.subject;
  r.responsible_unit = resp.unit_id;
  r.community_id = resp.community_id;
  r.unit_path = resp.unit_path;
  r.created_us = r.updated_us = absl::ToUnixMicros(now);
  r.due_us = absl::ToUnixMicros(DueTime(now, cat.limit_hours, cat.limit_working_days, days));
  r.next_escalation_us = r.due_us;
  if (!submits_.Submit(job.get())) {
    return AtCapacity();
  }
  job.release();  // RunSubmits answers and deletes it
  return absl::OkStatus();
}

absl::StatusOr<Responsibility> DispatchLogic::ResponsibleFor(const CallContext& c, const std::string& place_id,
                                                             const std::string& field) {
  ASSIGN_OR_RETURN(org::Coverage coverage, dirs_.CoverageOf(c, place_id, field));
  Responsibility r;
  r.place_id = place_id;
  r.community_id = coverage.community_id;
  r.unit_id = !coverage.building_party_group_id.empty() ? coverage.building_party_group_id
              : !coverage.branch_id.empty()             ? coverage.branch_id
                                                        : coverage.community_id;
  ASSIGN_OR_RETURN(r.unit_path, dirs_.PathOf(c, r.unit_id, field));
  r.district_id = r.unit_path.substr(1, r.unit_path.find('/', 1) - 1);
  return r;
}

void DispatchLogic::FinishSubmits(absl::Span<SubmitJob* const> jobs) {
  for (SubmitJob* job : jobs) {
    if (job->status.ok()) rows_.Put(job->result.id, job->result);  // its first change needs no read
    Answer(*job->c, job->status, job->result, "SubmitRequest", job->out, std::move(job->done));
    delete job;
  }
}

void DispatchLogic::WriteSubmits(absl::Span<SubmitJob* const> jobs, bool look_up_ids) {
  absl::Status s = writes_.Transact([&](Db& db) { return SubmitBatch(db, jobs, look_up_ids); });
  if (s.ok()) return;
  if (absl::IsAlreadyExists(s) && !look_up_ids) {
    // A request id seen before (a retry): nothing was written; again, reading them.
    WriteSubmits(jobs, /*look_up_ids=*/true);
    return;
  }
  if (jobs.size() > 1 && !absl::IsUnavailable(s)) {
    // One of them lost a request-id race with another batch, or a database
    // error no check foresaw: each on its own, so only that one is affected.
    for (SubmitJob* job : jobs) WriteSubmits({job}, /*look_up_ids=*/true);
    return;
  }
  if (absl::IsAlreadyExists(s)) {
    // A request-id race: the winner has committed; this run replays it.
    s = writes_.Transact([&](Db& db) { return SubmitBatch(db, jobs, /*look_up_ids=*/true); });
  }
  for (SubmitJob* job : jobs) {
    if (!s.ok()) job->status = s;
  }
}

absl::Status DispatchLogic::SubmitBatch(Db& db, absl::Span<SubmitJob* const> jobs, bool look_up_ids) {
  std::vector<std::pair<std::string, std::string>> keys, places;
  int64_t since_us = INT64_MAX;
  for (const SubmitJob* job : jobs) {
    if (look_up_ids) keys.push_back({job->c->principal.subject, job->request_id});
    if (!job->allow_duplicate) {
      places.push_back({job->record.place_id, job->record.category});
      since_us = std::min(since_us, job->record.created_us - int64_t{settings_.duplicate_days} * 86400000000);
    }
  }
  ASSIGN_OR_RETURN(auto seen, FindRequests(db, keys));
  ASSIGN_OR_RETURN(auto open, store::FindOpenDuplicates(db, places, since_us));
  std::vector<std::string> replay_ids;
  for (const auto& [key, resource] : seen) replay_ids.push_back(kRequests.IdOf(resource));
  ASSIGN_OR_RETURN(std::vector<store::RequestRecord> replays, store::GetRequests(db, replay_ids, false));

  absl::flat_hash_map<std::string, const store::RequestRecord*> created;  // by request key, this batch
  std::vector<const store::RequestRecord*> rows;
  std::vector<RememberedRequest> remembered;
  std::vector<store::TimelineRecord> timeline;
  for (SubmitJob* job : jobs) {
    const std::string key = RequestKey(job->c->principal.subject, job->request_id);
    job->status = absl::OkStatus();
    if (!job->request_id.empty()) {
      if (auto it = seen.find(key); it != seen.end()) {  // a retry of an earlier call
        auto r = std::find_if(replays.begin(), replays.end(),
                              [&](const auto& rec) { return it->second == kRequests.Name(rec.id); });
        if (r == replays.end()) return absl::InternalError("remembered request is gone");
        job->result = *r;
        continue;
      }
      if (auto it = created.find(key); it != created.end()) {  // a retry within this batch
        job->result = *it->second;
        continue;
      }
    }
    const store::RequestRecord& r = job->record;
    if (!job->allow_duplicate) {
      const std::string where = absl::StrCat(r.place_id, "\n", r.category);
      if (auto it = open.find(where); it != open.end()) {
        // The request it duplicates may be this call's own first try.
        if (!look_up_ids && !job->request_id.empty()) return absl::AlreadyExistsError("may be a retry");
        job->status = WithReason(
            absl::FailedPreconditionError(absl::StrCat(kRequests.Name(it->second),
                                                       " reports the same in the same place: join it (MeToo) "
                                                       "or submit with allow_duplicate")),
            "DUPLICATE_REQUEST", {{"duplicate", kRequests.Name(it->second)}});
        continue;
      }
    }
    open.try_emplace(absl::StrCat(r.place_id, "\n", r.category), r.id);
    if (!job->request_id.empty()) created[key] = &r;
    rows.push_back(&r);
    remembered.push_back({job->c->principal.subject, job->request_id, r.district_id, "SubmitRequest",
                          kRequests.Name(r.id), r.created_us});
    timeline.push_back({0, r.id, r.district_id, "submit", job->c->principal.subject, r.created_us, 0, r.state,
                        absl::StrCat("responsible: orgUnits/", r.responsible_unit), r.resident, "", r.community_id});
    job->result = r;
  }
  // Request ids first: a concurrent call with one of them waits on its row.
  std::vector<SqlStatement> writes;
  for (auto st : {RememberRequestsSql(remembered), store::InsertRequestsSql(rows), store::TimelineSql(timeline)}) {
    if (st.has_value()) writes.push_back(*std::move(st));
  }
  return db.ExecScript(writes, /*commit=*/true);
}

}  // namespace lianxin::dispatch
