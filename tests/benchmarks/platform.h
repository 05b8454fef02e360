// The platform a benchmark measures: a MariaDB of its own (durable settings)
// and the org, member and dispatch services on it, as the run command starts
// them, each with the benchmark's common flags.
//
//   BenchPlatform p("bench-dispatch");
//   if (!p.Start({"--workers=32", "--log_level=warning"}, {"--write_leaders=3"})) return 1;
//   auto stub = dv1::DispatchService::NewStub(p.dispatch->Channel());
#ifndef LIANXIN_TESTS_BENCHMARKS_PLATFORM_H_
#define LIANXIN_TESTS_BENCHMARKS_PLATFORM_H_

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/support/harness.h"

namespace lianxin::testing {

class BenchPlatform {
 public:
  explicit BenchPlatform(const std::string& name) : dir(TempDir(name)) {}
  ~BenchPlatform() {
    dispatch.reset();  // the services stop before their database
    member.reset();
    org.reset();
    RemoveTempDir(dir);
  }

  // False, with the log of the one that did not start, if one does not.
  bool Start(const std::vector<std::string>& common, const std::vector<std::string>& dispatch_flags) {
    if (!db.Start().ok()) return false;
    const std::vector<std::string> field_keys = WriteFieldKeys(dir, "fields");
    const int member_port = FreePort();
    auto with = [&](std::vector<std::string> flags) {
      flags.insert(flags.end(), common.begin(), common.end());
      return flags;
    };
    org = std::make_unique<ServiceProcess>(
        "org",
        ServiceOptions{"lianxin_org", db.socket(), with({absl::StrCat("--member_target=127.0.0.1:", member_port)})},
        key);
    if (!Started(*org)) return false;
    member = std::make_unique<ServiceProcess>(
        "member",
        ServiceOptions{"lianxin_member", db.socket(),
                       with({"--org_target=" + org->target(), field_keys[0], field_keys[1],
                             absl::StrCat("--listen=127.0.0.1:", member_port)})},
        key);
    if (!Started(*member)) return false;
    std::vector<std::string> flags = {"--org_target=" + org->target(), "--member_target=" + member->target(),
                                      field_keys[0], field_keys[1]};
    flags.insert(flags.end(), dispatch_flags.begin(), dispatch_flags.end());
    dispatch =
        std::make_unique<ServiceProcess>("dispatch", ServiceOptions{"lianxin_dispatch", db.socket(), with(flags)}, key);
    return Started(*dispatch);
  }

  PrivateMariaDb db;
  TestKey key;
  const std::string dir;
  std::unique_ptr<ServiceProcess> org, member, dispatch;

 private:
  static bool Started(ServiceProcess& service) {
    if (service.Start().ok()) return true;
    std::fprintf(stderr, "%s\n", service.Log().c_str());
    return false;
  }
};

}  // namespace lianxin::testing

#endif  // LIANXIN_TESTS_BENCHMARKS_PLATFORM_H_
