#!/bin/bash
# test/qemu/chain-x86_64.sh: the x86_64 end-to-end chain tests, on the host
# (make check-qemu).  Boots the images of test/qemu/mkimages.sh in QEMU q35 +
# OVMF (TCG, -smp 2, 2 GiB) and matches the serial log:
#   A  good chain, GPT ESP: OVMF -> kexshim.efi -> shim -> kexec -> purgatory
#      -> target, whose /init checks what it got (test/qemu/target-init.c)
#   B  two broken target entries: both rejected with a bzimage: error, never
#      kexec_load, emergency reboot
#   D  good chain on a partitionless (whole-disk) FAT; skipped with QUICK=1
# Logs: build/qemu/logs/x86_64-<run>.log (raw) and .txt (\r and ANSI escapes
# stripped).  Usage: test/qemu/chain-x86_64.sh [IMAGE-DIR] (default build/qemu/x86_64)
set -eu -o pipefail

top="$(cd "$(dirname "$0")/../.." && pwd)"
img="${1:-$top/build/qemu/x86_64}"
logs="$top/build/qemu/logs"
tmo="${TIMEOUT:-300}"
mkdir -p "$logs"
for f in esp-gpt.img esp-bad.img esp-whole.img; do
	[ -f "$img/$f" ] || { echo "chain-x86_64: missing $img/$f (make qemu-images)" >&2; exit 2; }
done

# What the log must show, in this order, for a good chain.
CHAIN=(
	"kexshim.efi: starting"
	"kexshim: MemTotal"
	"kexshim: booting entry"
	"kexshim: kexec_load:"
	"purgatory: verifying"
	"purgatory: jumping to"
)
CHECKS=(cmdline initrd efi acpi cpus memtotal)

pass=0 fail=0
ok() { echo "ok - $*"; pass=$((pass + 1)); }
not_ok() { echo "not ok - $*"; fail=$((fail + 1)); }

# first_line LOG FROM PATTERN: number of the first line after line FROM that
# contains the fixed string PATTERN (empty if none).
first_line() {
	awk -v from="$2" -v pat="$3" 'NR > from && index($0, pat) { print NR; exit }' "$1"
}

# boot RUN IMAGE: boot IMAGE, leave the cleaned log in $log; rc in $rc.
boot() {
	local run="$1" disk="$2" t0 t1
	log="$logs/x86_64-$run.txt"
	echo "# run $run: $(basename "$disk") (timeout $tmo s)"
	t0=$(date +%s.%N)
	set +e
	"$top/tools/run-qemu" --arch x86_64 --disk "$disk" --mem 2G --smp 2 \
		--timeout "$tmo" --log "$logs/x86_64-$run.log"
	rc=$?
	set -e
	t1=$(date +%s.%N)
	sed -e 's/\r//g' -e 's/\x1b\[[0-9;=?]*[A-Za-z]//g' -e 's/\x1bc//g' \
		"$logs/x86_64-$run.log" >"$log"
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
	echo "# run $run: QEMU exit $rc after $secs s, log $log"
}

