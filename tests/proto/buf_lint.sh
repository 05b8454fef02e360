#!/usr/bin/env bash
# buf lint over proto/ with proto/buf.yaml (buf comes from npm via install-deps.sh).
set -euo pipefail
root=${LIANXIN_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
buf="$root/.cache/tools/node_modules/.bin/buf"
[ -x "$buf" ] || bash "$root/deploy/local/install-deps.sh"
cd "$root/proto"
"$buf" lint
echo "buf lint: clean"
