#!/usr/bin/env bash
# Resident memory of one node under sustained load, with the heap sized for production rather than for the
# benchmark: the node (and its embedded PostgreSQL) on CPU 0, the simulator and wrk on CPU 1, 1,000 orgs at
# saturation. RSS is sampled every second; the report gives the peak and the last sample, the PostgreSQL
# processes apart.
#
#   load-tests/bench/node-rss.sh                   # ~5 minutes; JAVA_OPTS and DURATION to change the run
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
WORK=$(mktemp -d /tmp/tollgate-rss.XXXXXX)
PIDS=()
JAVA_OPTS=${JAVA_OPTS:--Xmx160m -XX:MaxMetaspaceSize=128m -XX:ReservedCodeCacheSize=64m -XX:MaxDirectMemorySize=32m -Xss512k}
DURATION=${DURATION:-180}
SIM_PORT=19390
GW_PORT=18390
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }
source load-tests/bench/lib.sh

start_simulator 1 $SIM_PORT
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
start_node 0 $GW_PORT 25790 $SIM_PORT $JAVA_OPTS -XX:NativeMemoryTracking=summary
echo "creating 1,000 orgs..." >&2
make_orgs "http://127.0.0.1:$GW_PORT" org 1000 "$WORK/keys"

echo "loading it for ${DURATION}s..." >&2
KEYS_FILE="$WORK/keys" taskset -c 1 wrk -t1 -c64 -d"${DURATION}s" --latency -s load-tests/bench/chat.lua \
  "http://127.0.0.1:$GW_PORT" > "$WORK/wrk.txt" &
WRK=$!
peak=0
while kill -0 $WRK 2>/dev/null; do
  now=$(rss_mib "$NODE_PID")
  [ "$now" -gt "$peak" ] && peak=$now
  sleep 1
done
last=$(rss_mib "$NODE_PID")
pg_main=$(pgrep -f "postgres -D $WORK/data/postgres" | head -1)
pg_mib=$(( $( (ps -o rss= -p "$pg_main"; ps -o rss= --ppid "$pg_main") | awk '{s+=$1} END {print s+0}') / 1024 ))
# Where the JVM's memory goes, by Native Memory Tracking's categories (committed MiB, largest first).
breakdown=$(jcmd "$NODE_PID" VM.native_memory summary | awk '
  /^-/ && /committed=/ { name = $2; for (i = 3; i <= NF; i++) if ($i !~ /^\(/) name = name " " $i; else break;
                        match($0, /committed=[0-9]+KB/); kb = substr($0, RSTART + 10, RLENGTH - 12);
                        if (kb + 0 >= 1024) printf "%d %s\n", kb / 1024, name }
  /^Total:/ { match($0, /committed=[0-9]+KB/); printf "%d %s\n", substr($0, RSTART + 10, RLENGTH - 12) / 1024, "Total (NMT)" }' \
  | sort -rn | awk '{n = $1; $1 = ""; sub(/^ /, ""); printf "%s%s %d MiB", sep, $0, n; sep = "; "}')

cat <<REPORT
## Resident memory under load — $(date -u +%Y-%m-%d)

Command: \`load-tests/bench/node-rss.sh\` (one node, \`java $JAVA_OPTS\`, embedded PostgreSQL; 1,000 orgs,
wrk -t1 -c64 for ${DURATION}s at saturation; node and PostgreSQL on CPU 0, simulator and wrk on CPU 1).

| | value |
|---|---|
| requests/s during the run | $(awk '/Requests\/sec/ {print int($2)}' "$WORK/wrk.txt") |
| non-2xx or socket errors | $(awk '/Non-2xx|Socket errors/ {print}' "$WORK/wrk.txt" | head -1 | sed 's/^ *//') |
| node RSS, peak of 1 s samples | ${peak} MiB |
| node RSS at the end | ${last} MiB |
| embedded PostgreSQL, all its processes (shared buffers counted in each) | ${pg_mib} MiB |

Committed by the JVM, by Native Memory Tracking category (MiB, categories of 1 MiB or more):
${breakdown}
REPORT
echo "raw output and logs: $WORK" >&2
