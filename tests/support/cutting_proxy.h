// A TCP proxy in front of the test MariaDB that cuts a connection around a
// COMMIT (tests of commits whose answer is lost, common/db_commit.cc): it
// listens on 127.0.0.1 and forwards to the test MariaDB's unix socket, reading
// the client's side as MySQL packets (3-byte length, sequence, payload).
//
//   CuttingProxy proxy;                       // a pool or a service connects to proxy.port()
//   proxy.Arm(Cut::kAfterCommitAnswered);     // the next COMMIT is forwarded, its answer lost
#ifndef LIANXIN_TESTS_SUPPORT_CUTTING_PROXY_H_
#define LIANXIN_TESTS_SUPPORT_CUTTING_PROXY_H_

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"

namespace lianxin::testing {

// What the proxy does with the next client packet that sends COMMIT (a text
// query holding the word, and `must_hold` if Arm named it) or, for
// kAfterExecute, runs a prepared statement.
enum class Cut { kNone, kBeforeCommit, kAfterCommitAnswered, kRightAfterCommit, kAfterExecute };

class CuttingProxy {
 public:
  CuttingProxy();
  ~CuttingProxy();
  int port() const { return port_; }
  // `must_hold`: only a COMMIT sent with this text (e.g. "commit_markers": a
  // transaction that wrote) is cut.
  void Arm(Cut cut, std::string must_hold = "");
  // Connections opened from now on are closed at once (the database out of reach).
  void Refuse(bool refuse) { refuse_ = refuse; }
  int cuts() const { return cuts_; }

 private:
  void Accept();
  void Pump(int client);

  int listener_ = -1, port_ = 0;
  std::atomic<Cut> cut_{Cut::kNone};
  absl::Mutex mu_;
  std::string must_hold_ ABSL_GUARDED_BY(mu_);
  std::atomic<bool> refuse_{false}, stopping_{false};
  std::atomic<int> cuts_{0};
  std::thread acceptor_;
  std::vector<std::thread> pumps_ ABSL_GUARDED_BY(mu_);
};

}  // namespace lianxin::testing

#endif  // LIANXIN_TESTS_SUPPORT_CUTTING_PROXY_H_
