#include "services/clients/member/import_client.h"

#include "common/client.h"
#include "common/status.h"

namespace lianxin::member {

absl::StatusOr<v1::ImportMembersResponse> StreamImport(
    v1::MemberService::Stub& stub, const std::string& token, const v1::ImportOptions& options,
    const std::vector<v1::ImportRow>& rows, int batch_size,
    const std::function<void(const v1::ImportProgress&)>& on_progress) {
  grpc::ClientContext ctx;
  PrepareClientContext(&ctx, token, "", absl::Hours(1));
  auto stream = stub.ImportMembers(&ctx);
  v1::ImportMembersResponse resp, last;
  size_t next = 0;
  bool first = true;
  // One batch out, its progress back: the server works one batch at a time.
  while (next < rows.size() || first) {
    v1::ImportMembersRequest req;
    if (first) *req.mutable_options() = options;
    first = false;
    for (int i = 0; i < batch_size && next < rows.size(); ++i) *req.add_rows() = rows[next++];
    if (!stream->Write(req)) break;
    if (!stream->Read(&resp)) break;
    if (on_progress) on_progress(resp.progress());
  }
  stream->WritesDone();
  while (stream->Read(&resp)) last = resp;
  grpc::Status s = stream->Finish();
  if (!s.ok()) return FromGrpcStatus(s);
  if (!last.done()) return absl::InternalError("the import stream ended without a report");
  return last;
}

}  // namespace lianxin::member
