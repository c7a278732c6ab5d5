#!/usr/bin/env bash
# Configures (CMake + Ninja) and builds caseledger. Works from any directory.
#
# Environment:
#   BUILD_DIR                  build directory, relative to the repo root or absolute (default: build)
#   CMAKE_BUILD_TYPE           default: RelWithDebInfo
#   CASELEDGER_WERROR          ON/OFF, warnings as errors (default: ON)
#   CASELEDGER_CMAKE_ARGS      extra arguments for the configure step, split on spaces
#                              (e.g. "-DCASELEDGER_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++-14")
#   CASELEDGER_BUILD_JOBS      ninja -j (default: ninja's own choice)
# Arguments are passed to ninja, e.g. `ops/build.sh caseledger` builds just that target.
set -euo pipefail

ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

BUILD_DIR=${BUILD_DIR:-build}
read -r -a extra_args <<<"${CASELEDGER_CMAKE_ARGS:-}"

echo "build: configuring $ROOT -> $BUILD_DIR" >&2
cmake -S . -B "$BUILD_DIR" -G Ninja \
  -DCMAKE_BUILD_TYPE="${CMAKE_BUILD_TYPE:-RelWithDebInfo}" \
  -DCASELEDGER_WERROR="${CASELEDGER_WERROR:-ON}" \
  "${extra_args[@]}"

ninja_args=(-C "$BUILD_DIR")
if [[ -n ${CASELEDGER_BUILD_JOBS:-} ]]; then
  ninja_args+=(-j "$CASELEDGER_BUILD_JOBS")
fi
echo "build: ninja ${ninja_args[*]} $*" >&2
ninja "${ninja_args[@]}" "$@"
