#!/usr/bin/env bash
# Before and after, in one sitting: two builds of the node measured in turn (A B A B ...) against the same
# simulator and beside the bare Pekko HTTP proxy, so that the machine's drift over the hour falls on both.
# For the rule that a new capability costs at most 10 % of throughput.
#
#   load-tests/bench/compare.sh BEFORE.jar AFTER.jar     # ~4 minutes per node per round; prints markdown
#
# Build BEFORE.jar from the commit to compare against (git worktree add /tmp/before <rev> && (cd
# /tmp/before && mvn -q -DskipTests package)); AFTER.jar is usually gateway-node/target/tollgate-node.jar.
# Each turn starts the node on a fresh embedded PostgreSQL, makes one hot org and ORGS orgs, warms up, then
# measures the hot org and the many orgs at saturation (wrk -c64, non-streaming), sampling how far the read
# models' projections trail the journal meanwhile. Needs wrk and taskset;
# CPUs as in benchmark.sh. ROUNDS (2), ORGS (200), WARMUP (90s) and DURATION (30s) can be set.
set -euo pipefail
[ $# -eq 2 ] && [ -f "$1" ] && [ -f "$2" ] || { echo "usage: $0 BEFORE.jar AFTER.jar" >&2; exit 2; }
BEFORE=$(realpath "$1"); AFTER=$(realpath "$2")
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
DURATION=${DURATION:-30s}
WARMUP=${WARMUP:-90s}
ROUNDS=${ROUNDS:-2}
ORGS=${ORGS:-200}
GATEWAY_CPU=${GATEWAY_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
WORK=$(mktemp -d /tmp/tollgate-compare.XXXXXX)
PIDS=()
SIM_PORT=19490  # the node's management port is its HTTP port + 1000
GW_PORT=18290
BARE_PORT=18291
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }
NODE_JAR=$AFTER
source load-tests/bench/lib.sh
choose_autogroups
start_simulator "$LOAD_CPU" $SIM_PORT

bad() { awk '/Non-2xx/ {n = $5} /Socket errors/ {t = $NF} END {print n + t}' "$WORK/$1.txt"; }

echo "the bare Pekko HTTP proxy..." >&2
taskset -c "$GATEWAY_CPU" java -Xms512m -Xmx512m -cp "$WORK/simulator.jar" io.tollgate.bench.BareProxy $BARE_PORT 127.0.0.1 $SIM_PORT \
  > "$WORK/bare.log" 2>&1 &
BARE_PID=$!
await_port $BARE_PORT
DURATION=$WARMUP run bare-warmup "http://127.0.0.1:$BARE_PORT" /dev/null 64
run bare "http://127.0.0.1:$BARE_PORT" /dev/null 64
kill $BARE_PID; wait $BARE_PID 2>/dev/null || true

measure() { # label jar
  local label=$1
  cp "$2" "$WORK/node.jar"
  rm -rf "$WORK/data" "$WORK"/*.keys
  start_node "$GATEWAY_CPU" $GW_PORT 25690 $SIM_PORT -Xms512m -Xmx512m
  make_orgs "http://127.0.0.1:$GW_PORT" hot 1 "$WORK/hot.keys"
  make_orgs "http://127.0.0.1:$GW_PORT" org "$ORGS" "$WORK/many.keys"
  DURATION=$WARMUP run "$label-warmup" "http://127.0.0.1:$GW_PORT" "$WORK/many.keys" 64
  watch_lag $((GW_PORT + 1000)) "$WORK/$label.lag"
  run "$label-hot" "http://127.0.0.1:$GW_PORT" "$WORK/hot.keys" 64
  run "$label-many" "http://127.0.0.1:$GW_PORT" "$WORK/many.keys" 64
  kill "$LAG_PID" 2>/dev/null || true
  kill "$NODE_PID"; wait "$NODE_PID" 2>/dev/null || true
}

for round in $(seq 1 "$ROUNDS"); do
  echo "round $round: before..." >&2
  measure "before-$round" "$BEFORE"
  echo "round $round: after..." >&2
  measure "after-$round" "$AFTER"
done

share() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
cat <<REPORT
## Before and after — $(date -u +%Y-%m-%d), $(nproc) cores, $SCHEDULER

Command: \`load-tests/bench/compare.sh $(basename "$BEFORE") $(basename "$AFTER")\` (wrk -t1 -c64 for $DURATION after $WARMUP of
warm-up, node + its embedded PostgreSQL on CPU $GATEWAY_CPU, simulator + wrk on CPU $LOAD_CPU; $ORGS orgs). Bare Pekko HTTP
proxy: $(rps bare) req/s.

| round | build | hot org req/s | / bare | $ORGS orgs req/s | / bare | non-2xx + errors | most projection lag |
|---|---|---|---|---|---|---|---|
REPORT
for round in $(seq 1 "$ROUNDS"); do
  for build in before after; do
    n="$build-$round"
    echo "| $round | $build | $(rps "$n-hot") | $(share "$(rps "$n-hot")" "$(rps bare)") | $(rps "$n-many") | $(share "$(rps "$n-many")" "$(rps bare)") | $(( $(bad "$n-hot") + $(bad "$n-many") )) | $(max_lag "$WORK/$n.lag") |"
  done
done
total() { local sum=0 r; for r in $(seq 1 "$ROUNDS"); do sum=$((sum + $(rps "$1-$r-$2"))); done; echo $sum; }
echo
echo "After / before, summed over the rounds: hot org $(share "$(total after hot)" "$(total before hot)"), $ORGS orgs $(share "$(total after many)" "$(total before many)")."
echo "raw wrk output and logs: $WORK" >&2
