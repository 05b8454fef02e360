// Opaque, tamper-evident page tokens (AIP-158). A token carries the position
// after the last item returned and a fingerprint of the query it belongs to,
// signed with HMAC-SHA256; a token that was edited, or reused with another
// query, is INVALID_ARGUMENT on field page_token.
//
//   PageTokens tokens(key);
//   std::string fp = absl::StrCat("subtree|", root_id, "|", types);
//   ASSIGN_OR_RETURN(std::string after, tokens.Decode(req.page_token(), fp));
//   ... resp->set_next_page_token(tokens.Encode(fp, last_key));
#ifndef LIANXIN_COMMON_PAGE_TOKEN_H_
#define LIANXIN_COMMON_PAGE_TOKEN_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace lianxin {

class PageTokens {
 public:
  explicit PageTokens(std::string key) : key_(std::move(key)) {}
  std::string Encode(absl::string_view fingerprint, absl::string_view cursor) const;
  // "" for an empty token (the first page).
  absl::StatusOr<std::string> Decode(absl::string_view token, absl::string_view fingerprint) const;

 private:
  std::string Mac(absl::string_view data) const;
  std::string key_;
};

// Emits one page from rows fetched with LIMIT size + 1: the first `size` rows
// go to `add`, and when there was one more, `next_token` gets a token after
// the last row emitted (its cursor from `cursor`).
template <typename Row, typename Add, typename Cursor>
void EmitPage(const std::vector<Row>& rows, int size, const PageTokens& tokens, absl::string_view fingerprint, Add add,
              Cursor cursor, std::string* next_token) {
  const size_t n = static_cast<size_t>(size);
  for (size_t i = 0; i < rows.size() && i < n; ++i) add(rows[i]);
  if (rows.size() > n && n > 0) *next_token = tokens.Encode(fingerprint, cursor(rows[n - 1]));
}

// Clamps a requested page size: 0 means `default_size`; above `max_size` is
// lowered to it (AIP-158); negative is INVALID_ARGUMENT on page_size.
absl::StatusOr<int> PageSize(int requested, int default_size = 50, int max_size = 1000);

}  // namespace lianxin

#endif  // LIANXIN_COMMON_PAGE_TOKEN_H_
