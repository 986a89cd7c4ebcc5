#!/usr/bin/env bash
# What the read side costs, without the request path in the way: a node is saturated for LOAD (60s) against
# ORGS orgs so its projections fall behind, then the load stops and the projections catch up alone on the
# node's core. The node's and PostgreSQL's CPU time while they do, divided by the requests they wrote to the
# read models, is the read side's CPU per request; the requests caught up per second is how fast the read side
# goes with a core to itself. For each jar given, in turn, each on a fresh embedded PostgreSQL.
#
#   load-tests/bench/catch-up.sh A.jar [B.jar ...]     # ~4 minutes per jar with 1,000 orgs; prints markdown
#
# ORGS (1000), LOAD (60s) and SCOPES (see chat.lua) can be set; node and PostgreSQL on CPU 0, simulator and
# wrk on CPU 1. Needs wrk, taskset and psql.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 A.jar [B.jar ...]" >&2; exit 2; }
JARS=(); for j in "$@"; do [ -f "$j" ] || { echo "no such jar: $j" >&2; exit 2; }; JARS+=("$(realpath "$j")"); done
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
WORK=$(mktemp -d /tmp/tollgate-catch-up.XXXXXX)
PIDS=()
ORGS=${ORGS:-1000}
LOAD=${LOAD:-60s}
GATEWAY_CPU=0
LOAD_CPU=1
SIM_PORT=19995  # the node's management port is its HTTP port + 1000
GW_PORT=18895
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }
command -v psql >/dev/null || { echo "psql is needed: apt-get install postgresql-client" >&2; exit 2; }
NODE_JAR=${JARS[0]}
source load-tests/bench/lib.sh
choose_autogroups
start_simulator "$LOAD_CPU" $SIM_PORT

sql() { PGPASSWORD=$(cat "$WORK/data/db-password") psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -At -c "$1"; }
# Requests each read model holds: usage_daily's sum always; request_log's rows where the build has one.
written() {
  sql "SELECT coalesce(sum(requests), 0) FROM usage_daily"
  if [ "$(sql "SELECT to_regclass('request_log') IS NOT NULL")" = t ]; then sql "SELECT count(*) FROM request_log"; else echo -1; fi
}

HZ=$(getconf CLK_TCK)
ROWS=()
measure() { # label jar
  local label=$1 served t0 u0 r0 n0 p0 t1 u1 r1 n1 p1
  cp "$2" "$WORK/node.jar"
  rm -rf "$WORK/data" "$WORK"/*.keys
  start_node "$GATEWAY_CPU" $GW_PORT 25890 $SIM_PORT -Xms512m -Xmx512m
  PG_PORT=$(grep -o 'embedded PostgreSQL started.*port=[0-9]*' "$WORK/gateway.log" | tail -1 | sed 's/.*port=//')
  make_orgs "http://127.0.0.1:$GW_PORT" org "$ORGS" "$WORK/orgs.keys"
  DURATION=$LOAD run "$label" "http://127.0.0.1:$GW_PORT" "$WORK/orgs.keys" 64
  served=$(awk '/requests in/ {print $1}' "$WORK/$label.txt")
  sleep 2 # the last batches reach the journal
  read -r t0 < <(date +%s.%N); { read -r n0; read -r p0; } < <(ticks); { read -r u0; read -r r0; } < <(written)
  local settled=0 u r
  for _ in $(seq 1 600); do
    { read -r u; read -r r; } < <(written)
    sleep 1
    local u2 r2; { read -r u2; read -r r2; } < <(written)
    # Caught up: neither read model moved in a second.
    if [ "$u2" = "$u" ] && [ "$r2" = "$r" ]; then settled=1; break; fi
  done
  read -r t1 < <(date +%s.%N); { read -r n1; read -r p1; } < <(ticks); { read -r u1; read -r r1; } < <(written)
  kill "$NODE_PID"; wait "$NODE_PID" 2>/dev/null || true
  # The requests the read side wrote while catching up: the larger of usage_daily's and request_log's growth.
  local caught=$((u1 - u0)) logged=$((r1 - r0))
  if [ "$r1" -lt 0 ]; then logged="–"; elif [ "$logged" -gt "$caught" ]; then caught=$logged; fi
  ROWS+=("$(awk -v l="$label" -v s="$served" -v c="$caught" -v g="$logged" -v u="$u1" -v dt="$(echo "$t1 - $t0" | bc)" \
    -v n="$((n1 - n0))" -v p="$((p1 - p0))" -v hz="$HZ" -v ok=$settled 'BEGIN {
      per = c > 0 ? 1e6 / hz / c : 0
      printf "| %s | %d | %d | %s | %.0f | %.1f | %.1f | %.1f | %d |%s\n", l, s, c, g, c / dt, dt, n * per, p * per, u,
        ok ? "" : " (did not settle in 10 min)"
    }')")
}

i=0
for jar in "${JARS[@]}"; do
  i=$((i + 1))
  echo "jar $i of ${#JARS[@]}: $(basename "$jar")..." >&2
  measure "$(basename "$jar" .jar)" "$jar"
done

cat <<REPORT
## Catching up — $(date -u +%Y-%m-%d\ %H:%M), $(nproc) cores, $SCHEDULER

Command: \`load-tests/bench/catch-up.sh $(for j in "${JARS[@]}"; do printf '%s ' "$(basename "$j")"; done)\`($ORGS orgs, SCOPES=${SCOPES:-0},
wrk -t1 -c64 for $LOAD, then no load while the projections catch up; node + PostgreSQL on CPU $GATEWAY_CPU).

| build | requests served under load | requests caught up after | into request_log | caught up / s | seconds | node µs CPU / request | PostgreSQL µs CPU / request | usage_daily requests at the end |
|---|---|---|---|---|---|---|---|---|
REPORT
printf '%s\n' "${ROWS[@]}"
