#!/usr/bin/env python3
"""test/net/dnsd.py: a tiny authoritative DNS server for the network tests,
on 127.0.0.1 only, UDP and TCP (RFC 1035 4.2.2's length prefix) on the same
port.  Answers A (and AAAA) queries for the names given with --map
NAME=ADDR, through a CNAME when given as --cname ALIAS=NAME; NXDOMAIN for
other names.  --udp-off answers over TCP only (as QEMU's user networking
passes only TCP to a guestfwd).  --truncate sets TC on every UDP answer.
Each query is logged to --log: "PROTO NAME TYPE".

Usage: dnsd.py --map NAME=ADDR... [--cname A=N...] [--port N]
               [--port-file F] [--log F] [--udp-off] [--truncate]
"""
import argparse
import ipaddress
import os
import socket
import socketserver
import struct
import threading

A, CNAME, AAAA = 1, 5, 28


def encode_name(n):
    out = b""
    for label in n.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def decode_name(m, off):
    labels = []
    while True:
        l = m[off]
        if l & 0xC0 == 0xC0:
            ptr = ((l & 0x3F) << 8) | m[off + 1]
            name, _ = decode_name(m, ptr)
            labels.append(name)
            return ".".join(x for x in labels if x), off + 2
        off += 1
        if l == 0:
            return ".".join(labels), off
        labels.append(m[off:off + l].decode())
        off += l


def answer(args, q, proto):
    qid, flags, qd = struct.unpack("!HHH", q[:6])
    name, off = decode_name(q, 12)
    qtype, qclass = struct.unpack("!HH", q[off:off + 4])
    question = q[12:off + 4]
    log(args, "%s %s %d" % (proto, name, qtype))
    key = name.lower().rstrip(".")
    answers = b""
    count = 0
    target = key
    if key in args.cnames:
        target = args.cnames[key]
        # Compression pointer to the question's name (offset 12).
        answers += b"\xc0\x0c" + struct.pack("!HHIH", CNAME, 1, 60, len(encode_name(target))) + encode_name(target)
        count += 1
    rcode = 0
    if target in args.names:
        for addr in args.names[target]:
            ip = ipaddress.ip_address(addr)
            t = A if ip.version == 4 else AAAA
            if t != qtype:
                continue
            owner = b"\xc0\x0c" if target == key else encode_name(target)
            answers += owner + struct.pack("!HHIH", t, 1, 60, len(ip.packed)) + ip.packed
            count += 1
    elif count == 0:
        rcode = 3
    flags = 0x8180 | rcode  # QR, RD, RA
    if proto == "udp" and args.truncate:
        flags |= 0x0200
        answers, count = b"", 0
    return struct.pack("!HHHHHH", qid, flags, 1, count, 0, 0) + question + answers


def log(args, s):
    if args.log:
        with open(args.log, "a") as f:
            f.write(s + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--map", action="append", default=[])
    ap.add_argument("--cname", action="append", default=[])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--log")
    ap.add_argument("--udp-off", action="store_true")
    ap.add_argument("--truncate", action="store_true")
    args = ap.parse_args()
    args.names = {}
    for m in args.map:
        n, a = m.split("=", 1)
        args.names.setdefault(n.lower(), []).append(a)
    args.cnames = {}
    for c in args.cname:
        n, t = c.split("=", 1)
        args.cnames[n.lower()] = t.lower()

    class TCP(socketserver.BaseRequestHandler):
        def handle(self):
            hdr = self.request.recv(2, socket.MSG_WAITALL)
            if len(hdr) < 2:
                return
            q = self.request.recv(struct.unpack("!H", hdr)[0], socket.MSG_WAITALL)
            r = answer(args, q, "tcp")
            self.request.sendall(struct.pack("!H", len(r)) + r)

    class TServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
        allow_reuse_address = True
        daemon_threads = True

    tcp = TServer(("127.0.0.1", args.port), TCP)
    port = tcp.server_address[1]
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", port))
    threading.Thread(target=tcp.serve_forever, daemon=True).start()
    if args.port_file:
        with open(args.port_file + ".tmp", "w") as f:
            f.write("%d\n" % port)
        os.rename(args.port_file + ".tmp", args.port_file)
    while True:
        q, addr = udp.recvfrom(4096)
        if args.udp_off:
            continue
        try:
            udp.sendto(answer(args, q, "udp"), addr)
        except Exception:
            pass


if __name__ == "__main__":
    main()
