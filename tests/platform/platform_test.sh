#!/usr/bin/env bash
# Starts every service the way the run command does (deploy/local/services.sh,
# services.txt) against the test MariaDB, then checks each one's health over
# gRPC and its metrics endpoint, loads the demo district twice (the second
# load must create nothing), kills the member service with SIGKILL under the
# run command's supervisor (it must come back, the others stay up), and stops
# them all with SIGTERM.
set -euo pipefail
build=${LIANXIN_BUILD_DIR:?}
src=${LIANXIN_SOURCE_DIR:?}
socket=${LIANXIN_TEST_DB_SOCKET:?}
state=$(mktemp -d /tmp/lianxin-platform-XXXXXX)
supervisor=""
stop_all() {
  if [ -n "$supervisor" ]; then kill -TERM "$supervisor" 2>/dev/null || true; wait "$supervisor" 2>/dev/null || true; fi
  bash "$src/deploy/local/services.sh" stop "$state"
  [ -n "${LIANXIN_KEEP_TEMP:-}" ] || rm -rf "$state"
}
trap stop_all EXIT

export LIANXIN_DB_PREFIX="t_platform_$$"
listening=$(bash "$src/deploy/local/services.sh" start "$build" "$state" "$socket" ephemeral)
echo "$listening"
failures=0
while read -r name grpc metrics pid public http; do
  service="lianxin.$name.v1.$(tr '[:lower:]' '[:upper:]' <<<"${name:0:1}")${name:1}Service"
  [ "$name" = gateway ] && service=lianxin.gateway.v1.SessionService
  # As a readiness probe would: three tries, a second apart (on 2 busy cores
  # a fresh connection has once taken longer than the 3 s deadline).
  serving=false
  for _ in 1 2 3; do
    if "$build/tools/lianxin-health" --target="127.0.0.1:$grpc" --service="$service"; then serving=true; break; fi
    sleep 1
  done
  if $serving; then
    echo "ok: $name health SERVING ($service)"
  else
    echo "FAIL: $name health"; failures=$((failures + 1))
  fi
  body=$(curl -sf "http://127.0.0.1:$metrics/metrics") || { echo "FAIL: $name metrics"; failures=$((failures + 1)); continue; }
  for family in grpc_server_started_total grpc_server_handled_total grpc_server_handling_seconds db_pool_connections db_query_duration_seconds; do
    if ! grep -q "^# TYPE $family " <<<"$body"; then echo "FAIL: $name metrics lack $family"; failures=$((failures + 1)); fi
  done
done <<<"$listening"

org=$(awk '$1 == "org" {print $2}' <<<"$listening")
member=$(awk '$1 == "member" {print $2}' <<<"$listening")
dispatch=$(awk '$1 == "dispatch" {print $2}' <<<"$listening")
activity=$(awk '$1 == "activity" {print $2}' <<<"$listening")
gateway=$(awk '$1 == "gateway" {print $2}' <<<"$listening")
public=$(awk '$1 == "gateway" {print $5}' <<<"$listening")
"$build/deploy/lianxin-demo" --org="127.0.0.1:$org" --member="127.0.0.1:$member" --dispatch="127.0.0.1:$dispatch" --activity="127.0.0.1:$activity" --key_file="$state/keys/signing/gateway-1.key" --gateway="127.0.0.1:$gateway" --gateway_public="127.0.0.1:$public" --gateway_ca_file="$state/tls/ca.crt"
count() { mariadb --no-defaults -S "$socket" -uroot -N -e "SELECT COUNT(*) FROM ${LIANXIN_DB_PREFIX}_$1"; }
snapshot() {
  local out=""
  for t in org.org_units org.history org.org_positions org.org_coverage member.members member.history \
           member.registrations member.transfers member.transfer_steps dispatch.categories \
           dispatch.requests dispatch.request_timeline dispatch.outbox activity.activities \
           activity.attendances activity.history activity.ledger_entries activity.volunteer_teams \
           activity.team_members activity.service_records activity.dues_assessments activity.dues_payments \
           activity.dues_months; do
    out="$out $t=$(count "$t")"
  done
  echo "$out"
}
# The demo's closed request credits its member's hours (read from dispatch's outbox).
credited=0
for _ in $(seq 1 30); do
  credited=$(count "activity.ledger_entries WHERE source LIKE 'requests/%'")
  [ "$credited" -gt 0 ] && break
  sleep 0.5
