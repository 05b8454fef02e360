// Times are stored as microseconds since the epoch and sent as Timestamps.
#ifndef LIANXIN_COMMON_TIMESTAMPS_H_
#define LIANXIN_COMMON_TIMESTAMPS_H_

#include <google/protobuf/timestamp.pb.h>

#include <cstdint>

namespace lianxin {

inline void SetTimestampUs(int64_t us, google::protobuf::Timestamp* ts) {
  ts->set_seconds(us / 1000000);
  ts->set_nanos(static_cast<int32_t>((us % 1000000) * 1000));
}

inline int64_t TimestampUs(const google::protobuf::Timestamp& ts) { return ts.seconds() * 1000000 + ts.nanos() / 1000; }

}  // namespace lianxin

#endif  // LIANXIN_COMMON_TIMESTAMPS_H_
