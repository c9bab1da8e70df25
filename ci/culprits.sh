#!/usr/bin/env bash
# The acceptance runs of issue 14, "say where the leak is", all on 127.0.0.1, from the package root:
#   - tenantd's four injected leaks, each named by type in the verdict line (quick, 12h simulated);
#   - ci/targets/stack-leak.json three times (60 s at 1x each): remember_session is the first
#     growing stack and build_sawtooth never grows; stack-clean.json names no stack;
#   - tenantd under the preload with stacks on and an injected global-cache: the growing stack
#     names the runtime's own code (Artifact.deploy);
#   - CLEAN_RUNS (default 20) clean quick runs of tenantd (12h simulated each) name no culprit;
#   - with a JDK (java, javac, jcmd on the PATH): java-class-leak.json names its leaking class first.
# Prints one line per check and exits 1 when any fails. About 8 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build -c release --static-swift-stdlib >/dev/null
mkdir -p .build/ci-targets
cc -O2 -Wall -Wextra -o .build/ci-targets/stack-leak ci/targets/stack-leak.c
out="${SOAK_OUT:-reports}"
status=0
soak=.build/release/soak

check() { # name, condition text, then the command's verdict line must contain/omit patterns
    local name="$1" verdict="$2"; shift 2
    local ok=1
    while [[ $# -gt 0 ]]; do
        case "$1" in
            +*) [[ "$verdict" == *"${1:1}"* ]] || ok=0 ;;
            -*) [[ "$verdict" != *"${1:1}"* ]] || ok=0 ;;
        esac
        shift
    done
    if [[ $ok == 1 ]]; then echo "ok: $name"; else echo "FAIL: $name: $verdict" >&2; status=1; fi
}

verdict_of() { "$soak" run "$@" --out "$out" 2>/dev/null | grep '^verdict:' || true; }

echo "load: $(uptime)"
for leak in retain-cycle global-cache fd thread; do
    profile=$(mktemp --suffix=.json)
    sed "s/\"tenants\": 1,/\"tenants\": 1, \"injectLeak\": \"$leak\",/" Profiles/quick.json > "$profile"
    v=$(verdict_of "$profile" --duration 12h)
    case "$leak" in
        retain-cycle) want="DeployedArtifact +1/cycle" ;;
        global-cache) want="GlobalCacheEntry +1/cycle" ;;
        fd) want="HeldDescriptor +1/cycle" ;;
        thread) want="ParkedThread +1/cycle" ;;
    esac
    check "tenantd --inject-leak $leak names $want" "$v" "+growing:" "+$want"
    rm -f "$profile"
done

for run in 1 2 3; do
    v=$(verdict_of ci/targets/stack-leak.json)
    check "stack-leak run $run: remember_session is the first growing stack" "$v" \
        "+growing: remember_session (stack-leak)" "-build_sawtooth"
done
v=$(verdict_of ci/targets/stack-clean.json)
check "stack-clean names no stack" "$v" "-growing:"

v=$(verdict_of ci/targets/tenantd-global-cache-stacks.json)
check "tenantd global-cache under the preload names the runtime's code" "$v" "+GlobalCacheEntry" "+Artifact.deploy"

clean_runs="${CLEAN_RUNS:-20}"
named=0
for run in $(seq 1 "$clean_runs"); do
    v=$(verdict_of quick --duration 12h)
    [[ "$v" == *"growing:"* ]] && { named=$((named + 1)); echo "  clean run $run named: $v" >&2; }
done
check "$clean_runs clean tenantd runs name no culprit ($named named one)" "named=$named" "+named=0"

if command -v java >/dev/null && command -v jcmd >/dev/null; then
    v=$(verdict_of ci/targets/java-class-leak.json)
    check "java-class-leak names Main\$SessionRecord first among classes" "$v" "+growing: Main\$SessionRecord"
fi
echo "load: $(uptime)"
exit "$status"
