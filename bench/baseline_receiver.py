#!/usr/bin/env python3
"""The plain receiver `tradsec bench serve --falco-http-output` compares serve with.

One SQLite row per POST, committed before the 200: WAL with synchronous=NORMAL, the same
durability as tradsec's history (a process crash loses nothing acknowledged). Standard
library only. Prints "listening PORT" once it accepts connections, and "rows N" when it
ends on SIGTERM or SIGINT.

    python3 bench/baseline_receiver.py --db /tmp/baseline.sqlite [--port 0]
"""
import argparse
import http.server
import signal
import sqlite3
import sys

MAX_BODY = 1 << 20


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()

    db = sqlite3.connect(args.db, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("CREATE TABLE IF NOT EXISTS alerts (id INTEGER PRIMARY KEY, body BLOB NOT NULL)")
    rows = [0]

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"      # keep-alive, as Falco's libcurl client uses
        disable_nagle_algorithm = True

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            if length < 0 or length > MAX_BODY:
                self.send_response(413)
                self.send_header("Content-Length", "0")
                self.send_header("Connection", "close")
                self.end_headers()
                self.close_connection = True
                return
            body = self.rfile.read(length)
            db.execute("BEGIN")
            db.execute("INSERT INTO alerts (body) VALUES (?)", (body,))
            db.execute("COMMIT")
            rows[0] += 1
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", args.port), Handler)

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    print("listening", server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    count = db.execute("SELECT count(*) FROM alerts").fetchone()[0]
    print("rows", count, flush=True)
    db.close()


if __name__ == "__main__":
    sys.exit(main())