done
if [ "$credited" -gt 0 ]; then
  echo "ok: the demo's closed requests credited their members ($credited entries)"
else
  echo "FAIL: no credit from the demo's closed requests"; failures=$((failures + 1))
fi
before=$(snapshot)
"$build/deploy/lianxin-demo" --org="127.0.0.1:$org" --member="127.0.0.1:$member" --dispatch="127.0.0.1:$dispatch" --activity="127.0.0.1:$activity" --key_file="$state/keys/signing/gateway-1.key" --gateway="127.0.0.1:$gateway" --gateway_public="127.0.0.1:$public" --gateway_ca_file="$state/tls/ca.crt"
after=$(snapshot)
if [ "$before" != "$after" ]; then
  echo "FAIL: loading the demo twice wrote again:"; echo " before:$before"; echo " after: $after"
  failures=$((failures + 1))
else
  echo "ok: demo district loads idempotently:$after"
fi

# Each service runs as its own database user: its own tables only, and the
# record of what happened (history, disclosures, timeline) append-only.
as_service() {
  local name=$1 sql=$2
  mariadb --no-defaults -S "$socket" -u "${LIANXIN_DB_PREFIX}_$name" -p"$(cat "$state/keys/db-$name.password")" \
    -N -e "$sql" 2>&1
}
expect_denied() {
  local name=$1 sql=$2 out
  if out=$(as_service "$name" "$sql"); then
    echo "FAIL: the $name service's user may: $sql"; failures=$((failures + 1))
  elif ! grep -q "denied" <<<"$out"; then
    echo "FAIL: $sql failed otherwise: $out"; failures=$((failures + 1))
  fi
}
m="${LIANXIN_DB_PREFIX}_member"
d="${LIANXIN_DB_PREFIX}_dispatch"
if [ "$(as_service member "SELECT COUNT(*) > 0 FROM $m.history")" = "1" ]; then
  echo "ok: the member service reads its own history as its own user"
else
  echo "FAIL: the member service's user cannot read its history"; failures=$((failures + 1))
fi
expect_denied member "UPDATE $m.history SET action = 'rewritten' LIMIT 1"
expect_denied member "DELETE FROM $m.history LIMIT 1"
expect_denied member "DELETE FROM $m.member_disclosures"
expect_denied member "SELECT COUNT(*) FROM ${LIANXIN_DB_PREFIX}_org.org_units"
expect_denied member "DROP TABLE $m.members"
expect_denied dispatch "UPDATE $d.request_timeline SET action = 'rewritten' LIMIT 1"
expect_denied dispatch "DELETE FROM $d.phone_disclosures"
echo "ok: each service's database user is confined to its own tables, history append-only"
members=$(count member.members)
if [ "$members" -lt 1571 ]; then
  echo "FAIL: the demo district has $members members, expected the demo's 1,571"; failures=$((failures + 1))
fi
grouped=$(mariadb --no-defaults -S "$socket" -uroot -N -e \
  "SELECT CONCAT(COUNT(*), '/', COUNT(DISTINCT group_id)) FROM ${LIANXIN_DB_PREFIX}_member.members WHERE group_id <> ''")
if [ "$grouped" != "1028/63" ]; then
  echo "FAIL: 学卫's 1,028 members should sit in its 63 groups; members/groups: $grouped"; failures=$((failures + 1))
