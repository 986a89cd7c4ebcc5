# Shared by the benchmark scripts (sourced, not run): the jars, starting the simulator and a node, orgs.
# Expects ROOT (the repository), WORK (a scratch folder) and PIDS (an array) to be set by the caller.

NODE_JAR=${NODE_JAR:-$ROOT/gateway-node/target/tollgate-node.jar}  # or another build, to compare
SIM_JAR=$(ls "$ROOT"/load-tests/target/tollgate-load-tests-*-simulator.jar 2>/dev/null | head -1 || true)
if [ ! -f "$NODE_JAR" ] || [ -z "$SIM_JAR" ]; then
  (cd "$ROOT" && mvn -q -B -DskipTests package)
  SIM_JAR=$(ls "$ROOT"/load-tests/target/tollgate-load-tests-*-simulator.jar | head -1)
fi
# Copies, so a rebuild during a run does not pull a jar from under it.
cp "$SIM_JAR" "$WORK/simulator.jar"
cp "$NODE_JAR" "$WORK/node.jar"

# Stops what the run started, and keeps only what is worth reading afterwards (wrk's output and the logs,
# PostgreSQL's included): the databases and the copied jars left 1-2 GB in /tmp per run.
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  local db
  for db in data cluster/pg; do
    if [ -d "$WORK/$db/postgres/log" ]; then cp -r "$WORK/$db/postgres/log" "$WORK/postgres-log-${db//\//-}"; fi
  done
  rm -rf "$WORK/data" "$WORK/cluster/pg" "$WORK"/*.jar "$WORK/cluster"/*.jar
  if [ -n "${AUTOGROUP_WAS:-}" ]; then echo "$AUTOGROUP_WAS" > "$AUTOGROUP"; fi
}
trap cleanup EXIT

# Linux's session scheduling groups (kernel.sched_autogroup_enabled) make each session a group with an equal
# share of a core, and PostgreSQL puts every backend in a session of its own. With the nodes and PostgreSQL
# on one core, this VM's kernel (6.18) left runnable backends without CPU for 34-50 s while the nodes took
# 96 % of the core; with autogroups off, a lone node served ~26 % fewer requests (docs/benchmarks.md).
# AUTOGROUPS=on|off sets them for the run (as root) and restores them on exit; unset, the machine's setting
# is kept. Sets SCHEDULER to say which was measured.
AUTOGROUP=/proc/sys/kernel/sched_autogroup_enabled
choose_autogroups() {
  local want was
  was=$(cat "$AUTOGROUP" 2>/dev/null || echo none)
  case ${AUTOGROUPS:-} in on) want=1 ;; off) want=0 ;; *) want=$was ;; esac
  if [ "$want" != "$was" ]; then
    (echo "$want" > "$AUTOGROUP") 2>/dev/null || { echo "AUTOGROUPS=$AUTOGROUPS: cannot write $AUTOGROUP (needs root)" >&2; exit 2; }
    AUTOGROUP_WAS=$was
  fi
  SCHEDULER="kernel $(uname -r), autogroups $(case $want in 1) echo on ;; 0) echo off ;; *) echo n/a ;; esac)"
}

await_port() { for _ in $(seq 1 120); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.5; done; echo "nothing on port $1" >&2; return 1; }

start_simulator() { # cpu port
  taskset -c "$1" java -Xms256m -Xmx256m -jar "$WORK/simulator.jar" --port "$2" > "$WORK/simulator.log" 2>&1 &
  PIDS+=($!)
  await_port "$2"
}

# Starts a node on its own embedded PostgreSQL in $WORK/data; sets NODE_PID and ADMIN_TOKEN.
start_node() { # cpu http-port cluster-port simulator-port java-options...
  local cpu=$1 http=$2 cluster=$3 sim=$4; shift 4
  TOLLGATE_DATA_DIR="$WORK/data" TOLLGATE_HTTP_PORT=$http TOLLGATE_MANAGEMENT_PORT=$((http + 1000)) \
    TOLLGATE_CLUSTER_PORT=$cluster \
    TOLLGATE_OPENAI_BASE_URL="http://127.0.0.1:$sim/v1" \
    taskset -c "$cpu" java "$@" -jar "$WORK/node.jar" >> "$WORK/gateway.log" 2>&1 &
  NODE_PID=$!
  PIDS+=($NODE_PID)
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$http/health/ready" >/dev/null && break; sleep 0.5; done
  curl -sf "http://127.0.0.1:$http/health/ready" >/dev/null || { echo "the node did not become ready" >&2; tail -20 "$WORK/gateway.log" >&2; exit 1; }
  ADMIN_TOKEN=$(cat "$WORK/data/admin-token")
}

# Creates orgs <prefix>-1..N with one key each, appending the keys to a file (one per line), eight at a time.
# With SCOPES=1 every org also gets limits on each team, each customer and its key, set high enough never
# to refuse: every request is checked against all three (a build without scoped limits ignores them).
make_org() { # base-url org-id; prints the org's key
  local base=$1 org=$2 key
  curl -sf -X POST "$base/admin/orgs" -H "Authorization: Bearer $ADMIN_TOKEN" -d "{\"id\":\"$org\"}" >/dev/null
  if [ "${SCOPES:-0}" = 1 ]; then
    curl -s -o /dev/null -X PUT "$base/admin/orgs/$org/limits/team/*" -H "Authorization: Bearer $ADMIN_TOKEN" \
      -d '{"requests_per_minute": 100000000, "monthly_budget_usd": "1000000"}' || true
    curl -s -o /dev/null -X PUT "$base/admin/orgs/$org/limits/customer/*" -H "Authorization: Bearer $ADMIN_TOKEN" \
      -d '{"requests_per_hour": 1000000000, "daily_budget_usd": "1000000"}' || true
  fi
  key=$(curl -sf -X POST "$base/admin/orgs/$org/keys" -H "Authorization: Bearer $ADMIN_TOKEN" \
    -d '{"name":"bench","limits":{"tokens_per_minute":1000000000}}' | sed -E 's/.*"key":"([^"]+)".*/\1/')
  printf '%s\n' "$key" # one short write: lines of parallel runs never interleave
}

