#!/usr/bin/env bash
# Judges two generic command targets (ci/targets/sawtooth.c) to show that soak decides correctly
# for any program, not just tenantd:
#   - sawtooth-leak: a 16 MiB sawtooth every cycle plus 4 KiB kept per cycle  -> must exit 1 (leak)
#   - cache-plateau: the same sawtooth plus a 24 MiB cache filled over 50 cycles, then flat
#                    -> must exit 0 (pass)
# Each run is 2 simulated days at 3600x (about 50 s). Run from the package root:
#   bash ci/generic-targets.sh
set -euo pipefail
cd "$(dirname "$0")/.."

swift build -c release --static-swift-stdlib --product soak >/dev/null
mkdir -p .build/ci-targets
cc -O2 -Wall -Wextra -o .build/ci-targets/sawtooth ci/targets/sawtooth.c

out="${SOAK_OUT:-reports}"
status=0
expect() {
    local profile="$1" wanted="$2" code=0
    .build/release/soak run "ci/targets/$profile.json" --out "$out" || code=$?
    if [[ "$code" == "$wanted" ]]; then
        echo "ok: $profile exited $code as expected"
    else
        echo "FAIL: $profile exited $code, expected $wanted" >&2
        status=1
    fi
}
expect sawtooth-leak 1
expect cache-plateau 0
exit "$status"
