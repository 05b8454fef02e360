// The private MariaDBs a process has running, for the clean-up at exit or
// on a signal (leftovers.cc; temporary directories: TempDir in harness.h).
#ifndef LIANXIN_TESTS_SUPPORT_LEFTOVERS_H_
#define LIANXIN_TESTS_SUPPORT_LEFTOVERS_H_

#include <string>

namespace lianxin::testing::internal {

// A MariaDB started with its data in `dir`: stopped at exit if still running.
void TrackServer(const std::string& dir);
void ServerStopped(const std::string& dir);

}  // namespace lianxin::testing::internal

#endif  // LIANXIN_TESTS_SUPPORT_LEFTOVERS_H_
