// lianxin-member-import: imports a CSV list of members (UTF-8, header row;
// columns in member_csv.h) through the ImportMembers stream.
//
//   build/tools/lianxin-member-import --file=xiangfang.csv
//       --target=127.0.0.1:7102 --token="$(build/tools/lianxin-token ...)"
//
// Prints progress while it runs, then one line per problem (row, field,
// reason) and a summary. Exits 0 when every row was created or already on
// file, 1 when some row failed, 2 on bad usage.
#include <cstdio>
#include <fstream>
#include <sstream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "common/tls.h"
#include "services/clients/member/import_client.h"
#include "services/clients/member/member_csv.h"

ABSL_FLAG(std::string, file, "", "the CSV file");
ABSL_FLAG(std::string, target, "127.0.0.1:7102", "the member service");
ABSL_FLAG(std::string, token, "", "bearer token (default: $LIANXIN_TOKEN)");
ABSL_FLAG(bool, all_or_nothing, false, "write nothing unless every row is good");
ABSL_FLAG(std::string, source, "", "where the list comes from (kept in history); default: the file name");
ABSL_FLAG(int, batch, 500, "rows per message");
ABSL_FLAG(std::string, tls_ca_file, "", "PEM roots, when the service uses TLS");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  namespace m = lianxin::member;
  std::string path = absl::GetFlag(FLAGS_file);
  std::ifstream in(path, std::ios::binary);
  if (path.empty() || !in) {
    std::fprintf(stderr, "lianxin-member-import: --file: cannot read '%s'\n", path.c_str());
    return 2;
  }
  std::stringstream text;
  text << in.rdbuf();
  auto records = m::ParseCsv(text.str());
  if (!records.ok() || records->empty()) {
    std::fprintf(stderr, "lianxin-member-import: %s: %s\n", path.c_str(),
                 records.ok() ? "no header row" : std::string(records.status().message()).c_str());
    return 2;
  }
  std::string token = absl::GetFlag(FLAGS_token);
  if (token.empty() && std::getenv("LIANXIN_TOKEN") != nullptr) token = std::getenv("LIANXIN_TOKEN");
  const auto& header = (*records)[0];
  std::vector<m::v1::ImportRow> rows;
  int local_failures = 0;
  for (size_t i = 1; i < records->size(); ++i) {
    auto member = m::MemberFromCsv(header, (*records)[i]);
    if (!member.ok()) {
      std::printf("row %zu: %s\n", i, std::string(member.status().message()).c_str());
      ++local_failures;
      continue;
    }
    m::v1::ImportRow row;
    row.set_row(static_cast<int>(i));
    *row.mutable_member() = *std::move(member);
    rows.push_back(std::move(row));
  }
  lianxin::TlsFiles tls;
  tls.ca_file = absl::GetFlag(FLAGS_tls_ca_file);
  auto channel = lianxin::MakeChannel(absl::GetFlag(FLAGS_target), tls);
  if (!channel.ok()) return 2;
  auto stub = m::v1::MemberService::NewStub(*channel);
  m::v1::ImportOptions options;
  options.set_all_or_nothing(absl::GetFlag(FLAGS_all_or_nothing));
  options.set_source(absl::GetFlag(FLAGS_source).empty() ? path : absl::GetFlag(FLAGS_source));
  const size_t total = rows.size();
  auto report =
      m::StreamImport(*stub, token, options, rows, absl::GetFlag(FLAGS_batch), [&](const m::v1::ImportProgress& p) {
        std::fprintf(stderr, "import: %d/%zu rows: %d new, %d already on file, %d failed\n", p.received(), total,
                     p.created(), p.existing(), p.failed());
      });
  if (!report.ok()) {
    std::fprintf(stderr, "lianxin-member-import: %s\n", report.status().ToString().c_str());
    return 1;
  }
  for (const auto& p : report->problems()) {
    std::printf("row %d%s%s: %s\n", p.row(), p.field().empty() ? "" : ", ", p.field().c_str(), p.reason().c_str());
  }
  const auto& p = report->progress();
  std::printf("%d rows: %d new, %d already on file, %d failed%s\n", p.received() + local_failures, p.created(),
              p.existing(), p.failed() + local_failures,
              report->committed() ? "" : " — nothing written (all or nothing)");
  return (p.failed() + local_failures) > 0 ? 1 : 0;
}
