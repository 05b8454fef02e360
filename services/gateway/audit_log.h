// The front door's audit records, written in batches by a thread of their
// own: a call hands its record in and goes on, and a batch — every record
// waiting, up to 2,000, at most every --audit_flush_ms — is one transaction
// appended to the chain (GatewayLogic::AppendAudit). So an audited call pays
// no fsync of its own. When the database is away the records wait (up to
// kMaxWaiting); past that the gateway refuses new calls (Full()) rather than
// serve calls it cannot record.
#ifndef LIANXIN_SERVICES_GATEWAY_AUDIT_LOG_H_
#define LIANXIN_SERVICES_GATEWAY_AUDIT_LOG_H_

#include <deque>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/gateway/gateway_logic.h"

namespace lianxin::gateway {

class AuditLog {
 public:
  static constexpr size_t kMaxWaiting = 200000;
  static constexpr size_t kMaxBatch = 2000;

  AuditLog(GatewayLogic& logic, absl::Duration flush_every);
  ~AuditLog();  // writes what waits, then stops
  void Add(store::AuditRow row);
  bool Full() const;
  // Writes what waits now (tests, shutdown).
  void Flush();
  void Stop();

 private:
  void Loop();
  size_t Waiting() const;
  bool WriteBatch();

  GatewayLogic& logic_;
  const absl::Duration flush_every_;
  mutable absl::Mutex mu_;
  std::deque<store::AuditRow> waiting_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  absl::Mutex write_mu_;  // one batch at a time
  std::thread thread_;
};

}  // namespace lianxin::gateway

#endif  // LIANXIN_SERVICES_GATEWAY_AUDIT_LOG_H_
