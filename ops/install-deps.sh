#!/usr/bin/env bash
# Installs the Debian 12 packages caseledger needs to build, test and run.
# Idempotent: asks dpkg which packages are missing and installs only those; runs
# `apt-get update` at most once, and only when something has to be installed.
#
# Usage: ops/install-deps.sh            (as root, or as a user with sudo)
#        ops/install-deps.sh --check    (report what is missing; exit 1 if anything is)
set -euo pipefail

# The one list of packages. Keep it sorted by purpose; add new dependencies here only.
PACKAGES=(
  # toolchain and build
  build-essential cmake ninja-build pkg-config
  clang-14 libclang-rt-14-dev clang-format-14 clang-tidy-14
  # libraries (cmake/dependencies.cmake)
  librocksdb-dev libflatbuffers-dev flatbuffers-compiler
  libboost1.81-dev libboost-json1.81-dev libboost-program-options1.81-dev
  libfmt-dev libgtest-dev libgmock-dev libsodium-dev librdkafka-dev libssl-dev libjemalloc-dev
  # development Kafka broker (ops/kafka): Java runtime to run it, Maven to fetch its jars
  openjdk-17-jre-headless maven
  # scripts, health checks, benchmarks
  python3 curl wrk
)

log() { printf 'install-deps: %s\n' "$*" >&2; }

check_only=0
case "${1:-}" in
  --check) check_only=1 ;;
  -h | --help)
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
  "") ;;
  *)
    log "unknown argument: $1 (try --help)"
    exit 2
    ;;
esac

is_installed() {
  # db:Status-Abbrev is "ii " for an installed package; anything else (rc, un, ...) is missing.
  local status
  status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null) || return 1
  [[ $status == ii* ]]
}

missing=()
for pkg in "${PACKAGES[@]}"; do
  is_installed "$pkg" || missing+=("$pkg")
done

if ((${#missing[@]} == 0)); then
  log "all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

log "missing: ${missing[*]}"
if ((check_only)); then
  exit 1
fi

SUDO=()
if ((EUID != 0)); then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    log "not root and no sudo: install the packages above as root"
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
log "running apt-get update"
"${SUDO[@]}" apt-get update -q
log "installing ${#missing[@]} package(s)"
"${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"

# Verify: a package name apt resolved to something else would otherwise pass silently.
still_missing=()
for pkg in "${missing[@]}"; do
  is_installed "$pkg" || still_missing+=("$pkg")
done
if ((${#still_missing[@]} > 0)); then
  log "still missing after install: ${still_missing[*]}"
  exit 1
fi
log "done"
