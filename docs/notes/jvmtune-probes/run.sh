#!/bin/bash
D=$1; shift; C=$1; shift
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
FLAGS="$(sed -n 's/^loomix\.jvm\.flags=//p' /work/wt/jvmtune/jvm.properties)"
YP="$(sed -n 's/^loomix\.jvm\.yieldPoints=//p' /work/wt/jvmtune/jvm.properties)"
exec $J $FLAGS --add-opens java.base/jdk.internal.vm=ALL-UNNAMED -Xss1m $YP -Xmx16g "$@" -cp "$D/classes:$D/lib/*:$(dirname "$0")/classes" $C
