#!/usr/bin/env bash
# Warm request throughput of tenantd: requests per second to one already-deployed artifact, on one
# keep-alive connection and on 32, measured with wrk (Debian package `wrk`) on loopback.
#   bash ci/warm-throughput.sh [SECONDS]     (default 10 s per measurement)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
command -v wrk >/dev/null || { echo "warm-throughput: wrk is not installed (apt-get install wrk)" >&2; exit 2; }

swift build -c release --static-swift-stdlib --product tenantd >/dev/null
work="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
.build/release/tenantd seed --tenants 1 --artifacts 1 --kind service --payload-kb 64 "$work/registry" >/dev/null
.build/release/tenantd --registry "$work/registry" --tenant-idle 1d --artifact-idle 1d --max-connections 512 \
    >"$work/out" 2>"$work/err" &
pid=$!
for _ in $(seq 100); do grep -q "listening on" "$work/out" 2>/dev/null && break; sleep 0.05; done
address="$(sed -n 's/^listening on //p' "$work/out")"
url="http://$address/t/t1/a1.service"
curl -sf "$url" >/dev/null  # deploy once: everything after is warm

echo "| connections | threads | requests/s | p50 | p99 |"
echo "|---|---|---|---|---|"
for spec in "1 1" "32 2"; do
    read -r connections threads <<<"$spec"
    wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency "$url" >"$work/wrk" 2>&1
    rps="$(awk '/Requests\/sec/ {print $2}' "$work/wrk")"
    p50="$(awk '$1 == "50%" {print $2}' "$work/wrk")"
    p99="$(awk '$1 == "99%" {print $2}' "$work/wrk")"
    echo "| $connections | $threads | $rps | $p50 | $p99 |"
done
