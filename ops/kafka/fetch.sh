#!/usr/bin/env bash
# Fetches Apache Kafka's release jars (the version in ops/kafka/pom.xml) from Maven Central into
# $CACHE/libs, where CACHE is ${CASELEDGER_KAFKA_CACHE:-/var/cache/caseledger/kafka-<version>}.
# A no-op when the jars are already there. Prints the cache directory on stdout.
#
# Environment:
#   CASELEDGER_KAFKA_CACHE   cache directory (default above; falls back to ~/.cache for non-root)
#   CASELEDGER_MVN_ARGS      extra arguments for mvn, split on spaces (e.g. "-o" or "-s settings.xml")
set -euo pipefail

# shellcheck source=ops/kafka/common.sh
source "$(dirname -- "${BASH_SOURCE[0]}")/common.sh"

CACHE=$(kafka_cache_dir)
if kafka_jars_present "$CACHE"; then
  printf '%s\n' "$CACHE"
  exit 0
fi

if ! command -v mvn >/dev/null 2>&1; then
  echo "kafka fetch: mvn not found; run ops/install-deps.sh first" >&2
  exit 1
fi

mkdir -p "$CACHE"
# One fetch at a time per cache (e.g. ops/test.sh and a CTest fixture starting a broker).
exec 9>"$CACHE/.fetch.lock"
flock 9
if kafka_jars_present "$CACHE"; then
  printf '%s\n' "$CACHE"
  exit 0
fi
# Copy into a temporary directory and rename it into place, so an interrupted fetch never
# leaves a half-filled libs/ that looks complete.
tmp=$(mktemp -d "$CACHE/libs.tmp.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT

read -r -a mvn_extra <<<"${CASELEDGER_MVN_ARGS:-}"
echo "kafka fetch: downloading Kafka $KAFKA_VERSION jars into $CACHE/libs" >&2
# (Maven 3.8's -q still prints bare colour resets; sed drops them.)
mvn -q -B -Dstyle.color=never -f "$KAFKA_POM" "${mvn_extra[@]}" \
  dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp" </dev/null 2>&1 |
  sed -u 's/\x1b\[[0-9;]*m//g' >&2

if [[ ! -f $tmp/kafka_2.13-$KAFKA_VERSION.jar ]]; then
  echo "kafka fetch: mvn finished but kafka_2.13-$KAFKA_VERSION.jar is missing from $tmp" >&2
  exit 1
fi
printf '%s\n' "$KAFKA_VERSION" >"$tmp/.complete"
rm -rf -- "$CACHE/libs"
mv -- "$tmp" "$CACHE/libs"
trap - EXIT
echo "kafka fetch: $(find "$CACHE/libs" -name '*.jar' | wc -l) jars in $CACHE/libs" >&2
printf '%s\n' "$CACHE"
