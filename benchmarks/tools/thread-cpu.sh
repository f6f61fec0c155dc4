#!/bin/bash
# CPU seconds per thread of one target-1 child, read from /proc when the timed writes are done.
#   benchmarks/tools/thread-cpu.sh PORT AGENT_ARGS|- MODE N WARMUP
# e.g. benchmarks/tools/thread-cpu.sh 7391 threshold=1t,buffer=4194304,log=debug jedis-pipeline 1000000 100000
# Needs a redis-server on 127.0.0.1:PORT (FLUSHALLed here) and the built jars (AGENT_JAR, APPS_JAR override them;
# JVM_EXTRA adds JVM options).
set -euo pipefail
PORT=$1; AG=$2; MODE=$3; N=$4; WARM=$5
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
AGENT_JAR=${AGENT_JAR:-$ROOT/agent/target/gcs-flush.jar}
APPS_JAR=${APPS_JAR:-$ROOT/benchmarks/target/bench-apps.jar}
OUT=$(mktemp)
redis-cli -p "$PORT" flushall >/dev/null
AGF=(); [ "$AG" != "-" ] && AGF=("-javaagent:$AGENT_JAR=$AG")
java "${AGF[@]}" ${JVM_EXTRA:-} -Xms2g -Xmx2g -cp "$APPS_JAR" io.gcsflush.bench.apps.WriteApp "$MODE" 127.0.0.1 "$PORT" "$N" "$WARM" 32 \
    >"$OUT" 2>&1 &
PID=$!
until grep -q RESULT "$OUT"; do kill -0 $PID 2>/dev/null || { cat "$OUT"; exit 1; }; sleep 0.05; done
grep RESULT "$OUT"
TCK=$(getconf CLK_TCK)
for t in /proc/$PID/task/*; do
    name=$(tr ' ' '_' < "$t/comm")
    set -- $(sed 's/.*) //' "$t/stat")   # fields after "pid (comm) "
    echo "$name $(( ${12} + ${13} ))"    # utime + stime
done | awk -v tck="$TCK" '{c[$1] += $2} END {for (n in c) if (c[n] > 0) printf "  %-18s %6.2f s\n", n, c[n] / tck}' \
    | sort -k2 -nr | head -8
wait $PID || true
grep "tracking [0-9]* keys" "$OUT" | tail -1 || true
rm -f "$OUT"
