// The gRPC face of the dispatch service: one line per RPC, each handing the
// call to the DispatchLogic method of the same name through ServiceHost:
// Unary for reads and set-up; for changes of a request, UnaryInline when it
// only checks the request or finds what it needs kept in memory (a submission:
// where the place's requests go, the category, the calendar; a dispatch: the
// member) — on a miss it runs again on a worker —, UnaryAsync when it reads
// other services or the database before every change (common/server.h).
#ifndef LIANXIN_SERVICES_DISPATCH_DISPATCH_GRPC_H_
#define LIANXIN_SERVICES_DISPATCH_DISPATCH_GRPC_H_

#include "common/adapter.h"
#include "lianxin/dispatch/v1/dispatch_service.grpc.pb.h"
#include "services/dispatch/dispatch_logic.h"
#include "services/dispatch/watch_stream.h"

namespace lianxin::dispatch {

class DispatchGrpc final : public v1::DispatchService::CallbackService, Adapter<DispatchLogic> {
 public:
  static constexpr char kServiceName[] = "lianxin.dispatch.v1.DispatchService";
  DispatchGrpc(ServiceHost& host, DispatchLogic& logic, WatchHub& hub)
      : Adapter(host, logic, kServiceName), hub_(hub) {}

  Reactor* CreateCategory(Ctx* ctx, const v1::CreateCategoryRequest* req, v1::Category* resp) override {
    return Unary(ctx, "CreateCategory", &DispatchLogic::CreateCategory, req, resp);
  }
  Reactor* GetCategory(Ctx* ctx, const v1::GetCategoryRequest* req, v1::Category* resp) override {
    return Unary(ctx, "GetCategory", &DispatchLogic::GetCategory, req, resp);
  }
  Reactor* UpdateCategory(Ctx* ctx, const v1::UpdateCategoryRequest* req, v1::Category* resp) override {
    return Unary(ctx, "UpdateCategory", &DispatchLogic::UpdateCategory, req, resp);
  }
  Reactor* ListCategories(Ctx* ctx, const v1::ListCategoriesRequest* req, v1::ListCategoriesResponse* resp) override {
    return Unary(ctx, "ListCategories", &DispatchLogic::ListCategories, req, resp);
  }
  Reactor* SetCalendarDays(Ctx* ctx, const v1::SetCalendarDaysRequest* req,
                           v1::SetCalendarDaysResponse* resp) override {
    return Unary(ctx, "SetCalendarDays", &DispatchLogic::SetCalendarDays, req, resp);
  }
  Reactor* ListCalendarDays(Ctx* ctx, const v1::ListCalendarDaysRequest* req,
                            v1::ListCalendarDaysResponse* resp) override {
    return Unary(ctx, "ListCalendarDays", &DispatchLogic::ListCalendarDays, req, resp);
  }
  Reactor* SubmitRequest(Ctx* ctx, const v1::SubmitRequestRequest* req, v1::Request* resp) override {
    return UnaryInline(ctx, "SubmitRequest", &DispatchLogic::SubmitRequest, req, resp);
  }
  Reactor* MeToo(Ctx* ctx, const v1::MeTooRequest* req, v1::Request* resp) override {
    return UnaryAsync(ctx, "MeToo", &DispatchLogic::MeToo, req, resp);
  }
  Reactor* CancelRequest(Ctx* ctx, const v1::CancelRequestRequest* req, v1::Request* resp) override {
    return UnaryInline(ctx, "CancelRequest", &DispatchLogic::CancelRequest, req, resp);
  }
  Reactor* ConfirmRequest(Ctx* ctx, const v1::ConfirmRequestRequest* req, v1::Request* resp) override {
    return UnaryInline(ctx, "ConfirmRequest", &DispatchLogic::ConfirmRequest, req, resp);
  }
  Reactor* ReopenRequest(Ctx* ctx, const v1::ReopenRequestRequest* req, v1::Request* resp) override {
    return UnaryInline(ctx, "ReopenRequest", &DispatchLogic::ReopenRequest, req, resp);
  }
  Reactor* GetRequest(Ctx* ctx, const v1::GetRequestRequest* req, v1::Request* resp) override {
    return Unary(ctx, "GetRequest", &DispatchLogic::GetRequest, req, resp);
  }
  Reactor* ListRequests(Ctx* ctx, const v1::ListRequestsRequest* req, v1::ListRequestsResponse* resp) override {
    return Unary(ctx, "ListRequests", &DispatchLogic::ListRequests, req, resp);
  }
  Reactor* ListTimeline(Ctx* ctx, const v1::ListTimelineRequest* req, v1::ListTimelineResponse* resp) override {
    return Unary(ctx, "ListTimeline", &DispatchLogic::ListTimeline, req, resp);
  }
  Reactor* SuggestCandidates(Ctx* ctx, const v1::SuggestCandidatesRequest* req,
                             v1::SuggestCandidatesResponse* resp) override {
    return Unary(ctx, "SuggestCandidates", &DispatchLogic::SuggestCandidates, req, resp);
  }
  Reactor* DispatchRequest(Ctx* ctx, const v1::DispatchRequestRequest* req, v1::Request* resp) override {
    return UnaryInline(ctx, "DispatchRequest", &DispatchLogic::DispatchRequest, req, resp);
  }
  Reactor* OpenForGrab(Ctx* ctx, const v1::OpenForGrabRequest* req, v1::Request* resp) override {
    return UnaryAsync(ctx, "OpenForGrab", &DispatchLogic::OpenForGrab, req, resp);
  }
  Reactor* GrabRequest(Ctx* ctx, const v1::GrabRequestRequest* req, v1::Request* resp) override {
    return UnaryAsync(ctx, "GrabRequest", &DispatchLogic::GrabRequest, req, resp);
  }
  Reactor* AcceptRequest(Ctx* ctx, const v1::AcceptRequestRequest* req, v1::Request* resp) override {
    return UnaryInline(ctx, "AcceptRequest", &DispatchLogic::AcceptRequest, req, resp);
  }
  Reactor* RejectRequest(Ctx* ctx, const v1::RejectRequestRequest* req, v1::Request* resp) override {
    return UnaryInline(ctx, "RejectRequest", &DispatchLogic::RejectRequest, req, resp);
  }
  Reactor* DeclineRequest(Ctx* ctx, const v1::DeclineRequestRequest* req, v1::Request* resp) override {
    return UnaryInline(ctx, "DeclineRequest", &DispatchLogic::DeclineRequest, req, resp);
  }
  Reactor* RecordProgress(Ctx* ctx, const v1::RecordProgressRequest* req, v1::Request* resp) override {
    return UnaryInline(ctx, "RecordProgress", &DispatchLogic::RecordProgress, req, resp);
  }
  Reactor* HandOffRequest(Ctx* ctx, const v1::HandOffRequestRequest* req, v1::Request* resp) override {
    return UnaryInline(ctx, "HandOffRequest", &DispatchLogic::HandOffRequest, req, resp);
  }
  Reactor* ResolveRequest(Ctx* ctx, const v1::ResolveRequestRequest* req, v1::Request* resp) override {
    return UnaryInline(ctx, "ResolveRequest", &DispatchLogic::ResolveRequest, req, resp);
  }
  Reactor* GetEmployerReport(Ctx* ctx, const v1::GetEmployerReportRequest* req,
                             v1::GetEmployerReportResponse* resp) override {
    return Unary(ctx, "GetEmployerReport", &DispatchLogic::GetEmployerReport, req, resp);
  }
  Reactor* ImportLedger(Ctx* ctx, const v1::ImportLedgerRequest* req, v1::ImportLedgerResponse* resp) override {
    return Unary(ctx, "ImportLedger", &DispatchLogic::ImportLedger, req, resp);
  }
  Reactor* GetFigures(Ctx* ctx, const v1::GetFiguresRequest* req, v1::GetFiguresResponse* resp) override {
    return Unary(ctx, "GetFigures", &DispatchLogic::GetFigures, req, resp);
  }
  Reactor* ListPhoneReads(Ctx* ctx, const v1::ListPhoneReadsRequest* req, v1::ListPhoneReadsResponse* resp) override {
    return Unary(ctx, "ListPhoneReads", &DispatchLogic::ListPhoneReads, req, resp);
  }
  Reactor* ListEvents(Ctx* ctx, const v1::ListEventsRequest* req, v1::ListEventsResponse* resp) override {
    return Unary(ctx, "ListEvents", &DispatchLogic::ListEvents, req, resp);
  }
  Reactor* ListTodoChanges(Ctx* ctx, const org::v1::ListTodoChangesRequest* req,
                           org::v1::ListTodoChangesResponse* resp) override {
    return Unary(ctx, "ListTodoChanges", &DispatchLogic::ListTodoChanges, req, resp);
  }
  // Streaming: see watch_stream.h.
  grpc::ServerWriteReactor<v1::RequestChange>* WatchRequests(grpc::CallbackServerContext* ctx,
                                                             const v1::WatchRequestsRequest* req) override {
    return new WatchStream(host(), logic(), hub_, ctx, kServiceName, req);
  }

 private:
  WatchHub& hub_;
};

}  // namespace lianxin::dispatch

#endif  // LIANXIN_SERVICES_DISPATCH_DISPATCH_GRPC_H_
