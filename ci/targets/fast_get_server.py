# A minimal keep-alive HTTP/1.1 server from the Python standard library: GET answers "ok".
# The target of ci/harness-rss.sh, so the harness, not the target, does the work per cycle.
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        body = b"ok"
        self.send_response(200); self.send_header("Content-Length", "2"); self.end_headers(); self.wfile.write(body)
    def log_message(self, *a): pass
s = http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H); print("listening", flush=True); s.serve_forever()
