#!/usr/bin/env python3
"""test/net/tftpd.py: a small read-only TFTP server for the network tests,
on 127.0.0.1 only: RFC 1350 with the options of RFC 2347 (OACK), 2348
(blksize), 2349 (tsize, timeout) and 7440 (windowsize), block numbers
rolling over from 65535 to 0.  Misbehaviour on purpose, by --mode:

  normal        negotiate what is asked (blksize capped at 1468, window 16)
  no-options    ignore options: DATA 1 at 512 bytes (an RFC 1350 server)
  refuse        ERROR 8 to any request with options, serve plain ones
  bad-oack      OACK with an option nobody asked for
  drop          drop every 7th DATA packet once (retransmission)

Each request is logged to --log: "RRQ FILE opts=k=v,... from=PORT".
--port 0 picks a free port and writes it to --port-file.

Usage: tftpd.py --dir DIR [--port N] [--port-file F] [--log F] [--mode M]
"""
import argparse
import os
import select
import socket
import struct
import threading

RRQ, DATA, ACK, ERROR, OACK = 1, 3, 4, 5, 6


def log(path, s):
    if path:
        with open(path, "a") as f:
            f.write(s + "\n")


def parse_rrq(pkt):
    parts = pkt[2:].split(b"\0")
    fname, mode = parts[0].decode(), parts[1].decode().lower()
    opts = {}
    rest = parts[2:]
    for i in range(0, len(rest) - 1, 2):
        if rest[i]:
            opts[rest[i].decode().lower()] = rest[i + 1].decode()
    return fname, mode, opts


def error(sock, addr, code, msg):
    sock.sendto(struct.pack("!HH", ERROR, code) + msg.encode() + b"\0", addr)


def serve(a, addr, pkt):
    fname, mode, opts = parse_rrq(pkt)
    log(a.log, "RRQ %s opts=%s from=%d" % (
        fname, ",".join("%s=%s" % kv for kv in sorted(opts.items())), addr[1]))
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    path = os.path.normpath(os.path.join(a.dir, fname.lstrip("/")))
    if not path.startswith(os.path.abspath(a.dir)) or not os.path.isfile(path):
        error(s, addr, 1, "File not found")
        return
    if opts and a.mode == "refuse":
        error(s, addr, 8, "no options here")
        return
    data = open(path, "rb").read()
    blk, win, oack = 512, 1, {}
    if a.mode not in ("no-options",):
        if "blksize" in opts:
            blk = min(int(opts["blksize"]), 1468)
            oack["blksize"] = str(blk)
        if "windowsize" in opts:
            win = min(int(opts["windowsize"]), 16)
            oack["windowsize"] = str(win)
        if "tsize" in opts:
            oack["tsize"] = str(len(data))
        if "timeout" in opts:
            oack["timeout"] = opts["timeout"]
        if a.mode == "bad-oack":
            oack["frobnicate"] = "1"
    nblocks = len(data) // blk + 1
    s.settimeout(1.0)

    def exchange(out, want_ack, tries=5):
        for _ in range(tries):
            s.sendto(out, addr)
            try:
                while True:
                    r, src = s.recvfrom(65536)
                    if src != addr:
                        continue
                    op = struct.unpack("!H", r[:2])[0]
                    if op == ERROR:
                        return None
                    if op == ACK:
                        return struct.unpack("!H", r[2:4])[0]
            except socket.timeout:
                continue
        return None

    if oack:
        body = b"".join(k.encode() + b"\0" + v.encode() + b"\0" for k, v in oack.items())
        got = exchange(struct.pack("!H", OACK) + body, 0)
        if got != 0:
            return
    dropped = set()
    base = 1  # next block number (1-based, not wrapped) to send
    while base <= nblocks:
        last = min(base + win - 1, nblocks)
        for b in range(base, last + 1):
            if a.mode == "drop" and b % 7 == 0 and b not in dropped:
                dropped.add(b)
                continue
            chunk = data[(b - 1) * blk:b * blk]
            s.sendto(struct.pack("!HH", DATA, b & 0xffff) + chunk, addr)
        # Wait for the ACK of the window's last block (or of fewer).
        acked = None
        for _ in range(5):
            try:
                r, src = s.recvfrom(65536)
            except socket.timeout:
                break
            if src != addr:
                continue
            op = struct.unpack("!H", r[:2])[0]
            if op == ERROR:
                return
            if op == ACK:
                n = struct.unpack("!H", r[2:4])[0]
                # Unwrap relative to base.
                cand = base - 1 + ((n - (base - 1)) & 0xffff)
                if base - 1 <= cand <= last:
                    acked = cand
                    break
        if acked is None:
            continue  # resend the window
        base = acked + 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--log")
    ap.add_argument("--mode", default="normal")
    a = ap.parse_args()
    a.dir = os.path.abspath(a.dir)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", a.port))
    if a.port_file:
        with open(a.port_file + ".tmp", "w") as f:
            f.write("%d\n" % sock.getsockname()[1])
        os.rename(a.port_file + ".tmp", a.port_file)
    while True:
        pkt, addr = sock.recvfrom(65536)
        if len(pkt) >= 2 and struct.unpack("!H", pkt[:2])[0] == RRQ:
            threading.Thread(target=serve, args=(a, addr, pkt), daemon=True).start()


if __name__ == "__main__":
    main()
