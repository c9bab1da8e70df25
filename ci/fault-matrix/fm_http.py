"""Category 6: hostile HTTP against tenantd, over raw sockets to 127.0.0.1 only.

One tenantd serves a small seeded registry. Each case sends its bytes, reads what comes back, then
checks the server is still alive and answers GET /_runtime/health. A dead server is a crash (the
server is restarted for the next case); a health check that does not answer is a hang.
"""

from __future__ import annotations

import os
import re
import select
import signal
import socket
import subprocess
import threading
import time

from fm_core import CLEAR, CRASH, HANG, OK, UNCLEAR, WRONG, Case, clip

STATUS_RE = re.compile(rb"^HTTP/1\.[01] (\d{3})", re.M)
READ_TIMEOUT = 5.0


class Server:
    """One tenantd on 127.0.0.1, restarted when a case kills it."""

    def __init__(self, ctx, work):
        self.ctx, self.work = ctx, work
        self.proc = None
        self.port = 0
        self.reg = os.path.join(work, "registry")
        self.log = os.path.join(work, "tenantd.stderr.log")

    def start(self):
        if not os.path.isdir(self.reg):
            subprocess.run([self.ctx.tenantd, "seed", "--tenants", "3", "--artifacts", "2", "--kind", "service",
                            "--payload-kb", "4", self.reg], check=True, timeout=60,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.proc = subprocess.Popen([self.ctx.tenantd, "--registry", self.reg, "--listen", "127.0.0.1:0"],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=open(self.log, "ab"), start_new_session=True)
        deadline = time.monotonic() + 20
        line = b""
        while time.monotonic() < deadline:
            r, _, _ = select.select([self.proc.stdout], [], [], 0.5)
            if r:
                line = self.proc.stdout.readline()
                m = re.search(rb"listening on 127\.0\.0\.1:(\d+)", line)
                if m:
                    self.port = int(m.group(1))
                    threading.Thread(target=self._drain, daemon=True).start()
                    return
            if self.proc.poll() is not None:
                break
        raise RuntimeError(f"tenantd did not start: {line!r}")

    def _drain(self):
        try:
            for _ in self.proc.stdout:
                pass
        except (OSError, ValueError):
            pass

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)

    def trap(self):
        try:
            with open(self.log, "rb") as f:
                text = f.read().decode("utf-8", "replace")
        except OSError:
            return ""
        lines = [l for l in text.splitlines() if "Fatal error" in l or "crashed" in l]
        return clip(lines[0]) if lines else ""


def connect(port, timeout=READ_TIMEOUT):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.settimeout(timeout)
    return s


def exchange(port, data: bytes, shutdown_write=False, timeout=READ_TIMEOUT):
    """Sends data; returns (all bytes read until close or timeout, timed_out)."""
    s = connect(port, timeout)
    try:
        try:
            s.sendall(data)
            if shutdown_write:
                s.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError):
            pass
        chunks, timed_out = [], False
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                b = s.recv(65536)
            except socket.timeout:
                timed_out = True
                break
            except ConnectionResetError:
                break
            if not b:
                break
            chunks.append(b)
            got = b"".join(chunks)
            # one complete response with Connection: close semantics is enough for most cases
            if b"\r\n\r\n" in got and not shutdown_write and _complete(got):
                break
        return b"".join(chunks), timed_out
    finally:
        s.close()


def _complete(got: bytes) -> bool:
    head, _, body = got.partition(b"\r\n\r\n")
    m = re.search(rb"(?i)content-length:\s*(\d+)", head)
    return m is None or len(body) >= int(m.group(1))


def statuses(data: bytes) -> list[int]:
    return [int(m) for m in STATUS_RE.findall(data)]


def health(port) -> tuple[bool, str]:
    try:
        data, timed_out = exchange(port, b"GET /_runtime/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", timeout=3)
    except OSError as e:
        return False, f"health check: {e}"
    st = statuses(data)
    if st and st[0] == 200:
        return True, ""
    return False, "health check: " + ("no answer within 3s" if timed_out else f"got {st or data[:60]!r}")


def _req(target="/_runtime/health", version="HTTP/1.1", headers=("Host: 127.0.0.1",), body=b"", method="GET"):
    head = f"{method} {target} {version}\r\n" + "".join(h + "\r\n" for h in headers) + "\r\n"
    return head.encode("latin-1") + body


REJECT = "4xx"          # any 4xx (or 501/505); a 2xx is a wrong success
EXACT_400 = "400"       # exactly 400; any 2xx is a wrong success, another 4xx is unclear
SERVE = "2xx"           # a valid request: must be served
ANY_ANSWER = "any"      # any status, or a close: only crashes and hangs count


