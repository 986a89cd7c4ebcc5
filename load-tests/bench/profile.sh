#!/usr/bin/env bash
# Where the node spends its CPU at saturation: async-profiler loaded with the node, a warm-up, then a
# profiled run of wrk -c64 against ORGS orgs (SCOPES=1 puts three scoped limits on every request). Prints
# the frames of our own code with their share of the samples, and leaves the collapsed stacks in the work folder.
#
#   ASYNC_PROFILER=/path/to/libasyncProfiler.so load-tests/bench/profile.sh [node.jar]
#
# async-profiler is not part of the build: its jar on Maven Central carries the library
# (mvn dependency:get -Dartifact=tools.profiler:async-profiler:3.0, then unzip linux-x64/libasyncProfiler.so
# out of ~/.m2/repository/tools/profiler/async-profiler/3.0/async-profiler-3.0.jar). EVENT (cpu; itimer where
# perf events are not allowed), ORGS (1), WARMUP (40s) and DURATION (30s) can be set.
set -euo pipefail
[ -f "${ASYNC_PROFILER:-}" ] || { echo "set ASYNC_PROFILER to libasyncProfiler.so (see the header of $0)" >&2; exit 2; }
JAR=${1:-}
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
WORK=$(mktemp -d /tmp/tollgate-profile.XXXXXX)
PIDS=()
ORGS=${ORGS:-1}
WARMUP=${WARMUP:-40s}
DURATION=${DURATION:-30s}
EVENT=${EVENT:-cpu}
GATEWAY_CPU=0
LOAD_CPU=1
SIM_PORT=19795  # the node's management port is its HTTP port + 1000
GW_PORT=18695
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }
[ -z "$JAR" ] || NODE_JAR=$(realpath "$JAR")
source load-tests/bench/lib.sh
choose_autogroups
start_simulator "$LOAD_CPU" $SIM_PORT
start_node "$GATEWAY_CPU" $GW_PORT 25995 $SIM_PORT -Xms512m -Xmx512m "-agentpath:$ASYNC_PROFILER" \
  -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints
make_orgs "http://127.0.0.1:$GW_PORT" org "$ORGS" "$WORK/orgs.keys"
DURATION=$WARMUP run warmup "http://127.0.0.1:$GW_PORT" "$WORK/orgs.keys" 64
# jcmd passes the options quoted, else it splits them at "=".
jcmd "$NODE_PID" JVMTI.agent_load "$ASYNC_PROFILER" "\"start,event=$EVENT,interval=1ms\"" >/dev/null
run profiled "http://127.0.0.1:$GW_PORT" "$WORK/orgs.keys" 64
jcmd "$NODE_PID" JVMTI.agent_load "$ASYNC_PROFILER" "\"stop,file=$WORK/profile.collapsed,collapsed\"" >/dev/null
kill "$NODE_PID"; wait "$NODE_PID" 2>/dev/null || true

total=$(awk '{s += $NF} END {print s}' "$WORK/profile.collapsed")
echo "## Profile — $(date -u '+%Y-%m-%d %H:%M'), $ORGS orgs, SCOPES=${SCOPES:-0}, $(rps profiled) req/s, $total samples"
echo
echo "Share of samples with a frame of ours on the stack (inclusive), top 25:"
awk '{n = $NF; $NF = ""; split($0, f, ";"); delete seen
  for (i in f) { g = f[i]; sub(/_\[.\]$/, "", g); if (g ~ /^io\/tollgate/ && !(g in seen)) { seen[g] = 1; s[g] += n } } }
  END { for (g in s) print s[g], g }' "$WORK/profile.collapsed" | sort -rn | head -25 \
  | awk -v t="$total" '{printf "%5.1f %%  %s\n", 100 * $1 / t, $2}'
echo "collapsed stacks: $WORK/profile.collapsed" >&2
