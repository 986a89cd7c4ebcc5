#!/usr/bin/env bash
# Heap per tracked scope value: one node (embedded PostgreSQL) and the simulator; one org and key; traffic
# that names one customer, then traffic that names VALUES (default 20,000) customers, one after another.
# Heap is read after a full GC (jcmd) after each; the difference divided by the values is what the org
# keeps per value it tracks (its live tally and the journal's, each a minute, hour, day and month count).
#
#   load-tests/bench/scope-memory.sh [values]      # ~2 minutes; prints a markdown report
set -euo pipefail
cd "$(dirname "$0")/../.."
VALUES=${1:-20000}
ROOT=$(pwd)
WORK=$(mktemp -d /tmp/tollgate-scopemem.XXXXXX)
PIDS=()
SIM_PORT=19395  # the node's management port is its HTTP port + 1000
GW_PORT=18390
LOAD_CPU=${LOAD_CPU:-1}
# Enough time for every value to be named at least once, at the load's pace.
DURATION=${DURATION:-30s}
source load-tests/bench/lib.sh

# Not pinned: this measures heap, not speed.
start_simulator 0,1 $SIM_PORT
TOLLGATE_ACCESS_LOG=off TOLLGATE_ORG_MAX_TRACKED_VALUES=$((VALUES + 100)) \
  start_node 0,1 $GW_PORT 25790 $SIM_PORT -Xms1g -Xmx1g
GW_PID=$NODE_PID
heap_kib() {
  jcmd "$GW_PID" GC.run > /dev/null
  sleep 2
  jcmd "$GW_PID" GC.heap_info | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?/, "", v); print v; exit } }'
}

make_orgs "http://127.0.0.1:$GW_PORT" mem 1 "$WORK/mem.keys"
echo "one customer..." >&2
run one "http://127.0.0.1:$GW_PORT" "$WORK/mem.keys" 16 SCOPES=1 CUSTOMERS=1
sleep 3
base=$(heap_kib)
echo "$VALUES customers..." >&2
run many "http://127.0.0.1:$GW_PORT" "$WORK/mem.keys" 16 SCOPES=1 CUSTOMERS="$VALUES"
sleep 3
many=$(heap_kib)
values=$(curl -s "http://127.0.0.1:$GW_PORT/admin/orgs/mem-1/quota/scopes?scope=customer" \
  -H "Authorization: Bearer $ADMIN_TOKEN" | grep -o '"scope":"customer"' | wc -l)
per_value=$(( (many - base) * 1024 / values ))

cat <<REPORT
## Heap per tracked scope value — $(date -u +%Y-%m-%d)

Command: \`load-tests/bench/scope-memory.sh $VALUES\` (one node, -Xmx1g, embedded PostgreSQL; heap read with
\`jcmd GC.heap_info\` after \`jcmd GC.run\`). One org and key; ${DURATION} of requests naming one customer
($(rps one) req/s), then ${DURATION} naming $VALUES customers in turn ($(rps many) req/s); every request also names
one of 10 teams.

| point | customers the org tracks | heap used after full GC |
|---|---|---|
| after one customer | 1 | $(( base / 1024 )) MiB |
| after $VALUES customers | $values | $(( many / 1024 )) MiB |

- Heap per tracked value: ${per_value} bytes, the live tally and the journal's
  together; at the default cap of 10,000 values an org keeps about $(( per_value * 10000 / 1048576 )) MiB.
REPORT
echo "logs: $WORK" >&2