def http_cases(ctx) -> list:
    big = "X-Big: " + "b" * 200_000
    c = [
        ("HTTP/1.1 without Host (health)", _req(headers=()), EXACT_400),
        ("HTTP/1.1 without Host (artifact)", _req("/t/t1/a1.service", headers=()), EXACT_400),
        ("control: HTTP/1.0 without Host is served", _req(version="HTTP/1.0", headers=()), SERVE),
        ("control: a valid artifact request", _req("/t/t1/a1.service", headers=("Host: 127.0.0.1", "Connection: close")), SERVE),
        ("two Host headers", _req(headers=("Host: a", "Host: b")), EXACT_400),
        ("Host with a space", _req(headers=("Host: a b",)), REJECT),
        ("request line is garbage", b"GARBAGE\r\n\r\n", REJECT),
        ("only an empty line", b"\r\n\r\n", ANY_ANSWER),
        ("HTTP/9.9", _req(version="HTTP/9.9"), REJECT),
        ("HTTP/1.1 with lowercase method", _req(method="get"), REJECT),
        ("three-word version HTTP/1.1 extra", b"GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n", REJECT),
        ("double spaces in the request line", b"GET  /_runtime/health  HTTP/1.1\r\nHost: x\r\n\r\n", REJECT),
        ("header without a colon", _req(headers=("Host: x", "NoColonHere")), REJECT),
        ("space before the colon", _req(headers=("Host : x",)), REJECT),
        ("obs-fold continuation line", _req(headers=("Host: x", "X-A: 1", " folded")), REJECT),
        ("NUL byte in the path", b"GET /t/t1\x00/a1.service HTTP/1.1\r\nHost: x\r\n\r\n", REJECT),
        ("NUL byte in a header", b"GET / HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n", REJECT),
        ("raw non-ASCII bytes in the path", b"GET /t/t\xff\xfe/a1.service HTTP/1.1\r\nHost: x\r\n\r\n", REJECT),
        ("path traversal /t/../../etc/passwd", _req("/t/../../etc/passwd"), REJECT),
        ("encoded traversal /t/t1/..%2F..%2Fetc%2Fpasswd", _req("/t/t1/..%2F..%2Fetc%2Fpasswd"), REJECT),
        ("encoded dot-dot tenant /t/%2e%2e/a1.service", _req("/t/%2e%2e/a1.service"), REJECT),
        ("tenant name of 65 characters", _req("/t/" + "a" * 65 + "/a1.service"), REJECT),
        ("unknown tenant", _req("/t/nosuch/a1.service"), REJECT),
        ("unknown artifact", _req("/t/t1/nosuch.service"), REJECT),
        ("a 200 KB header", _req(headers=("Host: x", big)), REJECT),
        ("a 200 KB URL", _req("/t/t1/" + "u" * 200_000), REJECT),
        ("10000 small headers", _req(headers=("Host: x",) + tuple(f"X-H{i}: v" for i in range(10_000))), REJECT),
        ("Content-Length: -1", _req(method="POST", headers=("Host: x", "Content-Length: -1")), REJECT),
        ("Content-Length: 99999999999999999999", _req(method="POST", headers=("Host: x", "Content-Length: 99999999999999999999")), REJECT),
        ("Content-Length: abc", _req(method="POST", headers=("Host: x", "Content-Length: abc")), REJECT),
        ("two different Content-Lengths", _req(method="POST", headers=("Host: x", "Content-Length: 1", "Content-Length: 2"), body=b"ab"), REJECT),
        ("Content-Length and chunked together", _req(method="POST", headers=("Host: x", "Content-Length: 3", "Transfer-Encoding: chunked"), body=b"0\r\n\r\n"), REJECT),
        ("chunked with a bad chunk size", _req(method="POST", headers=("Host: x", "Transfer-Encoding: chunked"), body=b"zz\r\nhello\r\n0\r\n\r\n"), REJECT),
        ("Transfer-Encoding: gzip", _req(method="POST", headers=("Host: x", "Transfer-Encoding: gzip"), body=b"abc"), REJECT),
        ("a 64 MB Content-Length announced", _req(method="POST", headers=("Host: x", "Content-Length: 67108864"), body=b"x" * 1024), REJECT),
        ("LF-only line endings", b"GET /_runtime/health HTTP/1.1\nHost: x\n\n", ANY_ANSWER),
        ("absolute-form target", _req("http://127.0.0.1/_runtime/health"), ANY_ANSWER),
        ("OPTIONS *", _req("*", method="OPTIONS"), ANY_ANSWER),
        ("CONNECT authority-form", _req("127.0.0.1:1", method="CONNECT"), REJECT),
        ("a TLS ClientHello", bytes.fromhex("16030100a5010000a10303") + os.urandom(32) + b"\x00" * 64, ANY_ANSWER),
        ("Expect: 100-continue with a body", _req(method="POST", headers=("Host: x", "Expect: 100-continue", "Content-Length: 2"), body=b"ok"), ANY_ANSWER),
    ]
    out = [Case("tenantd-http", name, custom=_simple(data, expect), serial=True, timeout=30, group=name)
           for name, data, expect in c]
    out += [
        Case("tenantd-http", "two pipelined requests get two answers", custom=_pipelined, serial=True, timeout=30, group="pipe"),
        Case("tenantd-http", "request then half-close gets an answer", custom=_simple(_req(), SERVE, shutdown_write=True), serial=True, timeout=30, group="half"),
        Case("tenantd-http", "a stalled half-sent request does not block others", custom=_slowloris, serial=True, timeout=30, group="slow"),
        Case("tenantd-http", "300 idle connections (limit 256), then service resumes", custom=_flood, serial=True, timeout=60, group="flood"),
        Case("tenantd-http", "200 connect-and-close in a row", custom=_connect_close, serial=True, timeout=30, group="cc"),
    ]
    return out


