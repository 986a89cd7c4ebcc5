#!/usr/bin/env bash
# A Tollgate cluster on one machine: PostgreSQL, the upstream simulator, N gateway nodes and a load balancer,
# everything bound to 127.0.0.1.
#
#   ops/local-cluster.sh up              # start everything (NODES=3 by default)
#   ops/local-cluster.sh status          # which processes run, and each node's /health/ready
#   ops/local-cluster.sh logs [name]     # follow a log: node1, node2, ..., postgres (the server's own), simulator, lb (default node1)
#   ops/local-cluster.sh kill node2      # SIGKILL one node: a crash, for fault drills
#   ops/local-cluster.sh restart node2   # start it again (after kill), or stop it gracefully and start it again
#   ops/local-cluster.sh down            # stop everything it started, by PID
#
# Ports: load balancer 8080, nodes 8081.., their metrics 9465.., cluster 25521.., simulator 9090, embedded
# PostgreSQL 5433 (password in tollgate-cluster/pg/db-password).
# PostgreSQL: TOLLGATE_DB_URL (and _USER, _PASSWORD) if set; else a local server on 127.0.0.1:5432 if one
# answers (schema tollgate_cluster, user TOLLGATE_DB_USER or postgres); else an embedded one that all nodes
# share. Upstream: the simulator, unless TOLLGATE_OPENAI_BASE_URL is set. Load balancer: HAProxy
# (ops/lb/haproxy.cfg) if installed, else nginx (ops/lb/nginx.conf), else none (use the nodes' ports).
# State, secrets and logs live in ./tollgate-cluster (override with CLUSTER_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${CLUSTER_DIR:-./tollgate-cluster}
JAR=gateway-node/target/tollgate-node.jar
NODES=${NODES:-3}
LB_PORT=8080
SIM_PORT=9090
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)

