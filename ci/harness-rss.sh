#!/usr/bin/env bash
# harness-rss.sh: is soak's own memory bounded over a very long run? (issue 17)
#
# Runs CYCLES cycles (default 1,000,000, the most a profile may plan) of one GET and one trough
# sample each against ci/targets/fast_get_server.py at real time with a 2 ms interval, and reads
# the harness's VmRSS from /proc every 15 s into harness-rss.log beside the run folder. The run
# judges its own `harness_rss` column too (warn-only); its slope and growth are in the verdict
# table. A million cycles take about 70 minutes on 2 cores.
#
# Usage: ci/harness-rss.sh [CYCLES] [OUT_DIR]   (needs python3 and a built soak: swift build)
set -euo pipefail
cycles="${1:-1000000}"
out="${2:-reports/harness-rss}"
root="$(cd "$(dirname "$0")/.." && pwd)"
soak="$root/.build/release/soak"
[ -x "$soak" ] || soak="$root/.build/debug/soak"
[ -x "$soak" ] || { echo "harness-rss: build soak first (swift build -c release --static-swift-stdlib)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "harness-rss: python3 is needed for the target" >&2; exit 2; }
mkdir -p "$out"
profile="$out/harness-rss.json"
seconds=$(( cycles * 2 / 1000 ))
cat > "$profile" <<JSON
{"description": "$cycles cycles of one GET and one trough sample, to see whether soak's own RSS stays flat",
 "accelerate": 1,
 "target": {"command": {"argv": ["python3", "$root/ci/targets/fast_get_server.py", "{port}"],
   "ready": {"stdoutLine": "listening"}, "baseURL": "http://127.0.0.1:{port}"}},
 "scenario": {"kind": "plain", "requests": ["/"], "interval": "2ms", "duration": "${seconds}s"},
 "sampling": {"every": "10s", "minimumWallPeriod": "20ms"}}
JSON
"$soak" run "$profile" --out "$out/runs" > "$out/run.log" 2>&1 &
pid=$!
echo "harness-rss: soak pid $pid, $cycles cycles; VmRSS every 15 s in $out/harness-rss.log"
while kill -0 "$pid" 2>/dev/null; do
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
  [ -n "$rss" ] && echo "$(date +%s) $rss" >> "$out/harness-rss.log"
  sleep 15
done
wait "$pid" || true
echo "first and last VmRSS (KiB):"; head -1 "$out/harness-rss.log"; tail -1 "$out/harness-rss.log"
grep -E "harness_rss|^verdict" "$out/run.log" || true
