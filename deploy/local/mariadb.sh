#!/usr/bin/env bash
# A private MariaDB server: its own data directory, loopback only, no system
# service, durable settings (every commit flushed to disk).
#   mariadb.sh start DIR PORT   initialise DIR/data if new, start, wait until it answers;
#                               TLS when DIR/tls holds ca.crt, server.crt and server.key
#   mariadb.sh stop DIR         stop the server whose pid is in DIR/mysqld.pid
#   mariadb.sh discard DIR      stop it and delete DIR (the tests' server: its
#                               databases and 256 MiB redo log go with it)
set -euo pipefail

cmd=${1:?usage: mariadb.sh start DIR PORT | stop DIR | discard DIR}
dir=$(mkdir -p "${2:?DIR}" && cd "$2" && pwd)

case "$cmd" in
  start)
    port=${3:?PORT}  # "socket" for a server reachable only through DIR/mysqld.sock
    networking="--port=$port --bind-address=127.0.0.1 --skip-networking=0"
    [ "$port" = "socket" ] && networking="--skip-networking"
    tls=""
    if [ -f "$dir/tls/server.crt" ]; then
      tls="--ssl-ca=$dir/tls/ca.crt --ssl-cert=$dir/tls/server.crt --ssl-key=$dir/tls/server.key"
    fi
    if [ -f "$dir/mysqld.pid" ] && kill -0 "$(cat "$dir/mysqld.pid")" 2>/dev/null; then
      echo "mariadb: already running in $dir" >&2
      exit 0
    fi
    # Its own temporary directory: nothing shared in /tmp with other servers
    # (or with whatever cleans /tmp), and nothing left there.
    mkdir -p "$dir/tmp"
    if [ ! -d "$dir/data/mysql" ]; then
      mariadb-install-db --no-defaults --user="$(id -un)" --datadir="$dir/data" --tmpdir="$dir/tmp" \
        --auth-root-authentication-method=normal --skip-test-db >"$dir/install.log" 2>&1 \
        || { cat "$dir/install.log" >&2; exit 1; }
    fi
    mariadbd --no-defaults --user="$(id -un)" --datadir="$dir/data" --tmpdir="$dir/tmp" --socket="$dir/mysqld.sock" \
      --pid-file="$dir/mysqld.pid" $networking $tls \
      --skip-name-resolve --log-error="$dir/error.log" \
      --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
      --innodb-flush-log-at-trx-commit=1 --innodb-buffer-pool-size=512M \
      --innodb-log-file-size=256M --max-connections=1000 --max-prepared-stmt-count=100000 \
      </dev/null >/dev/null 2>&1 &
    for _ in $(seq 1 300); do
      if mariadb-admin --no-defaults --socket="$dir/mysqld.sock" -uroot ping >/dev/null 2>&1; then
        exit 0
      fi
      sleep 0.1
    done
    echo "mariadb: did not start; see $dir/error.log" >&2
    tail -20 "$dir/error.log" >&2 || true
    exit 1
    ;;
  discard)
    bash "$0" stop "$dir"
    # Only a directory this script set up (or an empty one): never whatever
    # path was given.
    if [ -d "$dir/data/mysql" ]; then
      rm -rf "$dir"
    elif [ -z "$(ls -A "$dir")" ]; then
      rmdir "$dir"
    else
      echo "mariadb: $dir holds no server of ours; left alone" >&2
      exit 1
    fi
    ;;
  stop)
    [ -f "$dir/mysqld.pid" ] || exit 0
    pid=$(cat "$dir/mysqld.pid")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 300); do
      kill -0 "$pid" 2>/dev/null || exit 0
      sleep 0.1
    done
    echo "mariadb: $pid did not stop in 30 s" >&2
    exit 1
    ;;
  *)
    echo "usage: mariadb.sh start DIR PORT | stop DIR | discard DIR" >&2
    exit 2
    ;;
esac
