#!/usr/bin/env bash
# A single-node Apache Kafka (KRaft, broker + controller in one JVM) on 127.0.0.1, for development
# and tests. Runs Kafka's own release jars (fetched by ops/kafka/fetch.sh) with the machine's Java.
#
# Usage: ops/kafka/broker.sh COMMAND [ARGS]
#   start [DIR] [PORT]           start (or confirm running) and wait until ready; prints bootstrap
#   stop [DIR]                   SIGTERM, wait up to CASELEDGER_KAFKA_STOP_TIMEOUT s, then SIGKILL
#   kill [DIR]                   SIGKILL: a crashed JVM (not power loss: the page cache survives)
#   pause [DIR] | resume [DIR]   SIGSTOP / SIGCONT (simulates a hung broker)
#   restart [DIR]                stop, then start again on the same storage and port
#   status [DIR]                 running / paused / not running (exit 3 when not running)
#   pid [DIR]                    print the broker's pid (exit 1 when not running)
#   bootstrap [DIR]              print the bootstrap address, 127.0.0.1:PORT
#   create-topic NAME PARTITIONS [DIR] [kafka-topics options...]   idempotent (--if-not-exists)
#   topics [DIR]                 list topics with their partition counts
#   logs [DIR]                   last 100 lines of the broker log
#   clean [DIR]                  stop, then delete DIR (storage, config, logs)
#
# DIR defaults to $CASELEDGER_KAFKA_DIR, else /tmp/caseledger-kafka-PORT; PORT defaults to the
# port stored in DIR by an earlier start, else $CASELEDGER_KAFKA_PORT, else 19092. The controller
# listens on PORT+1. DIR holds server.properties, log4j.properties, data/ (log.dirs and the
# metadata log), broker.pid, broker.log, port and cluster-id.
#
# Environment:
#   CASELEDGER_KAFKA_DIR            default DIR
#   CASELEDGER_KAFKA_PORT           default PORT (19092)
#   CASELEDGER_KAFKA_FLUSH=1        fsync every message (log.flush.interval.messages=1)
#   CASELEDGER_KAFKA_HEAP           JVM heap flags (default "-Xms256m -Xmx512m")
#   CASELEDGER_KAFKA_JVM_OPTS       extra JVM flags, split on spaces
#   CASELEDGER_KAFKA_START_TIMEOUT  seconds to wait for readiness (default 60)
#   CASELEDGER_KAFKA_STOP_TIMEOUT   seconds between SIGTERM and SIGKILL on stop (default 20)
#   CASELEDGER_KAFKA_CACHE          where the jars live (see fetch.sh)
#   JAVA                            java binary (default: java on PATH)
set -euo pipefail

# shellcheck source=ops/kafka/common.sh
source "$(dirname -- "${BASH_SOURCE[0]}")/common.sh"

JAVA=${JAVA:-java}
DEFAULT_PORT=${CASELEDGER_KAFKA_PORT:-19092}
START_TIMEOUT=${CASELEDGER_KAFKA_START_TIMEOUT:-60}
STOP_TIMEOUT=${CASELEDGER_KAFKA_STOP_TIMEOUT:-20}

say() { printf 'kafka broker: %s\n' "$*" >&2; }
die() {
  say "$*"
  exit 1
}

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
}

# ---------------------------------------------------------------------------------------------
# DIR, port and pid helpers

# resolve_dir [DIR]: the absolute broker directory (it need not exist yet).
resolve_dir() {
  local dir=${1:-}
  if [[ -z $dir || $dir == - ]]; then
    dir=${CASELEDGER_KAFKA_DIR:-/tmp/caseledger-kafka-$DEFAULT_PORT}
  fi
  realpath -m -- "$dir"
}

stored_port() {
  local dir=$1
  [[ -f $dir/port ]] && cat -- "$dir/port"
}

check_port() {
  if [[ ! $1 =~ ^[0-9]+$ ]] || (($1 < 1 || $1 > 65534)); then
    die "invalid port '$1' (1..65534)"
  fi
}

