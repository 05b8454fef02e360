#!/usr/bin/env bash
# Starts and stops every service in services.txt as its own process.
#   services.sh start BUILD_DIR STATE_DIR DB_SOCKET KEY_FILE [PORT_OFFSET]
#     starts the services in order, each with its ready file STATE_DIR/NAME.ready
#     and its log STATE_DIR/NAME.log, waiting for each before the next, and
#     prints "NAME GRPC_PORT METRICS_PORT PID" per service. Field-encryption
#     keys are made once in STATE_DIR/keys and kept (losing them loses data).
#   services.sh stop STATE_DIR    SIGTERM each pid it started, then wait.
# PORT_OFFSET 0 uses the ports in services.txt; "ephemeral" picks free gRPC
# ports up front and lets each pick a free metrics port (tests).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

cmd=${1:?usage}
case "$cmd" in
  start)
    build=${2:?BUILD_DIR}; state=${3:?STATE_DIR}; socket=${4:?DB_SOCKET}; key=${5:?KEY_FILE}
    offset=${6:-0}
    mkdir -p "$state/keys"
    chmod 700 "$state/keys"
    # Each key file a service line names ({keys}/NAME.keys) is made once.
    for f in $(grep -o '{keys}/[a-z]*\.keys' "$here/services.txt" | sed 's|{keys}/||' | sort -u); do
      if [ ! -f "$state/keys/$f" ]; then
        (umask 077; printf '# field keys: the first key line is active\nindex %s\nkey k1 sm4 %s\n' \
          "$(openssl rand -hex 32)" "$(openssl rand -hex 32)" >"$state/keys/$f")
      fi
    done
    # Every service's gRPC port is known before any starts, so services can
    # name each other either way round (org ↔ member).
    free_port() {
      local p
      while :; do
        p=$((20000 + RANDOM % 40000))
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
      for other in "${!grpc_of[@]}"; do extra=${extra//\{grpc:$other\}/${grpc_of[$other]}}; done
      rm -f "$state/$name.ready"
      # shellcheck disable=SC2086
      "$build/services/$name/lianxin-$name" \
        --listen="127.0.0.1:$grpc" --metrics_listen="127.0.0.1:$metrics" \
        --db_socket="$socket" --jwt_key_file="$key" --ready_file="$state/$name.ready" \
        ${LIANXIN_DB_PREFIX:+--db_name="${LIANXIN_DB_PREFIX}_$name"} $extra \
        </dev/null >>"$state/$name.log" 2>&1 &
      echo $! >"$state/$name.pid"
      for _ in $(seq 1 300); do
        [ -f "$state/$name.ready" ] && break
        if ! kill -0 "$(cat "$state/$name.pid")" 2>/dev/null; then
          echo "services: $name exited; its log:" >&2
          tail -20 "$state/$name.log" >&2
          exit 1
        fi
        sleep 0.1
      done
      [ -f "$state/$name.ready" ] || { echo "services: $name not ready after 30 s" >&2; exit 1; }
      read -r grpc metrics < <(sed -E 's/.*"grpc_port": ([0-9]+), "metrics_port": ([0-9]+).*/\1 \2/' "$state/$name.ready")
      echo "$name $grpc $metrics $(cat "$state/$name.pid")"
    done <"$here/services.txt"
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
    echo "usage: services.sh start BUILD STATE SOCKET KEY [OFFSET] | stop STATE" >&2
    exit 2
    ;;
esac
