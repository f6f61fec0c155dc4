#!/bin/bash
# CPU seconds of one target-1 child, per thread group and in all (user+sys from /proc), read when the timed writes
# are done; with N, the extra CPU per key is (total with - total without) / (N + WARMUP).
#   benchmarks/tools/thread-cpu.sh PORT AGENT_ARGS|- MODE N WARMUP
# e.g. benchmarks/tools/thread-cpu.sh 7391 threshold=1t,log=debug jedis-pipeline 1000000 100000
# Needs a redis-server on 127.0.0.1:PORT (FLUSHALLed here) and the built jars (AGENT_JAR, APPS_JAR override them).
# HEAP sets the heap flags (default "-Xmx2g": the JVM's defaults otherwise, no -Xms); JVM_EXTRA adds JVM options;
# JAVAAGENT replaces the agent (e.g. the OpenTelemetry Java agent: JAVAAGENT=/path/otel.jar AGENT_ARGS ignored).
set -euo pipefail
PORT=$1; AG=$2; MODE=$3; N=$4; WARM=$5
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
AGENT_JAR=${AGENT_JAR:-$ROOT/agent/target/gcs-flush.jar}
APPS_JAR=${APPS_JAR:-$ROOT/benchmarks/target/bench-apps.jar}
OUT=$(mktemp)
redis-cli -p "$PORT" flushall >/dev/null
AGF=()
if [ -n "${JAVAAGENT:-}" ]; then AGF=("-javaagent:$JAVAAGENT")
elif [ "$AG" != "-" ]; then AGF=("-javaagent:$AGENT_JAR=$AG"); fi
# shellcheck disable=SC2086
java "${AGF[@]}" ${JVM_EXTRA:-} ${HEAP:--Xmx2g} -cp "$APPS_JAR" io.gcsflush.bench.apps.WriteApp "$MODE" 127.0.0.1 "$PORT" \
    "$N" "$WARM" 32 >"$OUT" 2>&1 &
PID=$!
until grep -q RESULT "$OUT"; do kill -0 $PID 2>/dev/null || { cat "$OUT"; exit 1; }; sleep 0.05; done
# The agent's last keys of the run are applied within milliseconds; its journal sync within 100 ms.
sleep 0.3
grep RESULT "$OUT"
TCK=$(getconf CLK_TCK)
# One read of every thread's stat: "tid (comm) state ... utime stime" (comm may hold spaces; fields after ") ").
cat /proc/$PID/task/*/stat 2>/dev/null | sed -E 's/^[0-9]+ \((.*)\) /\1\t/' | tr ' ' '_' | tr '\t' ' ' | \
    awk '{ split($2, f, "_"); print $1, f[12] + f[13] }' | awk -v tck="$TCK" '
    { n = $1; g = n
      if (n ~ /^C2_Compiler/) g = "jit-c2"; else if (n ~ /^C1_Compiler/) g = "jit-c1"
      else if (n ~ /^(GC_Thread|G1_|VM_Thread)/) g = "gc+vm"
      else if (n ~ /^gcs-flush/) g = n; else if (n == "java" || n == "main") g = "app-main"
      else g = "other"
      c[g] += $2; total += $2 }
    END { for (g in c) if (c[g] > 0) printf "  %-18s %6.2f s\n", g, c[g] / tck
          printf "  %-18s %6.2f s\n", "TOTAL", total / tck }' | sort -k2 -nr
wait $PID || true
grep "tracking [0-9]* keys" "$OUT" | tail -1 || true
rm -f "$OUT"
