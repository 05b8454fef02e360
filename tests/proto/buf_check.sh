#!/usr/bin/env bash
# The protos' two checks with buf (from npm via install-deps.sh), offline:
#   buf lint      with proto/buf.yaml's rules;
#   buf breaking  against the descriptor set of the last release,
#                 proto/baseline/lianxin.binpb, so a change that would break a
#                 government system's client fails the tests.
# googleapis imports (google/api/annotations.proto, google/rpc/...) come from
# Debian's jar, unpacked into a throwaway workspace beside a copy of proto/.
#   tests/proto/buf_check.sh                    # lint and breaking
#   tests/proto/buf_check.sh --write-baseline   # at a release: keep today's API as the baseline
set -euo pipefail
root=${LIANXIN_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
buf="$root/.cache/tools/node_modules/.bin/buf"
[ -x "$buf" ] || bash "$root/deploy/local/install-deps.sh"
work=$(mktemp -d /tmp/lianxin-buf-XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/api" "$work/third_party"
cp -r "$root/proto/lianxin" "$work/api/"
unzip -q -o /usr/share/java/proto-google-common-protos.jar 'google/api/*.proto' 'google/rpc/*.proto' \
  -d "$work/third_party"
# The lint rules of proto/buf.yaml, for the api module; googleapis unchecked.
{
  echo "version: v2"
  echo "modules:"
  echo "  - path: api"
  echo "  - path: third_party"
  sed -n '/^lint:/,$p' "$root/proto/buf.yaml"
} >"$work/buf.yaml"
cd "$work"
baseline="$root/proto/baseline/lianxin.binpb"
if [ "${1:-}" = "--write-baseline" ]; then
  mkdir -p "$(dirname "$baseline")"
  "$buf" build api -o "$baseline"
  echo "buf: baseline written to proto/baseline/lianxin.binpb"
  exit 0
fi
"$buf" lint api
echo "buf lint: clean"
"$buf" breaking api --against "$baseline"
echo "buf breaking: nothing breaks the clients of proto/baseline/lianxin.binpb"
