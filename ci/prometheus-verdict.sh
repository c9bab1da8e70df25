#!/usr/bin/env bash
# Checks that a real Prometheus server, scraping a fleet soak, reaches the run folder's verdict
# through `soak analyze --prometheus`: a clean fleet-scaling run passes both ways, and the same run
# with the front's routing table keeping departed nodes (--inject-leak departed-nodes) leaks both
# ways, through the front's series.
#
# What Prometheus scrapes, both judged: `soak run --metrics-listen`'s /metrics, whose
# soak_target_column gauge carries every per-process column of samples.csv (front_rss_anon,
# node0_rss_anon, ...) as it is sampled; and the fleet front's own /metrics
# (process_resident_memory_bytes), found through a file_sd target file written once the front
# reports its port.
#
# The run folder judges per cycle; Prometheus's series run on wall time. The script turns the
# profile's per-cycle threshold into a per-hour one with the cycles the run actually made per
# wall hour, so both judge the same growth against the same bar.
#
# Needs Debian's prometheus (apt-get install -y prometheus; Debian 12 ships 2.42), curl, python3,
# and a tenantd whose fleet knows --scale-on tenants and --inject-leak departed-nodes.
#   bash ci/prometheus-verdict.sh            # the full 5-day replay, about 8 minutes per case
#   DURATION=2d bash ci/prometheus-verdict.sh
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v prometheus >/dev/null; then
    echo "prometheus is not installed: apt-get install -y prometheus (Debian's package)" >&2
    exit 2
fi
build="${BUILD:-debug}"
swift build -c "$build" >/dev/null
soak=".build/$build/soak"
tenantd="${LAZYSOAK_TENANTD:-.build/$build/tenantd}"
if ! "$tenantd" fleet --help 2>&1 | grep -q -- "--inject-leak departed-nodes"; then
    echo "$tenantd fleet has no --inject-leak departed-nodes (or --scale-on tenants); build a tenantd that does," \
        "or name one with LAZYSOAK_TENANTD" >&2
    exit 2
fi
export LAZYSOAK_TENANTD="$tenantd"

