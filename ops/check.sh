#!/usr/bin/env bash
# Checks the ops files with whichever of their tools this machine has (promtool, haproxy, nginx, python3);
# a missing tool is reported and skipped, not failed.
set -euo pipefail
cd "$(dirname "$0")"
checked=0
run() { # tool, command...
  if command -v "$1" >/dev/null; then
    shift; "$@" > /dev/null; checked=$((checked + 1)); echo "ok: $*"
  else
    echo "skipped (no $1): ${*:2}"
  fi
}
run promtool promtool check config prometheus/prometheus.yml
run promtool promtool test rules prometheus/alerts_test.yml
run haproxy haproxy -c -f lb/haproxy.cfg
run nginx nginx -t -q -p /tmp -c "$PWD/lb/nginx.conf" -g "pid /tmp/tollgate-nginx-check.pid; error_log /dev/null;"
run python3 python3 -m json.tool grafana/tollgate-dashboard.json
echo "$checked checks passed"
