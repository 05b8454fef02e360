// The gRPC face of the dispatch service: one line per RPC, each handing the
// call to the DispatchLogic method of the same name through ServiceHost:
// Unary for reads and set-up; for changes of a request, UnaryInline when it
// only checks the request or finds what it needs kept in memory (a submission:
// where the place's requests go, the category, the calendar; a dispatch: the
// member) — on a miss it runs again on a worker —, UnaryAsync when it reads
// other services or the database before every change (common/server.h).
#ifndef LIANXIN_SERVICES_DISPATCH_DISPATCH_GRPC_H_
#define LIANXIN_SERVICES_DISPATCH_DISPATCH_GRPC_H_

#include "common/server.h"
#include "lianxin/dispatch/v1/dispatch_service.grpc.pb.h"
#include "services/dispatch/dispatch_logic.h"
#include "services/dispatch/watch_stream.h"

namespace lianxin::dispatch {

class DispatchGrpc final : public v1::DispatchService::CallbackService {
 public:
  static constexpr char kServiceName[] = "lianxin.dispatch.v1.DispatchService";
  DispatchGrpc(ServiceHost& host, DispatchLogic& logic, WatchHub& hub) : host_(host), logic_(logic), hub_(hub) {}

  grpc::ServerUnaryReactor* CreateCategory(grpc::CallbackServerContext* ctx, const v1::CreateCategoryRequest* req, v1::Category* resp) override {
    return host_.Unary(ctx, kServiceName, "CreateCategory", [this, req, resp](const CallContext& c) { return logic_.CreateCategory(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* GetCategory(grpc::CallbackServerContext* ctx, const v1::GetCategoryRequest* req, v1::Category* resp) override {
    return host_.Unary(ctx, kServiceName, "GetCategory", [this, req, resp](const CallContext& c) { return logic_.GetCategory(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* UpdateCategory(grpc::CallbackServerContext* ctx, const v1::UpdateCategoryRequest* req, v1::Category* resp) override {
    return host_.Unary(ctx, kServiceName, "UpdateCategory", [this, req, resp](const CallContext& c) { return logic_.UpdateCategory(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* ListCategories(grpc::CallbackServerContext* ctx, const v1::ListCategoriesRequest* req, v1::ListCategoriesResponse* resp) override {
    return host_.Unary(ctx, kServiceName, "ListCategories", [this, req, resp](const CallContext& c) { return logic_.ListCategories(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* SetCalendarDays(grpc::CallbackServerContext* ctx, const v1::SetCalendarDaysRequest* req, v1::SetCalendarDaysResponse* resp) override {
    return host_.Unary(ctx, kServiceName, "SetCalendarDays", [this, req, resp](const CallContext& c) { return logic_.SetCalendarDays(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* ListCalendarDays(grpc::CallbackServerContext* ctx, const v1::ListCalendarDaysRequest* req, v1::ListCalendarDaysResponse* resp) override {
    return host_.Unary(ctx, kServiceName, "ListCalendarDays", [this, req, resp](const CallContext& c) { return logic_.ListCalendarDays(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* SubmitRequest(grpc::CallbackServerContext* ctx, const v1::SubmitRequestRequest* req, v1::Request* resp) override {
    return host_.UnaryInline(ctx, kServiceName, "SubmitRequest", [this, req, resp](const CallContext& c, UnaryDone done) { return logic_.SubmitRequest(c, *req, resp, std::move(done)); });
  }
  grpc::ServerUnaryReactor* MeToo(grpc::CallbackServerContext* ctx, const v1::MeTooRequest* req, v1::Request* resp) override {
    return host_.UnaryAsync(ctx, kServiceName, "MeToo", [this, req, resp](const CallContext& c, UnaryDone done) { return logic_.MeToo(c, *req, resp, std::move(done)); });
  }
  grpc::ServerUnaryReactor* CancelRequest(grpc::CallbackServerContext* ctx, const v1::CancelRequestRequest* req, v1::Request* resp) override {
    return host_.UnaryInline(ctx, kServiceName, "CancelRequest", [this, req, resp](const CallContext& c, UnaryDone done) { return logic_.CancelRequest(c, *req, resp, std::move(done)); });
  }
  grpc::ServerUnaryReactor* ConfirmRequest(grpc::CallbackServerContext* ctx, const v1::ConfirmRequestRequest* req, v1::Request* resp) override {
    return host_.UnaryInline(ctx, kServiceName, "ConfirmRequest", [this, req, resp](const CallContext& c, UnaryDone done) { return logic_.ConfirmRequest(c, *req, resp, std::move(done)); });
  }
  grpc::ServerUnaryReactor* ReopenRequest(grpc::CallbackServerContext* ctx, const v1::ReopenRequestRequest* req, v1::Request* resp) override {
    return host_.UnaryInline(ctx, kServiceName, "ReopenRequest", [this, req, resp](const CallContext& c, UnaryDone done) { return logic_.ReopenRequest(c, *req, resp, std::move(done)); });
  }
  grpc::ServerUnaryReactor* GetRequest(grpc::CallbackServerContext* ctx, const v1::GetRequestRequest* req, v1::Request* resp) override {
    return host_.Unary(ctx, kServiceName, "GetRequest", [this, req, resp](const CallContext& c) { return logic_.GetRequest(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* ListRequests(grpc::CallbackServerContext* ctx, const v1::ListRequestsRequest* req, v1::ListRequestsResponse* resp) override {
    return host_.Unary(ctx, kServiceName, "ListRequests", [this, req, resp](const CallContext& c) { return logic_.ListRequests(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* ListTimeline(grpc::CallbackServerContext* ctx, const v1::ListTimelineRequest* req, v1::ListTimelineResponse* resp) override {
    return host_.Unary(ctx, kServiceName, "ListTimeline", [this, req, resp](const CallContext& c) { return logic_.ListTimeline(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* SuggestCandidates(grpc::CallbackServerContext* ctx, const v1::SuggestCandidatesRequest* req, v1::SuggestCandidatesResponse* resp) override {
    return host_.Unary(ctx, kServiceName, "SuggestCandidates", [this, req, resp](const CallContext& c) { return logic_.SuggestCandidates(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* DispatchRequest(grpc::CallbackServerContext* ctx, const v1::DispatchRequestRequest* req, v1::Request* resp) override {
    return host_.UnaryInline(ctx, kServiceName, "DispatchRequest", [this, req, resp](const CallContext& c, UnaryDone done) { return logic_.DispatchRequest(c, *req, resp, std::move(done)); });
  }
  grpc::ServerUnaryReactor* OpenForGrab(grpc::CallbackServerContext* ctx, const v1::OpenForGrabRequest* req, v1::Request* resp) override {
    return host_.UnaryAsync(ctx, kServiceName, "OpenForGrab", [this, req, resp](const CallContext& c, UnaryDone done) { return logic_.OpenForGrab(c, *req, resp, std::move(done)); });
  }
  grpc::ServerUnaryReactor* GrabRequest(grpc::CallbackServerContext* ctx, const v1::GrabRequestRequest* req, v1::Request* resp) override {
    return host_.UnaryAsync(ctx, kServiceName, "GrabRequest", [this, req, resp](const CallContext& c, UnaryDone done) { return logic_.GrabRequest(c, *req, resp, std::move(done)); });
  }
  grpc::ServerUnaryReactor* AcceptRequest(grpc::CallbackServerContext* ctx, const v1::AcceptRequestRequest* req, v1::Request* resp) override {
    return host_.UnaryInline(ctx, kServiceName, "AcceptRequest", [this, req, resp](const CallContext& c, UnaryDone done) { return logic_.AcceptRequest(c, *req, resp, std::move(done)); });
  }
  grpc::ServerUnaryReactor* DeclineRequest(grpc::CallbackServerContext* ctx, const v1::DeclineRequestRequest* req, v1::Request* resp) override {
    return host_.UnaryInline(ctx, kServiceName, "DeclineRequest", [this, req, resp](const CallContext& c, UnaryDone done) { return logic_.DeclineRequest(c, *req, resp, std::move(done)); });
  }
  grpc::ServerUnaryReactor* RecordProgress(grpc::CallbackServerContext* ctx, const v1::RecordProgressRequest* req, v1::Request* resp) override {
    return host_.UnaryInline(ctx, kServiceName, "RecordProgress", [this, req, resp](const CallContext& c, UnaryDone done) { return logic_.RecordProgress(c, *req, resp, std::move(done)); });
  }
  grpc::ServerUnaryReactor* HandOffRequest(grpc::CallbackServerContext* ctx, const v1::HandOffRequestRequest* req, v1::Request* resp) override {
    return host_.UnaryInline(ctx, kServiceName, "HandOffRequest", [this, req, resp](const CallContext& c, UnaryDone done) { return logic_.HandOffRequest(c, *req, resp, std::move(done)); });
  }
  grpc::ServerUnaryReactor* ResolveRequest(grpc::CallbackServerContext* ctx, const v1::ResolveRequestRequest* req, v1::Request* resp) override {
    return host_.UnaryInline(ctx, kServiceName, "ResolveRequest", [this, req, resp](const CallContext& c, UnaryDone done) { return logic_.ResolveRequest(c, *req, resp, std::move(done)); });
  }
  grpc::ServerUnaryReactor* GetFigures(grpc::CallbackServerContext* ctx, const v1::GetFiguresRequest* req, v1::GetFiguresResponse* resp) override {
    return host_.Unary(ctx, kServiceName, "GetFigures", [this, req, resp](const CallContext& c) { return logic_.GetFigures(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* ListPhoneReads(grpc::CallbackServerContext* ctx, const v1::ListPhoneReadsRequest* req, v1::ListPhoneReadsResponse* resp) override {
    return host_.Unary(ctx, kServiceName, "ListPhoneReads", [this, req, resp](const CallContext& c) { return logic_.ListPhoneReads(c, *req, resp); });
  }
  grpc::ServerUnaryReactor* ListEvents(grpc::CallbackServerContext* ctx, const v1::ListEventsRequest* req, v1::ListEventsResponse* resp) override {
    return host_.Unary(ctx, kServiceName, "ListEvents", [this, req, resp](const CallContext& c) { return logic_.ListEvents(c, *req, resp); });
  }
  // Streaming: see watch_stream.h.
  grpc::ServerWriteReactor<v1::RequestChange>* WatchRequests(grpc::CallbackServerContext* ctx,
                                                             const v1::WatchRequestsRequest* req) override {
    return new WatchStream(host_, logic_, hub_, ctx, kServiceName, req);
  }
 private:
  ServiceHost& host_;
  DispatchLogic& logic_;
  WatchHub& hub_;
};

}  // namespace lianxin::dispatch

#endif  // LIANXIN_SERVICES_DISPATCH_DISPATCH_GRPC_H_
