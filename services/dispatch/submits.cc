// DispatchLogic::SubmitRequest: a resident's request arrives.
//
// The call itself checks the request and works out everything that needs
// other services or settings (where it goes: ResponsibleFor, from the org
// service; its category and the calendar for its deadline: kept briefly, see
// catalog.cc), seals the phone, then hands a finished row to the
// RequestWriter, which writes the submissions arriving together in one
// transaction (request ids, duplicates, the request and its first timeline
// row) and answers each through `done`. A retry with the same request id gets
// the first result; an open request of the same category at the same place
// (within duplicate_days) is a duplicate, unless the caller allows one.
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
  v.RequestId(req.request_id());
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

  auto job = std::make_unique<RequestWriter::SubmitJob>();
  job->subject = c.principal.subject;
  job->request_id = req.request_id();
  job->deadline = c.deadline;
  if (!req.allow_duplicate()) {
    job->duplicate_since_us = absl::ToUnixMicros(now) - int64_t{settings_.duplicate_days} * 86400000000;
  }
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
  job->timeline = {0,
                   r.id,
                   r.district_id,
                   "submit",
                   c.principal.subject,
                   r.created_us,
                   0,
                   r.state,
                   absl::StrCat("responsible: ", kOrgUnits.Name(r.responsible_unit)),
                   r.resident,
                   "",
                   r.community_id,
                   {}};
  job->done = [this, &c, out, done = std::move(done)](const absl::Status& s, const store::RequestRecord& row,
                                                      const std::string& duplicate_of) {
    if (!s.ok() || duplicate_of.empty()) return Answer(c, s, row, "SubmitRequest", out, done);
    done(WithReason(absl::FailedPreconditionError(
                        absl::StrCat(kRequests.Name(duplicate_of),
                                     " reports the same in the same place: join it (MeToo) or submit with "
                                     "allow_duplicate")),
                    "DUPLICATE_REQUEST", {{"duplicate", kRequests.Name(duplicate_of)}}));
  };
  if (!writer_.Submit(std::move(job))) return AtCapacity();
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
  r.district_id = DistrictOf(r.unit_path);
  return r;
}

}  // namespace lianxin::dispatch
