#!/usr/bin/env python3
"""A small orders service on Python's standard library (http.server): a real server that this
package did not write, soaked by the shipped profile Profiles/py-orders.json.

    POST <prefix>/orders   a JSON object {"item": text, "quantity": whole number > 0}:
                           201 with {"id": N}; 400 for anything else; 411 without Content-Length
    GET  <prefix>/orders   200 with {"count": orders taken, "kept": orders held}
    GET  <prefix>/health   200 "ok"
    anything else          404

It holds the last 100 orders only, so its memory levels off however long it runs: a clean
soak passes it.

usage: py_orders_server.py --port PORT [--bind 127.0.0.1|::1] [--prefix /api] [--status-for-all 404]

--status-for-all answers every request with that status and an empty body (a server that is
up but where nothing the profile asks for exists). It prints "listening on http://HOST:PORT"
once it accepts connections.
"""
import argparse
import collections
import http.server
import json
import socket
import sys

KEPT_ORDERS = 100


def make_handler(prefix, status_for_all):
    orders = collections.deque(maxlen=KEPT_ORDERS)
    taken = [0]

    class OrdersHandler(http.server.BaseHTTPRequestHandler):
        # HTTP/1.1 keeps the harness's connection open between requests, as most servers do.
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            if status_for_all:
                return self.answer(status_for_all, None)
            if self.path == prefix + "/health":
                return self.answer(200, "ok")
            if self.path == prefix + "/orders":
                return self.answer(200, {"count": taken[0], "kept": len(orders)})
            self.answer(404, {"error": "no such path: " + self.path})

        def do_POST(self):
            length = self.headers.get("Content-Length")
            if length is None:
                return self.answer(411, {"error": "Content-Length required"})
            body = self.rfile.read(int(length))
            if status_for_all:
                return self.answer(status_for_all, None)
            if self.path != prefix + "/orders":
                return self.answer(404, {"error": "no such path: " + self.path})
            try:
                order = json.loads(body)
                valid = (isinstance(order, dict) and isinstance(order.get("item"), str)
                         and isinstance(order.get("quantity"), int) and order["quantity"] > 0)
            except ValueError:
                valid = False
            if not valid:
                return self.answer(400, {"error": "expected {\"item\": text, \"quantity\": whole number > 0}"})
            taken[0] += 1
            orders.append(order)
            self.answer(201, {"id": taken[0]})

        def answer(self, status, payload):
            if payload is None:
                data = b""
            elif isinstance(payload, str):
                data = payload.encode()
            else:
                data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json" if isinstance(payload, dict) else "text/plain")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format, *args):
            pass  # one line per request would only grow target.stderr.log

    return OrdersHandler


def main():
    parser = argparse.ArgumentParser(description="A small orders service on http.server.")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--prefix", default="")
    parser.add_argument("--status-for-all", type=int, default=None)
    options = parser.parse_args()

    class Server(http.server.ThreadingHTTPServer):
        address_family = socket.AF_INET6 if ":" in options.bind else socket.AF_INET
        daemon_threads = True

    server = Server((options.bind, options.port), make_handler(options.prefix.rstrip("/"), options.status_for_all))
    host = "[%s]" % options.bind if ":" in options.bind else options.bind
    print("listening on http://%s:%d" % (host, options.port), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
