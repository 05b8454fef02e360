// What a test or benchmark made and has not cleaned up yet (harness.h):
// temporary directories and private MariaDBs, cleaned up at exit and on
// SIGINT, SIGTERM and SIGHUP.
#include "tests/support/leftovers.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "tests/support/harness.h"

namespace lianxin::testing {
namespace {

// What a process made and has not yet cleaned up: a program that ends with
// std::exit (a benchmark whose call failed) skips its destructors, and one
// interrupted (Ctrl-C, kill) skips everything, so then the private MariaDBs
// still running are stopped and the temporary directories still there
// removed — a private MariaDB holds 350 MiB on disk. (The services a test
// starts die with it: PR_SET_PDEATHSIG.)
struct Leftovers {
  absl::Mutex mu;
  std::set<std::string> dirs ABSL_GUARDED_BY(mu);
  std::set<std::string> servers ABSL_GUARDED_BY(mu);  // their directories
};

Leftovers& Left();

// The shell command that stops the private MariaDBs still running and
// removes the temporary directories still there; each is in it once.
std::string TakeCleanUpCommand() {
  std::set<std::string> servers, dirs;
  {
    absl::MutexLock lock(&Left().mu);
    servers.swap(Left().servers);
    dirs.swap(Left().dirs);
  }
  std::string cmd;
  for (const auto& dir : servers) {
    absl::StrAppend(&cmd, "bash '", SourceDir(), "/deploy/local/mariadb.sh' stop '", dir, "' >/dev/null 2>&1; ");
  }
  if (std::getenv("LIANXIN_KEEP_TEMP") == nullptr) {
    for (const auto& dir : dirs) {
      if (absl::StartsWith(dir, "/tmp/lianxin-")) absl::StrAppend(&cmd, "rm -rf '", dir, "'; ");
    }
  }
  return cmd;
}

void CleanUpLeftovers() {
  const std::string cmd = TakeCleanUpCommand();
  if (!cmd.empty()) RunCommand(cmd);
}

// SIGINT, SIGTERM and SIGHUP: the handler only writes the signal to a pipe. A
// thread of its own reads it, hands the clean-up to a process of its own
// (which outlives this one), and ends the process as the signal would have —
// at once: a program left running without its database fails, and may crash
// before any clean-up in it were done.
int signal_pipe = -1;

void OnSignal(int sig) {
  const unsigned char c = static_cast<unsigned char>(sig);
  ssize_t written = ::write(signal_pipe, &c, 1);
  (void)written;
}

void CleanUpOnSignals() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return;
  signal_pipe = fds[1];
  std::thread([read_end = fds[0]] {
    unsigned char sig = 0;
    while (::read(read_end, &sig, 1) != 1) {
      if (errno != EINTR) return;
    }
    const std::string cmd = TakeCleanUpCommand();
    if (!cmd.empty()) {
      std::fprintf(stderr, "signal %d: stopping what this process started, in the background\n", sig);
      if (::fork() == 0) {
        ::setsid();
        ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
      }
    }
    ::signal(sig, SIG_DFL);
    ::raise(sig);
  }).detach();
  struct sigaction action = {};
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    // A signal ignored on purpose (SIGHUP under nohup) stays ignored.
    struct sigaction was = {};
    if (sigaction(sig, nullptr, &was) == 0 && was.sa_handler == SIG_IGN) continue;
    sigaction(sig, &action, nullptr);
  }
}

Leftovers& Left() {
  static auto* left = [] {
    auto* l = new Leftovers;
    std::atexit(CleanUpLeftovers);
    CleanUpOnSignals();
    return l;
  }();
  return *left;
}

}  // namespace

std::string TempDir(const std::string& prefix) {
  std::string tmpl = absl::StrCat("/tmp/lianxin-", prefix, "-XXXXXX");
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  char* dir = mkdtemp(buf.data());
  if (dir == nullptr) return "/tmp";
  absl::MutexLock lock(&Left().mu);
  Left().dirs.insert(dir);
  return dir;
}

void RemoveTempDir(const std::string& dir) {
  {
    absl::MutexLock lock(&Left().mu);
    Left().dirs.erase(dir);
  }
  if (std::getenv("LIANXIN_KEEP_TEMP") != nullptr || !absl::StartsWith(dir, "/tmp/lianxin-")) return;
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}

namespace internal {

void TrackServer(const std::string& dir) {
  absl::MutexLock lock(&Left().mu);
  Left().servers.insert(dir);
}

void ServerStopped(const std::string& dir) {
  absl::MutexLock lock(&Left().mu);
  Left().servers.erase(dir);
}

}  // namespace internal
}  // namespace lianxin::testing
