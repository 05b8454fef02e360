// gRPC server reflection (v1alpha, what gRPC 1.51 and grpcurl-like tools
// speak) on the gateway's public port, answered from the descriptors compiled
// in: the exposed services only, and their files with the methods between
// services taken out, so that reflection shows what a caller may call and
// nothing else.
#ifndef LIANXIN_SERVICES_GATEWAY_REFLECTION_H_
#define LIANXIN_SERVICES_GATEWAY_REFLECTION_H_

#include <grpcpp/generic/async_generic_service.h>

#include "absl/strings/string_view.h"
#include "services/gateway/routes.h"

namespace lianxin::gateway {

inline constexpr absl::string_view kReflectionMethod = "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo";

// The reactor of one reflection stream (from the front door's CreateReactor).
grpc::ServerGenericBidiReactor* NewReflectionCall(const Routes& routes);

}  // namespace lianxin::gateway

#endif  // LIANXIN_SERVICES_GATEWAY_REFLECTION_H_
