#!/usr/bin/env python3
"""test/purgatory: fill a purgatory blob's struct purgatory_args on the host,
as boot/kexec/purgatory.c does in kexshim, so QEMU can run the blob with no
kernel in front of it.  Layout: include/kexshim/purgatory.h (ABI version 2).

  fill-args.py BLOB OUT --entry ADDR [--regs R0,R1,R2,R3]
               [--console pl011:BASE | 8250mmio:BASE:SHIFT[:WIDTH]]
               [--region FILE@ADDR | --region @ADDR+LEN |
                --region zero@ADDR+LEN ...] [--bad-digest N]

FILE@ADDR hashes FILE, which the test loads at ADDR; @ADDR+LEN names memory
with an all-zero digest (for fault tests); zero@ADDR+LEN names LEN bytes of
untouched (zero) guest RAM, with their real digest.  --bad-digest flips one
bit of region N's digest.  Prints the blob's entry offset (hex) on stdout."""
import argparse
import hashlib
import struct
import sys

MAGIC = 0x4750584B
VERSION = 2
MAX_REGIONS = 16
ARGS_SIZE = 0x350
CONSOLE = {"none": 0, "8250io": 1, "8250mmio": 2, "pl011": 3}


def num(s):
    return int(s, 0)


def parse_console(spec):
    parts = spec.split(":")
    kind = CONSOLE[parts[0]]
    base = num(parts[1]) if len(parts) > 1 else 0
    shift = num(parts[2]) if len(parts) > 2 else 0
    width = num(parts[3]) if len(parts) > 3 else 1
    # type, reg_shift (u8), reg_width (u8), reserved (u16), base
    return struct.pack("<IBBHQ", kind, shift, width, 0, base)


def zero_digest(length):
    h = hashlib.sha256()
    chunk = bytes(1 << 20)
    while length:
        n = min(length, len(chunk))
        h.update(chunk[:n])
        length -= n
    return h.digest()


def parse_region(spec):
    path, _, where = spec.rpartition("@")
    if path == "zero":
        addr, _, length = where.partition("+")
        return num(addr), num(length), zero_digest(num(length))
    if path:
        with open(path, "rb") as f:
            data = f.read()
        return num(where), len(data), hashlib.sha256(data).digest()
    addr, _, length = where.partition("+")
    return num(addr), num(length), bytes(32)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("blob")
    ap.add_argument("out")
    ap.add_argument("--entry", type=num, required=True)
    ap.add_argument("--regs", default="0,0,0,0")
    ap.add_argument("--console", default="none")
    ap.add_argument("--region", action="append", default=[])
    ap.add_argument("--bad-digest", type=int)
    a = ap.parse_args()

    blob = bytearray(open(a.blob, "rb").read())
    magic, version, entry_offset, mem_size = struct.unpack_from("<IIII", blob)
    if magic != MAGIC or version != VERSION:
        sys.exit(f"fill-args: {a.blob}: magic {magic:#x} version {version}")
    regs = [num(r) for r in a.regs.split(",")]
    regions = [parse_region(r) for r in a.region]
    if len(regs) != 4 or len(regions) > MAX_REGIONS:
        sys.exit("fill-args: need 4 regs and at most 16 regions")
    if a.bad_digest is not None:
        start, length, digest = regions[a.bad_digest]
        regions[a.bad_digest] = (start, length,
                                 bytes([digest[0] ^ 0x01]) + digest[1:])

    tail = struct.pack("<Q4QII", a.entry, *regs, len(regions), 0)
    tail += parse_console(a.console)
    for start, length, digest in regions:
        tail += struct.pack("<QQ", start, length) + digest
    tail += bytes(ARGS_SIZE - 0x10 - len(tail))
    assert 0x10 + len(tail) == ARGS_SIZE
    blob[0x10:ARGS_SIZE] = tail
    open(a.out, "wb").write(blob)
    print(f"{entry_offset:#x}")


if __name__ == "__main__":
    main()
