#include "tests/support/cutting_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include "tests/support/harness.h"

namespace lianxin::testing {

CuttingProxy::CuttingProxy() {
  listener_ = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  listen(listener_, 64);
  socklen_t len = sizeof(addr);
  getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { Accept(); });
}

CuttingProxy::~CuttingProxy() {
  stopping_ = true;
  shutdown(listener_, SHUT_RDWR);
  close(listener_);
  acceptor_.join();
  // Joined without the lock: a pump takes it to read must_hold_.
  std::vector<std::thread> pumps;
  {
    absl::MutexLock lock(&mu_);
    pumps.swap(pumps_);
  }
  for (auto& t : pumps) t.join();
}

void CuttingProxy::Arm(Cut cut, std::string must_hold) {
  {
    absl::MutexLock lock(&mu_);
    must_hold_ = std::move(must_hold);
  }
  cut_ = cut;
}

void CuttingProxy::Accept() {
  while (!stopping_) {
    int client = accept(listener_, nullptr, nullptr);
    if (client < 0) return;
    if (refuse_) {
      close(client);
      continue;
    }
    absl::MutexLock lock(&mu_);
    pumps_.emplace_back([this, client] { Pump(client); });
  }
}

void CuttingProxy::Pump(int client) {
  int server = socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, TestDbSocket().c_str(), sizeof(addr.sun_path) - 1);
  if (connect(server, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(client);
    close(server);
    return;
  }
  std::string pending;  // the client's bytes not yet forwarded: a partial packet
  bool cut_when_answered = false;
  char buf[65536];
  for (bool open = true; open && !stopping_;) {
    pollfd fds[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
    if (poll(fds, 2, 100) <= 0) continue;
    if (fds[1].revents & (POLLIN | POLLHUP)) {
      ssize_t n = read(server, buf, sizeof(buf));
      if (n <= 0 || cut_when_answered) break;  // the answer is dropped with the connection
      if (write(client, buf, n) != n) break;
    }
    if (fds[0].revents & (POLLIN | POLLHUP)) {
      ssize_t n = read(client, buf, sizeof(buf));
      if (n <= 0) break;
      pending.append(buf, n);
      while (open && pending.size() >= 4) {
        size_t len = static_cast<uint8_t>(pending[0]) | static_cast<uint8_t>(pending[1]) << 8 |
                     static_cast<uint8_t>(pending[2]) << 16;
        if (pending.size() < 4 + len) break;
        std::string packet = pending.substr(0, 4 + len);
        pending.erase(0, 4 + len);
        std::string must_hold;
        {
          absl::MutexLock lock(&mu_);
          must_hold = must_hold_;
        }
        const bool commit = len > 0 && packet[4] == 0x03 && packet.find("COMMIT") != std::string::npos &&
                            packet.find("READ COMMITTED") == std::string::npos &&  // the session's set-up
                            packet.find(must_hold) != std::string::npos;
        const bool execute = len > 0 && packet[4] == 0x17;
        Cut cut = cut_.load();
        bool hit = (commit && cut != Cut::kNone && cut != Cut::kAfterExecute) || (execute && cut == Cut::kAfterExecute);
        if (hit) hit = cut_.compare_exchange_strong(cut, Cut::kNone);  // once, on one connection
        if (hit) ++cuts_;
        if (hit && cut == Cut::kBeforeCommit) {
          open = false;
          break;
        }
        if (write(server, packet.data(), packet.size()) != static_cast<ssize_t>(packet.size())) open = false;
        if (hit && cut == Cut::kRightAfterCommit) open = false;
        if (hit && (cut == Cut::kAfterCommitAnswered || cut == Cut::kAfterExecute)) cut_when_answered = true;
      }
    }
  }
  close(client);
  close(server);
}

}  // namespace lianxin::testing
