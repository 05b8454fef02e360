// The base of every service's gRPC adapter (services/<name>/<name>_grpc.h):
// each RPC is one line handing the call to the logic method of the same name
// through ServiceHost, which authenticates it, runs it on the worker pool (or
// inline), counts it, logs it and maps its status.
//
//   class OrgGrpc final : public v1::OrgService::CallbackService, Adapter<OrgLogic> {
//    public:
//     OrgGrpc(ServiceHost& host, OrgLogic& logic) : Adapter(host, logic, "lianxin.org.v1.OrgService") {}
//     Reactor* GetOrgUnit(Ctx* ctx, const v1::GetOrgUnitRequest* req, v1::OrgUnit* resp) override {
//       return Unary(ctx, "GetOrgUnit", &OrgLogic::GetOrgUnit, req, resp);
//     }
//   };
#ifndef LIANXIN_COMMON_ADAPTER_H_
#define LIANXIN_COMMON_ADAPTER_H_

#include <google/protobuf/message.h>
#include <grpcpp/grpcpp.h>

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/call_context.h"
#include "common/server.h"
#include "common/status.h"

namespace lianxin {

template <typename Logic>
class Adapter {
 public:
  using Ctx = grpc::CallbackServerContext;
  using Reactor = grpc::ServerUnaryReactor;

 protected:
  Adapter(ServiceHost& host, Logic& logic, std::string service)
      : host_(host), logic_(logic), service_(std::move(service)) {}

  // absl::Status Logic::Method(const CallContext&, const Req&, Resp*), on a worker.
  template <typename Req, typename Resp>
  Reactor* Unary(Ctx* ctx, const char* method, absl::Status (Logic::*fn)(const CallContext&, const Req&, Resp*),
                 const Req* req, Resp* resp) {
    return host_.Unary(ctx, service_, method, [this, fn, req, resp](const CallContext& c) {
      RETURN_IF_ERROR(CheckSize(*req));
      return (logic_.*fn)(c, *req, resp);
    });
  }

  // absl::Status Logic::Method(const CallContext&, const Req&, Resp*, UnaryDone): a handler
  // that answers through `done` (a batch's thread), started on a worker.
  template <typename Req, typename Resp>
  Reactor* UnaryAsync(Ctx* ctx, const char* method,
                      absl::Status (Logic::*fn)(const CallContext&, const Req&, Resp*, UnaryDone), const Req* req,
                      Resp* resp) {
    return host_.UnaryAsync(ctx, service_, method, Bind(fn, req, resp));
  }

  // The same, started on the gRPC thread: where it would wait it returns
  // WouldBlock() and runs again on a worker (ServiceHost::UnaryInline).
  template <typename Req, typename Resp>
  Reactor* UnaryInline(Ctx* ctx, const char* method,
                       absl::Status (Logic::*fn)(const CallContext&, const Req&, Resp*, UnaryDone), const Req* req,
                       Resp* resp) {
    return host_.UnaryInline(ctx, service_, method, Bind(fn, req, resp));
  }

  ServiceHost& host() { return host_; }
  Logic& logic() { return logic_; }
  const std::string& service() const { return service_; }

 private:
  template <typename Req, typename Resp>
  AsyncUnaryHandler Bind(absl::Status (Logic::*fn)(const CallContext&, const Req&, Resp*, UnaryDone), const Req* req,
                         Resp* resp) {
    return [this, fn, req, resp](const CallContext& c, UnaryDone done) {
      RETURN_IF_ERROR(CheckSize(*req));
      return (logic_.*fn)(c, *req, resp, std::move(done));
    };
  }
  // One request of a unary method is small (names, a form, a page of
  // choices); the server's receive limit is the streams' (ServiceHost).
  static absl::Status CheckSize(const google::protobuf::Message& req) {
    if (req.ByteSizeLong() <= kMaxUnaryRequestBytes) return absl::OkStatus();
    return absl::ResourceExhaustedError(
        absl::StrCat("the request is larger than ", kMaxUnaryRequestBytes / 1024, " KiB, the limit of a unary call"));
  }

  ServiceHost& host_;
  Logic& logic_;
  const std::string service_;
};

}  // namespace lianxin

#endif  // LIANXIN_COMMON_ADAPTER_H_
