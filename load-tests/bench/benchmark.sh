#!/usr/bin/env bash
# Tollgate's short benchmark: throughput for one hot org and for 1,000 orgs with every request journaled,
# and the latency the gateway adds over calling the upstream simulator directly, beside the floor of a bare
# Pekko HTTP proxy (same server and client path, no accounting) measured in the same run.
#
#   load-tests/bench/benchmark.sh            # builds if needed; ~12 minutes; prints a markdown report
#
# Needs wrk (apt-get install wrk) and taskset. The gateway and the PostgreSQL it embeds run on CPU 0; the
# simulator and wrk share CPU 1. The warm-up is long because the JIT shares the gateway's one core. Everything binds 127.0.0.1 and is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
DURATION=${DURATION:-30s}
WARMUP=${WARMUP:-150s}
GATEWAY_CPU=${GATEWAY_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
WORK=$(mktemp -d /tmp/tollgate-bench.XXXXXX)
SIM_PORT=19190
GW_PORT=18190
BARE_PORT=18191
NODE_JAR=gateway-node/target/tollgate-node.jar
SIM_JAR=$(ls load-tests/target/tollgate-load-tests-*-simulator.jar 2>/dev/null | head -1 || true)
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }
if [ ! -f "$NODE_JAR" ] || [ -z "$SIM_JAR" ]; then
  mvn -q -B -DskipTests package
  SIM_JAR=$(ls load-tests/target/tollgate-load-tests-*-simulator.jar | head -1)
fi

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

cp "$SIM_JAR" "$WORK/simulator.jar"  # a rebuild during the run must not pull the jar from under it
taskset -c "$LOAD_CPU" java -Xms256m -Xmx256m -jar "$WORK/simulator.jar" --port $SIM_PORT > "$WORK/simulator.log" 2>&1 &
PIDS+=($!)

run() { # name url keys-file connections [extra env]
  local name=$1 url=$2 keys=$3 conns=$4; shift 4
  env KEYS_FILE="$keys" "$@" taskset -c "$LOAD_CPU" wrk -t1 -c"$conns" -d"$DURATION" --latency -s load-tests/bench/chat.lua "$url" > "$WORK/$name.txt"
}
rps() { awk '/Requests\/sec/ {print int($2)}' "$WORK/$1.txt"; }
pct() { awk -v p="$2" '$1==p {print $2}' "$WORK/$1.txt"; }
errors() { awk '/Non-2xx/ {print $5} /Socket errors/ {print}' "$WORK/$1.txt" | head -1; }
cpu_ticks() { awk '{print $14+$15}' /proc/"$1"/stat; }
completed() { awk '/requests in/ {print $1; exit}' "$WORK/$1.txt"; }

echo "the floor: a bare Pekko HTTP proxy on CPU $GATEWAY_CPU (warm-up $WARMUP)..." >&2
taskset -c "$GATEWAY_CPU" java -Xms512m -Xmx512m -cp "$WORK/simulator.jar" io.tollgate.bench.BareProxy $BARE_PORT 127.0.0.1 $SIM_PORT \
  > "$WORK/bare.log" 2>&1 &
BARE_PID=$!
sleep 3
DURATION=$WARMUP run bare-warmup "http://127.0.0.1:$BARE_PORT" /dev/null 64
before=$(cpu_ticks $BARE_PID)
run bare "http://127.0.0.1:$BARE_PORT" /dev/null 64
bare_cpu_us=$(( ($(cpu_ticks $BARE_PID) - before) * 10000 / $(completed bare) ))
run bare-light "http://127.0.0.1:$BARE_PORT" /dev/null 4 DELAY_MS=4
kill $BARE_PID; wait $BARE_PID 2>/dev/null || true
TOLLGATE_DATA_DIR="$WORK/data" TOLLGATE_HTTP_PORT=$GW_PORT TOLLGATE_CLUSTER_PORT=25590 \
  TOLLGATE_OPENAI_BASE_URL="http://127.0.0.1:$SIM_PORT/v1" \
  taskset -c "$GATEWAY_CPU" java -Xms512m -Xmx512m -jar "$NODE_JAR" > "$WORK/gateway.log" 2>&1 &
