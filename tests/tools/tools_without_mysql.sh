#!/usr/bin/env bash
# The command-line tools link no MySQL client (they talk gRPC to the services);
# the services do. Fails naming a tool that pulls in Connector/C++.
set -euo pipefail
build=${LIANXIN_BUILD_DIR:?}
failures=0
links_mysql() { [[ "$(ldd "$1")" == *mysqlcppconn* ]]; }  # no pipe: grep -q would end ldd early
for tool in "$build"/tools/lianxin-*; do
  if links_mysql "$tool"; then
    echo "FAIL: $(basename "$tool") links MySQL Connector/C++"
    failures=$((failures + 1))
  else
    echo "ok: $(basename "$tool") links no MySQL client"
  fi
done
if ! links_mysql "$build/services/org/lianxin-org"; then
  echo "FAIL: the check is blind: lianxin-org shows no MySQL client either"
  failures=$((failures + 1))
fi
[ "$failures" -eq 0 ]