# The pid of the broker running from DIR, or failure. A pid file is trusted only if that process
# really is `kafka.Kafka DIR/server.properties` (stale files and reused pids are ignored); without a
# usable pid file the process table is searched, so a lost pid file does not orphan a broker.
running_pid() {
  local dir=$1 pid
  local want="kafka.Kafka $dir/server.properties"
  if [[ -f $dir/broker.pid ]]; then
    pid=$(<"$dir/broker.pid")
    if [[ $pid =~ ^[0-9]+$ ]] && is_broker "$pid" "$want"; then
      printf '%s\n' "$pid"
      return 0
    fi
  fi
  local f
  for f in /proc/[0-9]*/cmdline; do
    pid=${f#/proc/}
    pid=${pid%/cmdline}
    if is_broker "$pid" "$want"; then
      { printf '%s\n' "$pid" >"$dir/broker.pid"; } 2>/dev/null || true
      printf '%s\n' "$pid"
      return 0
    fi
  done
  return 1
}

is_broker() {
  local cmdline
  # A zombie or exited process has an empty cmdline: not running.
  cmdline=$(tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline") || return 1
  [[ $cmdline == *"$2"* ]]
}

is_paused() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) } # the field after "(comm) " is the state
  [[ ${stat:0:1} == T ]]
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# wait_gone PID SECONDS: true once PID has exited (or become a zombie).
wait_gone() {
  local pid=$1 deadline=$((SECONDS + $2))
  while ((SECONDS < deadline)); do
    [[ -n $(tr -d '\0' 2>/dev/null <"/proc/$pid/cmdline") ]] || return 0
    sleep 0.1
  done
  [[ -z $(tr -d '\0' 2>/dev/null <"/proc/$pid/cmdline") ]]
}

lock_dir() {
  mkdir -p -- "$1"
  exec 8>"$1/.lock"
  flock -w $((START_TIMEOUT + STOP_TIMEOUT + 60)) 8 || die "another broker.sh is holding $1/.lock"
}

log_tail() {
  local dir=$1
  if [[ -f $dir/broker.log ]]; then
    say "last lines of $dir/broker.log:"
    tail -n 40 -- "$dir/broker.log" >&2
  fi
}

java_cp() {
  local cache
  cache=$("$KAFKA_OPS_DIR/fetch.sh") || die "could not fetch the Kafka jars"
  printf '%s/libs/*\n' "$cache"
}

# ---------------------------------------------------------------------------------------------
# configuration

write_config() {
  local dir=$1 port=$2
  local cport=$((port + 1))
  mkdir -p -- "$dir/data"
  printf '%s\n' "$port" >"$dir/port"
  {
    cat <<EOF
# Written by ops/kafka/broker.sh on every start; edits are overwritten.
# Single-node KRaft: this one process is both broker and controller.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir/data

# One replica of everything: there is only one broker.
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
# Fewer internal partitions than the default 50 so the first transaction / consumer group on a
# fresh broker does not wait for 50 partitions to be created on a 2-core machine.
offsets.topic.num.partitions=8
transaction.state.log.num.partitions=8

# Topics are created explicitly by caseledger (and tests); a typo must not create one.
auto.create.topics.enable=false
num.partitions=8
group.initial.rebalance.delay.ms=0
# After a crash (broker.sh kill) the restarted broker cannot register until the old incarnation's
# session expires: 4 s instead of the default 9 s keeps crash tests quick.
broker.session.timeout.ms=4000
broker.heartbeat.interval.ms=500
unclean.leader.election.enable=false
# An event log is kept forever: no time- or size-based deletion by default.
log.retention.ms=-1
log.retention.bytes=-1
EOF
    if [[ ${CASELEDGER_KAFKA_FLUSH:-0} == 1 ]]; then
      cat <<EOF

# CASELEDGER_KAFKA_FLUSH=1: fsync after every message, so an acknowledged write survives power
# loss even with a single replica (Kafka otherwise relies on replication, not fsync).
log.flush.interval.messages=1
EOF
    fi
  } >"$dir/server.properties"

  cat >"$dir/log4j.properties" <<'EOF'
# Written by ops/kafka/broker.sh. Everything goes to stdout, which broker.sh sends to broker.log.
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.org.apache.kafka.common.utils.AppInfoParser=WARN
EOF
  cat >"$dir/log4j-tools.properties" <<'EOF'
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF
}