GW_PID=$!
PIDS+=($GW_PID)
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$GW_PORT/health/ready" >/dev/null && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$GW_PORT/health/ready" >/dev/null || { echo "gateway did not become ready" >&2; tail -20 "$WORK/gateway.log"; exit 1; }
TOKEN=$(cat "$WORK/data/admin-token")
admin() { curl -sf -X "$1" "http://127.0.0.1:$GW_PORT$2" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' ${3:+-d "$3"}; }

echo "setting up 1 hot org and 1,000 orgs..." >&2
admin POST /admin/orgs '{"id":"hot","name":"Hot"}' >/dev/null
key_of() { sed -E 's/.*"key":"([^"]+)".*/\1/'; echo; }  # curl prints no final newline
admin POST /admin/orgs/hot/keys '{"name":"bench"}' | key_of > "$WORK/hot.keys"
: > "$WORK/many.keys"
for i in $(seq 1 1000); do
  admin POST /admin/orgs "{\"id\":\"org-$i\",\"name\":\"Org $i\"}" >/dev/null
  admin POST "/admin/orgs/org-$i/keys" '{"name":"bench"}' | key_of >> "$WORK/many.keys"
done

echo "warming up ($WARMUP)..." >&2
DURATION=$WARMUP run warmup "http://127.0.0.1:$GW_PORT" "$WORK/many.keys" 64

echo "direct to the simulator..." >&2
run direct "http://127.0.0.1:$SIM_PORT" /dev/null 64
run direct-light "http://127.0.0.1:$SIM_PORT" /dev/null 4 DELAY_MS=4

before=$(cpu_ticks $GW_PID)
echo "one hot org at saturation..." >&2
run hot "http://127.0.0.1:$GW_PORT" "$WORK/hot.keys" 64
after=$(cpu_ticks $GW_PID)
hot_cpu_us=$(( (after - before) * 10000 / $(completed hot) ))

echo "1,000 orgs at saturation..." >&2
run many "http://127.0.0.1:$GW_PORT" "$WORK/many.keys" 64
echo "added latency at a light, steady rate..." >&2
run gateway-light "http://127.0.0.1:$GW_PORT" "$WORK/many.keys" 4 DELAY_MS=4
run stream-direct "http://127.0.0.1:$SIM_PORT" /dev/null 4 DELAY_MS=4 STREAM=1
run stream-gateway "http://127.0.0.1:$GW_PORT" "$WORK/many.keys" 4 DELAY_MS=4 STREAM=1

sleep 2
hot_journaled=$(admin GET /admin/orgs/hot/quota | sed -E 's/.*"monthly_requests":([0-9]+).*/\1/')
hot_sent=$(awk '/requests in/ {print $1; exit}' "$WORK/hot.txt")
rss_mib=$(( $(awk '/VmRSS/ {print $2}' /proc/$GW_PID/status) / 1024 ))
pg_main=$(pgrep -f "postgres -D $WORK/data/postgres" | head -1)
pg_rss_mib=$(( $( (ps -o rss= -p "$pg_main"; ps -o rss= --ppid "$pg_main") | awk '{s+=$1} END {print s+0}') / 1024 ))

cat <<REPORT
## $(date -u +%Y-%m-%d) — $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | xargs)

Command: \`load-tests/bench/benchmark.sh\` (wrk -t1 -c64 for $DURATION after $WARMUP of warm-up; gateway + its
embedded PostgreSQL on CPU $GATEWAY_CPU, simulator + wrk on CPU $LOAD_CPU; non-streaming unless noted; every
request authenticated, rate-checked, metered, journaled and access-logged).

| run | req/s | p50 | p99 | non-2xx / errors |
|---|---|---|---|---|
| simulator directly, saturated | $(rps direct) | $(pct direct 50%) | $(pct direct 99%) | $(errors direct) |
| bare Pekko HTTP proxy, saturated | $(rps bare) | $(pct bare 50%) | $(pct bare 99%) | $(errors bare) |
| gateway, one hot org, saturated | $(rps hot) | $(pct hot 50%) | $(pct hot 99%) | $(errors hot) |
| gateway, 1,000 orgs, saturated | $(rps many) | $(pct many 50%) | $(pct many 99%) | $(errors many) |
| simulator directly, 4 conns paced 4 ms | $(rps direct-light) | $(pct direct-light 50%) | $(pct direct-light 99%) | |
| bare proxy, 4 conns paced 4 ms | $(rps bare-light) | $(pct bare-light 50%) | $(pct bare-light 99%) | |
| gateway, 4 conns paced 4 ms | $(rps gateway-light) | $(pct gateway-light 50%) | $(pct gateway-light 99%) | |
| stream, simulator directly, paced | $(rps stream-direct) | $(pct stream-direct 50%) | $(pct stream-direct 99%) | |
| stream, gateway, paced | $(rps stream-gateway) | $(pct stream-gateway 50%) | $(pct stream-gateway 99%) | |

- CPU per request at saturation (JVM only): gateway ${hot_cpu_us} µs (hot org), bare proxy ${bare_cpu_us} µs.
- Gateway throughput as a share of the bare proxy's: hot org $(( $(rps hot) * 100 / $(rps bare) ))%, 1,000 orgs $(( $(rps many) * 100 / $(rps bare) ))%.
- Hot org: wrk completed ${hot_sent} requests in the measured run; the org's journaled monthly_requests after all
  runs (warm-up excluded, it used the 1,000 orgs) is ${hot_journaled}.
- Resident memory after the runs: gateway JVM ${rss_mib} MiB (-Xmx512m); its embedded PostgreSQL's processes
  ${pg_rss_mib} MiB summed (shared buffers counted in each process, so an over-count).
REPORT
echo "raw wrk output and logs: $WORK" >&2
