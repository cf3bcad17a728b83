#!/usr/bin/env bash
# The analytics benchmark: fills a database with synthetic calls (10 million by default) through the hub's ledger
# writer, starts a hub on it and measures every analytics endpoint over HTTP. See README.md.
#
#   bench/analytics/run.sh --db sqlite   [--calls N] [--days 90] [--requests 200] [--skip-fill] [--drop] [--out FILE]
#   bench/analytics/run.sh --db postgres [--schema bench_analytics] …
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
cd "$ROOT"
if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "2[5-9]'; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
CP_FILE=server/target/bench-classpath.txt
./mvnw -q -o -pl server test-compile \
  org.apache.maven.plugins:maven-dependency-plugin:3.7.0:build-classpath \
  -Dmdep.outputFile="$ROOT/$CP_FILE" -Dmdep.includeScope=test
# A copy of the classes, so that rebuilding the project while a long run goes on cannot change them under it.
RUN=$(mktemp -d "${TMPDIR:-/tmp}/aigne-hub-bench.XXXXXX")
trap 'rm -rf "$RUN"' EXIT
cp -r server/target/classes "$RUN/classes"
cp -r server/target/test-classes "$RUN/test-classes"
"$JAVA_HOME/bin/java" -Xmx4g --enable-native-access=ALL-UNNAMED \
  -cp "$RUN/test-classes:$RUN/classes:$(cat "$CP_FILE")" \
  io.aigne.hub.bench.AnalyticsBenchmark "$@"