# A Kafka cluster id: 16 random bytes, URL-safe base64 without padding, not starting with '-'
# (the same shape kafka.tools.StorageTool random-uuid prints, without starting a JVM).
new_cluster_id() {
  local id
  while :; do
    id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
    [[ $id != -* ]] && break
  done
  printf '%s\n' "$id"
}

format_storage() {
  local dir=$1 cp=$2 cid
  [[ -f $dir/data/meta.properties ]] && return 0
  if [[ -s $dir/cluster-id ]]; then
    cid=$(<"$dir/cluster-id")
  else
    cid=$(new_cluster_id)
    printf '%s\n' "$cid" >"$dir/cluster-id"
  fi
  say "formatting $dir/data (cluster id $cid)"
  "$JAVA" -Xmx256m -Dlog4j.configuration="file:$dir/log4j-tools.properties" -cp "$cp" \
    kafka.tools.StorageTool format -t "$cid" -c "$dir/server.properties" --ignore-formatted \
    >>"$dir/broker.log" 2>&1 || {
    log_tail "$dir"
    die "kafka.tools.StorageTool format failed"
  }
}

# ---------------------------------------------------------------------------------------------
# readiness

wait_ready() {
  local dir=$1 port=$2 pid=$3 timeout=$4
  local deadline=$((SECONDS + timeout))
  while :; do
    if ! is_broker "$pid" "kafka.Kafka $dir/server.properties"; then
      log_tail "$dir"
      die "broker (pid $pid) exited before it was ready"
    fi
    if port_open "$port" && python3 "$KAFKA_OPS_DIR/probe.py" "127.0.0.1:$port" ready 2>/dev/null; then
      return 0
    fi
    if ((SECONDS >= deadline)); then
      log_tail "$dir"
      return 1
    fi
    sleep 0.2
  done
}

# ---------------------------------------------------------------------------------------------
# commands