_server = None


def server(ctx):
    global _server
    if _server is None:
        _server = Server(ctx, os.path.join(ctx.work, "http"))
        os.makedirs(_server.work, exist_ok=True)
        _server.start()
    elif not _server.alive():
        _server.start()
    return _server


def shutdown():
    if _server is not None:
        _server.stop()


def _after(srv, outcome):
    """Turns a dead or unresponsive server into a crash or a hang; otherwise keeps the outcome."""
    time.sleep(0.05)
    if not srv.alive():
        rc = srv.proc.returncode
        trap = srv.trap()
        srv.start()
        return CRASH, f"tenantd died (exit {rc})" + (f": {trap}" if trap else "")
    ok, why = health(srv.port)
    if not ok:
        srv.stop()
        srv.start()
        return HANG, f"tenantd stopped answering: {why}"
    return outcome


def _simple(data, expect, shutdown_write=False):
    def custom(case, d):
        srv = server(case.ctx)
        try:  # where any answer will do, a server that waits for more bytes is fine: wait less
            got, timed_out = exchange(srv.port, data, shutdown_write=shutdown_write,
                                      timeout=2.0 if expect == ANY_ANSWER else READ_TIMEOUT)
        except OSError as e:
            return _after(srv, (UNCLEAR, f"connection failed: {e}"))
        st = statuses(got)
        first = st[0] if st else None
        line = clip(got.split(b"\r\n", 1)[0].decode("latin-1"), 80) if got else ""
        if expect == ANY_ANSWER:
            outcome = (OK, f"answered {line}" if first else "closed without an answer")
        elif first is None:
            outcome = (UNCLEAR, "no answer within 5s (connection held open)" if timed_out else "closed without an answer")
        elif expect == SERVE:
            outcome = (OK, line) if 200 <= first < 300 else (UNCLEAR, f"a valid request got {line}")
        elif 200 <= first < 300:
            outcome = (WRONG, f"served: {line}")
        elif expect == EXACT_400:
            outcome = (CLEAR, line) if first == 400 else (UNCLEAR, f"expected 400, got {line}")
        elif 400 <= first < 500 or first in (501, 505):
            outcome = (CLEAR, line)
        else:
            outcome = (UNCLEAR, f"got {line}")
        return _after(srv, outcome)
    return custom


def _pipelined(case, d):
    srv = server(case.ctx)
    one = b"GET /_runtime/health HTTP/1.1\r\nHost: x\r\n\r\n"
    last = b"GET /_runtime/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    got, _ = exchange(srv.port, one + last, shutdown_write=False, timeout=3)
    if len(statuses(got)) < 2:  # exchange stops after the first complete answer: read on
        s = connect(srv.port, 3)
        try:
            s.sendall(one + last)
            buf, end = b"", time.monotonic() + 3
            while time.monotonic() < end and len(statuses(buf)) < 2:
                try:
                    b = s.recv(65536)
                except socket.timeout:
                    break
                if not b:
                    break
                buf += b
            got = buf
        finally:
            s.close()
    st = statuses(got)
    outcome = (OK, f"answers {st}") if st[:2] == [200, 200] else (UNCLEAR, f"answers {st}")
    return _after(srv, outcome)


def _slowloris(case, d):
    srv = server(case.ctx)
    s = connect(srv.port)
    try:
        s.sendall(b"GET /_runtime/health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        ok, why = health(srv.port)
        outcome = (OK, "other requests served meanwhile") if ok else (HANG, f"a stalled request blocks others: {why}")
    finally:
        s.close()
    return _after(srv, outcome)


def _flood(case, d):
    srv = server(case.ctx)
    socks = []
    try:
        for _ in range(300):
            try:
                socks.append(connect(srv.port, 2))
            except OSError:
                break
        try:
            got, timed_out = exchange(srv.port, _req(headers=("Host: x", "Connection: close")), timeout=3)
            st = statuses(got)
            during = f"a request beyond the limit got {st[0]}" if st else ("no answer (held)" if timed_out else "closed")
        except OSError as e:
            during = f"connection refused ({e.__class__.__name__})"
    finally:
        for s in socks:
            s.close()
    time.sleep(0.5)
    ok, why = health(srv.port)
    if not srv.alive():
        return _after(srv, None)
    if not ok:
        time.sleep(2)
        ok, why = health(srv.port)
    outcome = (OK, f"{len(socks)} connections opened; {during}; served again after") if ok else \
        (HANG, f"{len(socks)} connections opened; {during}; not served again 2.5 s after they closed: {why}")
    return _after(srv, outcome) if ok else outcome


def _connect_close(case, d):
    srv = server(case.ctx)
    for _ in range(200):
        try:
            s = socket.create_connection(("127.0.0.1", srv.port), timeout=2)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")  # RST on close
            s.close()
        except OSError:
            pass
    return _after(srv, (OK, "still serving"))
