#!/usr/bin/env bash
# fault-matrix.sh: repeat the hostile-user audit of the soak and tenantd binaries (issue 17).
#
# Runs a few hundred (--quick) to a few thousand generated cases, each bounded in time and on
# 127.0.0.1 only, in a temporary folder:
#   profile-mutation  every field of every shipped profile set to extremes (0, -1, 1e30, 9.3e18,
#                     9223372036854775807, "8388608TiB", NaN, 1e-7), wrong types, deleted, unicode;
#                     files truncated, 10k/300k unknown keys, nested 100k deep, comments, BOM, ...
#   out-path          unwritable --out paths (/proc/x, /sys, a file, under a file, /dev/null, '')
#   soak-cli          bad flags and inputs of soak run/report/analyze/diff/stop/baseline
#   run-folder        `soak report` on copies of a passing run folder with damaged evidence
#   tenantd-cli       bad tenantd flags and seed arguments
#   file-size         `ulimit -f` smaller than what a run or a report writes
#   tenantd-http      malformed HTTP/1.1 (no Host, bad framing, huge heads, floods) to tenantd
#   signals           SIGTERM/SIGINT/SIGKILL while seeding, before readiness, mid-run, and soak stop
# Each case declares what it expects. At the end it lists the unclear and the failing cases by
# name, then prints ONE table (per category and in total): cases, clear errors, other ok, unclear,
# crashes, hangs, wrong successes.
#   crash            exit >= 128, or a Swift trap / "Fatal error" / backtrace (soak or its tenantd)
#   hang             the case outlived its bound (`timeout -k 5 T`; signals: 2 s to exit)
#   wrong success    exit 0 or a PASS verdict where a refusal or a non-pass judgement is due
#   clear error      exit 2 with a readable message naming the file or field (no CocoaError)
#   other ok         another outcome the case allows (a valid run, exit 3 naming the damage, a 4xx)
#   unclear          none of these (reported, not counted as a failure)
# Exit status: 0 when crashes + hangs + wrong successes = 0 (with --strict: and no unclear
# outcome), 1 otherwise, 2 on bad usage.
#
# Usage: ci/fault-matrix.sh [--debug] [--quick] [--jobs N] [--only REGEX] [--keep] [--list]
#                           [--verbose] [--json FILE] [--strict] [--no-build] [--help]
#   --debug      use .build/debug (plain `swift build`: faster to build) instead of the release
#                binaries (`swift build -c release --static-swift-stdlib`)
#   --quick      each profile mutation that must be refused on one profile instead of all four,
#                and up to 40 of the ~300 valid mutated profiles that cost a run each (the audit's named
#                ones first): under 2 minutes on 2 quiet cores (the full matrix: under 10)
#   --jobs N     cases run in parallel (default 4); the timing-sensitive ones (signals, HTTP, file
#                size) run one at a time on a lane of their own beside them
#   --only REGEX only the cases whose category/name matches (e.g. 'signals|out-path')
#   --keep       keep the work folder with every case's files (without it, a passing case's folder
#                is removed as soon as it is classified, and the work folder is removed at the end
#                unless a case failed: then it is kept, with stdout.txt, stderr.txt and case.json
#                of each failing or unclear case)
#   --list       list the cases and exit
#   --verbose    a line per case as it finishes, not only for failing ones
#   --json FILE  also write every case's outcome as JSON
#   --strict     unclear outcomes fail the run too
#   --no-build   never build; fail if the binaries are missing
#
# Environment:
#   SOAK_BIN, TENANTD_BIN   the binaries to audit (default: .build/release or .build/debug)
#   FAULT_MATRIX_WORK       the work folder (default: a new folder under ${TMPDIR:-/tmp})
#   SWIFT_BUILD_ARGS        extra arguments for `swift build`
#
# Needs Linux, bash, python3 (standard library only) and coreutils `timeout`.
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

config=release
build=1
keep=0
py_args=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --debug) config=debug; shift ;;
        --quick|--list|--verbose|--strict) py_args+=("$1"); shift ;;
        --keep) keep=1; py_args+=("$1"); shift ;;
        --no-build) build=0; shift ;;
        --jobs|--only|--json)
            [[ $# -ge 2 ]] || { echo "fault-matrix: $1 needs a value" >&2; exit 2; }
            py_args+=("$1" "$2"); shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "fault-matrix: unknown argument \"$1\"; see --help" >&2; exit 2 ;;
    esac
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
helper="$root/ci/fault-matrix/matrix.py"
for tool in python3 timeout; do
    command -v "$tool" >/dev/null || { echo "fault-matrix: needs $tool on PATH" >&2; exit 2; }
done

soak="${SOAK_BIN:-$root/.build/$config/soak}"
tenantd="${TENANTD_BIN:-$root/.build/$config/tenantd}"
if [[ ! -x "$soak" || ! -x "$tenantd" ]]; then
    if [[ -n "${SOAK_BIN:-}${TENANTD_BIN:-}" || $build -eq 0 ]]; then
        echo "fault-matrix: no executable soak/tenantd at $soak and $tenantd" >&2
        exit 2
    fi
    read -r -a build_args <<< "${SWIFT_BUILD_ARGS:-}"
    if [[ $config == release ]]; then
        echo "fault-matrix: building the release binaries (swift build -c release --static-swift-stdlib)" >&2
        (cd "$root" && swift build -c release --static-swift-stdlib "${build_args[@]}" >&2)
    else
        echo "fault-matrix: building the debug binaries (swift build)" >&2
        (cd "$root" && swift build "${build_args[@]}" >&2)
    fi
fi
soak="$(cd "$(dirname "$soak")" && pwd)/$(basename "$soak")"
tenantd="$(cd "$(dirname "$tenantd")" && pwd)/$(basename "$tenantd")"

work="${FAULT_MATRIX_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/fault-matrix.XXXXXX")}"
mkdir -p "$work"
work="$(cd "$work" && pwd)"
status=0
cleanup() {
    # Kept with --keep, or when cases failed (their folders hold stdout.txt, stderr.txt, case.json).
    if [[ $keep -eq 1 || $status -ne 0 ]]; then
        echo "fault-matrix: work folder kept: $work" >&2
    elif [[ -z "${FAULT_MATRIX_WORK:-}" ]]; then
        rm -rf "$work"
    fi
}
trap cleanup EXIT

cd "$work"
export PYTHONDONTWRITEBYTECODE=1  # no __pycache__ beside the helper
python3 "$helper" --soak "$soak" --tenantd "$tenantd" --work "$work" --root "$root" "${py_args[@]}" || status=$?
exit "$status"
