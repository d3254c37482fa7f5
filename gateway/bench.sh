#!/usr/bin/env bash
# Runs a benchmark program of the gateway module: ./gateway/bench.sh <Class> [args...]
#   ./gateway/bench.sh EndToEndBenchmark 16 60 15      (clients, measured seconds, warm-up seconds)
#   ./gateway/bench.sh LedgerBenchmark /tmp/ledger-bench
# JVM options go in BENCH_JAVA_OPTS (e.g. BENCH_JAVA_OPTS=-Xmx512m).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -pl gateway -am test-compile dependency:build-classpath -Dmdep.outputFile="$PWD/gateway/target/bench-cp.txt" >/dev/null
cd gateway
exec java ${BENCH_JAVA_OPTS:-} -cp "target/test-classes:target/classes:$(cat target/bench-cp.txt)" "fr.spie.gateway.bench.$1" "${@:2}"
