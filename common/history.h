// History (履历): who changed what, when, for every resource a service keeps,
// in the table `history` that common/migrations gives every service's schema,
// written in the same transaction as the change.
//
//   ChangeSet changes;
//   changes.Changed("display_name", rec.display_name, next);
//   rec.display_name = next;
//   RETURN_IF_ERROR(SaveChange(db, c, now_us, rec, store::UpdateUnit,
//                              {rec.district_id, kOrgUnits.Name(rec.id), "", "update", changes}));
//
// SaveChange is the one way a changed resource is saved: its version moves on
// (a new etag), it is stamped, written, and its history row recorded.
// Values a reader may not see (personal data) are masked before they go into
// a ChangeSet.
#ifndef LIANXIN_COMMON_HISTORY_H_
#define LIANXIN_COMMON_HISTORY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/call_context.h"
#include "common/changes.h"
#include "common/db.h"
#include "common/status.h"

namespace lianxin {

struct HistoryEntry {
  std::string district_id;
  std::string owner;     // whose history lists it: "orgUnits/{id}", "members/{id}"
  std::string resource;  // what changed; "" for the owner itself
  std::string action;    // "create", "update", "move", ...
  ChangeSet changes;
};

// A row of history as read back.
struct HistoryRecord {
  int64_t seq = 0;
  std::string id, district_id, owner, resource, action, actor, request_id, changes;  // changes: JSON
  int64_t at_us = 0;
};

// Records one change by the caller, at `at_us`.
absl::Status RecordHistory(Db& db, const CallContext& c, const HistoryEntry& entry, int64_t at_us);
// Many at once (an import, a merge): one INSERT.
absl::Status RecordHistory(Db& db, const CallContext& c, const std::vector<HistoryEntry>& entries, int64_t at_us);
// The same as a statement for Db::ExecScript; none for no entries.
std::optional<SqlStatement> HistorySql(const CallContext& c, const std::vector<HistoryEntry>& entries, int64_t at_us);
// The owner's history after `after_seq`, oldest first.
absl::StatusOr<std::vector<HistoryRecord>> ListHistory(Db& db, const std::string& owner, int64_t after_seq, int limit);

template <typename Record, typename = void>
struct HasUpdatedUs : std::false_type {};
template <typename Record>
struct HasUpdatedUs<Record, std::void_t<decltype(std::declval<Record&>().updated_us)>> : std::true_type {};

// Saves a changed resource in the caller's transaction: moves its version on,
// stamps its updated_us (if it keeps one), writes it with `write(db, rec)`,
// and records `entry`.
template <typename Record, typename Write>
absl::Status SaveChange(Db& db, const CallContext& c, int64_t now_us, Record& rec, Write&& write,
                        const HistoryEntry& entry) {
  ++rec.version;
  if constexpr (HasUpdatedUs<Record>::value) rec.updated_us = now_us;
  RETURN_IF_ERROR(write(db, rec));
  return RecordHistory(db, c, entry, now_us);
}

}  // namespace lianxin

#endif  // LIANXIN_COMMON_HISTORY_H_
