#!/usr/bin/env python3
"""A cache server in Python's standard library that adopts soak's stepped-clock protocol: the
example for other programs (README, "The stepped clock protocol").

    GET  /item/<name>            loads <name> into the cache (a 64 KiB value) unless it is there;
                                 X-Artifact-Was: ghost when it had to load, actual when cached
    GET  /_clock                 {"clock": "stepped" or "scaled", "now_ns": N}
    POST /_clock?advance_to_ns=N moves the virtual clock to N, evicts every entry idle past its
                                 TTL by then, and only then answers (stepped clock only), saying
                                 when the next entry falls idle: "next_deadline_ns" (optional)
    GET  /health                 200 "ok"

Entries idle --ttl seconds of simulated time are evicted. With SOAK_CLOCK=stepped in the
environment (soak sets it) time moves only through POST /_clock; otherwise it is wall time times
--time-scale, and a reaper thread evicts once a (simulated) second. Either way a request for an
entry past its TTL finds it evicted, so the answer depends on simulated time alone.

usage: stepped_cache_server.py --port PORT [--ttl SECONDS] [--time-scale N]
"""
import argparse
import http.server
import json
import os
import threading
import time
import urllib.parse


class Clock:
    def __init__(self, stepped, scale):
        self.stepped, self.scale = stepped, scale
        self.virtual_ns = 0
        self.origin = time.monotonic_ns()

    def now_ns(self):
        if self.stepped:
            return self.virtual_ns
        return int((time.monotonic_ns() - self.origin) * self.scale)


def make_handler(clock, ttl_ns, lock):
    cache = {}  # name -> (value, last use in ns)

    def evict_idle(now_ns):
        for name in [n for n, (_, used) in cache.items() if now_ns - used >= ttl_ns]:
            del cache[name]

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in two writes; without this, Nagle and delayed ACKs hold each
        # answer back 40 ms, which a stepped run (two round trips a cycle) would spend as wall time.
        disable_nagle_algorithm = True

        def do_GET(self):
            path = urllib.parse.urlsplit(self.path).path
            if path == "/health":
                return self.answer(200, "ok")
            if path == "/_clock":
                kind = "stepped" if clock.stepped else "scaled"
                return self.answer(200, {"clock": kind, "now_ns": clock.now_ns()})
            if path.startswith("/item/"):
                with lock:
                    now = clock.now_ns()
                    evict_idle(now)  # past its TTL is evicted, whether or not the reaper ran
                    found = path in cache
                    value = cache[path][0] if found else bytearray(64 * 1024)
                    cache[path] = (value, now)
                return self.answer(200, "ok", {"X-Artifact-Was": "actual" if found else "ghost"})
            self.answer(404, "no such path")

        def do_POST(self):
            parts = urllib.parse.urlsplit(self.path)
            if parts.path != "/_clock":
                return self.answer(404, "no such path")
            if not clock.stepped:
                return self.answer(409, "the clock is scaled; run with SOAK_CLOCK=stepped")
            try:
                target = int(urllib.parse.parse_qs(parts.query)["advance_to_ns"][0])
            except (KeyError, ValueError):
                return self.answer(400, "expected ?advance_to_ns=N")
            with lock:
                if target < clock.virtual_ns:
                    return self.answer(409, "time runs forward only")
                clock.virtual_ns = target
                evict_idle(target)
                # Optional: when the next entry falls idle (null: none will without a request).
                # soak takes its samples before then without advancing the clock.
                next_ns = min((used + ttl_ns for _, used in cache.values()), default=None)
            # Answered only now: every deadline up to the new time has been processed.
            self.answer(200, {"clock": "stepped", "now_ns": target, "next_deadline_ns": next_ns})

        def answer(self, status, payload, headers=None):
            data = (payload if isinstance(payload, str) else json.dumps(payload)).encode()
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    return Handler, evict_idle


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--ttl", type=float, default=60)
    parser.add_argument("--time-scale", type=float, default=1)
    args = parser.parse_args()
    clock = Clock(os.environ.get("SOAK_CLOCK") == "stepped", args.time_scale)
    lock = threading.Lock()
    handler, evict_idle = make_handler(clock, int(args.ttl * 1e9), lock)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    if not clock.stepped:
        def reap():
            while True:
                time.sleep(1 / args.time_scale)
                with lock:
                    evict_idle(clock.now_ns())
        threading.Thread(target=reap, daemon=True).start()
    print(f"listening on http://127.0.0.1:{args.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
