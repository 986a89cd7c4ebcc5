#!/usr/bin/env bash
# Tollgate's comparison benchmark, all in one run against the same upstream simulator: the simulator
# directly; nginx as a plain reverse proxy (the floor of one proxy hop); a bare Pekko HTTP proxy (the floor
# of our stack, no accounting); one Tollgate node (one hot org, 1,000 orgs); the 3-node cluster behind
# HAProxy. Throughput at saturation, latency at a moderate paced rate, time to first byte on streams, CPU per
# request and resident memory.
#
#   load-tests/bench/benchmark.sh            # builds if needed; ~20 minutes; prints a markdown report
#
# Needs wrk, nginx and haproxy (apt-get install wrk nginx haproxy; a missing proxy's rows are skipped) and
# taskset. What is measured (and the PostgreSQL it embeds) runs on CPU 0; the simulator and wrk share CPU 1.
# The warm-ups are long because the JIT shares the measured core. AUTOGROUPS=off (as root) runs it with the
# kernel's session autogroups off, which keeps the one-core cluster's PostgreSQL from starving (lib.sh).
# Everything binds 127.0.0.1 and is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
DURATION=${DURATION:-30s}
WARMUP=${WARMUP:-150s}
GATEWAY_CPU=${GATEWAY_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
WORK=$(mktemp -d /tmp/tollgate-bench.XXXXXX)
PIDS=()
SIM_PORT=19190
GW_PORT=18190
BARE_PORT=18191
NGINX_PORT=18192
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }
source load-tests/bench/lib.sh
choose_autogroups
start_simulator "$LOAD_CPU" $SIM_PORT

pct() { awk -v p="$2" '$1==p {print $2}' "$WORK/$1.txt"; }
errors() { awk '/Non-2xx/ {n = $5} /Socket errors/ {t = $NF} END {printf "%d / %d", n, t}' "$WORK/$1.txt"; }
cpu_ticks() { awk '{print $14+$15}' /proc/"$1"/stat; }
completed() { awk '/requests in/ {print $1; exit}' "$WORK/$1.txt"; }
# Time to first byte of a streamed answer, 300 sequential requests (curl's own clock): writes p50 and p99 in ms.
ttfb() { # name base-url key
  local name=$1 url=$2 key=$3
  for _ in $(seq 1 300); do
    taskset -c "$LOAD_CPU" curl -s -o /dev/null -w '%{time_starttransfer}\n' "$url/v1/chat/completions" \
      -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
      -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hello."}],"max_tokens":16,"stream":true}'
  done | sort -n | awk '{v[NR]=$1*1000} END {printf "%.2f %.2f\n", v[int(NR*0.5)], v[int(NR*0.99)]}' > "$WORK/$name.txt"
}
ms() { awk -v i="$2" '{print $i}' "$WORK/$1.txt"; }

echo "the floor: a bare Pekko HTTP proxy on CPU $GATEWAY_CPU (warm-up $WARMUP)..." >&2
taskset -c "$GATEWAY_CPU" java -Xms512m -Xmx512m -cp "$WORK/simulator.jar" io.tollgate.bench.BareProxy $BARE_PORT 127.0.0.1 $SIM_PORT \
  > "$WORK/bare.log" 2>&1 &
BARE_PID=$!
await_port $BARE_PORT
DURATION=$WARMUP run bare-warmup "http://127.0.0.1:$BARE_PORT" /dev/null 64
before=$(cpu_ticks $BARE_PID)
run bare "http://127.0.0.1:$BARE_PORT" /dev/null 64
bare_cpu_us=$(( ($(cpu_ticks $BARE_PID) - before) * 10000 / $(completed bare) ))
run bare-light "http://127.0.0.1:$BARE_PORT" /dev/null 4 DELAY_MS=4
kill $BARE_PID; wait $BARE_PID 2>/dev/null || true

nginx_cpu_us=n/a
if command -v nginx >/dev/null; then
  echo "nginx as a plain reverse proxy on CPU $GATEWAY_CPU..." >&2
  mkdir -p "$WORK/nginx"
  cat > "$WORK/nginx/nginx.conf" <<NGINX
