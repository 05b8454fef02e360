// The gRPC side of ImportMembers: a bidirectional stream that reads a batch,
// has MemberLogic::ImportBatch process it on the worker pool, writes the
// progress, and reads the next — one step at a time, so a fast sender waits
// for the database instead of filling memory. The end of the client's stream
// finishes the import and writes the report.
#ifndef LIANXIN_SERVICES_MEMBER_IMPORT_STREAM_H_
#define LIANXIN_SERVICES_MEMBER_IMPORT_STREAM_H_

#include <grpcpp/grpcpp.h>

#include <memory>

#include "common/server.h"
#include "lianxin/member/v1/member_service.pb.h"
#include "services/member/member_logic.h"

namespace lianxin::member {

class ImportStream : public grpc::ServerBidiReactor<v1::ImportMembersRequest, v1::ImportMembersResponse> {
 public:
  ImportStream(ServiceHost& host, MemberLogic& logic, grpc::CallbackServerContext* ctx, const char* service);
  void OnReadDone(bool ok) override;
  void OnWriteDone(bool ok) override;
  void OnDone() override { delete this; }

 private:
  void Stop(const absl::Status& status);

  ServiceHost& host_;
  MemberLogic& logic_;
  grpc::CallbackServerContext* ctx_;
  std::shared_ptr<ActiveCall> call_;
  v1::ImportMembersRequest request_;
  v1::ImportMembersResponse response_;
  ImportState state_;
  bool first_ = true;
  bool finished_ = false;
};

}  // namespace lianxin::member

#endif  // LIANXIN_SERVICES_MEMBER_IMPORT_STREAM_H_
