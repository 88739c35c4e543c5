#!/usr/bin/env python3
"""test/purgatory: run a command (QEMU with its serial on stdout) and print
each output line prefixed with two times measured on the host as the line
arrives: wall seconds since start, and the CPU seconds the command has used
(utime + stime of all its threads and of its descendants' -- QEMU run by a
wrapper such as tools/run-qemu counts -- from /proc; 10 ms steps).  The CPU time
is what to compare on a busy machine, where wall time also counts waiting
for a core:  "12.345 11.870 purgatory: jumping to 0x...".

  qemu-timed.py [--until REGEX] [--grace S] [--timeout S]
                [--send REGEX KEYS]... -- CMD...

Stops at EOF, at --timeout, or --grace seconds after a line matches --until
(a halted guest never exits by itself).  Each --send, in turn, types KEYS
(Python escapes: \\r, \\x1b[B) on the command's stdin, QEMU's serial
console, once its REGEX shows on the console.  Exit status: the command's, or 124
on timeout (as timeout(1)), or 0 when stopped by --until.  The command
runs in its own process group, and the whole group is terminated (TERM,
then KILL after 5 s) when we stop it (a wrapper's QEMU child must not
outlive us)."""
import argparse
import os
import re
import selectors
import signal
import subprocess
import sys
import time


def own_cpu_seconds(pid):
    """Return: CPU seconds used by pid itself so far, or -1 once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            # comm may contain spaces; the fields after it are fixed.
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return -1.0
    # fields[11], [12]: utime, stime (proc(5) fields 14 and 15).
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid):
    """Return: the pids of pid's live children (/proc/PID/task/*/children)."""
    kids = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                kids += [int(k) for k in f.read().split()]
    except OSError:
        pass
    return kids


def cpu_seconds(pid):
    """Return: CPU seconds used by pid and its live descendants, or -1 once
    pid is gone."""
    total = own_cpu_seconds(pid)
    if total < 0:
        return total
    for kid in children(pid):
        t = cpu_seconds(kid)
        if t > 0:
            total += t
    return total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--until")
    ap.add_argument("--grace", type=float, default=1.0)
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--send", nargs=2, action="append", default=[],
                    metavar=("REGEX", "KEYS"))
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    until = re.compile(a.until) if a.until else None

    t0 = time.monotonic()
    sends = [(re.compile(r), k.encode().decode("unicode_escape").encode("latin-1"))
             for r, k in a.send]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT,
                            stdin=subprocess.PIPE if sends else subprocess.DEVNULL,
                            start_new_session=True)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    buf = b""
    deadline = t0 + a.timeout
    matched = False
    status = None
    recent = ""  # console text since the last --send fired

    def emit(raw):
        line = raw.decode("utf-8", "replace").replace("\r", "")
        wall = time.monotonic() - t0
        print(f"{wall:.3f} {cpu_seconds(proc.pid):.2f} {line}", flush=True)
        return line

    while status is None:
        now = time.monotonic()
        if now >= deadline:
            status = 0 if matched else 124
            break
        if not sel.select(timeout=deadline - now):
            continue
        chunk = os.read(proc.stdout.fileno(), 65536)
        if not chunk:
            break
        buf += chunk
        recent = (recent + chunk.decode("utf-8", "replace"))[-65536:]
        while b"\n" in buf:
            raw, buf = buf.split(b"\n", 1)
            line = emit(raw)
            if until and not matched and until.search(line):
                matched = True
                deadline = time.monotonic() + a.grace
        # The next keys to type, once their prompt shows (a menu draws
        # without a final newline: the pending text counts too).
        while sends and sends[0][0].search(recent):
            proc.stdin.write(sends.pop(0)[1])
            proc.stdin.flush()
            recent = ""
        # Full-screen programs (memtest86+) draw without newlines: look
        # at what is pending too.
        if until and not matched and \
                until.search(buf.decode("utf-8", "replace")):
            matched = True
            deadline = time.monotonic() + a.grace
    if buf:
        emit(buf)
    if proc.poll() is None:
        # TERM first, so a wrapper's cleanup runs (tools/run-qemu removes
        # its private variable store on exit); KILL what is left.
        for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, None)):
            try:
                os.killpg(proc.pid, sig)
            except OSError:
                proc.kill()
            try:
                proc.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                pass
    proc.wait()
    sys.exit(status if status is not None else proc.returncode)


if __name__ == "__main__":
    main()
