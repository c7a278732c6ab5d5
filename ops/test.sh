#!/usr/bin/env bash
# Installs missing packages, builds, fetches the Kafka jars and runs the whole CTest suite.
# The suite starts and stops its own Kafka broker (a CTest fixture calling ops/kafka/broker.sh);
# this script neither needs a running broker nor leaves one behind. Exit code = ctest's.
#
# Environment:
#   BUILD_DIR               build directory (default: build)
#   CASELEDGER_CTEST_ARGS   extra ctest arguments, split on spaces (e.g. "-R Kafka" or "-L unit")
#   CASELEDGER_CTEST_JOBS   ctest -j (default: 2)
#   CASELEDGER_SKIP_DEPS=1  skip ops/install-deps.sh (e.g. on a machine without root)
#   plus everything ops/build.sh and ops/kafka/*.sh read
set -euo pipefail

ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BUILD_DIR=${BUILD_DIR:-build}
export BUILD_DIR

started=$SECONDS
step() { printf '\n== test.sh: %s\n' "$*" >&2; }
failed_step=""
trap 'if [[ -n $failed_step ]]; then printf "test.sh: FAILED at step: %s (after %ss)\n" "$failed_step" "$((SECONDS - started))" >&2; fi' EXIT

if [[ ${CASELEDGER_SKIP_DEPS:-0} != 1 ]]; then
  step "install dependencies"
  failed_step="install dependencies"
  bash ops/install-deps.sh
fi

step "build"
failed_step="build"
bash ops/build.sh

step "fetch Kafka jars"
failed_step="fetch Kafka jars"
bash ops/kafka/fetch.sh >/dev/null
failed_step=""

# Brokers already running before the suite are someone else's; any broker started by the suite
# and still running afterwards (a fixture that never got to its cleanup) is stopped below.
kafka_brokers() {
  local f cmdline
  for f in /proc/[0-9]*/cmdline; do
    cmdline=$(tr '\0' ' ' 2>/dev/null <"$f") || continue
    [[ $cmdline == *" kafka.Kafka "*"/server.properties"* ]] || continue
    local pid=${f#/proc/}
    printf '%s %s\n' "${pid%/cmdline}" "$(sed -n 's:.* kafka\.Kafka \(.*\)/server\.properties.*:\1:p' <<<"$cmdline")"
  done
}
before=$(kafka_brokers | sort)

step "ctest"
read -r -a ctest_extra <<<"${CASELEDGER_CTEST_ARGS:-}"
set +e
ctest --test-dir "$BUILD_DIR" --output-on-failure --no-tests=error \
  -j "${CASELEDGER_CTEST_JOBS:-2}" "${ctest_extra[@]}"
rc=$?
set -e

leftover=$(comm -13 <(printf '%s\n' "$before") <(kafka_brokers | sort) | sed '/^$/d')
if [[ -n $leftover ]]; then
  while read -r pid dir; do
    printf 'test.sh: warning: the suite left Kafka broker %s (%s) running; stopping it\n' "$pid" "$dir" >&2
    bash ops/kafka/broker.sh stop "$dir" || kill -KILL "$pid" 2>/dev/null || true
  done <<<"$leftover"
fi

if ((rc == 0)); then
  verdict=ok
else
  verdict=FAILED
fi
printf 'test.sh: ctest %s (exit code %d) in %ss, build dir %s\n' "$verdict" "$rc" "$((SECONDS - started))" "$BUILD_DIR"
exit "$rc"
