#!/usr/bin/env bash
# slowloris.sh: does tenantd stay available while slow clients try to hold every connection slot?
#
# Starts a built tenantd (--max-connections 256 by default) on 127.0.0.1 with a seeded registry,
# opens ATTACKERS slowloris connections (each sends a request head one byte a second and never
# finishes it; one the server drops is replaced on the next tick, as slowloris tools do, or at
# once with --storm), then sends REQUESTS normal requests, each on a new connection, from 8
# clients, paced over about 10 s while the attack goes on. Prints the fraction answered 2xx
# (and the latency) and exits 1 below the bar (99%). Everything stays on 127.0.0.1; the run
# takes about 15 s and is cut at 55 s (requests not sent by then count as failures).
#
# Usage: ci/slowloris.sh [--tenantd PATH] [--attackers N] [--requests N] [--max-connections N]
#                        [--bar FRACTION] [--storm] [--help]
#   --tenantd PATH        the binary (default: .build/release/tenantd, else .build/debug/tenantd)
#   --attackers N         slowloris connections (default 300)
#   --requests N          normal requests (default 1000)
#   --max-connections N   tenantd's --max-connections (default 256)
#   --bar FRACTION        least fraction of 2xx that passes (default 0.99)
#   --storm               attackers reconnect the moment they are dropped (a connection flood
#                         on top of slowloris; harder on a busy machine)
# Any further tenantd flags can go in TENANTD_ARGS (e.g. TENANTD_ARGS="--header-timeout 5s").
#
# Exit codes: 0 at or above the bar; 1 below it, or tenantd died; 2 bad usage, no binary, or
# tenantd not ready.
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

cd "$(dirname "$0")/.."
tenantd=""
attackers=300
requests=1000
max_connections=256
bar=0.99
storm=0
while [ $# -gt 0 ]; do
    case "$1" in
        --tenantd) tenantd="$2"; shift 2 ;;
        --attackers) attackers="$2"; shift 2 ;;
        --requests) requests="$2"; shift 2 ;;
        --max-connections) max_connections="$2"; shift 2 ;;
        --bar) bar="$2"; shift 2 ;;
        --storm) storm=1; shift ;;
        --help|-h) usage; exit 0 ;;
        *) echo "slowloris: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
if [ -z "$tenantd" ]; then
    for candidate in .build/release/tenantd .build/debug/tenantd; do
        if [ -x "$candidate" ]; then tenantd="$candidate"; break; fi
    done
fi
if [ -z "$tenantd" ] || [ ! -x "$tenantd" ]; then
    echo "slowloris: no tenantd binary; run swift build (or pass --tenantd PATH)" >&2
    exit 2
fi
command -v python3 >/dev/null || { echo "slowloris: python3 is required" >&2; exit 2; }

work="$(mktemp -d)"
pid=""
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

"$tenantd" seed --tenants 1 --artifacts 1 --kind service --payload-kb 4 "$work/registry" >/dev/null
# shellcheck disable=SC2086  # TENANTD_ARGS is a list of flags on purpose
"$tenantd" --registry "$work/registry" --listen 127.0.0.1:0 --max-connections "$max_connections" \
    --tenant-idle 1d --artifact-idle 1d ${TENANTD_ARGS:-} >"$work/out" 2>"$work/err" &
pid=$!
for _ in $(seq 200); do grep -q "listening on" "$work/out" 2>/dev/null && break; sleep 0.05; done
address="$(sed -n 's/^listening on //p' "$work/out")"
if [ -z "$address" ]; then
    echo "slowloris: tenantd did not start:" >&2
    cat "$work/err" >&2
    exit 2
fi
echo "slowloris: $tenantd on $address, --max-connections $max_connections, $attackers attackers" \
    "($([ "$storm" = 1 ] && echo "reconnecting at once" || echo "replaced each tick")), $requests requests"

# The attack and the measurement run in one bounded Python process (standard library only).
set +e
timeout 60 python3 - "$address" "$attackers" "$requests" "$bar" "$storm" <<'PYTHON'
import selectors, socket, sys, threading, time

host, port = sys.argv[1].rsplit(":", 1)
port = int(port)
attackers, requests, bar = int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
storm = sys.argv[5] == "1"
began = time.monotonic()
budget = 55.0  # seconds for the whole measurement, inside the 60 s timeout
assert host == "127.0.0.1", "slowloris only ever talks to loopback"
stop = threading.Event()
attack = {"connects": 0, "dropped": 0}

