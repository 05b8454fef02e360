#!/usr/bin/env bash
# Starts, supervises and stops every service in services.txt as its own process.
#   services.sh start BUILD_DIR STATE_DIR DB_SOCKET [PORT_OFFSET]
#     starts the services in order, each with its ready file STATE_DIR/NAME.ready
#     and its log STATE_DIR/NAME.log, waiting for each before the next, and
#     prints "NAME GRPC_PORT METRICS_PORT PID" per service. Keys are made once
#     in STATE_DIR/keys and kept: field-encryption keys (losing them loses
#     data), and an ES256 key pair for the gateway (which signs people's
#     tokens; lianxin-token and the demo use it locally) and for each service
#     (its own tokens): signing/KID.key, readable by its owner only, and
#     trust/KID.pub, the public keys every service is given.
#     Each service's command line is kept in STATE_DIR/NAME.cmd.
#   services.sh supervise STATE_DIR
#     watches the services started there until it is stopped: one that exits
#     is started again with the same command line, after a pause that doubles
#     with each restart in a row (1 s, 2 s, 4 s ... at most 30 s; back to 1 s
#     once it has stayed up a minute), as a Kubernetes restart policy would.
#     Each exit and restart is printed and appended to STATE_DIR/supervisor.log.
#   services.sh stop STATE_DIR    SIGTERM each pid it started, then wait.
# PORT_OFFSET 0 uses the ports in services.txt; "ephemeral" picks free gRPC
# ports up front and lets each pick a free metrics port (tests).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# Starts the service whose command line is in STATE/NAME.cmd and waits until
# it is ready; prints nothing, fails (with its log's tail) if it exits first.
launch() {
  local state=$1 name=$2
  rm -f "$state/$name.ready" "$state/$name.exit" "$state/$name.pid"
  # The service, and beside it a shell that notes how it ended (NAME.exit).
  (
    # shellcheck disable=SC1090
    (source "$state/$name.cmd") </dev/null >>"$state/$name.log" 2>&1 &
    echo $! >"$state/$name.pid"
    status=0
    wait $! || status=$?
    echo "$status" >"$state/$name.exit"
  ) </dev/null >/dev/null 2>&1 &
  for _ in $(seq 1 50); do [ -s "$state/$name.pid" ] && break; sleep 0.02; done
  for _ in $(seq 1 300); do
    [ -f "$state/$name.ready" ] && return 0
    if ! kill -0 "$(cat "$state/$name.pid")" 2>/dev/null; then
      echo "services: $name exited; its log:" >&2
      tail -20 "$state/$name.log" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "services: $name not ready after 30 s" >&2
  return 1
}