worker_processes 1;
events { worker_connections 4096; }
http {
  access_log off;
  upstream sim { server 127.0.0.1:$SIM_PORT; keepalive 64; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      proxy_pass http://sim; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_buffering off;
    }
  }
}
NGINX
  taskset -c "$GATEWAY_CPU" nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" \
    -g "daemon off; pid $WORK/nginx/nginx.pid; error_log $WORK/nginx/error.log;" &
  PIDS+=($!)
  await_port $NGINX_PORT
  NGINX_WORKER=$(pgrep -P "$(cat "$WORK/nginx/nginx.pid")" | head -1)
  DURATION=10s run nginx-warmup "http://127.0.0.1:$NGINX_PORT" /dev/null 64
  before=$(cpu_ticks "$NGINX_WORKER")
  run nginx "http://127.0.0.1:$NGINX_PORT" /dev/null 64
  nginx_cpu_us=$(( ($(cpu_ticks "$NGINX_WORKER") - before) * 10000 / $(completed nginx) ))
  run nginx-light "http://127.0.0.1:$NGINX_PORT" /dev/null 4 DELAY_MS=4
  run nginx-stream "http://127.0.0.1:$NGINX_PORT" /dev/null 4 DELAY_MS=4 STREAM=1
  ttfb nginx-ttfb "http://127.0.0.1:$NGINX_PORT" direct
  kill "$(cat "$WORK/nginx/nginx.pid")" 2>/dev/null || true
fi
start_node "$GATEWAY_CPU" $GW_PORT 25590 $SIM_PORT -Xms512m -Xmx512m
GW_PID=$NODE_PID
admin() { curl -sf -X "$1" "http://127.0.0.1:$GW_PORT$2" -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' ${3:+-d "$3"}; }

echo "setting up 1 hot org and 1,000 orgs..." >&2
make_orgs "http://127.0.0.1:$GW_PORT" hot 1 "$WORK/hot.keys"
make_orgs "http://127.0.0.1:$GW_PORT" org 1000 "$WORK/many.keys"

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
ttfb direct-ttfb "http://127.0.0.1:$SIM_PORT" direct
ttfb gateway-ttfb "http://127.0.0.1:$GW_PORT" "$(head -1 "$WORK/many.keys")"

sleep 2
hot_journaled=$(admin GET /admin/orgs/hot-1/quota | sed -E 's/.*"monthly_requests":([0-9]+).*/\1/')
# How long the read model (GET .../spend) takes to show every one of them.
projected_after=""
for waited in $(seq 0 60); do
  projected=$(admin GET '/admin/orgs/hot-1/spend?by=day' | sed -E 's/.*"total":\{"requests":([0-9]+).*/\1/')
  [ "$projected" = "$hot_journaled" ] && { projected_after=${waited}s; break; }
  sleep 1
done
projected_after=${projected_after:-"NEVER within 60 s (it showed $projected)"}
hot_sent=$(awk '/requests in/ {print $1; exit}' "$WORK/hot.txt")
rss_mib=$(( $(awk '/VmRSS/ {print $2}' /proc/$GW_PID/status) / 1024 ))
pg_main=$(pgrep -f "postgres -D $WORK/data/postgres" | head -1)
pg_rss_mib=$(( $( (ps -o rss= -p "$pg_main"; ps -o rss= --ppid "$pg_main") | awk '{s+=$1} END {print s+0}') / 1024 ))

kill $GW_PID 2>/dev/null; wait $GW_PID 2>/dev/null || true

cluster_note="not measured (no haproxy)"
if command -v haproxy >/dev/null; then
  echo "the 3-node cluster behind HAProxy, all on CPU $GATEWAY_CPU..." >&2
  export CLUSTER_DIR="$WORK/cluster" TOLLGATE_OPENAI_BASE_URL="http://127.0.0.1:$SIM_PORT/v1" TOLLGATE_ACCESS_LOG=on
  taskset -c "$GATEWAY_CPU" ops/local-cluster.sh up > "$WORK/cluster-up.log" 2>&1
  trap 'ops/local-cluster.sh down >/dev/null 2>&1 || true; cleanup' EXIT
  ADMIN_TOKEN=$(cat "$WORK/cluster/admin-token")
  # The cluster's embedded PostgreSQL, or the local server it found on 5432 (ops/local-cluster.sh).
  PGPASSWORD=$(cat "$WORK/cluster/pg/db-password" 2>/dev/null || true) \
    watch_postgres "$([ -f "$WORK/cluster/postgres.pid" ] && echo 5433 || echo 5432)" "$WORK/cluster-postgres.txt"
  make_orgs http://127.0.0.1:8080 c 100 "$WORK/cluster.keys"
  DURATION=$WARMUP run cluster-warmup http://127.0.0.1:8080 "$WORK/cluster.keys" 64
  run cluster http://127.0.0.1:8080 "$WORK/cluster.keys" 64
  # Paced slower than the single node: on one core the cluster carries ~300 req/s, and 4 ms apart offers more
  # (docs/benchmarks.md). It comes out of the saturated run slowly: give it 20 s.
  sleep 20
  run cluster-light http://127.0.0.1:8080 "$WORK/cluster.keys" 4 DELAY_MS=10
  run direct-light10 "http://127.0.0.1:$SIM_PORT" /dev/null 4 DELAY_MS=10
  ttfb cluster-ttfb http://127.0.0.1:8080 "$(head -1 "$WORK/cluster.keys")"
  cluster_rss_mib=$(( $(for n in 1 2 3; do awk '/VmRSS/ {print $2}' /proc/"$(cat "$WORK/cluster/node$n.pid")"/status; done | awk '{s+=$1} END {print s}') / 1024 ))
  cluster_note="measured"
  ops/local-cluster.sh down >/dev/null 2>&1 || true
fi
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
added() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a - b }'; }
# wrk prints latencies as 1.23ms or 456.00us: in ms
tms() { local v; v=$(pct "$1" "$2"); case $v in *us) awk -v x="${v%us}" 'BEGIN {print x/1000}';; *ms) echo "${v%ms}";; *s) awk -v x="${v%s}" 'BEGIN {print x*1000}';; *) echo 0;; esac; }

