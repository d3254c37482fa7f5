#!/usr/bin/env bash
# Runs a benchmark program of the gateway module: ./gateway/bench.sh <Class> [args...]
#   ./gateway/bench.sh EndToEndBenchmark 16 60 60      (clients, measured seconds, warm-up seconds)
#   ./gateway/bench.sh LedgerBenchmark /tmp/ledger-bench
#   ./gateway/bench.sh ProductionBenchmark 1,2 16 45 120  (instance counts, clients, measured s, warm-up s: 120 lets
#                                                          each gateway JVM's JIT settle, docs/performance.md)
#   ./gateway/bench.sh ExportVerifyBenchmark 1000000 5 [dir]   (entries of a full export, verification rounds, where to keep it)
#   ./gateway/bench.sh EmbeddedDatabaseGrowthBenchmark 40000 4   (rows, writer threads: the embedded H2 file's growth, db compact)
#   (EndToEndBenchmark and ProductionBenchmark take gateway settings after their numbers: --key=value)
# JVM options go in BENCH_JAVA_OPTS (e.g. BENCH_JAVA_OPTS=-Xmx512m).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -pl gateway -am test-compile dependency:build-classpath -Dmdep.outputFile="$PWD/gateway/target/bench-cp.txt" >/dev/null
cd gateway
# the standalone Artemis broker the build unpacked (ProductionBenchmark starts it, as the production tests do)
artemis_home=$(ls -d "$PWD"/target/artemis-distribution/apache-artemis-* 2>/dev/null | head -1 || true)
exec java ${BENCH_JAVA_OPTS:-} -Dspie.test.artemis.home="$artemis_home" -cp "target/test-classes:target/classes:$(cat target/bench-cp.txt)" "fr.spie.gateway.bench.$1" "${@:2}"
