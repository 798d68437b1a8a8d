#!/bin/bash
D=$1; shift; N=$1; shift; R=$1; shift
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
CP=$(dirname "$0")/classes:$D/classes:$(ls $D/lib/*.jar | tr '\n' ':')
# run-probe.sh BUILD_DIR N ROUNDS [jvm flags]: BUILD_DIR holds classes/ and lib/ copied from loomix-bench/target (BP; for SP use SP instead of BP and ROUNDS as its repetitions)
exec $J --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.management/sun.management=ALL-UNNAMED -Djdk.trackAllThreads=false -Xss1m -javaagent:$D/lib/loomix-agent-0.1.0-SNAPSHOT.jar -Xmx16g "$@" -cp $CP BP $N $R