cat <<REPORT
## $(date -u +%Y-%m-%d) — $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | xargs)

Command: \`load-tests/bench/benchmark.sh\` (wrk -t1 -c64 for $DURATION after $WARMUP of warm-up; gateway + its
embedded PostgreSQL on CPU $GATEWAY_CPU, simulator + wrk on CPU $LOAD_CPU; non-streaming unless noted; every
request authenticated, rate-checked, metered, journaled and access-logged; $SCHEDULER).

| run | req/s | p50 | p99 | non-2xx / timeouts |
|---|---|---|---|---|
| simulator directly, saturated | $(rps direct) | $(pct direct 50%) | $(pct direct 99%) | $(errors direct) |
| nginx plain proxy, saturated | $(rps nginx 2>/dev/null) | $(pct nginx 50% 2>/dev/null) | $(pct nginx 99% 2>/dev/null) | |
| bare Pekko HTTP proxy, saturated | $(rps bare) | $(pct bare 50%) | $(pct bare 99%) | $(errors bare) |
| gateway, one hot org, saturated | $(rps hot) | $(pct hot 50%) | $(pct hot 99%) | $(errors hot) |
| gateway, 1,000 orgs, saturated | $(rps many) | $(pct many 50%) | $(pct many 99%) | $(errors many) |
| 3 nodes behind HAProxy (100 orgs), saturated | $(rps cluster 2>/dev/null) | $(pct cluster 50% 2>/dev/null) | $(pct cluster 99% 2>/dev/null) | $(errors cluster 2>/dev/null) |
| simulator directly, 4 conns paced 4 ms | $(rps direct-light) | $(pct direct-light 50%) | $(pct direct-light 99%) | |
| nginx, 4 conns paced 4 ms | $(rps nginx-light 2>/dev/null) | $(pct nginx-light 50% 2>/dev/null) | $(pct nginx-light 99% 2>/dev/null) | |
| bare proxy, 4 conns paced 4 ms | $(rps bare-light) | $(pct bare-light 50%) | $(pct bare-light 99%) | |
| gateway, 4 conns paced 4 ms | $(rps gateway-light) | $(pct gateway-light 50%) | $(pct gateway-light 99%) | |
| 3 nodes behind HAProxy, 4 conns paced 10 ms | $(rps cluster-light 2>/dev/null) | $(pct cluster-light 50% 2>/dev/null) | $(pct cluster-light 99% 2>/dev/null) | $(errors cluster-light 2>/dev/null) |
| simulator directly, 4 conns paced 10 ms | $(rps direct-light10 2>/dev/null) | $(pct direct-light10 50% 2>/dev/null) | $(pct direct-light10 99% 2>/dev/null) | |
| stream, simulator directly, paced | $(rps stream-direct) | $(pct stream-direct 50%) | $(pct stream-direct 99%) | |
| stream, gateway, paced | $(rps stream-gateway) | $(pct stream-gateway 50%) | $(pct stream-gateway 99%) | |

Added latency at the paced rate, against the simulator directly (ms, p50 / p99): nginx
$(added "$(tms nginx-light 50% 2>/dev/null)" "$(tms direct-light 50%)") / $(added "$(tms nginx-light 99% 2>/dev/null)" "$(tms direct-light 99%)"),
bare proxy $(added "$(tms bare-light 50%)" "$(tms direct-light 50%)") / $(added "$(tms bare-light 99%)" "$(tms direct-light 99%)"),
gateway $(added "$(tms gateway-light 50%)" "$(tms direct-light 50%)") / $(added "$(tms gateway-light 99%)" "$(tms direct-light 99%)"),
3 nodes behind HAProxy (paced 10 ms, against the simulator paced alike) $(added "$(tms cluster-light 50% 2>/dev/null)" "$(tms direct-light10 50% 2>/dev/null)") / $(added "$(tms cluster-light 99% 2>/dev/null)" "$(tms direct-light10 99% 2>/dev/null)").

Time to first byte of a stream, 300 sequential requests (ms, p50 / p99): simulator directly
$(ms direct-ttfb 1) / $(ms direct-ttfb 2); nginx $(ms nginx-ttfb 1 2>/dev/null) / $(ms nginx-ttfb 2 2>/dev/null); gateway
$(ms gateway-ttfb 1) / $(ms gateway-ttfb 2); 3 nodes behind HAProxy $(ms cluster-ttfb 1 2>/dev/null) / $(ms cluster-ttfb 2 2>/dev/null). Added by the gateway at
p50: $(added "$(ms gateway-ttfb 1)" "$(ms direct-ttfb 1)") ms.

- Throughput ratios in this run: gateway (hot org) / nginx $(ratio "$(rps hot)" "$(rps nginx 2>/dev/null || echo 0)"), gateway / direct
  $(ratio "$(rps hot)" "$(rps direct)"), gateway / bare proxy $(ratio "$(rps hot)" "$(rps bare)"), nginx / direct $(ratio "$(rps nginx 2>/dev/null || echo 0)" "$(rps direct)").
- CPU per request at saturation: gateway ${hot_cpu_us} µs (hot org, JVM only), bare proxy ${bare_cpu_us} µs, nginx
  ${nginx_cpu_us} µs (its worker).
- Gateway throughput as a share of the bare proxy's: hot org $(( $(rps hot) * 100 / $(rps bare) ))%, 1,000 orgs $(( $(rps many) * 100 / $(rps bare) ))%.
- Hot org: wrk completed ${hot_sent} requests in the measured run; the org's journaled monthly_requests after all
  runs (warm-up excluded, it used the 1,000 orgs) is ${hot_journaled}; the read model showed all of them
  ${projected_after} after the last run ended.
- Resident memory after the runs: gateway JVM ${rss_mib} MiB (-Xmx512m); its embedded PostgreSQL's processes
  ${pg_rss_mib} MiB summed (shared buffers counted in each process, so an over-count); the 3 cluster nodes
  (-Xmx512m each) ${cluster_rss_mib:-n/a} MiB together.
- The cluster ($cluster_note) runs all three nodes, their PostgreSQL and HAProxy on the one measured core.
  The longest its PostgreSQL kept a statement active, sampled twice a second (over 10 s trips the journal's
  circuit breaker): $(longest_wait "$WORK/cluster-postgres.txt").
REPORT
echo "raw wrk output and logs: $WORK" >&2
