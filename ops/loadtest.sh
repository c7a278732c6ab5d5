#!/usr/bin/env bash
# The HTTP load test of docs/benchmarks.md ("HTTP on loopback"): wrk against `caseledger serve
# --demo` on loopback, beside baselines run in the same session, alternating round by round:
#   - the same server's public GET /healthz (the HTTP stack alone: no sign-in, no record, no log);
#   - PostgreSQL on the same disk through pgbench: a read by primary key, the same read with a
#     synchronously committed access-log row, and a synchronously committed insert.
# caseledger's reads are authorised GET /api/v1/incidents/{id} of random incidents, each answered
# only after its s.62 RecordConsulted entry is durable; its writes are POST /api/v1/incidents,
# each with its own Idempotency-Key, answered after the synced append (with intake matches).
# At the end the server is stopped, `caseledger verify` checks both logs, and the access log's
# event count is compared with the reads answered.
#
# Usage: bash ops/loadtest.sh [OUTPUT_DIR]      (default /tmp/caseledger-loadtest)
# Environment: ROUNDS (3), SECONDS_EACH (10), CONNECTIONS (64), CLIENT_THREADS (1), INCIDENTS (1000),
# PORT (18600). wrk and pgbench both run CLIENT_THREADS threads: on 2 cores one client thread leaves
# more of the machine to the server under test.
# Needs a build (bash ops/build.sh), wrk, curl, python3 and PostgreSQL 15 (apt-get install wrk
# postgresql); run as root or as a user that can start PostgreSQL. Takes about 3 minutes.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${CASELEDGER_BIN:-$ROOT/build/app/caseledger}
OUT=${1:-/tmp/caseledger-loadtest}
ROUNDS=${ROUNDS:-3}
SECONDS_EACH=${SECONDS_EACH:-10}
CONNECTIONS=${CONNECTIONS:-64}
CLIENT_THREADS=${CLIENT_THREADS:-1}
INCIDENTS=${INCIDENTS:-1000}
PORT=${PORT:-18600}
PG_PORT=$((PORT + 1))
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
HERE=$ROOT/ops/loadtest

fail() { echo "loadtest: $*" >&2; exit 1; }
[[ -x $BIN ]] || fail "no binary at $BIN: build first (bash ops/build.sh)"
command -v wrk >/dev/null || fail "wrk is missing: apt-get install wrk"
command -v curl >/dev/null || fail "curl is missing: apt-get install curl"
[[ -n $PG_BIN && -x $PG_BIN/pg_ctl ]] || fail "PostgreSQL is missing: apt-get install postgresql"

rm -rf "$OUT"
mkdir -p "$OUT"
SERVER_PID=""
cleanup() {
  [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  pg stop -m immediate >/dev/null 2>&1 || true
}
trap cleanup EXIT

# --- PostgreSQL: a private cluster in $OUT/pg, defaults (fsync and synchronous_commit on).
as_pg() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg() { as_pg "$PG_BIN/pg_ctl" -D "$OUT/pg" -l "$OUT/pg.log" "$@"; }
mkdir -p "$OUT/pg" "$OUT/pgsock"
[[ $(id -u) == 0 ]] && chown postgres "$OUT/pg" "$OUT/pgsock" && chmod a+rwx "$OUT"
as_pg "$PG_BIN/initdb" -D "$OUT/pg" -A trust -U loadtest >/dev/null
pg -o "-p $PG_PORT -k $OUT/pgsock -c listen_addresses='' -c max_connections=200" -w start >/dev/null
psql_() { as_pg psql -h "$OUT/pgsock" -p "$PG_PORT" -U loadtest -d postgres -qAt "$@"; }
psql_ -c "CREATE TABLE incident (id bigserial PRIMARY KEY, body jsonb NOT NULL);
          CREATE TABLE access_log (id bigserial PRIMARY KEY, record_id bigint NOT NULL,
                                   actor text NOT NULL, purpose text NOT NULL,
                                   at timestamptz NOT NULL);"
psql_ -c "INSERT INTO incident (body) SELECT ('{\"occurred_at\":\"2026-11-20T21:00:00Z\",\"channel\":\"phone\",\"category\":\"nuisance\",\"location\":{\"text\":\"' || n || ' Load Street, Leicester\"},\"description\":\"noise from the flat above\"}')::jsonb FROM generate_series(1, $INCIDENTS) n;"

# --- caseledger: the demo partnership, signed in as lcc.caseworker.
"$BIN" serve --demo --data "$OUT/data" --listen "127.0.0.1:$PORT" --threads 2 \
  >"$OUT/serve.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break
  sleep 0.2
done
curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null || fail "the server did not start: $OUT/serve.log"
PASSWORD=$(sed -nE 's/.*username=lcc\.caseworker password=(\S+).*/\1/p' "$OUT/serve.log")
TOKEN=$(curl -sf -X POST "http://127.0.0.1:$PORT/api/v1/sessions" -H 'Content-Type: application/json' \
  -d "{\"username\":\"lcc.caseworker\",\"password\":\"$PASSWORD\"}" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
export CASELEDGER_TOKEN=$TOKEN
python3 "$HERE/seed.py" "$PORT" "$INCIDENTS" >"$OUT/ids.txt"
echo "loadtest: $(wc -l <"$OUT/ids.txt") incidents seeded in each store" >&2

# --- the rounds
run_wrk() {  # name, then wrk arguments
  local name=$1; shift
  wrk -t"$CLIENT_THREADS" -c"$CONNECTIONS" -d"${SECONDS_EACH}s" --latency "$@" >"$OUT/$name.r$round.txt"
}
run_pgbench() {  # name, script
  as_pg pgbench -n -h "$OUT/pgsock" -p "$PG_PORT" -U loadtest -c "$CONNECTIONS" -j "$CLIENT_THREADS" \
    -T "$SECONDS_EACH" -D incidents="$INCIDENTS" -f "$HERE/$2" -l \
    --log-prefix="$OUT/pglog.$1.r$round" postgres >"$OUT/$1.r$round.txt" 2>&1
}
for round in $(seq 1 "$ROUNDS"); do
  echo "loadtest: round $round of $ROUNDS" >&2
  run_wrk healthz "http://127.0.0.1:$PORT/healthz"
  run_wrk read -s "$HERE/read.lua" "http://127.0.0.1:$PORT" -- "$OUT/ids.txt"
  run_pgbench pg_read pg_read.sql
  run_pgbench pg_read_logged pg_read_logged.sql
  CASELEDGER_RUN=$round run_wrk write -s "$HERE/write.lua" "http://127.0.0.1:$PORT"
  run_pgbench pg_write pg_write.sql
done

kill "$SERVER_PID"; wait "$SERVER_PID" || true; SERVER_PID=""
"$BIN" verify --data "$OUT/data" >"$OUT/verify.txt" 2>&1 || fail "verify failed: $OUT/verify.txt"
python3 "$HERE/summarise.py" "$OUT" "$ROUNDS" | tee "$OUT/summary.md"