cmd_start() {
  local dir port pid
  dir=$(resolve_dir "${1:-}")
  if [[ -n ${2:-} ]]; then
    port=$2
  elif [[ -z ${1:-} || $1 == - ]]; then
    port=$DEFAULT_PORT
  else
    port=$(stored_port "$dir") || port=$DEFAULT_PORT
  fi
  check_port "$port"
  lock_dir "$dir"

  if pid=$(running_pid "$dir"); then
    local current
    current=$(stored_port "$dir") || current=$port
    [[ $current == "$port" ]] || die "already running in $dir on port $current (asked for $port)"
    if is_paused "$pid"; then
      say "broker $pid was paused; resuming it"
      kill -CONT "$pid"
    fi
    wait_ready "$dir" "$port" "$pid" "$START_TIMEOUT" ||
      die "already running (pid $pid) but not ready after ${START_TIMEOUT}s"
    say "already running (pid $pid)"
    printf '127.0.0.1:%s\n' "$port"
    return 0
  fi
  rm -f -- "$dir/broker.pid"

  local p
  for p in "$port" $((port + 1)); do
    if port_open "$p"; then
      die "127.0.0.1:$p is already in use by another process (see: ss -ltnp 'sport = :$p')"
    fi
  done

  command -v "$JAVA" >/dev/null 2>&1 || die "java not found; run ops/install-deps.sh first"
  command -v python3 >/dev/null 2>&1 || die "python3 not found; run ops/install-deps.sh first"
  local cp
  cp=$(java_cp)
  write_config "$dir" "$port"
  if [[ -f $dir/broker.log ]] && (($(stat -c %s "$dir/broker.log") > 64 * 1024 * 1024)); then
    mv -f -- "$dir/broker.log" "$dir/broker.log.1"
  fi
  local started=$SECONDS
  format_storage "$dir" "$cp"

  local heap extra
  read -r -a heap <<<"${CASELEDGER_KAFKA_HEAP:--Xms256m -Xmx512m}"
  read -r -a extra <<<"${CASELEDGER_KAFKA_JVM_OPTS:-}"
  printf '\n===== %s starting Kafka %s on 127.0.0.1:%s =====\n' "$(date -Is)" "$KAFKA_VERSION" "$port" \
    >>"$dir/broker.log"
  # setsid: the broker gets its own session, so a terminal hang-up or a signal to the caller's
  # process group (Ctrl-C, a CTest timeout) does not take it down; fd 8 (the lock) is not inherited.
  (
    cd -- "$dir"
    exec setsid "$JAVA" "${heap[@]}" -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
      -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent \
      -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
      -Dlog4j.configuration="file:$dir/log4j.properties" -Dkafka.logs.dir="$dir/logs" \
      "${extra[@]}" -cp "$cp" kafka.Kafka "$dir/server.properties"
  ) </dev/null >>"$dir/broker.log" 2>&1 8>&- &
  pid=$!
  printf '%s\n' "$pid" >"$dir/broker.pid"
  # If setsid had to fork, $! is not the JVM: look it up by its command line.
  sleep 0.2
  pid=$(running_pid "$dir") || {
    log_tail "$dir"
    die "broker exited at once"
  }

  if ! wait_ready "$dir" "$port" "$pid" "$START_TIMEOUT"; then
    say "not ready within ${START_TIMEOUT}s; stopping it"
    stop_pid "$dir" "$pid"
    exit 1
  fi
  say "Kafka $KAFKA_VERSION ready on 127.0.0.1:$port (pid $pid, $dir, $((SECONDS - started))s)"
  printf '127.0.0.1:%s\n' "$port"
}

stop_pid() {
  local dir=$1 pid=$2
  kill -TERM "$pid" 2>/dev/null || true
  kill -CONT "$pid" 2>/dev/null || true # a paused JVM cannot handle SIGTERM
  if ! wait_gone "$pid" "$STOP_TIMEOUT"; then
    say "broker $pid still running after ${STOP_TIMEOUT}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_gone "$pid" 10 || die "broker $pid did not die after SIGKILL"
  fi
  rm -f -- "$dir/broker.pid"
}

cmd_stop() {
  local dir pid
  dir=$(resolve_dir "${1:-}")
  [[ -d $dir ]] || {
    say "not running (no $dir)"
    return 0
  }
  lock_dir "$dir"
  if ! pid=$(running_pid "$dir"); then
    rm -f -- "$dir/broker.pid"
    say "not running"
    return 0
  fi
  stop_pid "$dir" "$pid"
  say "stopped (pid $pid)"
}

cmd_kill() {
  local dir pid
  dir=$(resolve_dir "${1:-}")
  [[ -d $dir ]] || {
    say "not running (no $dir)"
    return 0
  }
  lock_dir "$dir"
  if ! pid=$(running_pid "$dir"); then
    rm -f -- "$dir/broker.pid"
    say "not running"
    return 0
  fi
  kill -KILL "$pid" 2>/dev/null || true
  wait_gone "$pid" 10 || die "broker $pid did not die after SIGKILL"
  rm -f -- "$dir/broker.pid"
  say "killed (pid $pid)"
}

cmd_signal() {
  local sig=$1 dir pid
  dir=$(resolve_dir "${2:-}")
  pid=$(running_pid "$dir") || die "not running ($dir)"
  kill "-$sig" "$pid"
  say "sent SIG$sig to $pid"
}

