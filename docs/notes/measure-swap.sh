#!/usr/bin/env bash
# The callers' pause during GenServer hot swaps, as a distribution (see docs/notes/swap.md).
# Usage: docs/notes/measure-swap.sh [swaps=60] [callers=4]   (after: mvn -q -B -DskipTests -pl loomix-code -am package)
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
flags=$(sed -n 's/^loomix.jvm.flags=//p' jvm.properties)
# shellcheck disable=SC2086
exec "$JAVA_HOME/bin/java" $flags -javaagent:loomix-agent/target/loomix-agent-0.1.0-SNAPSHOT.jar \
  -cp loomix-code/target/classes:loomix-code/target/test-classes:loomix-core/target/classes:loomix-otp/target/classes \
  io.loomix.code.SwapMeasure "$@"
