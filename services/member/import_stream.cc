#include "services/member/import_stream.h"

#include "common/status.h"

namespace lianxin::member {

ImportStream::ImportStream(ServiceHost& host, MemberLogic& logic, grpc::CallbackServerContext* ctx, const char* service)
    : host_(host), logic_(logic), ctx_(ctx) {
  auto begun = host_.BeginCall(ctx, service, "ImportMembers", "bidi_stream");
  if (!begun.ok()) {
    finished_ = true;
    Finish(host_.ToGrpc(begun.status()));
    return;
  }
  call_ = *std::move(begun);
  StartRead(&request_);
}

void ImportStream::Stop(const absl::Status& status) {
  if (finished_) return;
  finished_ = true;
  Finish(call_->End(status));
}

void ImportStream::OnReadDone(bool ok) {
  if (!ok) {
    if (ctx_->IsCancelled()) return Stop(absl::CancelledError("the caller cancelled the import"));
    // The client has sent everything: finish and write the report.
    bool queued = call_->Submit([this] {
      absl::Status s = logic_.FinishImport(call_->context(), state_);
      if (!s.ok()) return Stop(s);
      response_ = state_.report;
      finished_ = true;
      StartWriteAndFinish(&response_, grpc::WriteOptions(), call_->End(absl::OkStatus()));
    });
    if (!queued) Stop(AtCapacity());
    return;
  }
  if (first_) {
    state_.options = request_.options();
    first_ = false;
  }
  bool queued = call_->Submit([this] {
    std::vector<v1::ImportRow> rows(request_.rows().begin(), request_.rows().end());
    absl::Status s = logic_.ImportBatch(call_->context(), rows, state_);
    if (!s.ok()) return Stop(s);
    response_.Clear();
    *response_.mutable_progress() = state_.report.progress();
    StartWrite(&response_);
  });
  if (!queued) Stop(AtCapacity());
}

void ImportStream::OnWriteDone(bool ok) {
  if (finished_) return;
  if (!ok) return Stop(absl::CancelledError("the caller went away"));
  StartRead(&request_);
}

}  // namespace lianxin::member
