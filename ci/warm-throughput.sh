#!/usr/bin/env bash
# Warm request throughput of tenantd beside nginx, in the same run: both serve the same 1 KiB
# static file from one worker on 127.0.0.1 (tenantd from a deployed webapp, nginx from disk with
# its page cache), and wrk measures each on one keep-alive connection and on 32.
#
#   bash ci/warm-throughput.sh [--seconds N] [--repeats N] [--tenantd PATH] [--baseline PATH] [--no-build]
#
# --baseline PATH measures a second tenantd binary (an older build, say) in the same run, as
# "baseline", so a change is judged against figures taken under the same load.
# Needs wrk and nginx from Debian: apt-get install -y wrk nginx-light. Without nginx it measures
# tenantd alone and says so; without wrk it stops (exit 2). Prints a Markdown table with
# requests/s, p50 and p99 per server and the ratio tenantd ÷ nginx, repeats alternating the two
# servers so a slow moment of the machine does not favour one. Record `uptime` beside the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=10
repeats=3
tenantd=""
baseline=""
build=1
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) seconds="$2"; shift 2 ;;
        --repeats) repeats="$2"; shift 2 ;;
        --tenantd) tenantd="$2"; build=0; shift 2 ;;
        --baseline) baseline="$2"; shift 2 ;;
        --no-build) build=0; shift ;;
        [0-9]*) seconds="$1"; shift ;;  # the old positional SECONDS
        *) echo "warm-throughput: unknown argument $1" >&2; exit 2 ;;
    esac
done
command -v wrk >/dev/null || {
    echo "warm-throughput: wrk is not installed; install it with: apt-get install -y wrk nginx-light" >&2
    exit 2
}
nginx_bin="$(command -v nginx || true)"
[ -n "$nginx_bin" ] || [ ! -x /usr/sbin/nginx ] || nginx_bin=/usr/sbin/nginx
if [ -z "$nginx_bin" ]; then
    echo "warm-throughput: nginx is not installed, so tenantd is measured alone;" \
        "for the comparison: apt-get install -y nginx-light" >&2
fi

if [ "$build" = 1 ]; then swift build -c release --static-swift-stdlib --product tenantd >/dev/null; fi
tenantd="${tenantd:-.build/release/tenantd}"
work="$(mktemp -d)"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

# One webapp with a 1 KiB page; nginx serves the very same file.
"$tenantd" seed --tenants 1 --artifacts 1 --kind webapp --payload-kb 1 "$work/registry" >/dev/null
site="$work/registry/tenants/t1/artifacts/a1.webapp"
head -c 1024 /dev/zero | tr '\0' 'x' >"$site/page.html"
chmod -R a+rX "$work"  # nginx's worker runs as www-data
# Starts a tenantd binary on the registry and prints its page's URL once it is ready and warm.
start_tenantd() {
    local binary="$1" name="$2"
    "$binary" --registry "$work/registry" --tenant-idle 1d --artifact-idle 1d --max-connections 1100 \
        >"$work/$name.out" 2>"$work/$name.err" &
    pids+=($!)
    for _ in $(seq 100); do grep -q "listening on" "$work/$name.out" 2>/dev/null && break; sleep 0.05; done
    local url="http://$(sed -n 's/^listening on //p' "$work/$name.out")/t/t1/a1.webapp/page.html"
    curl -sf "$url" >/dev/null  # deploy once: everything after is warm
    echo "$url"
}
urls=("tenantd $(start_tenantd "$tenantd" tenantd)")
if [ -n "$baseline" ]; then urls+=("baseline $(start_tenantd "$baseline" baseline)"); fi
if [ -n "$nginx_bin" ]; then
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    mkdir -p "$work/nginx"
    cat >"$work/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    keepalive_requests 1000000;
    client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx;
    uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
    server { listen 127.0.0.1:$port; root $site; }
}
EOF
    "$nginx_bin" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" &
    pids+=($!)
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/page.html" >/dev/null 2>&1 && break; sleep 0.05; done
    urls+=("nginx http://127.0.0.1:$port/page.html")
