#!/usr/bin/env bash
# The analytics benchmark: fills a database with synthetic calls (10 million by default) through the hub's ledger
# writer, starts a hub on it and measures every analytics endpoint over HTTP. See README.md.
#
#   bench/analytics/run.sh --db sqlite   [--calls N] [--days 90] [--requests 200] [--skip-fill] [--drop] [--out FILE]
#   bench/analytics/run.sh --db postgres [--schema bench_analytics] …
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/../run-test-main.sh" io.aigne.hub.bench.AnalyticsBenchmark "$@"
