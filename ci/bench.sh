#!/usr/bin/env bash
# Builds soak and tenantd in release with the Swift runtime linked statically (the harness's
# RSS bar assumes that build) and runs `soak bench` with this script's arguments, e.g.
#   ci/bench.sh                      every suite, 3 repeats, into reports/bench-<UTC>/
#   ci/bench.sh runtime --quick      one suite, shortened
# psrecord and mprof are compared when installed: pip install psrecord memory-profiler
set -euo pipefail
cd "$(dirname "$0")/.."
scratch="${LAZYSOAK_BENCH_SCRATCH:-.build-bench}"
swift build --scratch-path "$scratch" -c release --static-swift-stdlib
exec "$scratch/release/soak" bench "$@"
