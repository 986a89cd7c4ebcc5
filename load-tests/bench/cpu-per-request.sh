#!/usr/bin/env bash
# CPU time per request of two node builds, in turn (A B A B ...), each on a fresh embedded PostgreSQL: the
# node's and PostgreSQL's user + system time over a saturated run, divided by the requests served; how far
# the read models' projections trailed the journal meanwhile (tollgate_projection_lag_seconds); and the CPU
# per request counted on until the projections have caught up with the run (both quiet), which is the read
# side's whole cost: a projection that falls behind at saturation looks free during the run and pays after.
# Each run starts once the warm-up is caught up. On a starved hour (the bare proxy at a quarter of its usual)
# throughput ratios swing by half; time per request swings less, and says what a change costs the CPU.
# With many orgs the compiler is still busy a minute in: WARMUP=240s for steady figures.
#
#   load-tests/bench/cpu-per-request.sh BEFORE.jar AFTER.jar     # ~2 minutes per build per round
#
# ORGS (1), ROUNDS (2), WARMUP (40s), DURATION (20s) and SCOPES (see chat.lua) can be set; node and
# PostgreSQL on CPU 0, simulator and wrk on CPU 1. AFTER_ENV="IDEMPOTENCY=1" (or CACHE=1, see chat.lua) sends
# the AFTER build's load with a feature on: give the same jar twice to measure what the feature costs;
# BEFORE_ENV likewise, to compare two builds with the feature on. AFTER_JAVA_OPTS are added to the AFTER
# node's java options: AFTER_JAVA_OPTS="-Dtollgate.tracing.otlp-endpoint=http://127.0.0.1:19695/v1/traces
# -Dtollgate.tracing.sample-ratio=1" measures tracing (the simulator takes the spans); BEFORE_JAVA_OPTS likewise
# for the BEFORE node (the same collector for both builds, say).
set -euo pipefail
[ $# -eq 2 ] && [ -f "$1" ] && [ -f "$2" ] || { echo "usage: $0 BEFORE.jar AFTER.jar" >&2; exit 2; }
BEFORE=$(realpath "$1"); AFTER=$(realpath "$2")
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
WORK=$(mktemp -d /tmp/tollgate-cpu.XXXXXX)
PIDS=()
ORGS=${ORGS:-1}
ROUNDS=${ROUNDS:-2}
WARMUP=${WARMUP:-40s}
DURATION=${DURATION:-20s}
GATEWAY_CPU=0
LOAD_CPU=1
SIM_PORT=19695  # the node's management port is its HTTP port + 1000
GW_PORT=18595
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }
NODE_JAR=$AFTER
source load-tests/bench/lib.sh
choose_autogroups
start_simulator "$LOAD_CPU" $SIM_PORT


measure() { # label jar [NAME=value for the load] [java options]
  local load_env=${3:-LOAD=plain}
  cp "$2" "$WORK/node.jar"
  rm -rf "$WORK/data" "$WORK"/*.keys
  # shellcheck disable=SC2086 # the options are words
  start_node "$GATEWAY_CPU" $GW_PORT 25895 $SIM_PORT -Xms512m -Xmx512m ${4:-}
  make_orgs "http://127.0.0.1:$GW_PORT" org "$ORGS" "$WORK/orgs.keys"
  DURATION=$WARMUP run "$1-warmup" "http://127.0.0.1:$GW_PORT" "$WORK/orgs.keys" 64 "$load_env"
  settle || echo "$1: the read models did not catch up with the warm-up in 10 minutes" >&2
  local before=($(ticks))
  watch_lag $((GW_PORT + 1000)) "$WORK/$1.lag"
  run "$1" "http://127.0.0.1:$GW_PORT" "$WORK/orgs.keys" 64 "$load_env"
  kill "$LAG_PID" 2>/dev/null || true
  local after=($(ticks)) hz requests t0 t1 caught_up
  t0=$(date +%s)
  settle || echo "$1: the read models did not catch up in 10 minutes" >&2
  t1=$(date +%s)
  caught_up=($(ticks))
  hz=$(getconf CLK_TCK)
  requests=$(awk '/requests in/ {print $1}' "$WORK/$1.txt")
  local whole=$(( (caught_up[0] + caught_up[1] - before[0] - before[1]) * 1000000 / hz / requests ))
  echo "| $1 | $(rps "$1") | $(( (after[0] - before[0]) * 1000000 / hz / requests )) | $(( (after[1] - before[1]) * 1000000 / hz / requests )) | $(max_lag "$WORK/$1.lag") | $((t1 - t0)) s | $whole | $((1000000 / whole)) |" >> "$WORK/rows"
  kill "$NODE_PID"; wait "$NODE_PID" 2>/dev/null || true
}

for round in $(seq 1 "$ROUNDS"); do
  echo "round $round..." >&2
  measure "before-$round" "$BEFORE" "${BEFORE_ENV:-}" "${BEFORE_JAVA_OPTS:-}"
  measure "after-$round" "$AFTER" "${AFTER_ENV:-}" "${AFTER_JAVA_OPTS:-}"
done
mean() { # label column
  grep "| $1-" "$WORK/rows" | awk -F'|' -v c="$2" '{s += $c; n++} END {printf "%d", s / n}'
}
command="load-tests/bench/cpu-per-request.sh $(basename "$BEFORE") $(basename "$AFTER")"
[ -z "${AFTER_JAVA_OPTS:-}" ] || command="AFTER_JAVA_OPTS='$AFTER_JAVA_OPTS' $command"
[ -z "${BEFORE_JAVA_OPTS:-}" ] || command="BEFORE_JAVA_OPTS='$BEFORE_JAVA_OPTS' $command"
[ -z "${AFTER_ENV:-}" ] || command="AFTER_ENV=$AFTER_ENV $command"
[ -z "${BEFORE_ENV:-}" ] || command="BEFORE_ENV=$BEFORE_ENV $command"
cat <<REPORT
## CPU per request — $(date -u '+%Y-%m-%d %H:%M'), $SCHEDULER

Command: \`$command\` ($ORGS orgs, SCOPES=${SCOPES:-0},
wrk -t1 -c64 for $DURATION after $WARMUP; node + PostgreSQL on CPU $GATEWAY_CPU).

| run | req/s | node µs CPU / request | PostgreSQL µs CPU / request | most projection lag (builds that report it) | caught up after | node + PostgreSQL µs CPU / request, caught up | req/s one core sustains |
|---|---|---|---|---|---|---|---|
$(cat "$WORK/rows")

Mean node CPU per request under load: before $(mean before 4) µs, after $(mean after 4) µs. Mean node +
PostgreSQL CPU per request with the read models caught up: before $(mean before 8) µs, after $(mean after 8) µs.
REPORT
