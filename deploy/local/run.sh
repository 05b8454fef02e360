#!/usr/bin/env bash
# The run command: builds and runs the whole platform locally.
#   ./deploy/local/run.sh
# Installs missing Debian packages, builds, starts a private MariaDB
# (.local/mariadb, port 3307, loopback only), starts every service as its own
# process (migrations are applied at start-up), loads the demo district, prints
# what listens where, and stays up until Ctrl-C, starting again any service
# that exits (services.sh supervise); then stops what it started and keeps the
# data for the next run.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
local_dir="$root/.local"
db_dir="$local_dir/mariadb"
state="$local_dir/run"
gateway_key="$state/keys/signing/gateway-1.key"  # made by services.sh
db_port=${LIANXIN_LOCAL_DB_PORT:-3307}

bash "$root/deploy/local/build.sh"
mkdir -p "$local_dir" "$state"
rm -f "$local_dir/dev-jwt.key"  # the shared HS256 key of earlier versions: no longer trusted by anyone

supervisor=""
cleanup() {
  trap - INT TERM EXIT
  echo
  echo "run: stopping services and MariaDB (data kept in .local/)"
  if [ -n "$supervisor" ]; then kill -TERM "$supervisor" 2>/dev/null || true; wait "$supervisor" 2>/dev/null || true; fi
  bash "$root/deploy/local/services.sh" stop "$state" || true
  bash "$root/deploy/local/mariadb.sh" stop "$db_dir" || true
}
# Ctrl-C or SIGTERM: stop everything, then leave.
trap 'cleanup; exit 0' INT TERM
trap cleanup EXIT

bash "$root/deploy/local/mariadb.sh" start "$db_dir" "$db_port"
listening=$(bash "$root/deploy/local/services.sh" start "$root/build" "$state" "$db_dir/mysqld.sock")

org_port=$(awk '$1 == "org" {print $2}' <<<"$listening")
member_port=$(awk '$1 == "member" {print $2}' <<<"$listening")
echo "run: loading the demo district"
dispatch_port=$(awk '$1 == "dispatch" {print $2}' <<<"$listening")
activity_port=$(awk '$1 == "activity" {print $2}' <<<"$listening")
gateway_port=$(awk '$1 == "gateway" {print $2}' <<<"$listening")
public_port=$(awk '$1 == "gateway" {print $5}' <<<"$listening")
"$root/build/deploy/lianxin-demo" --org="127.0.0.1:$org_port" --member="127.0.0.1:$member_port" \
  --dispatch="127.0.0.1:$dispatch_port" --activity="127.0.0.1:$activity_port" --key_file="$gateway_key" \
  --gateway="127.0.0.1:$gateway_port" --gateway_public="127.0.0.1:$public_port" --gateway_ca_file="$state/tls/ca.crt" \
  --accounts_file="$state/demo-accounts.txt" >"$state/demo.out"
grep '^demo:' "$state/demo.out"

echo
echo "Lianxin is running. Listening:"
echo "  MariaDB   127.0.0.1:$db_port  (socket .local/mariadb/mysqld.sock, user root)"
while read -r name grpc metrics pid public http; do
  printf '  %-8s  gRPC 127.0.0.1:%s  metrics http://127.0.0.1:%s/metrics  pid %s  log .local/run/%s.log\n' \
    "$name" "$grpc" "$metrics" "$pid" "$name"
  [ -z "$public" ] || printf '            public gRPC 127.0.0.1:%s and HTTP/JSON https://127.0.0.1:%s (callers'"'"' ports)\n' \
    "$public" "$http"
done <<<"$listening"
echo
http_port=$(awk '$1 == "gateway" {print $6}' <<<"$listening")
echo "The gateway, the one address for callers: gRPC 127.0.0.1:$public_port, HTTP/JSON https://127.0.0.1:$http_port"
echo "  (TLS from the local CA .local/run/tls/ca.crt; the API at https://127.0.0.1:$http_port/openapi.json)"
cat "$state/demo-accounts.txt"
echo "Sign in (gateway.v1.SessionService/SignIn) and call with 'authorization: Bearer <session token>'; README.md shows how."
echo "Behind the gateway, a service takes tokens the local gateway key signs (15 min), for looking in directly:"
echo "  build/tools/lianxin-token --sub=me --roles=operator --org='*'"
echo "A service that exits is started again (backoff 1 s doubling to 30 s), reported here and in .local/run/supervisor.log."
echo "Press Ctrl-C to stop."
bash "$root/deploy/local/services.sh" supervise "$state" &
supervisor=$!
wait "$supervisor"
