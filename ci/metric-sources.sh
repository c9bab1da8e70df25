#!/usr/bin/env bash
# Judges the acceptance targets of the metric sources (ci/targets/), all on 127.0.0.1:
#   - node-heap-leak:     nodejs_heap_size_used_bytes grows 2 KiB per request, RSS flat -> exit 1 on that column
#   - glibc-heap-leak:    a 4 MiB sawtooth keeping 256 B per cycle -> exit 1 on glibc_heap_in_use
#   - glibc-heap-clean:   the same sawtooth keeping nothing -> exit 0
#   - java-old-gen-leak:  4 KiB per request held in a static list -> exit 1 on jvm_old_used (gcAtTrough)
#   - java-old-gen-clean: the same server releasing it -> exit 0
# The Java runs take 60 s each at 1x (plus the JVM's start); the others about 30 s. Needs node,
# a JDK 17 with jcmd on the PATH, and cc. Run from the package root: bash ci/metric-sources.sh
set -euo pipefail
cd "$(dirname "$0")/.."

swift build -c release --product soak >/dev/null
swift build -c release --product SoakHeapPreload >/dev/null
mkdir -p .build/ci-targets
cc -O2 -Wall -Wextra -o .build/ci-targets/sawtooth ci/targets/sawtooth.c

out="${SOAK_OUT:-reports}"
status=0
expect() {
    local profile="$1" wanted="$2" column="$3" code=0 log
    log=$(mktemp)
    .build/release/soak run "ci/targets/$profile.json" --out "$out" | tee "$log" || code=$?
    verdict=$(grep '^verdict:' "$log" || true)
    rm -f "$log"
    if [[ "$code" != "$wanted" ]]; then
        echo "FAIL: $profile exited $code, expected $wanted" >&2
        status=1
    elif [[ "$wanted" == 1 && "$verdict" != *"$column leaks"* ]]; then
        echo "FAIL: $profile leaked, but not through $column: $verdict" >&2
        status=1
    else
        echo "ok: $profile exited $code as expected"
    fi
}
expect node-heap-leak 1 node_heap_used
expect glibc-heap-leak 1 glibc_heap_in_use
expect glibc-heap-clean 0 -
expect java-old-gen-leak 1 jvm_old_used
expect java-old-gen-clean 0 -
exit "$status"
