#!/usr/bin/env bash
# Installs every Debian package Lianxin needs to build, test and run locally.
# Idempotent: packages already present are skipped, so a warm machine spends
# well under a second here. Also installs the npm tools (buf) into .cache/.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev libmysqlcppconn-dev prometheus-cpp-dev
  libgtest-dev libgmock-dev
  mariadb-server mariadb-client
  grpc-proto libgoogle-common-protos-java unzip
  libjwt-dev libjansson-dev libssl-dev libgoogle-perftools-dev
  libsodium-dev liboath-dev oathtool
  openssl curl clang-format git
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # mariadb-server's package scripts may start a system server; this project
  # runs its own private one, so stop any system instance that came along.
  if command -v systemctl >/dev/null 2>&1; then $SUDO systemctl stop mariadb 2>/dev/null || true; fi
  $SUDO service mariadb stop >/dev/null 2>&1 || true
fi

# Node.js with npm (the machine's, or Debian's nodejs+npm when absent).
if ! command -v npm >/dev/null 2>&1; then
  ${SUDO:-} apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi

# buf (npm package ships the binary) for proto lint, installed inside the repo.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS="$ROOT/.cache/tools"
if [ ! -x "$TOOLS/node_modules/.bin/buf" ]; then
  echo "install-deps: installing @bufbuild/buf into .cache/tools" >&2
  mkdir -p "$TOOLS"
  (cd "$TOOLS" && npm install --silent --no-audit --no-fund --prefix "$TOOLS" @bufbuild/buf@1 >/dev/null)
fi
