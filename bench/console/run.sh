#!/usr/bin/env bash
# The console benchmark: every page of the console in headless Chromium on a ledger of a million calls. See README.md.
#
#   bench/console/run.sh [--dir DIR] [--calls 1000000] [--runs 20] [--warmup 3] [--skip-fill] [--out FILE]
set -euo pipefail
BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
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
cd "$BENCH/.."
if [ "$FILL" = 1 ]; then
  # The analytics benchmark's fill: the same synthetic population, written through the hub's ledger writer.
  "$BENCH/analytics/run.sh" --db sqlite --calls "$CALLS" --requests 1 --warmup 0 --dir "$DIR"
fi
HUB_BENCH_HEAP=2g exec "$BENCH/run-test-main.sh" io.aigne.hub.bench.ConsoleBenchmark --dir "$DIR" "${PASS[@]}"
