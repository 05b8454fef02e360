// What every benchmark program shares: latency samples and their
// percentiles, timing a call, and a process's peak memory.
#ifndef LIANXIN_TESTS_BENCHMARKS_BENCH_UTIL_H_
#define LIANXIN_TESTS_BENCHMARKS_BENCH_UTIL_H_

#include <grpcpp/support/status.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"

namespace lianxin::testing {

struct Latencies {
  std::vector<double> ms;
  double Pct(double p) {
    std::sort(ms.begin(), ms.end());
    return ms.empty() ? 0 : ms[std::min(ms.size() - 1, static_cast<size_t>(p * ms.size()))];
  }
  void Add(const Latencies& other) { ms.insert(ms.end(), other.ms.begin(), other.ms.end()); }
};

// Calls `call(i)` `samples` times, one at a time, timing each.
template <typename F>
Latencies Measure(int samples, F call) {
  Latencies l;
  for (int i = 0; i < samples; ++i) {
    absl::Time start = absl::Now();
    call(i);
    l.ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - start));
  }
  return l;
}

// A benchmark stops at the first failed call: its figures would be wrong.
inline void Check(const grpc::Status& s, const char* what) {
  if (!s.ok()) {
    std::fprintf(stderr, "%s failed: %s\n", what, s.error_message().c_str());
    std::exit(1);
  }
}

// Peak resident memory of a process (VmHWM), in MiB; 0 if unknown.
inline double PeakRssMiB(pid_t pid) {
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) {
      int64_t kib = 0;
      std::string digits;
      for (char c : line)
        if (c >= '0' && c <= '9') digits.push_back(c);
      if (absl::SimpleAtoi(digits, &kib)) return static_cast<double>(kib) / 1024.0;
    }
  }
  return 0;
}

// CPU time (user + system) a process has used so far, in seconds; 0 if unknown.
inline double CpuSeconds(pid_t pid) {
  std::ifstream stat(absl::StrCat("/proc/", pid, "/stat"));
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
  auto close = text.rfind(')');
  if (close == std::string::npos) return 0;
  std::vector<std::string> fields = absl::StrSplit(text.substr(close + 2), ' ');
  int64_t utime = 0, stime = 0;
  if (fields.size() < 13 || !absl::SimpleAtoi(fields[11], &utime) || !absl::SimpleAtoi(fields[12], &stime)) return 0;
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace lianxin::testing

#endif  // LIANXIN_TESTS_BENCHMARKS_BENCH_UTIL_H_
