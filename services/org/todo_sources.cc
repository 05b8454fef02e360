#include "services/org/todo_sources.h"

#include "absl/strings/str_cat.h"
#include "common/names.h"
#include "common/status.h"
#include "common/timestamps.h"

namespace lianxin::org {

template <typename Service>
absl::StatusOr<std::vector<TodoChangeRecord>> GrpcTodoSource<Service>::ChangesAfter(int64_t after_seq, int limit) {
  ::lianxin::org::v1::ListTodoChangesRequest req;
  req.set_after_seq(after_seq);
  req.set_page_size(limit);
  ::lianxin::org::v1::ListTodoChangesResponse resp;
  grpc::ClientContext ctx;
  PrepareClientContext(&ctx, tokens_.Get(), "", absl::Seconds(5));
  grpc::Status s = stub_->ListTodoChanges(&ctx, req, &resp);
  if (!s.ok()) {
    return absl::UnavailableError(absl::StrCat("the ", service_, " service's to-dos: ", s.error_message()));
  }
  std::vector<TodoChangeRecord> out;
  for (const auto& c : resp.changes()) {
    TodoChangeRecord r;
    r.seq = c.seq();
    r.opened = c.action() == ::lianxin::org::v1::TODO_ACTION_OPENED;
    r.at_us = TimestampUs(c.time());
    r.opened_us = TimestampUs(c.todo().open_time());
    r.item = TodoItem{kOrgUnits.IdOf(c.todo().unit()), c.todo().kind(), c.todo().subject(), c.todo().title(),
                      c.todo().due_date()};
    out.push_back(std::move(r));
  }
  return out;
}

template class GrpcTodoSource<member::v1::MemberService>;
template class GrpcTodoSource<dispatch::v1::DispatchService>;
template class GrpcTodoSource<activity::v1::ActivityService>;

}  // namespace lianxin::org