def open_slow():
    """A connection that starts a request head and then trickles one header byte per tick."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setblocking(False)
    try:
        s.connect((host, port))
    except BlockingIOError:
        pass
    attack["connects"] += 1
    return s

def slowloris():
    sel = selectors.DefaultSelector()
    slow = {}
    def add():
        s = open_slow()
        slow[s] = 0
        sel.register(s, selectors.EVENT_READ)
    def drop(s):
        sel.unregister(s)
        slow.pop(s, None)
        s.close()
        attack["dropped"] += 1
        if storm:
            add()
    head = b"GET /t/t1/a1.service HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
    next_tick = time.monotonic()
    while not stop.is_set():
        if time.monotonic() >= next_tick:
            next_tick += 1.0
            while len(slow) < attackers:  # replace the dropped ones, as slowloris tools do
                add()
            for s in list(slow):
                sent = slow[s]
                # One byte a second; the head's fixed part first so the server sees a request.
                chunk = head[sent:sent + 1] if sent < len(head) else b"a"
                try:
                    s.send(chunk)
                    slow[s] = sent + 1
                except (BlockingIOError, InterruptedError):
                    pass
                except OSError:
                    drop(s)
        for key, _ in sel.select(timeout=0.05):
            s = key.fileobj
            try:
                data = s.recv(4096)
            except OSError:
                data = b""
            if not data:  # the server let go of us
                drop(s)
    for s in list(slow):
        s.close()

def normal_request():
    """One request on a fresh connection; returns the status code, or a word for the failure."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(5)
    try:
        s.connect((host, port))
        s.sendall(b"GET /t/t1/a1.service HTTP/1.1\r\nHost: %s:%d\r\nConnection: close\r\n\r\n"
                  % (host.encode(), port))
        reply = b""
        while b"\r\n" not in reply:
            chunk = s.recv(4096)
            if not chunk:
                break
            reply += chunk
        parts = reply.split(b" ", 2)
        if len(parts) >= 2 and parts[1].isdigit():
            return int(parts[1])
        return "closed"
    except socket.timeout:
        return "timeout"
    except OSError as error:
        return type(error).__name__
    finally:
        s.close()

attacker = threading.Thread(target=slowloris, daemon=True)
attacker.start()
time.sleep(3)  # let the attack take hold of the slots before measuring
outcomes = {}
latencies = []
lock = threading.Lock()
workers = 8
pace = 10.0 / max(requests, 1)  # spread the requests over about 10 s of attack
started = time.monotonic()

def worker(first):
    for index in range(first, requests, workers):
        delay = started + index * pace - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        if time.monotonic() - began > budget - 6:
            outcome, latency = "unsent (time budget)", None
        else:
            sent_at = time.monotonic()
            outcome = normal_request()
            latency = time.monotonic() - sent_at
        with lock:
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            if latency is not None:
                latencies.append(latency)

threads = [threading.Thread(target=worker, args=(first,)) for first in range(workers)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
elapsed = time.monotonic() - started
stop.set()
attacker.join(timeout=5)

ok = sum(count for outcome, count in outcomes.items() if isinstance(outcome, int) and 200 <= outcome < 300)
fraction = ok / max(requests, 1)
shown = ", ".join("%s: %d" % (outcome, count) for outcome, count in sorted(outcomes.items(), key=str))
print("slowloris: %d attacker connects (%d dropped by the server) over %.1f s of measurement"
      % (attack["connects"], attack["dropped"], elapsed))
print("slowloris: outcomes %s" % shown)
latencies.sort()
if latencies:
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000
    print("slowloris: normal request latency p50 %.1f ms, p99 %.1f ms, max %.1f ms"
          % (pick(0.5), pick(0.99), latencies[-1] * 1000))
print("slowloris: 2xx fraction %.4f (%d of %d); bar %.2f: %s"
      % (fraction, ok, requests, bar, "pass" if fraction >= bar else "FAIL"))
sys.exit(0 if fraction >= bar else 1)
PYTHON
status=$?
set -e
if [ "$status" -eq 124 ]; then echo "slowloris: timed out after 60 s" >&2; exit 1; fi
if ! kill -0 "$pid" 2>/dev/null; then
    echo "slowloris: tenantd died during the attack:" >&2
    cat "$work/err" >&2
    exit 1
fi
exit "$status"
