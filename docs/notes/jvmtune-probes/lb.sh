#!/bin/bash
# usage: lb.sh BUILD_DIR workload size [extra jvm flags...]
D=$1; shift; W=$1; shift; N=$1; shift
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
FLAGS="$(sed -n 's/^loomix\.jvm\.flags=//p' /work/wt/jvmtune/jvm.properties)"
YP="$(sed -n 's/^loomix\.jvm\.yieldPoints=//p' /work/wt/jvmtune/jvm.properties)"
exec $J $FLAGS -Xss1m $YP -Xmx16g "$@" -cp "$D/classes:$D/lib/*" io.loomix.bench.LoomixBench $W $N