# Each service connects as its own MariaDB user (named as its schema), with
# rights on its own tables only; the tables that record what happened
# (history, disclosures, the request timeline) take INSERT and SELECT alone,
# so that the service itself cannot rewrite them. Run as root once the
# service's migrations are applied (new tables get their grants too).
grant_service_user() {
  local socket=$1 db=$2 password
  password=$(cat "$3")
  # grants.txt as a CASE: each listed table its privileges, the rest all four.
  local cases
  cases=$(awk '$1 !~ /^#/ && NF { t = $1; $1 = ""; sub(/^ /, ""); printf "WHEN '\''%s'\'' THEN '\''%s'\'' ", t, $0 }' \
    "$here/grants.txt")
  mariadb --no-defaults -S "$socket" -uroot -N -e "
    CREATE USER IF NOT EXISTS '$db'@'localhost' IDENTIFIED BY '$password';
    ALTER USER '$db'@'localhost' IDENTIFIED BY '$password';
    SELECT CONCAT('GRANT ', CASE table_name $cases ELSE 'SELECT, INSERT, UPDATE, DELETE' END,
        ' ON \`', table_schema, '\`.\`', table_name, '\` TO ''$db''@''localhost'';')
      FROM information_schema.tables WHERE table_schema = '$db';" |
    mariadb --no-defaults -S "$socket" -uroot
}

cmd=${1:?usage}
case "$cmd" in
  start)
    build=${2:?BUILD_DIR}; state=${3:?STATE_DIR}; socket=${4:?DB_SOCKET}
    offset=${5:-0}
    mkdir -p "$state/keys/signing" "$state/keys/trust"
    chmod 700 "$state/keys" "$state/keys/signing"
    for signer in gateway $(awk '$1 !~ /^#/ && NF {print $1}' "$here/services.txt"); do
      if [ ! -f "$state/keys/signing/$signer-1.key" ]; then
        (umask 077; openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$state/keys/signing/$signer-1.key")
        openssl pkey -in "$state/keys/signing/$signer-1.key" -pubout -out "$state/keys/trust/$signer-1.pub"
      fi
    done
    # Each key file a service line names ({keys}/NAME.keys, the data keys, and
    # {keys}/NAME.index, the blind-index key apart from them) is made once. A
    # data key file of earlier versions that also held the index key is split.
    for f in $(grep -o '{keys}/[a-z]*\.keys' "$here/services.txt" | sed 's|{keys}/||' | sort -u); do
      index="${f%.keys}.index"
      if [ ! -f "$state/keys/$f" ]; then
        (umask 077; printf '# field keys: the first key line is active\nkey k1 sm4 %s\n' "$(openssl rand -hex 32)" \
          >"$state/keys/$f")
      fi
      if [ ! -f "$state/keys/$index" ]; then
        if grep -q '^index ' "$state/keys/$f"; then
          (umask 077; grep '^index ' "$state/keys/$f" >"$state/keys/$index"
           grep -v '^index ' "$state/keys/$f" >"$state/keys/$f.new" && mv "$state/keys/$f.new" "$state/keys/$f")
        else
          (umask 077; printf '# blind-index key: apart from the data keys\nindex %s\n' "$(openssl rand -hex 32)" \
            >"$state/keys/$index")
        fi
      fi
    done
    # A local certificate authority, a certificate for the gateway's public
    # port (localhost, 127.0.0.1), and a client certificate for the demo's
    # government system (mTLS): made once, kept in STATE_DIR/tls.
    tls="$state/tls"
    if [ ! -f "$tls/ca.crt" ]; then
      mkdir -p "$tls" && chmod 700 "$tls"
      (umask 077
       openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 -subj "/O=Lianxin local/CN=Lianxin local CA" \
         -keyout "$tls/ca.key" -out "$tls/ca.crt" 2>/dev/null
       issue() {  # name subject extensions
         openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "$2" -keyout "$tls/$1.key" -out "$tls/$1.csr" 2>/dev/null
         openssl x509 -req -in "$tls/$1.csr" -CA "$tls/ca.crt" -CAkey "$tls/ca.key" -CAcreateserial -days 825 \
           -extfile <(printf '%s\n' "$3") -out "$tls/$1.crt" 2>/dev/null
         rm -f "$tls/$1.csr"
       }
       issue gateway "/O=Lianxin local/CN=localhost" "subjectAltName=DNS:localhost,IP:127.0.0.1"
       issue gov-system "/O=Lianxin demo/CN=demo-gov-system" "extendedKeyUsage=clientAuth")
    fi
    # Every service's gRPC port is known before any starts, so services can
    # name each other either way round (org ↔ member).
    # Free ports are picked below the kernel's ephemeral range: a port in it
    # can be taken as the local end of any outgoing connection (the services'
    # own MariaDB and gRPC clients) between the pick and the service's bind.
    ephemeral_low=32768
    read -r ephemeral_low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || ephemeral_low=32768
    [ "$ephemeral_low" -gt 11000 ] || ephemeral_low=32768
    free_port() {
      local p
      while :; do
        p=$((10000 + RANDOM % (ephemeral_low - 10000)))
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
      done
    }
    declare -A grpc_of
    while read -r name grpc metrics extra; do
      [ -n "$name" ] && [ "${name:0:1}" != "#" ] || continue
      if [ "$offset" = "ephemeral" ]; then grpc_of[$name]=$(free_port); else grpc_of[$name]=$((grpc + offset)); fi
    done <"$here/services.txt"
    while read -r name grpc metrics extra; do
      [ -n "$name" ] && [ "${name:0:1}" != "#" ] || continue
      grpc=${grpc_of[$name]}
      if [ "$offset" = "ephemeral" ]; then metrics=0; else metrics=$((metrics + offset)); fi
      extra=${extra//\{keys\}/$state/keys}
      extra=${extra//\{tls\}/$tls}
      for other in "${!grpc_of[@]}"; do extra=${extra//\{grpc:$other\}/${grpc_of[$other]}}; done
      while [[ "$extra" =~ \{port:([0-9]+)\} ]]; do
        if [ "$offset" = "ephemeral" ]; then p=$(free_port); else p=$((BASH_REMATCH[1] + offset)); fi
        extra=${extra//\{port:${BASH_REMATCH[1]}\}/$p}
      done
      db="${LIANXIN_DB_PREFIX:-lianxin}_$name"
      # shellcheck disable=SC2206
      args=(--listen="127.0.0.1:$grpc" --metrics_listen="127.0.0.1:$metrics"
        --db_socket="$socket" --db_name="$db" --ready_file="$state/$name.ready"
        --trust_dir="$state/keys/trust" --signing_key_file="$state/keys/signing/$name-1.key" $extra)
      # The schema's owner applies the migrations; the service then runs as
      # its own user, made (with a password kept in STATE_DIR/keys) and
      # granted its tables here.
      if ! "$build/services/$name/lianxin-$name" "${args[@]}" --db_user=root --migrate_only >>"$state/$name.log" 2>&1; then
        echo "services: $name could not migrate its schema; its log:" >&2
        tail -20 "$state/$name.log" >&2
        exit 1
      fi
      password_file="$state/keys/db-$name.password"
      [ -f "$password_file" ] || (umask 077; openssl rand -hex 24 >"$password_file")
      grant_service_user "$socket" "$db" "$password_file"
      # The command line, kept for restarts.
      printf 'exec %q ' "$build/services/$name/lianxin-$name" "${args[@]}" \
        --db_user="$db" --db_password_file="$password_file" --migrate=false >"$state/$name.cmd"
      echo >>"$state/$name.cmd"
      launch "$state" "$name"
      read -r grpc metrics < <(sed -E 's/.*"grpc_port": ([0-9]+), "metrics_port": ([0-9]+).*/\1 \2/' "$state/$name.ready")
      public=$(grep -o '"public_grpc_port": [0-9]*' "$state/$name.ready" | grep -o '[0-9]*$' || true)
      http=$(grep -o '"http_port": [0-9]*' "$state/$name.ready" | grep -o '[0-9]*$' || true)
      echo "$name $grpc $metrics $(cat "$state/$name.pid") $public $http"
    done <"$here/services.txt"
    ;;
  supervise)
    state=${2:?STATE_DIR}
    log="$state/supervisor.log"
    say() {
      local line
      line="$(date '+%F %T') $*"
      echo "run: $*"
      echo "$line" >>"$log"
    }
    declare -A backoff up_since
    trap 'exit 0' TERM INT
    while true; do
      for f in "$state"/*.cmd; do
        [ -f "$f" ] || continue
        name=$(basename "$f" .cmd)
        pid=$(cat "$state/$name.pid" 2>/dev/null || echo 0)
        now=$(date +%s)
        if kill -0 "$pid" 2>/dev/null; then
          # Up a minute: the next crash starts the backoff afresh.
          if [ -n "${up_since[$name]:-}" ] && ((now - up_since[$name] >= 60)); then backoff[$name]=1; fi
          continue
        fi
        # How it ended, as the shell beside it noted.
        for _ in $(seq 1 20); do [ -s "$state/$name.exit" ] && break; sleep 0.05; done
        status=$(cat "$state/$name.exit" 2>/dev/null || echo "?")
        how="exited (status $status)"
        if [[ "$status" =~ ^[0-9]+$ ]] && ((status > 128)); then how="was killed (signal $((status - 128)))"; fi
        wait_s=${backoff[$name]:-1}
        say "$name (pid $pid) $how; starting it again in ${wait_s}s (log $state/$name.log)"
        sleep "$wait_s"
        backoff[$name]=$((wait_s * 2 > 30 ? 30 : wait_s * 2))
        if launch "$state" "$name" 2>>"$log"; then
          up_since[$name]=$(date +%s)
          say "$name is back (pid $(cat "$state/$name.pid"))"
        else
          say "$name did not come back; trying again"
        fi
      done
      sleep 1
    done
    ;;
  stop)
    state=${2:?STATE_DIR}
    pids=()
    for f in "$state"/*.pid; do
      [ -f "$f" ] || continue
      pid=$(cat "$f")
      kill -TERM "$pid" 2>/dev/null && pids+=("$pid")
      rm -f "$f"
    done
    for pid in "${pids[@]}"; do
      for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    done
    ;;
  *)
    echo "usage: services.sh start BUILD STATE SOCKET [OFFSET] | supervise STATE | stop STATE" >&2
    exit 2
    ;;
esac
