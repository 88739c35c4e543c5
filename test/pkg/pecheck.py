#!/usr/bin/env python3
# test/pkg/pecheck.py: check a PE/COFF image the way a strict loader would,
# on the host (test/pkg/run.sh, for tools/mkbundle's output).  Written apart
# from tools/mkbundle on purpose: a bug there must not hide itself here.
#
# Checks (Microsoft "PE Format" 3.4.2, 4): PE32+; FileAlignment and
# SectionAlignment powers of two; SizeOfHeaders a multiple of FileAlignment,
# covering the section table, before every section's data; sections in
# ascending RVA order, each RVA a multiple of SectionAlignment, none
# overlapping in memory or in the file; raw offsets and sizes multiples of
# FileAlignment, inside the file; SizeOfImage the end of the last section
# rounded up to SectionAlignment; nothing after the last section but an
# Authenticode certificate table; CheckSum right (unless signed: sbsign
# leaves it); with --expect NAME=FILE, section NAME holds exactly FILE's
# bytes both in the file and once laid out in memory by RVA, as firmware
# loads it.  One line per check: "ok - ..." / "not ok - ...".
# Usage: pecheck.py IMAGE [--expect NAME=FILE]... [--order NAME,NAME,...]
import argparse
import struct
import sys

fails = 0


def check(cond, what):
    global fails
    print(("ok - " if cond else "not ok - ") + what)
    if not cond:
        fails += 1
    return cond


def checksum(data, field):
    """Word by word, folding the carry after each word, as the PE format's
    CheckSumMappedFile does; the CheckSum field counts as zero."""
    buf = bytearray(data)
    buf[field:field + 4] = b"\0\0\0\0"
    if len(buf) % 2:
        buf.append(0)
    s = 0
    for (w,) in struct.iter_unpack("<H", buf):
        s += w
        s = (s & 0xFFFF) + (s >> 16)
    return (s + len(data)) & 0xFFFFFFFF


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("image")
    ap.add_argument("--expect", action="append", default=[])
    ap.add_argument("--order")
    ap.add_argument("--skip-checksum", action="store_true",
                    help="large files: the word loop takes a while")
    a = ap.parse_args()
    d = open(a.image, "rb").read()
    name = a.image.rsplit("/", 1)[-1]

    if not check(d[:2] == b"MZ", f"{name}: MZ"):
        return 1
    pe = struct.unpack_from("<I", d, 0x3C)[0]
    if not check(d[pe:pe + 4] == b"PE\0\0", f"{name}: PE signature at 0x{pe:x}"):
        return 1
    nsec, = struct.unpack_from("<H", d, pe + 6)
    symptr, nsym = struct.unpack_from("<II", d, pe + 12)
    optsz, = struct.unpack_from("<H", d, pe + 20)
    opt = pe + 24
    magic, = struct.unpack_from("<H", d, opt)
    check(magic == 0x20B, f"{name}: PE32+ (magic 0x{magic:x})")
    sa, fa = struct.unpack_from("<II", d, opt + 0x20)
    soi, soh, csum = struct.unpack_from("<III", d, opt + 0x38)
    ndirs, = struct.unpack_from("<I", d, opt + 0x6C)
    cert_off, cert_size = struct.unpack_from("<II", d, opt + 0x70 + 8 * 4) if ndirs > 4 else (0, 0)
    check(ndirs > 4, f"{name}: {ndirs} data directories (the certificate table's is 4)")
    check(fa >= 512 and not fa & (fa - 1), f"{name}: FileAlignment 0x{fa:x}")
    check(sa >= fa and not sa & (sa - 1), f"{name}: SectionAlignment 0x{sa:x}")
    check(symptr == 0 and nsym == 0, f"{name}: no COFF symbol table ({symptr:#x}, {nsym})")
    table = opt + optsz
    secs = []
    for i in range(nsec):
        n, vs, va, rs, ro = struct.unpack_from("<8sIIII", d, table + 40 * i)
        secs.append((n.rstrip(b"\0").decode(), vs, va, rs, ro))
    check(soh % fa == 0 and soh >= table + 40 * nsec,
          f"{name}: SizeOfHeaders 0x{soh:x} covers the table (ends 0x{table + 40 * nsec:x})")
    prev_va = prev_raw = 0
    for n, vs, va, rs, ro in secs:
        check(va % sa == 0 and va >= prev_va and va >= soh,
              f"{name}: {n} RVA 0x{va:x} aligned, ascending, after the headers")
        check(ro % fa == 0 and rs % fa == 0 and ro >= max(prev_raw, soh) and ro + rs <= len(d),
              f"{name}: {n} raw 0x{ro:x}+0x{rs:x} aligned, in order, inside the file")
        prev_va = va + max(vs, 1)
        prev_raw = ro + rs
    last = max(va + vs for _, vs, va, _, _ in secs)
    want = (last + sa - 1) // sa * sa
    check(soi == want, f"{name}: SizeOfImage 0x{soi:x} (want 0x{want:x})")
    end = prev_raw
    if cert_size:
        check(cert_off >= end and cert_off % 8 == 0 and cert_off + cert_size == len(d),
              f"{name}: certificate table at 0x{cert_off:x}+0x{cert_size:x} ends the file")
    else:
        check(end == len(d), f"{name}: file ends with its last section (0x{end:x} of 0x{len(d):x})")
        if not a.skip_checksum:
            c = checksum(d, opt + 0x40)
            check(csum == c, f"{name}: CheckSum 0x{csum:x} (computed 0x{c:x})")

    mem = bytearray(soi)
    mem[:soh] = d[:soh]
    for n, vs, va, rs, ro in secs:
        k = min(vs, rs)
        mem[va:va + k] = d[ro:ro + k]
    by_name = {s[0]: s for s in secs}
    for e in a.expect:
        n, path = e.split("=", 1)
        want = open(path, "rb").read()
        s = by_name.get(n)
        if not check(s is not None, f"{name}: has {n}"):
            continue
        _, vs, va, rs, ro = s
        check(vs == len(want) and rs >= vs, f"{name}: {n} VirtualSize {vs} == {len(want)} bytes of {path}")
        check(d[ro:ro + vs] == want, f"{name}: {n} file bytes are {path}'s")
        check(bytes(mem[va:va + vs]) == want, f"{name}: {n} loaded at RVA 0x{va:x} is {path}'s")
    if a.order:
        names = [s[0] for s in secs]
        want = a.order.split(",")
        got = [n for n in names if n in want]
        check(got == want, f"{name}: section order {','.join(got)} (want {a.order})")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
