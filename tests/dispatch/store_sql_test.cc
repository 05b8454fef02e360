// The batch UPDATE of requests: only what changed, a value once when every
// row takes it, per row otherwise, and every row only at its version.
#include "gtest/gtest.h"
#include "services/dispatch/dispatch_store.h"

namespace lianxin::dispatch::store {
namespace {

RequestRecord Row(const std::string& id, int64_t version) {
  RequestRecord r;
  r.id = id;
  r.district_id = "d";
  r.state = 3;
  r.version = version;
  r.updated_us = 100;
  return r;
}

TEST(UpdateRequestsSql, SetsAValueOnceWhenEveryRowTakesIt) {
  RequestRecord a = Row("a", 2), b = Row("b", 2);
  RequestRecord a2 = a, b2 = b;
  for (RequestRecord* r : {&a2, &b2}) {
    r->state = 4;
    r->updated_us = 200;
    r->version++;
  }
  auto st = UpdateRequestsSql({{&a, &a2}, {&b, &b2}});
  ASSERT_TRUE(st.has_value());
  EXPECT_EQ(st->sql,
            "UPDATE requests SET state = ?, updated_us = ?, version = version + ? WHERE id IN (?,?) AND version = ?");
  EXPECT_EQ(st->params, (SqlParams{int64_t{4}, int64_t{200}, int64_t{1}, "a", "b", int64_t{2}}));
}

TEST(UpdateRequestsSql, SetsPerRowWhatDiffersAndChecksEachRowsVersion) {
  RequestRecord a = Row("a", 2), b = Row("b", 5);
  RequestRecord a2 = a, b2 = b;
  a2.assignee = "m1";
  b2.assignee = "m2";
  a2.version += 1;
  b2.version += 2;  // two changes to b in the batch
  auto st = UpdateRequestsSql({{&a, &a2}, {&b, &b2}});
  ASSERT_TRUE(st.has_value());
  EXPECT_EQ(st->sql,
            "UPDATE requests SET assignee = CASE id WHEN ? THEN ? WHEN ? THEN ? END, "
            "version = CASE id WHEN ? THEN version + ? WHEN ? THEN version + ? END "
            "WHERE id IN (?,?) AND version = CASE id WHEN ? THEN ? WHEN ? THEN ? END");
  EXPECT_EQ(st->params, (SqlParams{"a", "m1", "b", "m2", "a", int64_t{1}, "b", int64_t{2}, "a", "b", "a", int64_t{2},
                                   "b", int64_t{5}}));
}

TEST(UpdateRequestsSql, AChangeThatLeftEveryColumnStillMovesTheVersion) {
  RequestRecord a = Row("a", 7);
  RequestRecord a2 = a;
  a2.version++;
  auto st = UpdateRequestsSql({{&a, &a2}});
  ASSERT_TRUE(st.has_value());
  EXPECT_EQ(st->sql, "UPDATE requests SET version = version + ? WHERE id IN (?) AND version = ?");
  EXPECT_FALSE(UpdateRequestsSql({}).has_value());
}

}  // namespace
}  // namespace lianxin::dispatch::store
