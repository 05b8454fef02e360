#include "services/gateway/proxy_call.h"

#include <google/protobuf/duration.pb.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/call_context.h"
#include "common/ids.h"
#include "common/status.h"
#include "google/rpc/error_details.pb.h"
#include "services/gateway/front_door.h"
#include "services/gateway/resources.h"

namespace lianxin::gateway {
namespace {

constexpr char kDomain[] = "gateway.lianxin";

std::string Metadata(const grpc::GenericCallbackServerContext* ctx, const char* key) {
  auto it = ctx->client_metadata().find(key);
  if (it == ctx->client_metadata().end()) return "";
  return std::string(it->second.data(), it->second.size());
}

std::string PeerSubject(const grpc::GenericCallbackServerContext* ctx) {
  auto auth = ctx->auth_context();
  if (auth == nullptr || !auth->IsPeerAuthenticated()) return "";
  for (const auto& v : auth->FindPropertyValues(GRPC_X509_SUBJECT_PROPERTY_NAME))
    return std::string(v.data(), v.size());
  return "";
}

grpc::Status Refused(const absl::Status& s) { return ToGrpcStatus(s, kDomain); }

}  // namespace

ProxyCall::ProxyCall(FrontDoor& door, grpc::GenericCallbackServerContext* ctx)
    : door_(door), ctx_(ctx), start_(absl::Now()) {}

void ProxyCall::Begin() {
  route_ = door_.routes().Find(ctx_->method());
  request_id_ = Metadata(ctx_, "x-request-id");
  if (!ValidRequestId(request_id_)) request_id_ = NewRequestId();
  ctx_->AddInitialMetadata("x-request-id", request_id_);
  // "ipv4:10.1.2.3:53124" → "ipv4:10.1.2.3": limits count by address, not connection.
  creds_.client_address = ctx_->peer().substr(0, ctx_->peer().rfind(':'));
  if (route_ == nullptr) {
    // Unknown and internal methods alike: nothing says which it is.
    End(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, absl::StrCat("no method ", ctx_->method())), false);
    return;
  }
  if (door_.audit().Full()) {
    End(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the gateway cannot record calls now; retry later"), false);
    return;
  }
  std::string bearer = Metadata(ctx_, "authorization");
  if (!bearer.empty() && !absl::StartsWith(bearer, "Bearer ")) {
    End(Refused(absl::UnauthenticatedError("authorization must be 'Bearer <session token>'")), false);
    return;
  }
  creds_.bearer = bearer.empty() ? "" : bearer.substr(7);
  creds_.on_behalf = Metadata(ctx_, kOnBehalfHeader);
  creds_.cert_subject = PeerSubject(ctx_);
  const auto d = absl::FromChrono(ctx_->deadline());
  deadline_ = d;
  if (!route_->streaming()) deadline_ = std::min(d, start_ + door_.options().default_deadline);
  Admit(false);
}

void ProxyCall::Admit(bool on_worker) {
  absl::StatusOr<Identity> id;
  if (on_worker) {
    id = door_.callers().Resolve(*route_, creds_);
  } else {
    NoBlockingScope here;
    id = door_.callers().Resolve(*route_, creds_);
  }
  if (!on_worker && IsWouldBlock(id.status())) {
    if (!door_.workers().TrySubmit([this] { Admit(true); })) {
      End(Refused(AtCapacity()), false);
    }
    return;
  }
  if (!id.ok()) {
    End(Refused(id.status()), false);
    return;
  }
  Admitted(*std::move(id));
}

void ProxyCall::Admitted(Identity identity) {
  identity_ = std::move(identity);
  if (!door_.in_flight().Enter(identity_.limit_key)) {
    End(Refused(WithReason(absl::ResourceExhaustedError("too many calls in flight; retry with backoff"),
                           "TOO_MANY_IN_FLIGHT")),
        false);
    return;
  }
  entered_ = true;
  absl::Duration retry_after;
  if (!door_.rates().Take(identity_.limit_key, route_->method_class, absl::Now(), &retry_after)) {
    End(Refused(RateLimited(retry_after)), false);
    return;
  }
  if (route_->streaming()) {
    StartStream();
  } else {
    StartRead(&request_);
  }
}

std::unique_ptr<grpc::ClientContext> ProxyCall::NewClientContext() {
  auto c = std::make_unique<grpc::ClientContext>();
  if (deadline_ != absl::InfiniteFuture()) c->set_deadline(absl::ToChronoTime(deadline_));
  c->AddMetadata("authorization", absl::StrCat("Bearer ", identity_.token));
  c->AddMetadata("x-request-id", request_id_);
  return c;
}

// ---- unary

void ProxyCall::OnReadDone(bool ok) {
  if (route_->streaming()) {
    bool done;
    {
      absl::MutexLock l(&mu_);
      done = upstream_done_;
    }
    if (done) return;
    if (!ok) {
      upstream_.StartWritesDone();
      return;
    }
    if (first_message_) {
      first_message_ = false;
      resources_ = ResourceNames(route_->descriptor->input_type(), BufferBytes(request_));
    }
    upstream_.StartWrite(&request_);
    return;
  }
  if (!ok) {
    End(Refused(absl::InvalidArgumentError("the call ended before its request was sent")), false);
    return;
  }
  if (request_.Length() > door_.options().max_request_bytes) {
    End(Refused(absl::ResourceExhaustedError(
            absl::StrCat("the request is larger than ", door_.options().max_request_bytes, " bytes"))),
        false);
    return;
  }
  resources_ = ResourceNames(route_->descriptor->input_type(), BufferBytes(request_));
  CallUnary();
}

void ProxyCall::CallUnary() {
  ++attempts_;
  grpc::ClientContext* c;
  {
    absl::MutexLock l(&mu_);
    if (cancelled_) {
      c = nullptr;
    } else {
      client_ctx_ = NewClientContext();
      c = client_ctx_.get();
    }
  }
  if (c == nullptr) {
    End(grpc::Status(grpc::StatusCode::CANCELLED, "the caller cancelled the call"), false);
    return;
  }
  door_.Stub(route_->upstream)
      ->UnaryCall(c, route_->path, grpc::StubOptions(), &request_, &response_,
                  [this](grpc::Status s) { UnaryDone(s); });
}

void ProxyCall::UnaryDone(const grpc::Status& s) {
  const absl::Duration backoff = absl::Milliseconds(50 << (attempts_ - 1));
  bool cancelled;
  {
    absl::MutexLock l(&mu_);
    cancelled = cancelled_;
  }
  if (s.error_code() == grpc::StatusCode::UNAVAILABLE && route_->idempotent && attempts_ <= door_.options().retries &&
      !cancelled && absl::Now() + backoff < deadline_) {
    door_.CountRetry(route_->path);
    retry_alarm_.Set(absl::ToChronoTime(absl::Now() + backoff), [this](bool) { CallUnary(); });
    return;
  }
  End(s, s.ok());
}

// ---- streams

void ProxyCall::StartStream() {
  bool started = false;
  {
    absl::MutexLock l(&mu_);
    if (!cancelled_) {
      client_ctx_ = NewClientContext();
      ++refs_;
      door_.Stub(route_->upstream)
          ->PrepareBidiStreamingCall(client_ctx_.get(), route_->path, grpc::StubOptions(), &upstream_);
      started = true;
    }
  }
  if (!started) {
    End(grpc::Status(grpc::StatusCode::CANCELLED, "the caller cancelled the call"), false);
    return;
  }
  upstream_.StartCall();
  upstream_.StartRead(&response_);
  StartRead(&request_);
}

void ProxyCall::UpstreamWrote(bool ok) {
  if (ok) StartRead(&request_);  // the next message from the caller
}

void ProxyCall::UpstreamRead(bool ok) {
  if (ok) StartWrite(&response_);
}

void ProxyCall::OnWriteDone(bool ok) {
  if (ok) {
    upstream_.StartRead(&response_);
    return;
  }
  absl::MutexLock l(&mu_);
  if (client_ctx_ != nullptr && !upstream_done_) client_ctx_->TryCancel();
}

void ProxyCall::UpstreamDone(const grpc::Status& s) {
  {
    absl::MutexLock l(&mu_);
    upstream_done_ = true;
  }
  End(s, false);
  Release();
}

// ---- both

void ProxyCall::OnCancel() {
  absl::MutexLock l(&mu_);
  cancelled_ = true;
  if (client_ctx_ != nullptr && !upstream_done_) client_ctx_->TryCancel();
}

void ProxyCall::End(const grpc::Status& s, bool with_response) {
  {
    absl::MutexLock l(&mu_);
    if (ended_) return;
    ended_ = true;
  }
  const absl::Duration latency = absl::Now() - start_;
  if (entered_) door_.in_flight().Leave(identity_.limit_key);
  door_.Count(route_ != nullptr ? route_->path : "unknown", s.error_code(), latency);
  {
    // Every call, refused ones and probes of unknown methods included.
    store::AuditRow row;
    row.at_us = absl::ToUnixMicros(start_);
    row.caller = identity_.caller.empty() ? "unauthenticated" : identity_.caller;
    row.on_behalf = identity_.on_behalf;
    row.client_address = creds_.client_address;
    row.method = ctx_->method().substr(0, 200);
    row.resources = resources_;
    row.code = absl::StatusCodeToString(static_cast<absl::StatusCode>(s.error_code()));
    row.latency_us = absl::ToInt64Microseconds(latency);
    row.request_id = request_id_;
    door_.audit().Add(std::move(row));
  }
  // Past this line `this` may be gone (OnDone can follow at once).
  if (with_response) {
    StartWriteAndFinish(&response_, grpc::WriteOptions(), s);
  } else {
    Finish(s);
  }
}

void ProxyCall::OnDone() { Release(); }

void ProxyCall::Release() {
  bool last;
  {
    absl::MutexLock l(&mu_);
    last = --refs_ == 0;
  }
  if (last) delete this;
}

}  // namespace lianxin::gateway
