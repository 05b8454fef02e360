#include "services/gateway/audit_log.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "common/log.h"

namespace lianxin::gateway {

AuditLog::AuditLog(GatewayLogic& logic, absl::Duration flush_every)
    : logic_(logic), flush_every_(flush_every), thread_([this] { Loop(); }) {}

AuditLog::~AuditLog() { Stop(); }

void AuditLog::Stop() {
  {
    absl::MutexLock l(&mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  thread_.join();
  Flush();
}

void AuditLog::Add(store::AuditRow row) {
  absl::MutexLock l(&mu_);
  waiting_.push_back(std::move(row));
}

size_t AuditLog::Waiting() const {
  absl::MutexLock l(&mu_);
  return waiting_.size();
}

bool AuditLog::Full() const {
  absl::MutexLock l(&mu_);
  return waiting_.size() >= kMaxWaiting;
}

void AuditLog::Flush() {
  while (WriteBatch()) {
  }
}

bool AuditLog::WriteBatch() {
  absl::MutexLock w(&write_mu_);
  std::vector<store::AuditRow> batch;
  {
    absl::MutexLock l(&mu_);
    while (!waiting_.empty() && batch.size() < kMaxBatch) {
      batch.push_back(std::move(waiting_.front()));
      waiting_.pop_front();
    }
  }
  if (batch.empty()) return false;
  absl::Status s = logic_.AppendAudit(batch);
  if (s.ok()) return true;
  Log(LogLevel::kError, "audit_write_failed", {{"records", absl::StrCat(batch.size())}, {"error", s.ToString()}});
  // Kept, in order, for the next try.
  absl::MutexLock l(&mu_);
  for (auto it = batch.rbegin(); it != batch.rend(); ++it) waiting_.push_front(std::move(*it));
  return false;
}

void AuditLog::Loop() {
  for (;;) {
    {
      absl::MutexLock l(&mu_);
      auto wake = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) { return stopping_ || waiting_.size() >= kMaxBatch; };
      mu_.AwaitWithTimeout(absl::Condition(&wake), flush_every_);
      if (stopping_) return;
    }
    // One batch per wake-up, and more only while full batches wait: records
    // that come in during a write wait for the next one, so a busy gateway
    // writes a few large transactions a second, not one per write's length.
    while (WriteBatch() && Waiting() >= kMaxBatch) {
    }
  }
}

}  // namespace lianxin::gateway
