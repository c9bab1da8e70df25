#!/usr/bin/env bash
# nightly-soak.sh: the nightly long soak, meant for a self-hosted runner (hours, not minutes).
#
# Builds soak and tenantd in release mode with the Swift standard library linked statically (a
# smaller harness RSS, and binaries that keep working when the toolchain on the runner changes),
# starts `soak run PROFILE --detach` on a lightly accelerated clock, follows it with `soak status`
# until it ends (bounded by a maximum wall time, after which `soak stop` ends it cleanly), then
# judges the folder with `soak report` and, when reports/baselines/<profile>.json exists and this
# soak has `soak diff`, compares the run with that baseline.
#
# Exits with the run's exit code (0 pass, 1 leak, 2 bad usage, 3 crashed, invalid, interrupted or
# inconclusive), or 1 when the run passed but the diff found a regression. A job cancelled while
# the run goes (SIGINT/SIGTERM to this script) stops the run with `soak stop`, so its folder is
# finalised and uploaded like any other.
#
# Usage: ci/nightly-soak.sh [--no-build] [--help]
#   --no-build   use the release binaries already built
#
# Environment (all optional):
#   NIGHTLY_PROFILE         profile to run (default service-lazy-loading: 8 simulated days)
#   NIGHTLY_ACCELERATE      its --accelerate (default 60: 8 simulated days in about 3.2 hours)
#   NIGHTLY_DURATION        a --duration overriding the profile's (e.g. 2d)
#   NIGHTLY_POLL_MINUTES    minutes between progress lines in the log (default 5)
#   NIGHTLY_MAX_HOURS       wall hours before the run is stopped (default 6)
#   NIGHTLY_OUT             parent of the run folder (default reports/nightly)
#   NIGHTLY_METRICS_LISTEN  serve Prometheus /metrics during the run, e.g. 127.0.0.1:9464
#   NIGHTLY_BASELINES       the baselines folder (default reports/baselines)
#   SOAK_RUN_ARGS           extra arguments for `soak run`
#   SOAK_DIFF_ARGS          extra arguments for `soak diff` (e.g. "--tolerance rss=20%")
#   SWIFT_BUILD_ARGS        extra arguments for `swift build` (e.g. "--scratch-path .build-nightly")
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

build=1
while [[ $# -gt 0 ]]; do
    case "$1" in
        --no-build) build=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "nightly-soak: unknown argument \"$1\"; expected --no-build or --help" >&2; exit 2 ;;
    esac
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
profile="${NIGHTLY_PROFILE:-service-lazy-loading}"
accelerate="${NIGHTLY_ACCELERATE:-60}"
poll_minutes="${NIGHTLY_POLL_MINUTES:-5}"
max_hours="${NIGHTLY_MAX_HOURS:-6}"
out="${NIGHTLY_OUT:-reports/nightly}"
baselines="${NIGHTLY_BASELINES:-reports/baselines}"
read -r -a run_args <<< "${SOAK_RUN_ARGS:-}"
read -r -a diff_args <<< "${SOAK_DIFF_ARGS:-}"
read -r -a build_args <<< "${SWIFT_BUILD_ARGS:-}"
for number in "$accelerate" "$poll_minutes" "$max_hours"; do
    [[ "$number" =~ ^[0-9]+([.][0-9]+)?$ ]] || {
        echo "nightly-soak: expected a number, found \"$number\" (NIGHTLY_ACCELERATE, _POLL_MINUTES, _MAX_HOURS)" >&2
        exit 2
    }
done
[[ -n "${NIGHTLY_DURATION:-}" ]] && run_args+=(--duration "$NIGHTLY_DURATION")
[[ -n "${NIGHTLY_METRICS_LISTEN:-}" ]] && run_args+=(--metrics-listen "$NIGHTLY_METRICS_LISTEN")
max_seconds="$(awk -v h="$max_hours" 'BEGIN { printf "%d", h * 3600 }')"
poll_seconds="$(awk -v m="$poll_minutes" 'BEGIN { printf "%d", m * 60 }')"
started=$SECONDS
step() { printf '\n== %s (%ss)\n' "$*" "$((SECONDS - started))"; }

build_flags=(-c release --static-swift-stdlib ${build_args[@]+"${build_args[@]}"})
if [[ $build -eq 1 ]]; then
    step "build (release, static Swift stdlib)"
    swift build "${build_flags[@]}" --product tenantd
    swift build "${build_flags[@]}" --product soak
fi
bin="$(swift build "${build_flags[@]}" --show-bin-path)"
soak="$bin/soak"
[[ -x "$soak" ]] || { echo "nightly-soak: $soak is missing; build it or drop --no-build" >&2; exit 2; }
export LAZYSOAK_TENANTD="${LAZYSOAK_TENANTD:-$bin/tenantd}"

step "start: soak run $profile --detach --accelerate $accelerate ${run_args[*]:-}"
started_text="$("$soak" run "$profile" --detach --accelerate "$accelerate" --out "$out" \
    ${run_args[@]+"${run_args[@]}"})"
echo "$started_text"
folder="$(sed -n 's/^run folder: //p' <<< "$started_text")"
[[ -n "$folder" ]] || { echo "nightly-soak: soak run did not print its run folder" >&2; exit 3; }

# A cancelled job must not leave the run going, nor its folder unfinalised.
running=1
stop_run() {
    if [[ $running -eq 1 ]]; then
        running=0
        step "stopping the run"
        "$soak" stop "$folder" --timeout 120s || true
    fi
}
trap 'stop_run; exit 130' INT
trap 'stop_run; exit 143' TERM
trap 'stop_run' EXIT

# Follow the run: check every 15 s whether it has ended, print where it stands every poll.
deadline=$((SECONDS + max_seconds))
next_print=$SECONDS
state=running
while :; do
    status_code=0
    status_text="$("$soak" status "$folder" 2>&1)" || status_code=$?
    state="$(sed -n '1s/^state: //p' <<< "$status_text")"
    if [[ "$state" != running && "$state" != finishing ]]; then
        echo "$status_text"
        break
    fi
    if (( SECONDS >= next_print )); then
        step "status"
        echo "$status_text"
        next_print=$((SECONDS + poll_seconds))
    fi
    if (( SECONDS >= deadline )); then
        echo "nightly-soak: the run is still going after ${max_hours} h (NIGHTLY_MAX_HOURS); stopping it" >&2
        stop_run
        break
    fi
    [[ $status_code -eq 2 ]] && { echo "nightly-soak: soak status failed: $status_text" >&2; exit 2; }
    sleep 15
done
running=0

step "report"
code=0
"$soak" report "$folder" || code=$?

baseline="$baselines/$profile.json"
if [[ -f "$baseline" ]] && "$soak" diff --help > /dev/null 2>&1; then
    step "diff against $baseline"
    diff_code=0
    "$soak" diff "$baseline" "$folder" ${diff_args[@]+"${diff_args[@]}"} || diff_code=$?
    if [[ $code -eq 0 && $diff_code -ne 0 ]]; then code=$diff_code; fi
else
    step "diff skipped (no $baseline, or this soak has no diff command)"
fi

step "done: $folder, exit $code"
exit "$code"
