// GetFigures runs on an index-backed plan: on a loaded table (three years of
// requests over 40 communities), the query for one community's month reads
// the figures index by subtree with the period checked inside the index, not
// the table.
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/db.h"
#include "gtest/gtest.h"
#include "services/dispatch/dispatch_logic.h"
#include "services/dispatch/dispatch_store.h"
#include "tests/support/logic.h"

namespace lianxin::dispatch {
namespace {

TEST(FiguresPlan, OneCommunitysMonthIsReadThroughTheFiguresIndex) {
  auto db = testing::MigratedPool("figuresplan", DispatchMigrations());
  ASSERT_NE(db, nullptr);
  constexpr int64_t kDayUs = 86400LL * 1000000;
  const int64_t now_us = 1796000000LL * 1000000;
  // 36,000 requests: one every 45 minutes for three years, in turn in 40
  // communities.
  ASSERT_TRUE(db->Run([&](Db& d) {
                  return d.Execute(absl::StrCat(
                      "INSERT INTO requests (id, district_id, category, description, place_id, urgency, photo_urls, "
                      "state, resident, responsible_unit, community_id, unit_path, next_escalation_us, due_us, "
                      "result_photo_urls, created_us, updated_us, version) "
                      "SELECT CONCAT('r', seq), 'd', 'repair', '', CONCAT('p', seq % 400), 1, '[]', 7, "
                      "CONCAT('resident-', seq % 900), CONCAT('c', seq % 40), CONCAT('c', seq % 40), "
                      "CONCAT('/d/s', seq % 4, '/c', seq % 40, '/'), 0, 0, '[]', ",
                      now_us, " - seq * 2700000000, 0, 1 FROM seq_1_to_36000"));
                }).ok());
  ASSERT_TRUE(db->Run([](Db& d) { return d.Execute("ANALYZE TABLE requests"); }).ok());

  std::string sql = store::FiguresSql();
  for (const std::string& value :
       {std::string("'d'"), std::string("'/d/s1/c5/%'"), absl::StrCat(now_us - 30 * kDayUs), absl::StrCat(now_us)}) {
    sql.replace(sql.find('?'), 1, value);
  }
  std::string key, type, extra;
  int64_t rows = 0;
  ASSERT_TRUE(db->Run([&](Db& d) {
                  return d.Query("EXPLAIN " + sql, {}, [&](const Row& r) {
                    if (r.Str("table") != "r") return;
                    key = r.Str("key");
                    type = r.Str("type");
                    extra = r.Str("Extra");
                    rows = r.Int("rows");
                  });
                }).ok());
  EXPECT_EQ(key, "ix_requests_figures") << type << " " << extra;
  EXPECT_EQ(type, "range");
  EXPECT_NE(extra.find("Using index condition"), std::string::npos) << extra;  // the period, checked in the index
  EXPECT_LT(rows, 2000) << "rows the plan expects to read, of 36,000";
}

}  // namespace
}  // namespace lianxin::dispatch
