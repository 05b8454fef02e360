// The resource names a request carries, for the audit: every string field
// (to a depth of 3) whose value looks like "collection/id..." for one of the
// platform's collections, at most 16 of them.
#ifndef LIANXIN_SERVICES_GATEWAY_RESOURCES_H_
#define LIANXIN_SERVICES_GATEWAY_RESOURCES_H_

#include <google/protobuf/descriptor.h>
#include <grpcpp/support/byte_buffer.h>

#include <string>
#include <vector>

namespace lianxin::gateway {

// A message's bytes as gRPC holds them (the front door forwards bytes).
std::string BufferBytes(const grpc::ByteBuffer& buffer);
grpc::ByteBuffer BytesBuffer(const std::string& bytes);

// `bytes` is a serialized message of `type`; nothing for bytes that do not parse.
std::vector<std::string> ResourceNames(const google::protobuf::Descriptor* type, const std::string& bytes);

}  // namespace lianxin::gateway

#endif  // LIANXIN_SERVICES_GATEWAY_RESOURCES_H_
