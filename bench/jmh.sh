#!/usr/bin/env bash
#
# JMH micro-benchmarks of the hot pieces, one command:
#
#   bench/jmh.sh [JMH options, e.g. -f 1 -wi 2 -i 3 Crc32c]
#
# Installs the project's bundles into the local Maven repository if they are missing (set
# MAVEN_REPO for another one), compiles bench/jmh (not part of the CI reactor) and runs JMH.
# Default: 1 fork, 2 warm-up and 3 measurement iterations of 1 s each, every benchmark.

set -euo pipefail
BENCH_DIR=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
REPO=$(cd "$BENCH_DIR/.." && pwd)
M2=${MAVEN_REPO:-$HOME/.m2/repository}
MVN=(mvn -B -q "-Dmaven.repo.local=$M2")
[ -n "${MVN_OFFLINE:-}" ] && MVN+=(-o)

if ! ls "$M2"/io/jtgt/jtgt-iscsi-transport/*/jtgt-iscsi-transport-*.jar >/dev/null 2>&1; then
    echo "jmh: installing the project's bundles (mvn install -DskipTests)" >&2
    (cd "$REPO" && "${MVN[@]}" install -DskipTests -DskipITs -pl bundles/iscsi-transport -am)
fi
cd "$BENCH_DIR/jmh"
"${MVN[@]}" compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >&2
ARGS=("$@")
[ ${#ARGS[@]} -gt 0 ] || ARGS=(-f 1 -wi 2 -i 3 -w 1s -r 1s)
exec java -cp "target/classes:$(cat target/classpath.txt)" org.openjdk.jmh.Main "${ARGS[@]}"
