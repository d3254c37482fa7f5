#!/usr/bin/env bash
# Builds the gateway if needed, then starts it with its embedded defaults (Artemis + H2 under ./data, config/ of
# this repository) in demo mode: simulated partner systems of the Marne exchange records through it.
# Extra arguments are passed to the gateway, e.g. ./run-demo.sh --server.port=9090
set -euo pipefail
cd "$(dirname "$0")"
jar=gateway/target/spie-gateway.jar
if [ ! -f "$jar" ] || [ -n "$(find pom.xml schemas connectors gateway/src gateway/pom.xml -newer "$jar" -type f -print -quit)" ]; then
  echo "Building the gateway (first time: a few minutes)..."
  ./mvnw -q -B -DskipTests package
fi
exec java -jar "$jar" --spring.profiles.active=demo "$@"
