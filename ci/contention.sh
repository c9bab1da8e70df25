#!/usr/bin/env bash
# The noisy-neighbour test: both seed scenarios beside busy loops (1 and 4 per core), on the
# stepped clock and on the scaled clock at 28800x, 57600x and 115200x, every run a real
# `soak run` of the release build. Writes reports/bench-<UTC>/bench.md; exits 1 when a bar is
# missed (the stepped runs under 15 s and 10 s, 28800x at 100% integrity, with 4 loops a core).
#   ci/contention.sh                 3 repeats of the whole matrix (about half an hour on 2 cores)
#   ci/contention.sh --repeats 5     the acceptance figures of issue 13
#   ci/contention.sh --quick         one simulated day per run, to check the script itself
# The machine's load before the runs is printed first: the figures mean little on a shared box
# without it.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch="${LAZYSOAK_BENCH_SCRATCH:-.build-bench}"
swift build --scratch-path "$scratch" -c release --static-swift-stdlib
echo "load before the runs: $(uptime)"
status=0
"$scratch/release/soak" bench contention "$@" || status=$?
echo "load after the runs: $(uptime)"
exit "$status"
