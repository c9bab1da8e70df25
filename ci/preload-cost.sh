#!/usr/bin/env bash
# Measures what libSoakHeapPreload.so costs a malloc-heavy program (ci/bench/malloc-loop.c): the
# loop's process CPU time bare, preloaded and never asked, and preloaded while a harness asks for
# fresh counters 50 times a second (ci/bench/heap-page-poke.c; the loop's own allocations answer).
# A control preloads a library that only starts one idle thread: what a refresher thread would cost
# a single-threaded program by taking glibc off its single-thread path. Medians of REPEATS (7).
#   bash ci/preload-cost.sh [MILLIONS_OF_OPERATIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product SoakHeapPreload >/dev/null
mkdir -p .build/ci-targets
cc -O2 -Wall -Wextra -o .build/ci-targets/malloc-loop ci/bench/malloc-loop.c
cc -O2 -Wall -Wextra -ISources/CHeapPage/include -o .build/ci-targets/heap-page-poke \
    ci/bench/heap-page-poke.c Sources/CHeapPage/page.c
cc -O2 -Wall -Wextra -shared -fPIC -o .build/ci-targets/idle-thread-preload.so ci/bench/idle-thread-preload.c -lpthread
library="$PWD/.build/release/libSoakHeapPreload.so"
work="${1:-20}"
pages=$(mktemp -d)
trap 'rm -rf "$pages"' EXIT
repeats="${REPEATS:-7}"
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# The three kinds of run alternate, so a busy moment of the machine falls on all of them alike.
: > "$pages/bare"; : > "$pages/thread"; : > "$pages/idle"; : > "$pages/polled"
for _ in $(seq "$repeats"); do
    .build/ci-targets/malloc-loop "$work" >> "$pages/bare"
    LD_PRELOAD="$PWD/.build/ci-targets/idle-thread-preload.so" .build/ci-targets/malloc-loop "$work" >> "$pages/thread"
    LAZYSOAK_HEAP_DIR="$pages" LD_PRELOAD="$library" .build/ci-targets/malloc-loop "$work" >> "$pages/idle"
    rm -f "$pages"/heap.*
    LAZYSOAK_HEAP_DIR="$pages" LD_PRELOAD="$library" .build/ci-targets/malloc-loop "$work" >> "$pages/polled" &
    loop=$!
    .build/ci-targets/heap-page-poke "$pages" 50 600 > "$pages/poke" 2>&1 &
    poke=$!
    wait "$loop"
    kill "$poke" 2>/dev/null || true
    wait "$poke" 2>/dev/null || true
    cat "$pages/poke" >> "$pages/pokes"
done
bare=$(median < "$pages/bare")
thread=$(median < "$pages/thread")
idle=$(median < "$pages/idle")
polled=$(median < "$pages/polled")
awk -v b="$bare" -v t="$thread" -v i="$idle" -v p="$polled" -v n="$repeats" 'BEGIN {
    printf "malloc loop CPU, median of %d: bare %.3f s; any idle thread (control) %.3f s (%+.1f%%); " \
        "preloaded, not asked %.3f s (%+.1f%%); preloaded, asked at 50 Hz %.3f s (%+.1f%%)\n",
        n, b, t, (t / b - 1) * 100, i, (i / b - 1) * 100, p, (p / b - 1) * 100 }'
# The refresher's own time in mallinfo2 (the page counts it), against the loop's CPU time: the part
# of the cost that does not drown in this machine's noise.
awk -v p="$polled" '/mallinfo2/ { refreshes += $4; ms += $6; n++ } END {
    printf "asked at 50 Hz: %.0f refreshes and %.1f ms in mallinfo2 per run, %.2f%% of the loop\x27s CPU time\n",
        refreshes / n, ms / n, ms / n / 1000 / p * 100 }' "$pages/pokes"
