// The gRPC face of the member service: one line per RPC, each handing the
// call to the MemberLogic method of the same name through ServiceHost::Unary.
#ifndef LIANXIN_SERVICES_MEMBER_MEMBER_GRPC_H_
#define LIANXIN_SERVICES_MEMBER_MEMBER_GRPC_H_

#include "common/adapter.h"
#include "lianxin/member/v1/member_service.grpc.pb.h"
#include "services/member/import_stream.h"
#include "services/member/member_logic.h"

namespace lianxin::member {

class MemberGrpc final : public v1::MemberService::CallbackService, Adapter<MemberLogic> {
 public:
  static constexpr char kServiceName[] = "lianxin.member.v1.MemberService";
  MemberGrpc(ServiceHost& host, MemberLogic& logic) : Adapter(host, logic, kServiceName) {}

  Reactor* CreateMember(Ctx* ctx, const v1::CreateMemberRequest* req, v1::Member* resp) override {
    return Unary(ctx, "CreateMember", &MemberLogic::CreateMember, req, resp);
  }
  Reactor* GetMember(Ctx* ctx, const v1::GetMemberRequest* req, v1::Member* resp) override {
    return Unary(ctx, "GetMember", &MemberLogic::GetMember, req, resp);
  }
  Reactor* UpdateMember(Ctx* ctx, const v1::UpdateMemberRequest* req, v1::Member* resp) override {
    return Unary(ctx, "UpdateMember", &MemberLogic::UpdateMember, req, resp);
  }
  Reactor* ListMembers(Ctx* ctx, const v1::ListMembersRequest* req, v1::ListMembersResponse* resp) override {
    return Unary(ctx, "ListMembers", &MemberLogic::ListMembers, req, resp);
  }
  Reactor* FindMember(Ctx* ctx, const v1::FindMemberRequest* req, v1::Member* resp) override {
    return Unary(ctx, "FindMember", &MemberLogic::FindMember, req, resp);
  }
  Reactor* ChangeLifecycle(Ctx* ctx, const v1::ChangeLifecycleRequest* req, v1::Member* resp) override {
    return Unary(ctx, "ChangeLifecycle", &MemberLogic::ChangeLifecycle, req, resp);
  }
  Reactor* CompleteProbation(Ctx* ctx, const v1::CompleteProbationRequest* req, v1::Member* resp) override {
    return Unary(ctx, "CompleteProbation", &MemberLogic::CompleteProbation, req, resp);
  }
  Reactor* ExtendProbation(Ctx* ctx, const v1::ExtendProbationRequest* req, v1::Member* resp) override {
    return Unary(ctx, "ExtendProbation", &MemberLogic::ExtendProbation, req, resp);
  }
  Reactor* AppraiseMember(Ctx* ctx, const v1::AppraiseMemberRequest* req, v1::Appraisal* resp) override {
    return Unary(ctx, "AppraiseMember", &MemberLogic::AppraiseMember, req, resp);
  }
  Reactor* ListAppraisals(Ctx* ctx, const v1::ListAppraisalsRequest* req, v1::ListAppraisalsResponse* resp) override {
    return Unary(ctx, "ListAppraisals", &MemberLogic::ListAppraisals, req, resp);
  }
  Reactor* ListTodoChanges(Ctx* ctx, const org::v1::ListTodoChangesRequest* req,
                           org::v1::ListTodoChangesResponse* resp) override {
    return Unary(ctx, "ListTodoChanges", &MemberLogic::ListTodoChanges, req, resp);
  }
  Reactor* MarkLost(Ctx* ctx, const v1::MarkLostRequest* req, v1::Member* resp) override {
    return Unary(ctx, "MarkLost", &MemberLogic::MarkLost, req, resp);
  }
  Reactor* MarkFound(Ctx* ctx, const v1::MarkFoundRequest* req, v1::Member* resp) override {
    return Unary(ctx, "MarkFound", &MemberLogic::MarkFound, req, resp);
  }
  Reactor* ListLostMembers(Ctx* ctx, const v1::ListLostMembersRequest* req, v1::ListMembersResponse* resp) override {
    return Unary(ctx, "ListLostMembers", &MemberLogic::ListLostMembers, req, resp);
  }
  Reactor* ListMemberEvents(Ctx* ctx, const v1::ListMemberEventsRequest* req,
                            v1::ListMemberEventsResponse* resp) override {
    return Unary(ctx, "ListMemberEvents", &MemberLogic::ListMemberEvents, req, resp);
  }
  Reactor* ListDisclosures(Ctx* ctx, const v1::ListDisclosuresRequest* req,
                           v1::ListDisclosuresResponse* resp) override {
    return Unary(ctx, "ListDisclosures", &MemberLogic::ListDisclosures, req, resp);
  }
  Reactor* CountMembers(Ctx* ctx, const v1::CountMembersRequest* req, v1::CountMembersResponse* resp) override {
    return Unary(ctx, "CountMembers", &MemberLogic::CountMembers, req, resp);
  }
  Reactor* MoveMembers(Ctx* ctx, const v1::MoveMembersRequest* req, v1::MoveMembersResponse* resp) override {
    return Unary(ctx, "MoveMembers", &MemberLogic::MoveMembers, req, resp);
  }
  Reactor* RotateKeys(Ctx* ctx, const v1::RotateKeysRequest* req, v1::RotateKeysResponse* resp) override {
    return Unary(ctx, "RotateKeys", &MemberLogic::RotateKeys, req, resp);
  }
  Reactor* CreateRegistrationCode(Ctx* ctx, const v1::CreateRegistrationCodeRequest* req,
                                  v1::RegistrationCode* resp) override {
    return Unary(ctx, "CreateRegistrationCode", &MemberLogic::CreateRegistrationCode, req, resp);
  }
  Reactor* GetRegistrationCode(Ctx* ctx, const v1::GetRegistrationCodeRequest* req,
                               v1::RegistrationCode* resp) override {
    return Unary(ctx, "GetRegistrationCode", &MemberLogic::GetRegistrationCode, req, resp);
  }
  Reactor* RevokeRegistrationCode(Ctx* ctx, const v1::RevokeRegistrationCodeRequest* req,
                                  v1::RegistrationCode* resp) override {
    return Unary(ctx, "RevokeRegistrationCode", &MemberLogic::RevokeRegistrationCode, req, resp);
  }
  Reactor* ListRegistrationCodes(Ctx* ctx, const v1::ListRegistrationCodesRequest* req,
                                 v1::ListRegistrationCodesResponse* resp) override {
    return Unary(ctx, "ListRegistrationCodes", &MemberLogic::ListRegistrationCodes, req, resp);
  }
  Reactor* SubmitRegistration(Ctx* ctx, const v1::SubmitRegistrationRequest* req, v1::Registration* resp) override {
    return Unary(ctx, "SubmitRegistration", &MemberLogic::SubmitRegistration, req, resp);
  }
  Reactor* GetRegistration(Ctx* ctx, const v1::GetRegistrationRequest* req, v1::Registration* resp) override {
    return Unary(ctx, "GetRegistration", &MemberLogic::GetRegistration, req, resp);
  }
  Reactor* ListRegistrations(Ctx* ctx, const v1::ListRegistrationsRequest* req,
                             v1::ListRegistrationsResponse* resp) override {
    return Unary(ctx, "ListRegistrations", &MemberLogic::ListRegistrations, req, resp);
  }
  Reactor* ConfirmRegistration(Ctx* ctx, const v1::ConfirmRegistrationRequest* req, v1::Registration* resp) override {
    return Unary(ctx, "ConfirmRegistration", &MemberLogic::ConfirmRegistration, req, resp);
  }
  Reactor* RejectRegistration(Ctx* ctx, const v1::RejectRegistrationRequest* req, v1::Registration* resp) override {
    return Unary(ctx, "RejectRegistration", &MemberLogic::RejectRegistration, req, resp);
  }
  Reactor* StartTransfer(Ctx* ctx, const v1::StartTransferRequest* req, v1::Transfer* resp) override {
    return Unary(ctx, "StartTransfer", &MemberLogic::StartTransfer, req, resp);
  }
  Reactor* GetTransfer(Ctx* ctx, const v1::GetTransferRequest* req, v1::Transfer* resp) override {
    return Unary(ctx, "GetTransfer", &MemberLogic::GetTransfer, req, resp);
  }
  Reactor* ListTransfers(Ctx* ctx, const v1::ListTransfersRequest* req, v1::ListTransfersResponse* resp) override {
    return Unary(ctx, "ListTransfers", &MemberLogic::ListTransfers, req, resp);
  }
  Reactor* ApproveTransfer(Ctx* ctx, const v1::ApproveTransferRequest* req, v1::Transfer* resp) override {
    return Unary(ctx, "ApproveTransfer", &MemberLogic::ApproveTransfer, req, resp);
  }
  Reactor* ReturnTransfer(Ctx* ctx, const v1::ReturnTransferRequest* req, v1::Transfer* resp) override {
    return Unary(ctx, "ReturnTransfer", &MemberLogic::ReturnTransfer, req, resp);
  }
  Reactor* CancelTransfer(Ctx* ctx, const v1::CancelTransferRequest* req, v1::Transfer* resp) override {
    return Unary(ctx, "CancelTransfer", &MemberLogic::CancelTransfer, req, resp);
  }
  // Streaming: see import_stream.h.
  grpc::ServerBidiReactor<v1::ImportMembersRequest, v1::ImportMembersResponse>* ImportMembers(
      grpc::CallbackServerContext* ctx) override {
    return new ImportStream(host(), logic(), ctx, kServiceName);
  }
};

}  // namespace lianxin::member

#endif  // LIANXIN_SERVICES_MEMBER_MEMBER_GRPC_H_