# good_chain RUN: the assertions of a successful chain on $log.
good_chain() {
	local run="$1" pos=0 n s m name
	if [ "$rc" = 0 ]; then ok "$run: QEMU exited 0 (target powered off)"
	else not_ok "$run: QEMU exit status $rc (124 = timeout)"; fi
	for s in "${CHAIN[@]}"; do
		n=$(first_line "$log" "$pos" "$s")
		if [ -n "$n" ]; then ok "$run: '$s' (line $n)"; pos=$n
		else not_ok "$run: no '$s' after line $pos"; fi
	done
	for name in "${CHECKS[@]}"; do
		n=$(first_line "$log" "$pos" "KEXSHIM-CHECK $name: ok")
		if [ -n "$n" ]; then ok "$run: $(sed -n "${n}p" "$log")"
		else not_ok "$run: $(grep -m1 -F "KEXSHIM-CHECK $name:" "$log" || echo "no KEXSHIM-CHECK $name line")"; fi
	done
	n=$(first_line "$log" "$pos" "KEXSHIM-TARGET-OK")
	if [ -n "$n" ]; then ok "$run: KEXSHIM-TARGET-OK"
	else not_ok "$run: no KEXSHIM-TARGET-OK$(grep -m1 -F KEXSHIM-TARGET-FAIL "$log" | sed 's/^/ (/; s/$/)/')"; fi
	m=$(sed -n 's/.*kexshim: MemTotal \([0-9][0-9]*\) kB.*/\1/p' "$log" | head -1)
	n=$(sed -n 's/.*KEXSHIM-CHECK memtotal: ok \([0-9][0-9]*\) kB.*/\1/p' "$log" | head -1)
	if [ -n "$m" ] && [ -n "$n" ] &&
	   awk -v m="$m" -v n="$n" 'BEGIN { d = n - m; if (d < 0) d = -d; exit !(d * 100 <= 2 * m) }'; then
		ok "$run: MemTotal shim $m kB, target $n kB (within 2%)"
	else
		not_ok "$run: MemTotal shim '${m:-?}' kB, target '${n:-?}' kB (want within 2%)"
	fi
}

tail_on_failure() {
	[ "$fail" = "$1" ] || { echo "# last 40 lines of $log:"; tail -40 "$log" | sed 's/^/#   /'; }
}

# A: the good chain from a GPT ESP.
f0=$fail
boot A-gpt "$img/esp-gpt.img"
good_chain A-gpt
uuid="$(cat "$img/esp-gpt.partuuid" 2>/dev/null || true)"
if [ -n "$uuid" ] && grep -qi -F "$uuid" "$log"; then
	ok "A-gpt: the ESP's PARTUUID $uuid appears in the log"
else
	not_ok "A-gpt: the ESP's PARTUUID ${uuid:-?} (mkesp) is not in the log"
fi
tail_on_failure "$f0"

# B: both entries broken -> bzimage errors in entry order, no kexec, emergency.
f0=$fail
boot B-bad "$img/esp-bad.img"
if [ "$rc" = 0 ]; then ok "B-bad: QEMU exited 0 (emergency reboot, -no-reboot)"
else not_ok "B-bad: QEMU exit status $rc (124 = timeout)"; fi
n1=$(grep -n -m1 -E 'bzimage:.*vmlinuz-badmagic' "$log" | cut -d: -f1 || true)
n2=$(grep -n -m1 -E 'bzimage:.*vmlinuz-truncated' "$log" | cut -d: -f1 || true)
if [ -n "$n1" ]; then ok "B-bad: $(sed -n "${n1}p" "$log")"
else not_ok "B-bad: no 'bzimage: ... vmlinuz-badmagic' error line"; fi
if [ -n "$n2" ]; then ok "B-bad: $(sed -n "${n2}p" "$log")"
else not_ok "B-bad: no 'bzimage: ... vmlinuz-truncated' error line"; fi
if [ -n "$n1" ] && [ -n "$n2" ] && [ "$n1" -lt "$n2" ]; then
	ok "B-bad: the default entry was tried first, then the next one"
else not_ok "B-bad: fallback order (badmagic line ${n1:-?}, truncated line ${n2:-?})"; fi
for s in "kexshim: kexec_load:" "purgatory:"; do
	if grep -q -F -- "$s" "$log"; then not_ok "B-bad: '$s' must not appear"
	else ok "B-bad: no '$s'"; fi
done
n=$(grep -n -m1 -i -E 'kexshim: .*emergency' "$log" | cut -d: -f1 || true)
if [ -n "$n" ]; then ok "B-bad: $(sed -n "${n}p" "$log")"
else not_ok "B-bad: no emergency line"; fi
tail_on_failure "$f0"

# D: the good chain from a whole-disk FAT (no partition table).
if [ "${QUICK:-0}" != 1 ]; then
	f0=$fail
	boot D-whole "$img/esp-whole.img"
	good_chain D-whole
	tail_on_failure "$f0"
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
