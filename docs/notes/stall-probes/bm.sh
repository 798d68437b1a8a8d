#!/bin/bash
# bm.sh BUILD_DIR OUT args...: the harness as ./loomix bench runs it, from a frozen build
D=$1; shift; OUT=$1; shift
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
FLAGS="$(sed -n 's/^loomix\.jvm\.flags=//p' /work/wt/stall/jvm.properties) --enable-native-access=ALL-UNNAMED"
mkdir -p /tmp/stall/bmwork && cd /tmp/stall/bmwork && exec $J $FLAGS -Dloomix.bench.yieldPoints=loader -cp "$D/classes:$D/lib/*" io.loomix.bench.BenchMain --out $OUT "$@"
