#!/bin/bash
# usage: spinrecv-ab.sh OUT ROUNDS SPINS... ; alternates spin values per workload, one JVM per run
OUT=$1; ROUNDS=$2; shift 2
CP=$(cat /tmp/spinrecv-cp.txt)
J="/usr/lib/jvm/temurin-25-jdk-amd64/bin/java --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.management/sun.management=ALL-UNNAMED -Djdk.trackAllThreads=false -Xss1m -Djava.system.class.loader=io.loomix.agent.YieldPointClassLoader -Xlog:cds=off"
for r in $(seq 1 $ROUNDS); do
  for w in "pingpong 2000000" "ring 10000000" "gencall 1000000" "fanin 10000000" "spinners 20000"; do
    for s in "$@"; do
      v=$($J -Dloomix.receiveSpinNanos=$s -cp "$CP" io.loomix.bench.LoomixBench $w 2>/dev/null | grep -o '"value":[0-9.]*,"extra":{[^}]*}' | head -1)
      echo "$(date +%T) load=$(cut -d' ' -f1 /proc/loadavg) round=$r $w spin=$s $v" >> $OUT
    done
  done
done
