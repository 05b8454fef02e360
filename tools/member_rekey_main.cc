// lianxin-member-rekey: seals every personal value again with the active key,
// after a new key was put first in the member service's key file and the
// service restarted (common/crypto.h). Runs RotateKeys page by page to the
// end; safe to run again or to interrupt (each page commits on its own).
//
//   build/tools/lianxin-member-rekey --target=127.0.0.1:7102
//       --token="$(build/tools/lianxin-token --key_file=.local/dev-jwt.key --sub=ops --roles=operator --org='*')"
//
// Prints one line per page and a summary; exits 0 when done, 1 on error.
#include <cstdio>
#include <cstdlib>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/time/clock.h"
#include "common/client.h"
#include "common/tls.h"
#include "lianxin/member/v1/member_service.grpc.pb.h"

ABSL_FLAG(std::string, target, "127.0.0.1:7102", "the member service");
ABSL_FLAG(std::string, token, "", "bearer token of a platform-wide operator (default: $LIANXIN_TOKEN)");
ABSL_FLAG(int, page_size, 500, "rows per call (1-1000)");
ABSL_FLAG(std::string, tls_ca_file, "", "PEM roots, when the service uses TLS");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  namespace v1 = lianxin::member::v1;
  std::string token = absl::GetFlag(FLAGS_token);
  if (token.empty() && std::getenv("LIANXIN_TOKEN") != nullptr) token = std::getenv("LIANXIN_TOKEN");
  lianxin::TlsFiles tls;
  tls.ca_file = absl::GetFlag(FLAGS_tls_ca_file);
  auto channel = lianxin::MakeChannel(absl::GetFlag(FLAGS_target), tls);
  if (!channel.ok()) {
    std::fprintf(stderr, "lianxin-member-rekey: --target: %s\n", std::string(channel.status().message()).c_str());
    return 2;
  }
  auto stub = v1::MemberService::NewStub(*channel);
  v1::RotateKeysRequest req;
  req.set_page_size(absl::GetFlag(FLAGS_page_size));
  int64_t scanned = 0, resealed = 0;
  std::string key;
  do {
    v1::RotateKeysResponse resp;
    grpc::Status s;
    for (int attempt = 0; attempt < 5; ++attempt) {
      if (attempt > 0) absl::SleepFor(absl::Seconds(attempt));
      grpc::ClientContext ctx;
      lianxin::PrepareClientContext(&ctx, token, "", absl::Seconds(60));
      s = stub->RotateKeys(&ctx, req, &resp);
      if (s.error_code() != grpc::StatusCode::UNAVAILABLE && s.error_code() != grpc::StatusCode::RESOURCE_EXHAUSTED)
        break;
    }
    if (!s.ok()) {
      std::fprintf(stderr, "lianxin-member-rekey: %s\n", s.error_message().c_str());
      return 1;
    }
    scanned += resp.scanned();
    resealed += resp.resealed();
    key = resp.active_key_id();
    std::printf("looked at %lld rows, sealed %lld again under key %s\n", static_cast<long long>(scanned),
                static_cast<long long>(resealed), key.c_str());
    req.set_page_token(resp.next_page_token());
  } while (!req.page_token().empty());
  std::printf("done: every personal value is sealed under key %s\n", key.c_str());
  return 0;
}