work=$(mktemp -d /tmp/prometheus-verdict.XXXXXX)
prometheus_pid=
cleanup() {
    if [[ -n "$prometheus_pid" ]]; then kill "$prometheus_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
metrics_port=$(free_port)
prometheus_port=$(free_port)
cat > "$work/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: soak
    static_configs:
      - targets: ['127.0.0.1:$metrics_port']
  - job_name: fleet-front
    file_sd_configs:
      - files: ['$work/front.json']
        refresh_interval: 1s
YAML
echo '[]' > "$work/front.json"
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
    --web.listen-address="127.0.0.1:$prometheus_port" >"$work/prometheus.log" 2>&1 &
prometheus_pid=$!
for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$prometheus_port/-/ready" >/dev/null && break
    sleep 0.1
done
curl -sf "http://127.0.0.1:$prometheus_port/-/ready" >/dev/null || { cat "$work/prometheus.log" >&2; exit 2; }
echo "prometheus $(prometheus --version 2>&1 | head -1 | cut -d' ' -f3) on 127.0.0.1:$prometheus_port scrapes soak on :$metrics_port"

status=0
# judge NAME PROFILE EXPECTED_EXIT: one fleet soak, then the same question asked of Prometheus.
judge() {
    local name="$1" profile="$2" expected="$3" run_code=0 analyze_code=0
    local args=(run "$profile" --out "$work/runs-$name" --metrics-listen "127.0.0.1:$metrics_port")
    [[ -n "${DURATION:-}" ]] && args+=(--duration "$DURATION")
    local start end soak_pid
    start=$(date +%s)
    "$soak" "${args[@]}" >"$work/$name.run.log" 2>&1 &
    soak_pid=$!
    # Point Prometheus at the front once the run says where it listens.
    local front=""
    for _ in $(seq 1 600); do
        front=$(grep -ho '"target pid [0-9]* ready at http://127.0.0.1:[0-9]*' "$work/runs-$name"/*/events.jsonl 2>/dev/null \
            | grep -o '127.0.0.1:[0-9]*' | head -1 || true)
        [[ -n "$front" ]] && break
        kill -0 "$soak_pid" 2>/dev/null || break
        sleep 0.1
    done
    if [[ -n "$front" ]]; then
        echo "[{\"targets\": [\"$front\"], \"labels\": {\"case\": \"$name\"}}]" > "$work/front.json.new"
        mv "$work/front.json.new" "$work/front.json"
    fi
    wait "$soak_pid" || run_code=$?
    end=$(date +%s)
    sleep 2  # one more scrape past the end
    local folder verdict
    folder=$(ls -d "$work/runs-$name"/*/ | head -1)
    verdict=$(grep '^verdict:' "$work/$name.run.log" || echo "verdict: none")
    # The profile's rss_anon bar per cycle, times the cycles made per wall hour.
    local per_hour floor
    read -r per_hour floor < <(python3 - "$folder" <<'PY'
import json, sys
folder = sys.argv[1]
run = json.load(open(folder + "/run.json"))
summary = json.load(open(folder + "/summary.json"))
from datetime import datetime
wall = (datetime.fromisoformat(run["ended_at"].replace("Z", "+00:00"))
        - datetime.fromisoformat(run["started_at"].replace("Z", "+00:00"))).total_seconds()
cycles_per_hour = run["cycles_completed"] / max(wall, 1) * 3600
metric = next(m for m in summary["analysis"]["metrics"] if m["metric"] == "front_rss_anon")
print(int(metric["threshold_per_cycle"] * cycles_per_hour), int(metric["threshold_floor"]))
PY
)
    "$soak" analyze --prometheus "http://127.0.0.1:$prometheus_port" \
        --query 'soak_target_column{column=~"front_rss|front_rss_anon|node0_rss|node0_rss_anon"}' \
        --start "$start" --end "$end" --step 1s --warmup 10% --threshold "$per_hour:$floor" \
        >"$work/$name.analyze.json" 2>"$work/$name.analyze.log" || analyze_code=$?
    local front_code=0
    "$soak" analyze --prometheus "http://127.0.0.1:$prometheus_port" \
        --query "process_resident_memory_bytes{job=\"fleet-front\",case=\"$name\"}" \
        --start "$start" --end "$end" --step 1s --warmup 10% --threshold "$per_hour:$floor" \
        >"$work/$name.front.json" 2>"$work/$name.front.log" || front_code=$?
    local named
    named=$(grep '^LEAK' "$work/$name.analyze.log" | grep -o 'column="[a-z0-9_]*"' | sort -u | tr '\n' ' ' || true)
    echo "$name: run folder exit $run_code ($verdict)"
    echo "$name: prometheus exit $analyze_code on soak's per-process columns (threshold $per_hour B/h, floor $floor B;" \
        "leaking: ${named:-none})"
    echo "$name: prometheus exit $front_code on the front's own process_resident_memory_bytes (${front:-front never ready})"
    if [[ "$run_code" != "$expected" || "$analyze_code" != "$expected" || "$front_code" != "$expected" ]]; then
        echo "FAIL: $name: expected exit $expected from all three" >&2
        tail -3 "$work/$name.analyze.log" "$work/$name.front.log" >&2
        status=1
    elif [[ "$expected" == 1 && ( "$verdict" != *"front_rss"* || "$named" != *front_rss* ) ]]; then
        echo "FAIL: $name: both leak, but not both through the front's series" >&2
        status=1
    else
        echo "ok: $name agrees"
    fi
}

leaky="$work/fleet-scaling-front-leak.json"
python3 - Profiles/fleet-scaling.json "$leaky" <<'PY'
import json, sys
profile = json.load(open(sys.argv[1]))
profile["description"] = "fleet-scaling with the front keeping every departed node's routing entry"
profile["target"]["tenantd"]["fleet"]["injectLeak"] = "departed-nodes"
json.dump(profile, open(sys.argv[2], "w"), indent=2)
PY
judge clean Profiles/fleet-scaling.json 0
judge front-leak "$leaky" 1
echo "work folder: $work"
exit "$status"
