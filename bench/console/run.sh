#!/usr/bin/env bash
# The console benchmark: every page of the console in headless Chromium on a ledger of a million calls. See README.md.
#
#   bench/console/run.sh [--dir DIR] [--calls 1000000] [--runs 20] [--warmup 3] [--skip-fill] [--out FILE]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
cd "$ROOT"
if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "2[5-9]'; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
DIR=bench/console/work/sqlite
CALLS=1000000
FILL=1
PASS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) DIR=$2; shift 2 ;;
    --calls) CALLS=$2; shift 2 ;;
    --skip-fill) FILL=0; shift ;;
    *) PASS+=("$1"); shift ;;
  esac
done
if [ "$FILL" = 1 ]; then
  # The analytics benchmark's fill: the same synthetic population, written through the hub's ledger writer.
  bench/analytics/run.sh --db sqlite --calls "$CALLS" --requests 1 --warmup 0 --dir "$DIR"
fi
CP_FILE=server/target/bench-classpath.txt
./mvnw -q -o -pl server test-compile \
  org.apache.maven.plugins:maven-dependency-plugin:3.7.0:build-classpath \
  -Dmdep.outputFile="$ROOT/$CP_FILE" -Dmdep.includeScope=test
RUN=$(mktemp -d "${TMPDIR:-/tmp}/aigne-hub-bench.XXXXXX")
trap 'rm -rf "$RUN"' EXIT
cp -r server/target/classes "$RUN/classes"
cp -r server/target/test-classes "$RUN/test-classes"
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 "$JAVA_HOME/bin/java" -Xmx2g --enable-native-access=ALL-UNNAMED \
  -cp "$RUN/test-classes:$RUN/classes:$(cat "$CP_FILE")" \
  io.aigne.hub.bench.ConsoleBenchmark --dir "$DIR" "${PASS[@]}"
