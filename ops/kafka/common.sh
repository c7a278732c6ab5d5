# shellcheck shell=bash
# Shared by ops/kafka/fetch.sh and ops/kafka/broker.sh (sourced, not run).
# Defines KAFKA_OPS_DIR, KAFKA_POM, KAFKA_VERSION and kafka_cache_dir.

KAFKA_OPS_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
KAFKA_POM="$KAFKA_OPS_DIR/pom.xml"

# The one place the version lives is pom.xml's <kafka.version> property.
KAFKA_VERSION=$(sed -n 's:.*<kafka\.version>\([^<]*\)</kafka\.version>.*:\1:p' "$KAFKA_POM" | head -n 1)
if [[ -z $KAFKA_VERSION ]]; then
  echo "kafka: cannot read <kafka.version> from $KAFKA_POM" >&2
  exit 1
fi

# Where the broker's jars live ($dir/libs/*.jar), outside the repo so a fresh clone reuses them.
# CASELEDGER_KAFKA_CACHE wins; otherwise /var/cache/caseledger/kafka-<version>, or, for a user
# who cannot write there, ${XDG_CACHE_HOME:-~/.cache}/caseledger/kafka-<version>.
kafka_cache_dir() {
  if [[ -n ${CASELEDGER_KAFKA_CACHE:-} ]]; then
    printf '%s\n' "$CASELEDGER_KAFKA_CACHE"
    return
  fi
  local system="/var/cache/caseledger/kafka-$KAFKA_VERSION"
  if kafka_jars_present "$system"; then
    printf '%s\n' "$system"
  elif mkdir -p "$system" 2>/dev/null && [[ -w $system ]]; then
    printf '%s\n' "$system"
  else
    printf '%s\n' "${XDG_CACHE_HOME:-$HOME/.cache}/caseledger/kafka-$KAFKA_VERSION"
  fi
}

# True when $1/libs holds a complete copy for KAFKA_VERSION (fetch.sh writes the marker last).
kafka_jars_present() {
  local cache=$1
  [[ -f $cache/libs/.complete && -f $cache/libs/kafka_2.13-$KAFKA_VERSION.jar ]] &&
    [[ $(cat "$cache/libs/.complete") == "$KAFKA_VERSION" ]]
}
