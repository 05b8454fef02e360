// Bulk import over the stream and through the CSV tool.
#include <fstream>

#include "absl/strings/str_join.h"
#include "services/clients/member/import_client.h"
#include "services/clients/member/member_csv.h"
#include "tests/member/member_test_base.h"

namespace lianxin::testing {
namespace {

using ::testing::ElementsAre;

TEST(MemberCsv, ParsesQuotesNewlinesAndABom) {
  auto r = member::ParseCsv(
      "\xEF\xBB\xBF"
      "a,b,c\r\n1,\"x, \"\"y\"\"\",\"line\nbreak\"\n\n2,,3");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 3u);
  EXPECT_THAT((*r)[1], ElementsAre("1", "x, \"y\"", "line\nbreak"));
  EXPECT_THAT((*r)[2], ElementsAre("2", "", "3"));
  EXPECT_FALSE(member::ParseCsv("a,\"open").ok());
}

TEST(MemberCsv, RoundTripsAMember) {
  mv1::Member m;
  m.set_display_name("张, 三");
  m.set_gender(mv1::GENDER_MALE);
  m.set_standing(mv1::STANDING_FULL);
  m.add_categories(mv1::CATEGORY_LAID_OFF);
  m.add_categories(mv1::CATEGORY_RETIRED);
  m.add_skills("理发");
  auto rows =
      member::ParseCsv(absl::StrCat(absl::StrJoin(member::MemberCsvColumns(), ","), "\n", member::MemberToCsv(m)));
  ASSERT_TRUE(rows.ok());
  auto back = member::MemberFromCsv((*rows)[0], (*rows)[1]);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->display_name(), "张, 三");
  EXPECT_THAT(back->categories(), ElementsAre(mv1::CATEGORY_LAID_OFF, mv1::CATEGORY_RETIRED));
  EXPECT_FALSE(member::MemberFromCsv({"gender"}, {"其他"}).ok());
}

class MemberImportTest : public MemberServiceTest {
 protected:
  std::vector<mv1::ImportRow> Rows(int first_seq, int n) {
    std::vector<mv1::ImportRow> rows;
    for (int i = 0; i < n; ++i) {
      mv1::ImportRow row;
      row.set_row(i + 1);
      *row.mutable_member() = NewMember(branch_, first_seq + i);
      rows.push_back(row);
    }
    return rows;
  }
  absl::StatusOr<mv1::ImportMembersResponse> Import(const std::vector<mv1::ImportRow>& rows, bool all_or_nothing,
                                                    int batch = 7) {
    mv1::ImportOptions options;
    options.set_all_or_nothing(all_or_nothing);
    options.set_source("湘纺破产改制移交名单");
    return member::StreamImport(*stub_, secretary_, options, rows, batch);
  }
};

TEST_F(MemberImportTest, GoodRowsLandBadRowsAreReportedAndASecondRunCreatesNothing) {
  auto rows = Rows(400, 20);
  rows[3].mutable_member()->mutable_national_id()->back() = rows[3].member().national_id().back() == '1' ? '2' : '1';
  rows[8].mutable_member()->set_branch(other_branch_);  // outside the secretary's community
  rows[12].mutable_member()->set_national_id(rows[11].member().national_id());
  rows[12].mutable_member()->set_gender(rows[11].member().gender());
  std::vector<int> progress_seen;
  mv1::ImportOptions options;
  options.set_source("湘纺破产改制移交名单");
  auto report = member::StreamImport(*stub_, secretary_, options, rows, 7,
                                     [&](const mv1::ImportProgress& p) { progress_seen.push_back(p.received()); });
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_THAT(progress_seen, ElementsAre(7, 14, 20));
  EXPECT_TRUE(report->done());
  EXPECT_TRUE(report->committed());
  EXPECT_EQ(report->progress().created(), 17);
  EXPECT_EQ(report->progress().failed(), 3);
  std::vector<std::pair<int, std::string>> problems;
  for (const auto& p : report->problems()) problems.emplace_back(p.row(), p.field());
  EXPECT_THAT(problems, ElementsAre(std::make_pair(4, std::string("member.national_id")),
                                    std::make_pair(9, std::string("member.branch")),
                                    std::make_pair(13, std::string("member.national_id"))));
  EXPECT_EQ(probe_->Count("members"), probe_->Count("history", "action = 'import'"));

  std::string before = Snapshot();
  auto again = Import(rows, false);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->progress().created(), 0);
  EXPECT_EQ(again->progress().existing(), 17);
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(MemberImportTest, AllOrNothingWritesNothingWhenARowFails) {
  auto rows = Rows(500, 12);
  rows[10].mutable_member()->set_phone("123");
  std::string before = Snapshot();
  auto report = Import(rows, true);
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->committed());
  EXPECT_EQ(report->progress().failed(), 1);
  EXPECT_EQ(report->problems(0).row(), 11);
  EXPECT_EQ(report->problems(0).field(), "member.phone");
  EXPECT_EQ(Snapshot(), before);
  rows[10].mutable_member()->set_phone("13900009999");
  report = Import(rows, true);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->committed());
  EXPECT_EQ(report->progress().created(), 12);
}

TEST_F(MemberImportTest, TheCsvToolPrintsProgressAndAPerRowReport) {
  std::string dir = TempDir("csv");
  std::ofstream csv(dir + "/list.csv");
  csv << absl::StrJoin(member::MemberCsvColumns(), ",") << "\n";
  for (int i = 0; i < 5; ++i) csv << member::MemberToCsv(NewMember(branch_, 600 + i)) << "\n";
  mv1::Member bad = NewMember(branch_, 605);
  bad.set_birth_date("1960-13-01");
  csv << member::MemberToCsv(bad) << "\n";
  csv.close();
  std::string out;
  int code = RunCommand(absl::StrCat(BuildDir(), "/tools/lianxin-member-import --file=", dir,
                                     "/list.csv --target=", member_->target(), " --token=", secretary_, " 2>&1"),
                        &out);
  EXPECT_EQ(code, 1) << out;
  EXPECT_NE(out.find("import: 6/6 rows"), std::string::npos) << out;
  EXPECT_NE(out.find("row 6, member.birth_date: must be a date YYYY-MM-DD"), std::string::npos) << out;
  EXPECT_NE(out.find("6 rows: 5 new, 0 already on file, 1 failed"), std::string::npos) << out;
  RemoveTempDir(dir);
}

}  // namespace
}  // namespace lianxin::testing
