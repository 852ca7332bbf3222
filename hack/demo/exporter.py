#!/usr/bin/env python3
"""A stand-in for model-server metrics in the demo: serves /metrics in the Prometheus text
format from a file the demo script edits. Each line is 'series value' (a gauge), or
'series value +rate' (a counter growing by rate per second since the file was last written)."""
import http.server
import os
import sys
import time

PORT, FILE = int(sys.argv[1]), sys.argv[2]


def render():
    try:
        with open(FILE, encoding="utf-8") as f:
            text = f.read()
        age = time.time() - os.path.getmtime(FILE)
    except OSError:
        return b""
    out = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2].startswith("+"):
            value = float(parts[1]) + float(parts[2][1:]) * age
            out.append("%s %.3f" % (parts[0], value))
        elif parts:
            out.append(line)
    return ("\n".join(out) + "\n").encode()


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = render()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