make_orgs() { # base-url prefix count keys-file
  local base=$1 prefix=$2 n=$3 keys=$4
  export -f make_org
  export ADMIN_TOKEN SCOPES
  seq 1 "$n" | xargs -P 8 -I{} bash -c 'make_org "$0" "$1"' "$base" "$prefix-{}" >> "$keys"
  [ "$(grep -c . "$keys")" -ge "$n" ] || { echo "made fewer orgs than $n" >&2; exit 1; }
}

# Samples the node's tollgate_projection_lag_seconds every 2 s into a file (time projection seconds), until
# killed: how far each read model trails the journal while the node is saturated.
watch_lag() { # management-port out-file
  (while sleep 2; do
    curl -s "http://127.0.0.1:$1/metrics" | awk -v t="$(date +%s)" '/^tollgate_projection_lag_seconds\{/ {
      match($0, /projection="[^"]*"/); print t, substr($0, RSTART + 12, RLENGTH - 13), $NF }'
  done) > "$2" 2>/dev/null &
  PIDS+=($!)
  LAG_PID=$!
}

# The most each projection lagged in such a file: "request-log 1.2 s, usage-daily 0.8 s".
max_lag() { # file
  [ -s "$1" ] || { echo "not sampled"; return; }
  awk '{ if ($3 + 0 > max[$2]) max[$2] = $3 + 0; seen[$2] = 1 }
    END { sep = ""; for (p in seen) { printf "%s%s %.1f s", sep, p, max[p]; sep = ", " } print "" }' "$1"
}

# The node's ($NODE_PID), then PostgreSQL's (every postgres process) user + system time, in clock ticks.
ticks() {
  awk '{print $14 + $15}' /proc/"$NODE_PID"/stat
  for p in $(pgrep -f postgres); do awk '{print $14 + $15}' /proc/"$p"/stat 2>/dev/null; done | awk '{s += $1} END {print s + 0}'
}

# Waits until the node and PostgreSQL are quiet (under 5 % of a core for two seconds in a row): the
# projections have caught up with the journal, whichever build it is. Up to 10 minutes; 1 if it never settles.
settle() {
  local hz quiet=0 prev now
  hz=$(getconf CLK_TCK)
  prev=$(ticks | awk '{s += $1} END {print s}')
  for _ in $(seq 1 600); do
    sleep 1
    now=$(ticks | awk '{s += $1} END {print s}')
    if [ $((now - prev)) -lt $((hz / 20)) ]; then quiet=$((quiet + 1)); else quiet=0; fi
    prev=$now
    [ "$quiet" -ge 2 ] && return 0
  done
  return 1
}

rss_mib() { echo $(( $(awk '/VmRSS/ {print $2}' /proc/"$1"/status) / 1024 )); }

# Samples the database's busy sessions twice a second into a file (time|pid|state|wait event|seconds in that
# state|statement), through one long-lived psql session: a new connection per sample starves along with
# everything else on a saturated core. This is how a 12 s WAL stall was found (docs/benchmarks.md). No psql,
# no file.
watch_postgres() { # port out-file
  command -v psql >/dev/null || return 0
  psql -h 127.0.0.1 -p "$1" -U postgres -At -F '|' > "$2" 2>&1 < <(while sleep 0.5; do
    echo "SELECT to_char(clock_timestamp(), 'HH24:MI:SS.MS'), pid, state,
      coalesce(wait_event_type || '/' || wait_event, '-'),
      round(extract(epoch FROM clock_timestamp() - state_change)::numeric, 2),
      left(regexp_replace(query, '\s+', ' ', 'g'), 60)
      FROM pg_stat_activity WHERE backend_type = 'client backend' AND state <> 'idle' AND pid <> pg_backend_pid();"
  done) &
  PIDS+=($!)
}

# The longest a statement stayed in one state in such a file, and where: "12.3 s (COMMIT, IO/WalInitWrite)".
longest_wait() { # file
  [ -s "$1" ] || { echo "not watched (no psql)"; return; }
  awk -F'|' '$5 + 0 > max && $3 == "active" {max = $5 + 0; what = $6 ", " $4} END {
    if (max > 0) printf "%.1f s (%s)", max, what; else print "none sampled"}' "$1" 2>/dev/null
}

# One wrk run of chat.lua on the load CPU, its output in $WORK/<name>.txt; and the requests a second it saw.
run() { # name url keys-file connections [extra env]
  local name=$1 url=$2 keys=$3 conns=$4; shift 4
  env KEYS_FILE="$keys" "$@" taskset -c "$LOAD_CPU" wrk -t1 -c"$conns" -d"$DURATION" --latency -s load-tests/bench/chat.lua "$url" > "$WORK/$name.txt"
}
rps() { awk '/Requests\/sec/ {print int($2)}' "$WORK/$1.txt"; }