cmd_restart() {
  local dir port
  dir=$(resolve_dir "${1:-}")
  port=$(stored_port "$dir") || die "$dir has never been started (no $dir/port)"
  cmd_stop "$dir"
  exec 8>&- # release the lock before start takes it again
  cmd_start "$dir" "$port"
}

cmd_status() {
  local dir pid port
  dir=$(resolve_dir "${1:-}")
  port=$(stored_port "$dir" 2>/dev/null) || port=unknown
  if ! pid=$(running_pid "$dir" 2>/dev/null); then
    echo "not running ($dir)"
    return 3
  fi
  if is_paused "$pid"; then
    echo "paused pid=$pid bootstrap=127.0.0.1:$port dir=$dir"
  elif python3 "$KAFKA_OPS_DIR/probe.py" "127.0.0.1:$port" ready 2>/dev/null; then
    echo "running pid=$pid bootstrap=127.0.0.1:$port dir=$dir"
  else
    echo "starting (not answering metadata requests yet) pid=$pid bootstrap=127.0.0.1:$port dir=$dir"
  fi
}

cmd_pid() {
  local dir
  dir=$(resolve_dir "${1:-}")
  running_pid "$dir" || {
    say "not running ($dir)"
    return 1
  }
}

cmd_bootstrap() {
  local dir port
  dir=$(resolve_dir "${1:-}")
  port=$(stored_port "$dir") || port=$DEFAULT_PORT
  printf '127.0.0.1:%s\n' "$port"
}

cmd_create_topic() {
  (($# >= 2)) || die "usage: create-topic NAME PARTITIONS [DIR] [kafka-topics options...]"
  local name=$1 partitions=$2 dir port cp
  shift 2
  [[ $partitions =~ ^[1-9][0-9]*$ ]] || die "PARTITIONS must be a positive number, got '$partitions'"
  dir=$(resolve_dir "${1:-}")
  (($# > 0)) && shift
  running_pid "$dir" >/dev/null || die "not running ($dir); start it first"
  port=$(stored_port "$dir")
  cp=$(java_cp)
  "$JAVA" -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -Dlog4j.configuration="file:$dir/log4j-tools.properties" -cp "$cp" \
    org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$port" \
    --create --if-not-exists --topic "$name" --partitions "$partitions" --replication-factor 1 "$@"
  say "topic $name ($partitions partitions) exists"
}

cmd_topics() {
  local dir port
  dir=$(resolve_dir "${1:-}")
  port=$(stored_port "$dir") || die "$dir has never been started"
  python3 "$KAFKA_OPS_DIR/probe.py" "127.0.0.1:$port" topics
}

cmd_logs() {
  local dir
  dir=$(resolve_dir "${1:-}")
  tail -n 100 -- "$dir/broker.log"
}

cmd_clean() {
  local dir
  dir=$(resolve_dir "${1:-}")
  [[ -d $dir ]] || return 0
  [[ -f $dir/port || -f $dir/server.properties ]] ||
    die "$dir does not look like a broker directory; not deleting it"
  cmd_stop "$dir"
  exec 8>&-
  rm -rf -- "$dir"
  say "deleted $dir"
}

main() {
  local cmd=${1:-}
  (($# > 0)) && shift
  case $cmd in
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    kill) cmd_kill "$@" ;;
    pause) cmd_signal STOP "$@" ;;
    resume) cmd_signal CONT "$@" ;;
    restart) cmd_restart "$@" ;;
    status) cmd_status "$@" ;;
    pid) cmd_pid "$@" ;;
    bootstrap) cmd_bootstrap "$@" ;;
    create-topic) cmd_create_topic "$@" ;;
    topics) cmd_topics "$@" ;;
    logs) cmd_logs "$@" ;;
    clean) cmd_clean "$@" ;;
    -h | --help | help)
      usage
      ;;
    *)
      usage
      [[ -z $cmd ]] || say "unknown command: $cmd"
      exit 2
      ;;
  esac
}

main "$@"
