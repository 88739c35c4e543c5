#!/bin/bash
# test/qemu/run-suites.sh: run the QEMU suites in lanes side by side, then
# sum up their tallies and failed checks.  `make check-qemu` calls it.
#
#   test/qemu/run-suites.sh ARCHS LANE...
#
# ARCHS: the arches to run ("x86_64 arm64"); LANE: "ARCH:SUITE ..." run one
# after the other (test/qemu/SUITE-ARCH.sh build/qemu/ARCH, skipped where
# the arch has no such suite or is not in ARCHS).  Suites that share an
# image or a TPM state must share a lane: QEMU locks a disk it writes.
# Each line is prefixed with its arch and kept in build/qemu/check-N.out
# (lane N).  Every suite runs even when an earlier one failed; the status
# is the worst.  The lanes' interleaved output buries a failure far above
# the last line, so the end repeats every suite's tally, the exit status of
# a suite that failed, and the first failed checks; the serial logs of
# every run stay in build/qemu/logs/.
set -u
top="$(cd "$(dirname "$0")/../.." && pwd)"
out="$top/build/qemu"
archs=" $1 "
shift
mkdir -p "$out"
rm -f "$out"/check-*.out "$out"/status-*

lane() {
	local n="$1" item a t st=0
	shift
	for item in $1; do
		a="${item%%:*}" t="${item#*:}"
		case "$archs" in *" $a "*) ;; *) continue ;; esac
		[ -x "$top/test/qemu/$t-$a.sh" ] || continue
		{
			"$top/test/qemu/$t-$a.sh" "$out/$a" 2>&1 ||
				{ echo "$t-$a: exit $?"; false; }
		} | sed -u "s/^/[$a] /" | tee -a "$out/check-$n.out"
		[ "${PIPESTATUS[0]}" = 0 ] || st=1
	done
	echo "$st" >"$out/status-$n"
}

n=0
for l; do
	n=$((n + 1))
	lane "$n" "$l" &
done
wait

st=0
echo "check-qemu summary:"
for ((i = 1; i <= n; i++)); do
	[ "$(cat "$out/status-$i" 2>/dev/null)" = 0 ] || st=1
done
cat "$out"/check-*.out 2>/dev/null |
	grep -E '^\[[a-z0-9_]+\] [a-z0-9_-]+: ([0-9]+ passed, [0-9]+ failed|exit [0-9]+)$'
cat "$out"/check-*.out 2>/dev/null | grep '^\[[a-z0-9_]*\] not ok ' |
	awk 'NR <= 12; END { if (NR > 12) print "... " NR - 12 " more not ok in build/qemu/check-*.out" }'
exit "$st"
