#!/bin/bash
# sp2.sh BUILD_DIR ROUNDS REPS [jvm flags]: the spinner probe on a frozen build
D=$1; shift; R=$1; shift; N=$1; shift
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
FLAGS="$(sed -n 's/^loomix\.jvm\.flags=//p' /work/wt/stall/jvm.properties)"
YP="$(sed -n 's/^loomix\.jvm\.yieldPoints=//p' /work/wt/stall/jvm.properties)"
exec $J $FLAGS -Xss1m $YP "$@" -cp "/tmp/stall/probe/classes:$D/classes:$D/lib/*" io.loomix.internal.SP2 $R $N
