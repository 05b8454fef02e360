// The client side of ImportMembers, shared by the import tool and the demo
// loader: sends rows in batches over one stream and collects the report.
#ifndef LIANXIN_SERVICES_CLIENTS_MEMBER_IMPORT_CLIENT_H_
#define LIANXIN_SERVICES_CLIENTS_MEMBER_IMPORT_CLIENT_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lianxin/member/v1/member_service.grpc.pb.h"

namespace lianxin::member {

absl::StatusOr<v1::ImportMembersResponse> StreamImport(
    v1::MemberService::Stub& stub, const std::string& token, const v1::ImportOptions& options,
    const std::vector<v1::ImportRow>& rows, int batch_size,
    const std::function<void(const v1::ImportProgress&)>& on_progress = {});

}  // namespace lianxin::member

#endif  // LIANXIN_SERVICES_CLIENTS_MEMBER_IMPORT_CLIENT_H_
