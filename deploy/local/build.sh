#!/usr/bin/env bash
# Installs missing packages, then configures (once) and builds into build/.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bash "$root/deploy/local/install-deps.sh"
if [ ! -f "$root/build/build.ninja" ]; then
  cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
echo "build: compiling into build/ (a clean build takes a few minutes on 2 cores)" >&2
if ! cmake --build "$root/build" -- -j"$(nproc)" >"$root/build/last-build.log" 2>&1; then
  grep -E 'error|Error|FAILED' -A3 "$root/build/last-build.log" | head -60 >&2
  echo "build: FAILED (full log: build/last-build.log)" >&2
  exit 1
fi
if grep -q 'warning:' "$root/build/last-build.log"; then
  grep 'warning:' "$root/build/last-build.log" >&2
fi
