// The gRPC face of the member service: one line per RPC, each handing the
// call to the MemberLogic method of the same name through ServiceHost::Unary.
#ifndef LIANXIN_SERVICES_MEMBER_MEMBER_GRPC_H_
#define LIANXIN_SERVICES_MEMBER_MEMBER_GRPC_H_

#include "common/server.h"
#include "lianxin/member/v1/member_service.grpc.pb.h"
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
  grpc::ServerUnaryReactor* CountMembers(grpc::CallbackServerContext* ctx, const v1::CountMembersRequest* req, v1::CountMembersResponse* resp) override {
    return host_.Unary(ctx, kServiceName, "CountMembers", [this, req, resp](const CallContext& c) { return logic_.CountMembers(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* MoveMembers(grpc::CallbackServerContext* ctx, const v1::MoveMembersRequest* req, v1::MoveMembersResponse* resp) override {
    return host_.Unary(ctx, kServiceName, "MoveMembers", [this, req, resp](const CallContext& c) { return logic_.MoveMembers(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* RotateKeys(grpc::CallbackServerContext* ctx, const v1::RotateKeysRequest* req, v1::RotateKeysResponse* resp) override {
    return host_.Unary(ctx, kServiceName, "RotateKeys", [this, req, resp](const CallContext& c) { return logic_.RotateKeys(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* CreateRegistrationCode(grpc::CallbackServerContext* ctx, const v1::CreateRegistrationCodeRequest* req, v1::RegistrationCode* resp) override {
    return host_.Unary(ctx, kServiceName, "CreateRegistrationCode", [this, req, resp](const CallContext& c) { return logic_.CreateRegistrationCode(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* GetRegistrationCode(grpc::CallbackServerContext* ctx, const v1::GetRegistrationCodeRequest* req, v1::RegistrationCode* resp) override {
    return host_.Unary(ctx, kServiceName, "GetRegistrationCode", [this, req, resp](const CallContext& c) { return logic_.GetRegistrationCode(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* RevokeRegistrationCode(grpc::CallbackServerContext* ctx, const v1::RevokeRegistrationCodeRequest* req, v1::RegistrationCode* resp) override {
    return host_.Unary(ctx, kServiceName, "RevokeRegistrationCode", [this, req, resp](const CallContext& c) { return logic_.RevokeRegistrationCode(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* ListRegistrationCodes(grpc::CallbackServerContext* ctx, const v1::ListRegistrationCodesRequest* req, v1::ListRegistrationCodesResponse* resp) override {
    return host_.Unary(ctx, kServiceName, "ListRegistrationCodes", [this, req, resp](const CallContext& c) { return logic_.ListRegistrationCodes(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* SubmitRegistration(grpc::CallbackServerContext* ctx, const v1::SubmitRegistrationRequest* req, v1::Registration* resp) override {
    return host_.Unary(ctx, kServiceName, "SubmitRegistration", [this, req, resp](const CallContext& c) { return logic_.SubmitRegistration(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* GetRegistration(grpc::CallbackServerContext* ctx, const v1::GetRegistrationRequest* req, v1::Registration* resp) override {
    return host_.Unary(ctx, kServiceName, "GetRegistration", [this, req, resp](const CallContext& c) { return logic_.GetRegistration(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* ListRegistrations(grpc::CallbackServerContext* ctx, const v1::ListRegistrationsRequest* req, v1::ListRegistrationsResponse* resp) override {
    return host_.Unary(ctx, kServiceName, "ListRegistrations", [this, req, resp](const CallContext& c) { return logic_.ListRegistrations(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* ConfirmRegistration(grpc::CallbackServerContext* ctx, const v1::ConfirmRegistrationRequest* req, v1::Registration* resp) override {
    return host_.Unary(ctx, kServiceName, "ConfirmRegistration", [this, req, resp](const CallContext& c) { return logic_.ConfirmRegistration(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* RejectRegistration(grpc::CallbackServerContext* ctx, const v1::RejectRegistrationRequest* req, v1::Registration* resp) override {
    return host_.Unary(ctx, kServiceName, "RejectRegistration", [this, req, resp](const CallContext& c) { return logic_.RejectRegistration(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* StartTransfer(grpc::CallbackServerContext* ctx, const v1::StartTransferRequest* req, v1::Transfer* resp) override {
    return host_.Unary(ctx, kServiceName, "StartTransfer", [this, req, resp](const CallContext& c) { return logic_.StartTransfer(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* GetTransfer(grpc::CallbackServerContext* ctx, const v1::GetTransferRequest* req, v1::Transfer* resp) override {
    return host_.Unary(ctx, kServiceName, "GetTransfer", [this, req, resp](const CallContext& c) { return logic_.GetTransfer(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* ListTransfers(grpc::CallbackServerContext* ctx, const v1::ListTransfersRequest* req, v1::ListTransfersResponse* resp) override {
    return host_.Unary(ctx, kServiceName, "ListTransfers", [this, req, resp](const CallContext& c) { return logic_.ListTransfers(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* ApproveTransfer(grpc::CallbackServerContext* ctx, const v1::ApproveTransferRequest* req, v1::Transfer* resp) override {
    return host_.Unary(ctx, kServiceName, "ApproveTransfer", [this, req, resp](const CallContext& c) { return logic_.ApproveTransfer(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* ReturnTransfer(grpc::CallbackServerContext* ctx, const v1::ReturnTransferRequest* req, v1::Transfer* resp) override {
    return host_.Unary(ctx, kServiceName, "ReturnTransfer", [this, req, resp](const CallContext& c) { return logic_.ReturnTransfer(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* CancelTransfer(grpc::CallbackServerContext* ctx, const v1::CancelTransferRequest* req, v1::Transfer* resp) override {
    return host_.Unary(ctx, kServiceName, "CancelTransfer", [this, req, resp](const CallContext& c) { return logic_.CancelTransfer(c, *req, resp); });
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
