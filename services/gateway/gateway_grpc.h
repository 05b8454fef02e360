// The gRPC face of the gateway's own API (the three services of
// lianxin.gateway.v1): one line per RPC, each handing the call to the
// GatewayLogic method of the same name through ServiceHost::Unary. Callers
// reach these through the front door (front_door.h) like every other method.
#ifndef LIANXIN_SERVICES_GATEWAY_GATEWAY_GRPC_H_
#define LIANXIN_SERVICES_GATEWAY_GATEWAY_GRPC_H_

#include "common/adapter.h"
#include "lianxin/gateway/v1/account_service.grpc.pb.h"
#include "lianxin/gateway/v1/audit_service.grpc.pb.h"
#include "lianxin/gateway/v1/session_service.grpc.pb.h"
#include "services/gateway/gateway_logic.h"

namespace lianxin::gateway {

class SessionGrpc final : public v1::SessionService::CallbackService, Adapter<GatewayLogic> {
 public:
  static constexpr char kServiceName[] = "lianxin.gateway.v1.SessionService";
  SessionGrpc(ServiceHost& host, GatewayLogic& logic) : Adapter(host, logic, kServiceName) {}

  Reactor* SignIn(Ctx* ctx, const v1::SignInRequest* req, v1::Session* resp) override {
    return Unary(ctx, "SignIn", &GatewayLogic::SignIn, req, resp);
  }
  Reactor* SignInClient(Ctx* ctx, const v1::SignInClientRequest* req, v1::Session* resp) override {
    return Unary(ctx, "SignInClient", &GatewayLogic::SignInClient, req, resp);
  }
  Reactor* SignOut(Ctx* ctx, const v1::SignOutRequest* req, v1::SignOutResponse* resp) override {
    return Unary(ctx, "SignOut", &GatewayLogic::SignOut, req, resp);
  }
  Reactor* ChangePassword(Ctx* ctx, const v1::ChangePasswordRequest* req, v1::ChangePasswordResponse* resp) override {
    return Unary(ctx, "ChangePassword", &GatewayLogic::ChangePassword, req, resp);
  }
  Reactor* BeginTotpEnrollment(Ctx* ctx, const v1::BeginTotpEnrollmentRequest* req, v1::TotpEnrollment* resp) override {
    return Unary(ctx, "BeginTotpEnrollment", &GatewayLogic::BeginTotpEnrollment, req, resp);
  }
  Reactor* ConfirmTotpEnrollment(Ctx* ctx, const v1::ConfirmTotpEnrollmentRequest* req, v1::Account* resp) override {
    return Unary(ctx, "ConfirmTotpEnrollment", &GatewayLogic::ConfirmTotpEnrollment, req, resp);
  }
  Reactor* BindMember(Ctx* ctx, const v1::BindMemberRequest* req, v1::MemberBinding* resp) override {
    return Unary(ctx, "BindMember", &GatewayLogic::BindMember, req, resp);
  }
};

class AccountGrpc final : public v1::AccountService::CallbackService, Adapter<GatewayLogic> {
 public:
  static constexpr char kServiceName[] = "lianxin.gateway.v1.AccountService";
  AccountGrpc(ServiceHost& host, GatewayLogic& logic) : Adapter(host, logic, kServiceName) {}

  Reactor* CreateAccount(Ctx* ctx, const v1::CreateAccountRequest* req, v1::Account* resp) override {
    return Unary(ctx, "CreateAccount", &GatewayLogic::CreateAccount, req, resp);
  }
  Reactor* GetAccount(Ctx* ctx, const v1::GetAccountRequest* req, v1::Account* resp) override {
    return Unary(ctx, "GetAccount", &GatewayLogic::GetAccount, req, resp);
  }
  Reactor* ListAccounts(Ctx* ctx, const v1::ListAccountsRequest* req, v1::ListAccountsResponse* resp) override {
    return Unary(ctx, "ListAccounts", &GatewayLogic::ListAccounts, req, resp);
  }
  Reactor* UpdateAccount(Ctx* ctx, const v1::UpdateAccountRequest* req, v1::Account* resp) override {
    return Unary(ctx, "UpdateAccount", &GatewayLogic::UpdateAccount, req, resp);
  }
  Reactor* ResetAccount(Ctx* ctx, const v1::ResetAccountRequest* req, v1::Account* resp) override {
    return Unary(ctx, "ResetAccount", &GatewayLogic::ResetAccount, req, resp);
  }
  Reactor* CreateClient(Ctx* ctx, const v1::CreateClientRequest* req, v1::ClientWithSecret* resp) override {
    return Unary(ctx, "CreateClient", &GatewayLogic::CreateClient, req, resp);
  }
  Reactor* ListClients(Ctx* ctx, const v1::ListClientsRequest* req, v1::ListClientsResponse* resp) override {
    return Unary(ctx, "ListClients", &GatewayLogic::ListClients, req, resp);
  }
  Reactor* UpdateClient(Ctx* ctx, const v1::UpdateClientRequest* req, v1::Client* resp) override {
    return Unary(ctx, "UpdateClient", &GatewayLogic::UpdateClient, req, resp);
  }
  Reactor* ResetClientSecret(Ctx* ctx, const v1::ResetClientSecretRequest* req, v1::ClientWithSecret* resp) override {
    return Unary(ctx, "ResetClientSecret", &GatewayLogic::ResetClientSecret, req, resp);
  }
  Reactor* IssueBindingCode(Ctx* ctx, const v1::IssueBindingCodeRequest* req, v1::BindingCode* resp) override {
    return Unary(ctx, "IssueBindingCode", &GatewayLogic::IssueBindingCode, req, resp);
  }
  Reactor* ListAccountEvents(Ctx* ctx, const v1::ListAccountEventsRequest* req,
                             v1::ListAccountEventsResponse* resp) override {
    return Unary(ctx, "ListAccountEvents", &GatewayLogic::ListAccountEvents, req, resp);
  }
};

class AuditGrpc final : public v1::AuditService::CallbackService, Adapter<GatewayLogic> {
 public:
  static constexpr char kServiceName[] = "lianxin.gateway.v1.AuditService";
  AuditGrpc(ServiceHost& host, GatewayLogic& logic) : Adapter(host, logic, kServiceName) {}

  Reactor* ListAuditRecords(Ctx* ctx, const v1::ListAuditRecordsRequest* req,
                            v1::ListAuditRecordsResponse* resp) override {
    return Unary(ctx, "ListAuditRecords", &GatewayLogic::ListAuditRecords, req, resp);
  }
  Reactor* VerifyAuditChain(Ctx* ctx, const v1::VerifyAuditChainRequest* req,
                            v1::VerifyAuditChainResponse* resp) override {
    return Unary(ctx, "VerifyAuditChain", &GatewayLogic::VerifyAuditChain, req, resp);
  }
};

}  // namespace lianxin::gateway

#endif  // LIANXIN_SERVICES_GATEWAY_GATEWAY_GRPC_H_
