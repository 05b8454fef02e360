#!/usr/bin/env bash
# The test command: builds and runs the whole suite through ctest.
#   ./deploy/local/test.sh
# ctest starts its own MariaDB (build/test-mariadb, a free port) before the
# tests that need it and stops it afterwards; no service of a run is touched.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bash "$root/deploy/local/build.sh"
cd "$root/build"
ctest --output-on-failure --timeout 600 -j2 "$@"
