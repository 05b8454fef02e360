#!/usr/bin/env bash
# Fails when a C++ file in the tree is not formatted as .clang-format says.
#   tests/format/check_format.sh         check (ctest: format)
#   tests/format/check_format.sh --fix   format them in place
set -euo pipefail
src=${LIANXIN_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
cd "$src"
mapfile -t files < <(git ls-files -co --exclude-standard -- '*.cc' '*.h')
if [ "${1:-}" = "--fix" ]; then
  clang-format -i "${files[@]}"
  exit 0
fi
# One clang-format for every file; it names each file that would change.
mapfile -t bad < <(clang-format --dry-run --Werror "${files[@]}" 2>&1 | grep -oE '^[^:]+\.(cc|h):' | tr -d ':' | sort -u)
if ((${#bad[@]})); then
  echo "format: ${#bad[@]} file(s) not formatted as .clang-format says:"
  printf '  %s\n' "${bad[@]}"
  echo "run tests/format/check_format.sh --fix (or clang-format -i FILE)"
  exit 1
fi
echo "format: ${#files[@]} files formatted"
