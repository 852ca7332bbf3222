#!/usr/bin/env python3
"""A stand-in for model-server metrics in the demo: serves /metrics in the Prometheus text
format from a file the demo script edits (one 'series value' line each)."""
import http.server
import sys

PORT, FILE = int(sys.argv[1]), sys.argv[2]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        try:
            with open(FILE, encoding="utf-8") as f:
                body = f.read().encode()
        except OSError:
            body = b""
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
