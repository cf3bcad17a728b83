#!/usr/bin/env bash
# Runs a benchmark's main class from server/src/test/java on the test class path, e.g.
#   bench/run-test-main.sh io.aigne.hub.bench.AnalyticsBenchmark --db sqlite
# Compiles offline first; runs a copy of the classes, so that rebuilding the project while a long run goes on
# cannot change them under it. HUB_BENCH_HEAP sets the heap (default 4g).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "2[5-9]'; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
MAIN=$1
shift
CP_FILE=server/target/bench-classpath.txt
./mvnw -q -o -pl server test-compile \
  org.apache.maven.plugins:maven-dependency-plugin:3.7.0:build-classpath \
  -Dmdep.outputFile="$ROOT/$CP_FILE" -Dmdep.includeScope=test
RUN=$(mktemp -d "${TMPDIR:-/tmp}/aigne-hub-bench.XXXXXX")
trap 'rm -rf "$RUN"' EXIT
cp -r server/target/classes "$RUN/classes"
cp -r server/target/test-classes "$RUN/test-classes"
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 "$JAVA_HOME/bin/java" -Xmx"${HUB_BENCH_HEAP:-4g}" --enable-native-access=ALL-UNNAMED \
  -cp "$RUN/test-classes:$RUN/classes:$(cat "$CP_FILE")" \
  "$MAIN" "$@"
