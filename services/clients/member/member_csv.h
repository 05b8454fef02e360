// Members as CSV rows (UTF-8, a header row naming the columns), for the
// import tool and the demo loader. Columns, in any order (unknown ones are an
// error, missing ones are empty):
//   display_name, gender (男/女 or male/female), ethnicity, birth_date,
//   national_id, phone, branch (orgUnits/...), standing (预备/正式 or
//   probationary/full), join_date, full_member_date, categories (在职 离退休
//   流动 退役军人 下岗 直管 or their English enum names, separated by ';'),
//   skills (';'), occupation, compound, building, stairwell, room,
//   residence_community, registered_community, hardship (是/否, true/false),
//   hardship_help, health_notes, attitude_notes
#ifndef LIANXIN_SERVICES_CLIENTS_MEMBER_MEMBER_CSV_H_
#define LIANXIN_SERVICES_CLIENTS_MEMBER_MEMBER_CSV_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "lianxin/member/v1/member.pb.h"

namespace lianxin::member {

// Splits CSV text into records of fields (RFC 4180: quotes, doubled quotes,
// newlines inside quotes). A UTF-8 byte-order mark is skipped.
absl::StatusOr<std::vector<std::vector<std::string>>> ParseCsv(absl::string_view text);

// The column names this format knows, in the order WriteCsvRow writes them.
const std::vector<std::string>& MemberCsvColumns();

// One record into a Member, by the header. A value that cannot be read (an
// unknown gender word) is reported as "column: why"; the service checks the rest.
absl::StatusOr<v1::Member> MemberFromCsv(const std::vector<std::string>& header,
                                         const std::vector<std::string>& record);

// A Member as a CSV line in MemberCsvColumns() order (quoted where needed).
std::string MemberToCsv(const v1::Member& m);

}  // namespace lianxin::member

#endif  // LIANXIN_SERVICES_CLIENTS_MEMBER_MEMBER_CSV_H_