secret() { # kept in the cluster folder so every node (and every restart) shares it
  local file="$DIR/$1"
  [ -f "$file" ] || (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$file")
  cat "$file"
}

running() { [ -f "$DIR/$1.pid" ] && kill -0 "$(cat "$DIR/$1.pid")" 2>/dev/null; }

start() { # name command...
  local name=$1; shift
  if running "$name"; then echo "$name already running"; return; fi
  nohup "$@" >> "$DIR/$name.log" 2>&1 &
  echo $! > "$DIR/$name.pid"
  echo "started $name (pid $!, log $DIR/$name.log)"
}

stop() { # name [signal]
  local name=$1 signal=${2:-TERM} pid
  [ -f "$DIR/$name.pid" ] || return 0
  pid=$(cat "$DIR/$name.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -"$signal" "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
  rm -f "$DIR/$name.pid"
  echo "stopped $name"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

await_ready() { # url
  for _ in $(seq 1 120); do curl -sf "$1" >/dev/null && return 0; sleep 0.5; done
  echo "not ready: $1" >&2
  return 1
}

database() { # exports TOLLGATE_DB_* for the nodes, starting the embedded server if needed
  if [ -n "${TOLLGATE_DB_URL:-}" ]; then
    return
  fi
  if [ "${USE_LOCAL_POSTGRES:-yes}" = yes ] && port_open 5432; then
    export TOLLGATE_DB_URL=jdbc:postgresql://127.0.0.1:5432/postgres TOLLGATE_DB_USER=${TOLLGATE_DB_USER:-postgres}
    export TOLLGATE_DB_SCHEMA=${TOLLGATE_DB_SCHEMA:-tollgate_cluster}
    echo "using the local PostgreSQL on 127.0.0.1:5432 (schema $TOLLGATE_DB_SCHEMA)"
    return
  fi
  start postgres java -Xmx256m -cp "$DIR/tollgate-node.jar" io.tollgate.persistence.StandalonePostgres --dir "$DIR/pg" --port 5433
  for _ in $(seq 1 60); do grep -q "PostgreSQL ready" "$DIR/postgres.log" 2>/dev/null && break; sleep 0.5; done
  export TOLLGATE_DB_URL=jdbc:postgresql://127.0.0.1:5433/postgres TOLLGATE_DB_USER=postgres
  TOLLGATE_DB_PASSWORD=$(cat "$DIR/pg/db-password")
  export TOLLGATE_DB_PASSWORD PGPASSWORD=$TOLLGATE_DB_PASSWORD
}

simulator() {
  if [ -n "${TOLLGATE_OPENAI_BASE_URL:-}" ]; then
    return
  fi
  running simulator || cp "$(ls load-tests/target/tollgate-load-tests-*-simulator.jar | head -1)" "$DIR/simulator.jar"
  start simulator java -Xmx256m -jar "$DIR/simulator.jar" --port "$SIM_PORT"
  for _ in $(seq 1 60); do port_open "$SIM_PORT" && break; sleep 0.5; done
  export TOLLGATE_OPENAI_BASE_URL=http://127.0.0.1:$SIM_PORT/v1
}

node() { # i
  local i=$1
  TOLLGATE_HTTP_PORT=$((8080 + i)) TOLLGATE_MANAGEMENT_PORT=$((9464 + i)) TOLLGATE_CLUSTER_PORT=$((25520 + i)) \
    TOLLGATE_SEED_NODES=127.0.0.1:25521 \
    TOLLGATE_DATA_DIR="$DIR/node$i" start "node$i" java -Xms256m -Xmx512m -jar "$DIR/tollgate-node.jar"
}

load_balancer() {
  if [ "$NODES" != 3 ]; then
    echo "no load balancer: ops/lb holds configs for 3 nodes"
  elif command -v haproxy >/dev/null; then
    start lb haproxy -db -f ops/lb/haproxy.cfg
  elif command -v nginx >/dev/null; then
    start lb nginx -p "$DIR" -c "$(pwd)/ops/lb/nginx.conf" -g "daemon off; pid $DIR/nginx.pid; error_log $DIR/lb.log;"
  else
    echo "no load balancer installed (apt-get install haproxy, or nginx): use the nodes on 8081-808$NODES"
    return
  fi
  await_ready "http://127.0.0.1:$LB_PORT/health/ready"
}

# Everything the nodes need in their environment; recomputed by restart, so it is always the same.
environment() {
  database
  simulator
  export TOLLGATE_ADMIN_TOKEN=$(secret admin-token) TOLLGATE_KEY_PEPPER=$(secret key-pepper)
  # Three nodes on one machine: down a dead one sooner than the production default of 20 s.
  export TOLLGATE_DOWN_UNREACHABLE_AFTER=${TOLLGATE_DOWN_UNREACHABLE_AFTER:-7s}
}

up() {
  [ -f "$JAR" ] || mvn -q -B -DskipTests package
  # The nodes run a copy: a rebuild must not swap the jar under running JVMs (they would fail to load classes).
  running node1 || cp "$JAR" "$DIR/tollgate-node.jar"
  environment
  for i in $(seq 1 "$NODES"); do node "$i"; done
  for i in $(seq 1 "$NODES"); do await_ready "http://127.0.0.1:$((8080 + i))/health/ready"; done
  load_balancer
  status
  echo "admin token: $TOLLGATE_ADMIN_TOKEN (in $DIR/admin-token)"
}

status() {
  for pidfile in "$DIR"/*.pid; do
    [ -e "$pidfile" ] || continue
    local name pid state ready=""
    name=$(basename "$pidfile" .pid); pid=$(cat "$pidfile")
    [ "$name" = nginx ] && continue # nginx's own pid file; "lb" is the one we started
    if kill -0 "$pid" 2>/dev/null; then state=running; else state=stopped; fi
    case $name in
      node*) ready=$(curl -s "http://127.0.0.1:$((8080 + ${name#node}))/health/ready" || echo unreachable) ;;
      lb) ready=$(curl -s "http://127.0.0.1:$LB_PORT/health/ready" || echo unreachable) ;;
    esac
    echo "$name pid=$pid $state $ready"
  done
}

down() {
  stop lb
  for pidfile in "$DIR"/node*.pid; do
    [ -e "$pidfile" ] || continue
    stop "$(basename "$pidfile" .pid)" # graceful: finish requests, flush usage, leave the cluster
  done
  stop simulator
  stop postgres
}

one_node() { # validates "nodeN" and prints N
  [[ "${1:-}" =~ ^node([0-9]+)$ ]] || { echo "name a node: node1..node$NODES" >&2; exit 2; }
  echo "${BASH_REMATCH[1]}"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  logs)
    log="$DIR/${2:-node1}.log"
    # The embedded PostgreSQL writes its server log into its own folder, a file per weekday.
    if [ "${2:-}" = postgres ] && [ -d "$DIR/pg/postgres/log" ]; then log=$(ls -t "$DIR"/pg/postgres/log/*.log | head -1); fi
    tail -n 100 -f "$log"
    ;;
  kill) n=$(one_node "${2:-}"); stop "node$n" KILL ;;
  restart)
    n=$(one_node "${2:-}")
    stop "node$n"
    environment
    node "$n"
    await_ready "http://127.0.0.1:$((8080 + n))/health/ready"
    ;;
  *) echo "usage: $0 up|down|status|logs [name]|kill nodeN|restart nodeN" >&2; exit 2 ;;
esac
