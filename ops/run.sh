#!/usr/bin/env bash
# Installs missing packages, builds the caseledger binary and runs the server in the foreground.
#
# Environment:
#   CASELEDGER_DATA         data directory (default: /var/lib/caseledger)
#   CASELEDGER_LISTEN       HTTP listen address (default: 127.0.0.1:8080)
#   BUILD_DIR               build directory (default: build)
#   CASELEDGER_SKIP_DEPS=1  skip ops/install-deps.sh
#   CASELEDGER_SKIP_BUILD=1 run the binary already in BUILD_DIR without building
#   CASELEDGER_DEMO=0       do not pass --demo (default: the demo partnership, docs/identity.md)
# Further arguments are passed to `caseledger serve` (see `build/app/caseledger serve --help`).
set -euo pipefail

ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BUILD_DIR=${BUILD_DIR:-build}
export BUILD_DIR

if [[ ${CASELEDGER_SKIP_DEPS:-0} != 1 ]]; then
  bash ops/install-deps.sh
fi
if [[ ${CASELEDGER_SKIP_BUILD:-0} != 1 ]]; then
  bash ops/build.sh caseledger
fi

bin="$BUILD_DIR/app/caseledger"
if [[ ! -x $bin ]]; then
  echo "run: $bin was not built (does app/ define the caseledger target yet?)" >&2
  exit 1
fi

data=${CASELEDGER_DATA:-/var/lib/caseledger}
listen=${CASELEDGER_LISTEN:-127.0.0.1:8080}
mkdir -p -- "$data"
demo=()
if [[ ${CASELEDGER_DEMO:-1} != 0 ]]; then
  demo=(--demo)
fi
echo "run: $bin serve --data $data --listen $listen ${demo[*]} $*" >&2
exec "$bin" serve --data "$data" --listen "$listen" "${demo[@]}" "$@"
