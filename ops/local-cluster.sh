#!/usr/bin/env bash
# Three Tollgate nodes on one machine, sharing one PostgreSQL, all on 127.0.0.1.
#
#   ops/local-cluster.sh up       # PostgreSQL (embedded, port 5433) + nodes on HTTP 8081-8083, cluster 25521-25523
#   ops/local-cluster.sh status   # which processes run, and each node's /health/ready
#   ops/local-cluster.sh down     # stops everything it started, by PID
#
# Set TOLLGATE_DB_URL (and _USER, _PASSWORD) to use a PostgreSQL server of your own instead of the embedded
# one. Upstream settings (TOLLGATE_OPENAI_BASE_URL, TOLLGATE_OPENAI_API_KEY) are passed to every node.
# State and logs live in ./tollgate-cluster (override with CLUSTER_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${CLUSTER_DIR:-./tollgate-cluster}
JAR=gateway-node/target/tollgate-node.jar
NODES=${NODES:-3}
mkdir -p "$DIR"

secret() { # kept in the cluster folder so every node (and every restart) shares it
  local file="$DIR/$1"
  [ -f "$file" ] || (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$file")
  cat "$file"
}

start() { # name pidfile logfile command...
  local name=$1 pidfile=$2 log=$3; shift 3
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then echo "$name already running"; return; fi
  nohup "$@" > "$log" 2>&1 &
  echo $! > "$pidfile"
  echo "started $name (pid $!, log $log)"
}

up() {
  [ -f "$JAR" ] || mvn -q -B -DskipTests package
  if [ -z "${TOLLGATE_DB_URL:-}" ]; then
    start postgres "$DIR/postgres.pid" "$DIR/postgres.log" \
      java -cp "$JAR" io.tollgate.persistence.StandalonePostgres --dir "$DIR/pg" --port 5433
    for _ in $(seq 1 60); do grep -q "PostgreSQL ready" "$DIR/postgres.log" 2>/dev/null && break; sleep 0.5; done
    export TOLLGATE_DB_URL=jdbc:postgresql://127.0.0.1:5433/postgres TOLLGATE_DB_USER=postgres TOLLGATE_DB_PASSWORD=
  fi
  export TOLLGATE_ADMIN_TOKEN=$(secret admin-token) TOLLGATE_KEY_PEPPER=$(secret key-pepper)
  local seeds=127.0.0.1:25521
  for i in $(seq 1 "$NODES"); do
    TOLLGATE_HTTP_PORT=$((8080 + i)) TOLLGATE_CLUSTER_PORT=$((25520 + i)) TOLLGATE_SEED_NODES=$seeds \
      TOLLGATE_DATA_DIR="$DIR/node$i" start "node$i" "$DIR/node$i.pid" "$DIR/node$i.log" java -Xmx512m -jar "$JAR"
  done
  for i in $(seq 1 "$NODES"); do
    for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$((8080 + i))/health/ready" >/dev/null && break; sleep 0.5; done
  done
  status
  echo "admin token: $TOLLGATE_ADMIN_TOKEN (in $DIR/admin-token)"
}

status() {
  for pidfile in "$DIR"/*.pid; do
    [ -e "$pidfile" ] || continue
    local name pid
    name=$(basename "$pidfile" .pid); pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then state=running; else state=stopped; fi
    ready=""
    case $name in node*) ready=$(curl -s "http://127.0.0.1:$((8080 + ${name#node}))/health/ready" || echo unreachable) ;; esac
    echo "$name pid=$pid $state $ready"
  done
}

down() {
  for pidfile in "$DIR"/node*.pid "$DIR"/postgres.pid; do
    [ -e "$pidfile" ] || continue
    local pid; pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid"  # graceful: finish requests, flush usage, leave the cluster
      for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    fi
    rm -f "$pidfile"
    echo "stopped $(basename "$pidfile" .pid)"
  done
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
