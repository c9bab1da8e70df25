#!/usr/bin/env bash
# quick-soak.sh: the pull-request soak check, under 5 minutes on 2 cores.
#
# Builds soak and tenantd in release mode, replays the seeds' two scenarios on a clock sped up
# 7200 times (service-lazy-loading: 8 simulated days in about 96 s; tenant-lazy-loading: 5 days in
# about 60 s), and diffs each run against its committed baseline
# (reports/baselines/<profile>.json). Exits non-zero when any build, run or diff fails, after
# running every step so the log shows all of them; the exit code is the first failure's (soak's
# codes: 1 leak or regression, 2 bad usage or input, 3 crashed, invalid or inconclusive).
#
# Usage: ci/quick-soak.sh [--inject-leak KIND] [--no-build] [--help]
#   --inject-leak KIND  run copies of the profiles with tenantd's "injectLeak": KIND
#                       (retain-cycle, global-cache, fd, thread), to show the check failing
#   --no-build          use the binaries already built
#
# Environment:
#   SOAK_RUN_ARGS           extra arguments for each `soak run` (e.g. "--duration 2d")
#   SOAK_DIFF_ARGS          extra arguments for each `soak diff` (e.g. "--tolerance rss=20%")
#   SWIFT_BUILD_ARGS        extra arguments for `swift build` (e.g. "--scratch-path .build-ci")
#   QUICK_SOAK_PROFILE_DIR  folder holding the two profiles (default: Profiles/)
#   QUICK_SOAK_INJECT_LEAK  the same as --inject-leak
#   QUICK_SOAK_OUT          where run folders go (default: reports/quick-soak-<UTC time>)
#   QUICK_SOAK_BASELINES    the baselines folder (default: reports/baselines)
#
# Each run folder gets diff.html (both runs' series overlaid). Under GitHub Actions soak itself
# writes ::error annotations and appends its tables to the job summary. To refresh a baseline
# after an intended change: soak baseline save <run folder> <profile>, and commit the file.
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

inject_leak="${QUICK_SOAK_INJECT_LEAK:-}"
build=1
while [[ $# -gt 0 ]]; do
    case "$1" in
        --inject-leak)
            [[ $# -ge 2 ]] || { echo "quick-soak: --inject-leak needs a kind (global-cache, ...)" >&2; exit 2; }
            inject_leak="$2"
            shift 2
            ;;
        --no-build) build=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "quick-soak: unknown argument \"$1\"; expected --inject-leak KIND, --no-build or --help" >&2; exit 2 ;;
    esac
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
profiles=(service-lazy-loading tenant-lazy-loading)
profile_dir="${QUICK_SOAK_PROFILE_DIR:-Profiles}"
out="${QUICK_SOAK_OUT:-reports/quick-soak-$(date -u +%Y%m%dT%H%M%SZ)}"
baselines="${QUICK_SOAK_BASELINES:-reports/baselines}"
read -r -a run_args <<< "${SOAK_RUN_ARGS:-}"
read -r -a diff_args <<< "${SOAK_DIFF_ARGS:-}"
read -r -a build_args <<< "${SWIFT_BUILD_ARGS:-}"
started=$SECONDS

step() { printf '\n== %s (%ss)\n' "$*" "$((SECONDS - started))"; }

if [[ $build -eq 1 ]]; then
    step "swift build -c release --static-swift-stdlib ${build_args[*]}"
    swift build -c release --static-swift-stdlib "${build_args[@]}"
fi
bin="$(swift build -c release --static-swift-stdlib "${build_args[@]}" --show-bin-path)"
soak="$bin/soak"
[[ -x "$soak" ]] || { echo "quick-soak: $soak is missing; build first or drop --no-build" >&2; exit 2; }

if [[ -n "$inject_leak" ]]; then
    # Copies keep their file names, so the profile names (and so the baselines) stay the same.
    leaky="$(mktemp -d "${TMPDIR:-/tmp}/quick-soak-profiles.XXXXXX")"
    trap 'rm -rf "$leaky"' EXIT
    for profile in "${profiles[@]}"; do
        sed "s/\"tenantd\": {/\"tenantd\": { \"injectLeak\": \"$inject_leak\",/" \
            "$profile_dir/$profile.json" > "$leaky/$profile.json"
        if ! grep -q "\"injectLeak\": \"$inject_leak\"" "$leaky/$profile.json"; then
            echo "quick-soak: $profile_dir/$profile.json has no \"tenantd\": { line to inject a leak into" >&2
            exit 2
        fi
    done
    profile_dir="$leaky"
    echo "quick-soak: injecting the $inject_leak leak into copies of the profiles in $profile_dir"
fi

failure=0
failed=()
record() {
    local code=$1 what=$2
    if [[ $code -ne 0 ]]; then
        failed+=("$what (exit $code)")
        [[ $failure -ne 0 ]] || failure=$code
    fi
}

for profile in "${profiles[@]}"; do
    profile_file="$profile_dir/$profile.json"
    [[ -f "$profile_file" ]] || { echo "quick-soak: no profile $profile_file" >&2; exit 2; }
    step "soak run $profile --accelerate 7200 ${run_args[*]}"
    code=0
    "$soak" run "$profile_file" --accelerate 7200 --out "$out/$profile" "${run_args[@]}" || code=$?
    record "$code" "soak run $profile"
    folder="$(find "$out/$profile" -mindepth 1 -maxdepth 1 -type d -name "$profile-*" 2>/dev/null | sort | tail -n 1)"
    if [[ -z "$folder" ]]; then
        record 2 "soak diff $profile: no run folder under $out/$profile"
        continue
    fi
    step "soak diff $profile $folder ${diff_args[*]}"
    code=0
    "$soak" diff "$profile" "$folder" --baselines "$baselines" --html "$folder/diff.html" "${diff_args[@]}" \
        || code=$?
    record "$code" "soak diff $profile"
done

step "done"
if [[ $failure -ne 0 ]]; then
    echo "quick-soak: FAILED:" >&2
    printf '  %s\n' "${failed[@]}" >&2
    exit "$failure"
fi
echo "quick-soak: passed: both scenarios ran clean and match their baselines (run folders in $out)"