fi

# wrk's latency figures come in us, ms or s; print them in ms.
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[^m]s$/) n *= 1000; print n }'; }

# Memory per idle keep-alive connection, measured first, while each server is fresh (after wrk's
# 1,000 connections a heap keeps what they used): RSS of each server (nginx's master and worker
# together) before and after 1,000 connections that each made one request and stay open.
echo
echo "| server | RSS before | RSS with 1,000 idle connections | per connection |"
echo "|---|---|---|---|"
for entry in "${urls[@]}"; do
    read -r name url <<<"$entry"
    port="${url#http://127.0.0.1:}"; port="${port%%/*}"
    python3 - "$port" "$url" <<'PYTHON'
import os, socket, subprocess, sys, time
port, url = int(sys.argv[1]), sys.argv[2]
path = "/" + url.split("/", 3)[3]
inodes = set()
for line in open("/proc/net/tcp").read().splitlines()[1:]:
    fields = line.split()
    if fields[3] == "0A" and int(fields[1].split(":")[1], 16) == port:
        inodes.add(fields[9])
def owners():
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if any(os.readlink(f"/proc/{pid}/fd/{fd}") in {f"socket:[{i}]" for i in inodes}
                   for fd in os.listdir(f"/proc/{pid}/fd")):
                found.append(pid)
        except OSError:
            pass
    return found
pids = owners()
def rss():
    total = 0
    for pid in pids:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total
before = rss()
sockets = []
request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
for _ in range(1000):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(request)
    sockets.append(s)
for s in sockets:
    got = b""
    while b"\r\n\r\n" not in got or len(got) < 1024:
        got += s.recv(65536)
time.sleep(0.5)
after = rss()
print(f"{before} {after}")
PYTHON
done >"$work/rss" 2>"$work/rss.err" || cat "$work/rss.err" >&2
paste -d' ' <(printf '%s\n' "${urls[@]}" | awk '{print $1}') "$work/rss" | while read -r name before after; do
    echo "| $name | $((before / 1024)) MiB | $((after / 1024)) MiB | $(( (after - before) * 1024 / 1000 )) B |"
done
echo
echo "load: $(uptime)"
echo "| server | connections | requests/s | p50 ms | p99 ms |"
echo "|---|---|---|---|---|"
for connections in 1 32 1000; do
    for repeat in $(seq "$repeats"); do
        for entry in "${urls[@]}"; do
            read -r name url <<<"$entry"
            wrk -t1 -c"$connections" -d"${seconds}s" --latency "$url" >"$work/wrk" 2>&1
            rps="$(awk '/Requests\/sec/ {print $2}' "$work/wrk")"
            p50="$(to_ms "$(awk '$1 == "50%" {print $2}' "$work/wrk")")"
            p99="$(to_ms "$(awk '$1 == "99%" {print $2}' "$work/wrk")")"
            errors="$(awk '/Non-2xx|Socket errors/ {print}' "$work/wrk" | tr -s ' \n' ' ')"
            echo "| $name | $connections | $rps | $p50 | $p99 |${errors:+ $errors}"
            echo "$name $connections $rps" >>"$work/rates"
        done
    done
done
echo "load: $(uptime)"

if [ -n "$nginx_bin" ]; then
    # The ratio of medians per connection count, from this run.
    python3 - "$work/rates" <<'PYTHON'
import statistics, sys
rates = {}
for line in open(sys.argv[1]):
    name, connections, rps = line.split()
    rates.setdefault((name, int(connections)), []).append(float(rps))
for connections in sorted({c for _, c in rates}):
    theirs = rates[("nginx", connections)]
    for name in ("tenantd", "baseline"):
        if (name, connections) not in rates:
            continue
        ours = rates[(name, connections)]
        spread = [round(a / b, 2) for a, b in zip(ours, theirs)]
        ratio = statistics.median(ours) / statistics.median(theirs)
        print(f"{name} / nginx at {connections} connection(s): {ratio:.2f}x (per repeat {spread})")
PYTHON
fi
