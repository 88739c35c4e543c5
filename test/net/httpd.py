#!/usr/bin/env python3
"""test/net/httpd.py: the HTTP(S) server of the network tests, on 127.0.0.1
only.  Serves DIR like any static server (Content-Length, ETag,
Accept-Ranges, "Range: bytes=N-" with If-Range), plus paths that misbehave
on purpose, each a prefix in front of a file of DIR:

  /closes-once/F     the first GET of F is cut after half the bytes (the
                     connection closed), later ones honour Range: a resume
  /closes-always/F   every GET is cut after half, Range ignored: no resume
  /chunked/F         Transfer-Encoding: chunked, odd chunk sizes
  /no-length/F       no Content-Length, the body ends when the connection does
  /redirect/F        302 to /F (relative Location)
  /status/N/F        answers status N (503 with Retry-After: 1)
  /stall/F           sends half, then nothing (the client's idle timeout)

Every request is logged to --log as one line: "METHOD PATH range=R sni=S".
With --cert/--key it speaks TLS (SNI recorded).  --port 0 picks a free port
and writes it to --port-file.

Usage: httpd.py --dir DIR [--port N] [--port-file F] [--log F]
                [--cert F --key F]
"""
import argparse
import email.utils
import hashlib
import http.server
import os
import socket
import socketserver
import ssl
import sys
import threading
import time

state = {"closes_once": set(), "log": None, "lock": threading.Lock()}


def log_line(s):
    if state["log"]:
        with state["lock"]:
            with open(state["log"], "a") as f:
                f.write(s + "\n")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "kexshim-test-httpd"

    def log_message(self, fmt, *args):
        pass

    def send_file_headers(self, code, length, etag, mtime, extra=()):
        self.send_response(code)
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", email.utils.formatdate(mtime, usegmt=True))
        self.send_header("Accept-Ranges", "bytes")
        for k, v in extra:
            self.send_header(k, v)
        self.send_header("Connection", "close")
        self.end_headers()

    def do_GET(self):
        sni = getattr(self.connection, "kexshim_sni", None)
        log_line("GET %s range=%s if-range=%s sni=%s" % (
            self.path, self.headers.get("Range", "-"),
            self.headers.get("If-Range", "-"), sni or "-"))
        path = self.path.split("?", 1)[0]
        mode = None
        for m in ("closes-once", "closes-always", "chunked", "no-length",
                  "redirect", "status", "stall"):
            if path.startswith("/" + m + "/"):
                mode = m
                path = path[len(m) + 1:]
                break
        code = 200
        if mode == "status":
            parts = path.split("/", 2)
            code, path = int(parts[1]), "/" + parts[2]
        if mode == "redirect":
            self.send_response(302)
            self.send_header("Location", path)
            self.send_header("Content-Length", "0")
            self.send_header("Connection", "close")
            self.end_headers()
            return
        fs = os.path.normpath(os.path.join(self.server.root, path.lstrip("/")))
        if not fs.startswith(self.server.root) or not os.path.isfile(fs):
            body = b"not found\n"
            self.send_response(404)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)
            return
        if code != 200:
            body = b"try later\n"
            self.send_response(code)
            if code == 503:
                self.send_header("Retry-After", "1")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)
            return
        data = open(fs, "rb").read()
        st = os.stat(fs)
        etag = '"%s"' % hashlib.sha256(data).hexdigest()[:16]
        start = 0
        rng = self.headers.get("Range")
        if rng and mode != "closes-always" and rng.startswith("bytes=") and rng.endswith("-"):
            ir = self.headers.get("If-Range")
            if ir is None or ir == etag:
                start = int(rng[6:-1])
        if start >= len(data) and start:
            self.send_response(416)
            self.send_header("Content-Range", "bytes */%d" % len(data))
            self.send_header("Content-Length", "0")
            self.send_header("Connection", "close")
            self.end_headers()
            return
        cut = None
        if mode == "closes-always" or mode == "stall":
            cut = len(data) // 2
        elif mode == "closes-once":
            with state["lock"]:
                if path not in state["closes_once"]:
                    state["closes_once"].add(path)
                    cut = len(data) // 2
        if mode == "chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Connection", "close")
            self.end_headers()
            i, n = 0, 1
            while i < len(data):
                piece = data[i:i + n]
                self.wfile.write(b"%x;ext=1\r\n" % len(piece) + piece + b"\r\n")
                i += len(piece)
                n = n * 3 + 7 if n < 60000 else 1
            self.wfile.write(b"0\r\nX-Trailer: yes\r\n\r\n")
            return
        if mode == "no-length":
            self.send_file_headers(200, None, etag, st.st_mtime)
            self.wfile.write(data)
            self.close_connection = True
            return
        if start:
            self.send_file_headers(206, len(data) - start, etag, st.st_mtime, [
                ("Content-Range", "bytes %d-%d/%d" % (start, len(data) - 1, len(data)))])
        else:
            self.send_file_headers(200, len(data), etag, st.st_mtime)
        body = data[start:]
        if cut is not None:
            self.wfile.write(body[:cut])
            self.wfile.flush()
            if mode == "stall":
                time.sleep(float(os.environ.get("STALL_SECONDS", "30")))
            # A hard close: the client sees the stream end short.
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.close_connection = True
            return
        self.wfile.write(body)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, addr, root, ctx):
        self.root = os.path.abspath(root)
        self.ctx = ctx
        super().__init__(addr, Handler)

    def get_request(self):
        sock, addr = super().get_request()
        if self.ctx:
            holder = {}

            def sni_cb(s, name, c):
                holder["sni"] = name
            self.ctx.sni_callback = sni_cb
            try:
                sock.settimeout(30)
                sock = self.ctx.wrap_socket(sock, server_side=True)
            except (ssl.SSLError, OSError) as e:
                log_line("TLS-FAIL %s" % e.__class__.__name__)
                sock.close()
                raise OSError("handshake failed")
            sock.kexshim_sni = holder.get("sni")
        return sock, addr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--log")
    ap.add_argument("--cert")
    ap.add_argument("--key")
    a = ap.parse_args()
    state["log"] = a.log
    ctx = None
    if a.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(a.cert, a.key)
    srv = Server(("127.0.0.1", a.port), a.dir, ctx)
    if a.port_file:
        with open(a.port_file + ".tmp", "w") as f:
            f.write("%d\n" % srv.server_address[1])
        os.rename(a.port_file + ".tmp", a.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
