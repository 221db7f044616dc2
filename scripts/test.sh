#!/usr/bin/env bash
# The whole test suite: installs what it needs (JDK 17, Maven, libiscsi-bin, qemu-utils,
# qemu-block-extra), then builds everything and runs unit tests, end-to-end tests with real
# initiators (libiscsi, QEMU) and the Pax Exam test of the real distribution.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/lib.sh"
ensure_build_tools
"$root/scripts/install-test-deps.sh"
cd "$root"
mvn -B install "$@"
# The JMH micro-benchmarks (bench/jmh.sh) are not part of the reactor: compile them against what
# was just installed, so a change of the hot pieces' API cannot leave them broken unnoticed.
mvn -B -q -f bench/jmh/pom.xml compile
