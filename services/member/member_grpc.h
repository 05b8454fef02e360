// The gRPC face of the member service: one line per RPC, each handing the
// call to the MemberLogic method of the same name through ServiceHost::Unary.
#ifndef LIANXIN_SERVICES_MEMBER_MEMBER_GRPC_H_
#define LIANXIN_SERVICES_MEMBER_MEMBER_GRPC_H_

#include "common/server.h"
#include "lianxin/member/v1/member_service.grpc.pb.h"
#include "services/member/import_stream.h"
#include "services/member/import_stream.h"
#include "services/member/member_logic.h"

namespace lianxin::member {

class MemberGrpc final : public v1::MemberService::CallbackService {
 public:
  static constexpr char kServiceName[] = "lianxin.member.v1.MemberService";
  MemberGrpc(ServiceHost& host, MemberLogic& logic) : host_(host), logic_(logic) {}

  grpc::ServerUnaryReactor* CreateMember(grpc::CallbackServerContext* ctx, const v1::CreateMemberRequest* req, v1::Member* resp) override {
    return host_.Unary(ctx, kServiceName, "CreateMember", [this, req, resp](const CallContext& c) { return logic_.CreateMember(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* GetMember(grpc::CallbackServerContext* ctx, const v1::GetMemberRequest* req, v1::Member* resp) override {
    return host_.Unary(ctx, kServiceName, "GetMember", [this, req, resp](const CallContext& c) { return logic_.GetMember(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* UpdateMember(grpc::CallbackServerContext* ctx, const v1::UpdateMemberRequest* req, v1::Member* resp) override {
    return host_.Unary(ctx, kServiceName, "UpdateMember", [this, req, resp](const CallContext& c) { return logic_.UpdateMember(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* ListMembers(grpc::CallbackServerContext* ctx, const v1::ListMembersRequest* req, v1::ListMembersResponse* resp) override {
    return host_.Unary(ctx, kServiceName, "ListMembers", [this, req, resp](const CallContext& c) { return logic_.ListMembers(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* FindMember(grpc::CallbackServerContext* ctx, const v1::FindMemberRequest* req, v1::Member* resp) override {
    return host_.Unary(ctx, kServiceName, "FindMember", [this, req, resp](const CallContext& c) { return logic_.FindMember(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* ChangeLifecycle(grpc::CallbackServerContext* ctx, const v1::ChangeLifecycleRequest* req, v1::Member* resp) override {
    return host_.Unary(ctx, kServiceName, "ChangeLifecycle", [this, req, resp](const CallContext& c) { return logic_.ChangeLifecycle(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* MarkLost(grpc::CallbackServerContext* ctx, const v1::MarkLostRequest* req, v1::Member* resp) override {
    return host_.Unary(ctx, kServiceName, "MarkLost", [this, req, resp](const CallContext& c) { return logic_.MarkLost(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* MarkFound(grpc::CallbackServerContext* ctx, const v1::MarkFoundRequest* req, v1::Member* resp) override {
    return host_.Unary(ctx, kServiceName, "MarkFound", [this, req, resp](const CallContext& c) { return logic_.MarkFound(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* ListLostMembers(grpc::CallbackServerContext* ctx, const v1::ListLostMembersRequest* req, v1::ListMembersResponse* resp) override {
    return host_.Unary(ctx, kServiceName, "ListLostMembers", [this, req, resp](const CallContext& c) { return logic_.ListLostMembers(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* ListMemberEvents(grpc::CallbackServerContext* ctx, const v1::ListMemberEventsRequest* req, v1::ListMemberEventsResponse* resp) override {
    return host_.Unary(ctx, kServiceName, "ListMemberEvents", [this, req, resp](const CallContext& c) { return logic_.ListMemberEvents(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* ListDisclosures(grpc::CallbackServerContext* ctx, const v1::ListDisclosuresRequest* req, v1::ListDisclosuresResponse* resp) override {
    return host_.Unary(ctx, kServiceName, "ListDisclosures", [this, req, resp](const CallContext& c) { return logic_.ListDisclosures(c, *req, resp); });
  }
  // Streaming: see import_stream.h.
  grpc::ServerBidiReactor<v1::ImportMembersRequest, v1::ImportMembersResponse>* ImportMembers(
      grpc::CallbackServerContext* ctx) override {
    return new ImportStream(host_, logic_, ctx, kServiceName);
  }
 private:
  ServiceHost& host_;
  MemberLogic& logic_;
};

}  // namespace lianxin::member

#endif  // LIANXIN_SERVICES_MEMBER_MEMBER_GRPC_H_
