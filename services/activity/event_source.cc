#include "services/activity/event_source.h"

#include "absl/strings/str_cat.h"
#include "common/names.h"
#include "common/timestamps.h"

namespace lianxin::activity {

absl::StatusOr<EventPage> GrpcEventSource::After(int64_t after_seq, int limit) {
  dispatch::v1::ListEventsRequest req;
  req.set_after_seq(after_seq);
  req.set_page_size(limit);
  dispatch::v1::ListEventsResponse resp;
  grpc::ClientContext ctx;
  PrepareClientContext(&ctx, tokens_.Get(), "", absl::Seconds(5));
  grpc::Status s = stub_->ListEvents(&ctx, req, &resp);
  if (!s.ok()) return absl::UnavailableError(absl::StrCat("the dispatch service's events: ", s.error_message()));
  EventPage page;
  page.last_seq = resp.last_seq();
  page.read = resp.events_size();
  for (const auto& e : resp.events()) {
    if (e.type() != "request.closed") continue;
    const auto& r = e.request();
    ClosedRequest c;
    c.seq = e.seq();
    c.event_id = e.id();
    c.request = r.name();
    c.district_id = ParseCategoryName(r.category()).district_id;
    c.member_id = kMembers.IdOf(r.assignee());
    c.minutes = r.minutes_spent();
    c.resolved = absl::FromUnixMicros(TimestampUs(r.resolve_time()));
    if (c.district_id.empty() || c.member_id.empty()) continue;  // nobody to credit
    page.closed.push_back(std::move(c));
  }
  return page;
}

}  // namespace lianxin::activity
