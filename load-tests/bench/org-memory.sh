#!/usr/bin/env bash
# Heap per active org, and proof that passivation returns it: one node (embedded PostgreSQL) and the
# simulator; N orgs (default 100,000) each created, given a key and sent one request, then left idle.
# Heap is read after a full GC (jcmd) at three points: before, with every org active, and after the orgs
# have passivated. PASSIVATE (seconds, default 300) should outlast touching them all, or the first ones are
# gone before the middle measurement; the heap per org is divided by the org actors counted, either way.
#
#   load-tests/bench/org-memory.sh [orgs]      # ~13 minutes for 100,000 orgs; prints a markdown report
set -euo pipefail
cd "$(dirname "$0")/../.."
ORGS=${1:-100000}
PASSIVATE=${PASSIVATE:-300}
ROOT=$(pwd)
WORK=$(mktemp -d /tmp/tollgate-orgmem.XXXXXX)
PIDS=()
SIM_PORT=19290
GW_PORT=18290
source load-tests/bench/lib.sh

# Not pinned: this measures heap, not speed.
start_simulator 0,1 $SIM_PORT
TOLLGATE_ACCESS_LOG=off TOLLGATE_ORG_PASSIVATE_AFTER=${PASSIVATE}s start_node 0,1 $GW_PORT 25690 $SIM_PORT -Xms2g -Xmx2g
GW_PID=$NODE_PID
TOKEN=$ADMIN_TOKEN
touch_orgs() { java -cp "$WORK/simulator.jar" io.tollgate.bench.OrgToucher "http://127.0.0.1:$GW_PORT" "$TOKEN" "$@"; }
# Heap in use after a full collection, in KiB.
heap_kib() {
  jcmd "$GW_PID" GC.run > /dev/null
  sleep 2
  jcmd "$GW_PID" GC.heap_info | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?/, "", v); print v; exit } }'
}
orgs_here() { curl -s "http://127.0.0.1:$((GW_PORT + 1000))/metrics" | awk '/^tollgate_sharding_orgs / {print int($2)}'; }

echo "warming up with 2,000 orgs..." >&2
touch_orgs 2000 1000000 >&2
sleep 5
base=$(heap_kib)
echo "touching $ORGS orgs..." >&2
start=$(date +%s)
touch_orgs "$ORGS" >&2
took=$(( $(date +%s) - start ))
sleep 6
active_orgs=$(orgs_here)
active=$(heap_kib)
echo "waiting for passivation (${PASSIVATE} s idle, checked every $((PASSIVATE / 2)) s)..." >&2
sleep $((PASSIVATE * 3 / 2 + 30))
idle_orgs=$(orgs_here)
idle=$(heap_kib)
per_org=$(( (active - idle) * 1024 / (active_orgs - idle_orgs) ))

cat <<REPORT
## Heap per active org — $(date -u +%Y-%m-%d)

Command: \`load-tests/bench/org-memory.sh $ORGS\` (one node, -Xmx2g, embedded PostgreSQL; heap read with
\`jcmd GC.heap_info\` after \`jcmd GC.run\`). Each org was created, given a key and sent one request
($ORGS orgs in ${took}s), then left idle.

| point | org actors on the node | heap used after full GC |
|---|---|---|
| after warming up (2,000 orgs) | - | $(( base / 1024 )) MiB |
| $ORGS orgs active | ${active_orgs:-?} | $(( active / 1024 )) MiB |
| after idling (passivated) | ${idle_orgs:-?} | $(( idle / 1024 )) MiB |

- Heap per active org actor: ${per_org} bytes ($(( per_org / 1024 )) KiB): what passivating them returned,
  divided by how many passivated.
- Passivation returned $(( (active - idle) / 1024 )) MiB for $(( active_orgs - idle_orgs )) org actors.
REPORT
echo "logs: $WORK" >&2