fi
# 西湖新村's ledger: the months before, in the figures' past (seed 004).
past=$(mariadb --no-defaults -S "$socket" -uroot -N -e \
  "SELECT CONCAT(COUNT(*), '/', SUM(created_us < (UNIX_TIMESTAMP() - 30 * 86400) * 1000000))
   FROM ${LIANXIN_DB_PREFIX}_dispatch.requests")
if [ "${past%%/*}" -lt 102 ] || [ "${past##*/}" -lt 60 ]; then
  echo "FAIL: 西湖新村 should have 102 requests, 60+ of them from past months; all/past: $past"
  failures=$((failures + 1))
fi

# 黄金's five lectures: 1,300 attendances (seed 003); its 29 volunteer teams.
lectures=$(mariadb --no-defaults -S "$socket" -uroot -N -e \
  "SELECT CONCAT(COUNT(*), '/', SUM(present_count)) FROM ${LIANXIN_DB_PREFIX}_activity.activities WHERE type = 8")
teams=$(count activity.volunteer_teams)
if [ "$lectures" != "5/1300" ] || [ "$teams" != 29 ]; then
  echo "FAIL: 黄金 should have 5 lectures with 1,300 attendances and 29 teams; lectures/present: $lectures, teams: $teams"
  failures=$((failures + 1))
fi
# The activity service's record of payments and readings is append-only.
a="${LIANXIN_DB_PREFIX}_activity"
expect_denied activity "DELETE FROM $a.dues_payments"
expect_denied activity "UPDATE $a.dues_months SET due_fen = 0"
expect_denied activity "DELETE FROM $a.service_records"

# Metrics counted the demo's calls, by method and code.
body=$(curl -sf "http://127.0.0.1:$(awk '$1 == "org" {print $3}' <<<"$listening")/metrics")
grep -q 'grpc_server_handled_total{grpc_code="OK",grpc_method="CreateOrgUnit"' <<<"$body" \
  || grep -q 'grpc_method="CreateOrgUnit".*grpc_code="OK"' <<<"$body" \
  || { echo "FAIL: no handled count for CreateOrgUnit"; failures=$((failures + 1)); }

# The run command's supervisor: a service killed is started again, the others
# keep serving meanwhile.
bash "$src/deploy/local/services.sh" supervise "$state" >"$state/supervise.out" 2>&1 &
supervisor=$!
health() { "$build/tools/lianxin-health" --target="127.0.0.1:$1" --service="$2" >/dev/null 2>&1; }
old_pid=$(cat "$state/member.pid")
kill -KILL "$old_pid"
back=""
for _ in $(seq 1 150); do
  pid=$(cat "$state/member.pid" 2>/dev/null || echo "$old_pid")
  if [ "$pid" != "$old_pid" ] && health "$member" lianxin.member.v1.MemberService; then back=$pid; break; fi
  sleep 0.2
done
if [ -n "$back" ]; then
  echo "ok: the member service, killed, came back (pid $old_pid → $back)"
else
  echo "FAIL: the member service did not come back:"; cat "$state/supervise.out"; failures=$((failures + 1))
fi
health "$org" lianxin.org.v1.OrgService || { echo "FAIL: org stopped serving meanwhile"; failures=$((failures + 1)); }
health "$dispatch" lianxin.dispatch.v1.DispatchService || { echo "FAIL: dispatch stopped serving"; failures=$((failures + 1)); }
if grep -q "member (pid $old_pid) was killed (signal 9); starting it again" "$state/supervisor.log" &&
   grep -q "member is back (pid $back)" "$state/supervisor.log"; then
  echo "ok: the supervisor reported it: $(tr '\n' ' ' <"$state/supervise.out")"
else
  echo "FAIL: the supervisor's log lacks the restart:"; cat "$state/supervisor.log"; failures=$((failures + 1))
fi
# The platform works on: loading the demo again goes through the new member service.
"$build/deploy/lianxin-demo" --org="127.0.0.1:$org" --member="127.0.0.1:$member" --dispatch="127.0.0.1:$dispatch" --activity="127.0.0.1:$activity" \
  --key_file="$state/keys/signing/gateway-1.key" >/dev/null || { echo "FAIL: the demo does not load after the restart"; failures=$((failures + 1)); }

for db in $(mariadb --no-defaults -S "$socket" -uroot -N -e "SHOW DATABASES LIKE '${LIANXIN_DB_PREFIX}%'"); do
  mariadb --no-defaults -S "$socket" -uroot -e "DROP DATABASE \`$db\`"
done
echo "$failures failed"
[ "$failures" -eq 0 ]
