# test/qemu/chain-lib.sh: what the end-to-end chain tests of every arch
# share, sourced on the host by test/qemu/chain-<arch>.sh (and bench/).
# The caller sets `arch` (x86_64, arm64) before sourcing.
#
# Every QEMU run goes through test/purgatory/qemu-timed.py, which stamps
# each serial line with the host's wall and CPU seconds as it arrives:
#   build/qemu/logs/<arch>-<run>.log   "WALL CPU line" (raw line: ANSI escapes kept)
#   build/qemu/logs/<arch>-<run>.txt   the bare lines, \r and ANSI escapes stripped
# The assertions read the .txt; the timings (kexec_times) the .log.
# shellcheck shell=bash

: "${arch:?set arch before sourcing chain-lib.sh}"
top="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
logs="$top/build/qemu/logs"
# Per QEMU run; a good chain takes 20-35 s here (TCG, 2 cores).
tmo="${TIMEOUT:-150}"
mkdir -p "$logs"

# What the log must show, in this order, for a good chain.
CHAIN=(
	"kexshim.efi: starting"
	"kexshim: MemTotal"
	"kexshim: booting entry"
	"kexshim: kexec_load:"
	"purgatory: verifying"
	"purgatory: jumping to"
)
CHECKS=(cmdline initrd efi acpi cpus memtotal bli)

pass=0 fail=0 timings=()
ok() { echo "ok - $*"; pass=$((pass + 1)); }
not_ok() { echo "not ok - $*"; fail=$((fail + 1)); }

# first_line LOG FROM PATTERN: number of the first line after line FROM that
# contains the fixed string PATTERN (empty if none).
first_line() {
	awk -v from="$2" -v pat="$3" 'NR > from && index($0, pat) { print NR; exit }' "$1"
}

# has RUN TEXT... / lacks RUN TEXT...: each fixed string appears in $log,
# or appears nowhere in it.
has() {
	local run="$1" s
	shift
	for s; do
		if grep -q -F -- "$s" "$log"; then ok "$run: '$s'"
		else not_ok "$run: no '$s'"; fi
	done
}
lacks() {
	local run="$1" s
	shift
	for s; do
		if grep -q -F -- "$s" "$log"; then not_ok "$run: '$s' must not appear ($(grep -m1 -F -- "$s" "$log"))"
		else ok "$run: no '$s'"; fi
	done
}

# in_order RUN TEXT...: each fixed string on a line after the previous one's.
in_order() {
	local run="$1" pos=0 n s
	shift
	for s; do
		n=$(first_line "$log" "$pos" "$s")
		if [ -n "$n" ]; then ok "$run: '$s' (line $n)"; pos=$n
		else not_ok "$run: no '$s' after line $pos"; fi
	done
}

# qemu_timed LOG RUN-QEMU-ARGS...: boot with tools/run-qemu, serial stamped
# line by line into LOG; returns QEMU's exit status (124 = timeout).  With
# $until set, QEMU is stopped (status 0) once the serial shows that regex:
# for targets that never power off ($grace seconds later, default 2).
# ${keys[@]} are qemu-timed.py --send pairs (REGEX KEYS ...): typed on the
# serial console.
qemu_timed() {
	local out="$1" k=() i
	shift
	for ((i = 0; i + 1 < ${#keys[@]}; i += 2)); do
		k+=(--send "${keys[i]}" "${keys[i + 1]}")
	done
	"$top/test/purgatory/qemu-timed.py" --timeout "$((tmo + 30))" \
		${until:+--until "$until" --grace "${grace:-2}"} ${k[@]+"${k[@]}"} -- \
		"$top/tools/run-qemu" --timeout "$tmo" "$@" >"$out"
}
keys=() run_opts=()

# boot RUN IMAGE [EXTRA-QEMU-ARGS...]: boot IMAGE (2 GiB, 2 CPUs), with
# the read-only disks in ${ro_disks[@]} after it and the tools/run-qemu
# options in ${run_opts[@]} (--secure-boot, --tpm DIR); the cleaned log is
# left in $log, the exit status in $rc.
boot() {
	local run="$1" disk="$2" raw secs d ro=()
	shift 2
	raw="$logs/$arch-$run.log"
	log="$logs/$arch-$run.txt"
	for d in ${ro_disks[@]+"${ro_disks[@]}"}; do ro+=(--ro-disk "$d"); done
	echo "# run $run: $(basename "$disk")${run_opts[*]:+ ${run_opts[*]}}${*:+ ($*)}, timeout $tmo s"
	set +e
	qemu_timed "$raw" --arch "$arch" --disk "$disk" ${ro[@]+"${ro[@]}"} \
		${run_opts[@]+"${run_opts[@]}"} --mem 2G --smp 2 -- "$@"
	rc=$?
	set -e
	strip_stamps "$raw" >"$log"
	secs=$(tail -1 "$raw" | awk '{ print $1 }')
	timings+=("$run ${secs:-?} s")
	echo "# run $run: QEMU exit $rc, last line at ${secs:-?} s, log $log"
}

# strip_stamps LOG: LOG's lines without the two stamps, \r and ANSI escapes.
strip_stamps() {
	sed -e 's/^[0-9.]* -\{0,1\}[0-9.]* \{0,1\}//' -e 's/\r//g' \
		-e 's/\x1b\[[0-9;=?]*[A-Za-z]//g' -e 's/\x1bc//g' "$1"
}

# stamp LOG PATTERN: wall seconds of the first line of the stamped LOG
# containing PATTERN, or empty.
stamp() {
	awk -v pat="$2" 'index($0, pat) { print $1; exit }' "$1"
}

# kexec_times LOG MARK: on a stamped log, the hand-over from the shim to
# the target, after the first line containing MARK (the shim's loader is
# done: "kexshim: kexec_load:", or a kexec-tools script's "kexec -e" echo).
# Prints "SHIM_LAST VERIFY JUMP TARGET_FIRST", wall seconds of:
#   SHIM_LAST     the shim's last line (the last one before TARGET_FIRST that
#                 is not the purgatory's): the shim kernel starts its kexec
#   VERIFY, JUMP  "purgatory: verifying", "purgatory: jumping to" ("-" for
#                 a purgatory that prints nothing, as kexec-tools' does)
#   TARGET_FIRST  the target's first line: its first printk ("[    0.000000]",
#                 early on arm64 with earlycon, at console setup without)
# "-" for a line not found.  bench/ measures kexec-tools with the same rule.
kexec_times() {
	awk -v mark="$2" '
		{ t = $1; line = $0; sub(/^[^ ]* [^ ]* ?/, "", line)
		  gsub(/\r|\033\[[0-9;=?]*[A-Za-z]/, "", line) }
		!seen { if (index(line, mark)) { seen = 1; shim = t } next }
		line ~ /^\[ *0\.000000\]/ { first = t; exit }
		index(line, "purgatory: verifying") { if (verify == "") verify = t; next }
		index(line, "purgatory: jumping to") { if (jump == "") jump = t; next }
		index(line, "purgatory:") { next }
		line ~ /[^ \t]/ { shim = t }
		END { printf "%s %s %s %s\n", shim ? shim : "-", verify ? verify : "-",
		      jump ? jump : "-", first ? first : "-" }' "$1"
}

# good_chain RUN [ACPI-ERE]: the assertions of a successful chain on $log;
# with ACPI-ERE, the target's acpi check line must also match it (arm64:
# ACPI tables in ACPI mode, the machine's device tree with acpi=off).
good_chain() {
	local run="$1" acpi="${2:-}" pos=0 n s m name
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
	if [ -n "$acpi" ]; then
		s=$(grep -m1 -F "KEXSHIM-CHECK acpi:" "$log" || true)
		if printf '%s\n' "$s" | grep -q -E -- "$acpi"; then ok "$run: acpi line matches '$acpi'"
		else not_ok "$run: acpi line '${s:-none}' does not match '$acpi'"; fi
	fi
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
	# Not an assertion (TCG speed depends on the host): where the time
	# between the two kernels went.
	read -r s n m name <<<"$(kexec_times "$logs/$arch-$run.log" "kexshim: kexec_load:")"
	case " $s $n $m $name " in
	*" - "*) echo "# $run: no purgatory timing (a line is missing)" ;;
	*) awk -v a="$s" -v v="$n" -v j="$m" -v f="$name" -v r="$run" 'BEGIN {
		printf "# %s: shim last line -> target first line %.3f s (-> purgatory: verifying %.3f s, verifying -> jumping %.3f s, jumping -> first line %.3f s)\n", r, f - a, v - a, j - v, f - j }' ;;
	esac
}

# bad_chain RUN ERROR-PREFIX: every target entry of esp-bad.img is broken
# (wrong magic, then truncated): each rejected with an ERROR-PREFIX line
# naming its file, in entry order, never kexec_load, then the emergency.
bad_chain() {
	local run="$1" pre="$2" n1 n2 s n
	if [ "$rc" = 0 ]; then ok "$run: QEMU exited 0 (emergency reboot, -no-reboot)"
	else not_ok "$run: QEMU exit status $rc (124 = timeout)"; fi
	n1=$(grep -n -m1 -E "$pre.*vmlinuz-badmagic" "$log" | cut -d: -f1 || true)
	n2=$(grep -n -m1 -E "$pre.*vmlinuz-truncated" "$log" | cut -d: -f1 || true)
	if [ -n "$n1" ]; then ok "$run: $(sed -n "${n1}p" "$log")"
	else not_ok "$run: no '$pre ... vmlinuz-badmagic' error line"; fi
	if [ -n "$n2" ]; then ok "$run: $(sed -n "${n2}p" "$log")"
	else not_ok "$run: no '$pre ... vmlinuz-truncated' error line"; fi
	if [ -n "$n1" ] && [ -n "$n2" ] && [ "$n1" -lt "$n2" ]; then
		ok "$run: the default entry was tried first, then the next one"
	else not_ok "$run: fallback order (badmagic line ${n1:-?}, truncated line ${n2:-?})"; fi
	for s in "kexshim: kexec_load:" "purgatory:"; do
		if grep -q -F -- "$s" "$log"; then not_ok "$run: '$s' must not appear"
		else ok "$run: no '$s'"; fi
	done
	n=$(grep -n -m1 -i -E 'kexshim: .*emergency' "$log" | cut -d: -f1 || true)
	if [ -n "$n" ]; then ok "$run: $(sed -n "${n}p" "$log")"
	else not_ok "$run: no emergency line"; fi
}

# grep_ok RUN FIXED-STRING...: each string is in $log.
grep_ok() {
	local run="$1" s
	shift
	for s in "$@"; do
		if grep -q -F -- "$s" "$log"; then ok "$run: '$s'"
		else not_ok "$run: no '$s'"; fi
	done
}

# part_offset IMG N: byte offset of partition N of the GPT disk IMG.
part_offset() {
	sfdisk -d "$1" | awk -v n="$1$2" '$1 == n { sub(/,/, "", $4); print $4 * 512 }'
}

# installed_runs IMG-DIR: the runs both arches share:
#   K  the good chain with the minimal shim kernel (esp-mini.img: its
#      drivers built in, kexshim alone in the initramfs)
# and the "boot what is installed" runs on the disks of
# test/qemu/mkdisks.sh (read its header), on a copy (boots rename the
# counted entry):
#   S  one QEMU, five boots through a warm reset each: every source once,
#      chosen by LoaderEntryOneShot as the previous target set it; the
#      broken first entry fails (boots 1 and 5) and the next boots; the
#      counted entry is renamed +1 -> +0-1 and then sorts last
#   U  the menu on the serial console: down, e, End, an edit, Enter
installed_runs() {
	local img="$1" f0 i n s want uuids off
	local steps=("xbootldr.conf" "kexshim-uki.efi" "gnulinux-simple-" "kexshim-extlinux" "kexshim-uki.efi")
	f0=$fail
	boot K-mini "$img/esp-mini.img"
	good_chain K-mini
	grep_ok K-mini "only built-in drivers"
	tail_on_failure "$f0"

	read -r -a uuids <"$img/sources.uuids"
	f0=$fail
	cp --sparse=always "$img/sources.img" "$img/sources-run.img"
	run_opts=(--reboot)
	tmo=$((tmo * 5)) boot S-sources "$img/sources-run.img"
	run_opts=()
	if [ "$rc" = 0 ]; then ok "S-sources: QEMU exited 0 (the last target powered off)"
	else not_ok "S-sources: QEMU exit status $rc (124 = timeout)"; fi
	n=$(grep -c -F "KEXSHIM-TARGET-OK" "$log" || true)
	if [ "$n" = 5 ]; then ok "S-sources: five boots reached KEXSHIM-TARGET-OK"
	else not_ok "S-sources: $n of 5 boots reached KEXSHIM-TARGET-OK$(grep -m1 -F KEXSHIM-TARGET-FAIL "$log" | sed 's/^/ (/; s/$/)/')"; fi
	for i in 1 2 3 4 5; do
		want="${steps[i - 1]}"
		s=$(grep -m1 -F "KEXSHIM-CHECK plan: ok step $i of 5: booted $want" "$log" || true)
		if [ -n "$s" ]; then ok "S-sources: $s"
		else not_ok "S-sources: step $i: $(grep -F "KEXSHIM-CHECK plan:" "$log" | sed -n "${i}p" || echo "no plan line") (want $want)"; fi
	done
	for s in cmdline initrd bli; do
		n=$(grep -c -F "KEXSHIM-CHECK $s: ok" "$log" || true)
		if [ "$n" = 5 ]; then ok "S-sources: KEXSHIM-CHECK $s ok in all five boots"
		else not_ok "S-sources: KEXSHIM-CHECK $s ok in $n of 5 boots: $(grep -m1 -F "KEXSHIM-CHECK $s: FAIL" "$log" || true)"; fi
	done
	s=$(grep -c -F "partuuid=${uuids[0]}" "$log" || true)
	if [ "$s" = 5 ]; then ok "S-sources: LoaderDevicePartUUID is the ESP's (${uuids[0]}) in all five boots"
	else not_ok "S-sources: LoaderDevicePartUUID=${uuids[0]} in $s of 5 bli lines"; fi
	# The broken first entry: one line naming its missing file, then the
	# next entry; never loaded.
	n=$(grep -c -E "kexshim: .*a-broken|missing\.img" "$log" || true)
	s=$(grep -m1 -F "missing.img" "$log" || true)
	if [ -n "$s" ] && grep -q -F "No such file" <<<"$s"; then ok "S-sources: $s"
	else not_ok "S-sources: no line naming /target/missing.img and why ($s)"; fi
	n=$(grep -c -F "booting entry 'a-broken'" "$log" || true)
	if [ "$n" = 2 ]; then ok "S-sources: the broken default was tried on the two boots that asked for nothing"
	else not_ok "S-sources: 'booting entry a-broken' $n times, want 2"; fi
	grep_ok S-sources "entries: /esp (vfat): 2 entries" "(vfat): 1 entry" \
		"(ext4): 3 entries" "(ext4): 1 entry"
	# Boot counting: the counted entry was renamed before it booted.
	off=$(part_offset "$img/sources-run.img" 2)
	s=$(MTOOLS_SKIP_CHECK=1 mdir -b -i "$img/sources-run.img@@$off" ::/loader/entries 2>&1 || true)
	if grep -q -F "xbootldr+0-1.conf" <<<"$s" && ! grep -q -F "xbootldr+1.conf" <<<"$s"; then
		ok "S-sources: XBOOTLDR's xbootldr+1.conf is now xbootldr+0-1.conf"
	else not_ok "S-sources: XBOOTLDR's entries after the run: $(tr '\n' ' ' <<<"$s")"; fi
	# Not an assertion: how long discovery took (shim /init -> the first
	# "booting entry" line), boot by boot.
	awk '{ t = $1; line = $0; sub(/^[^ ]* [^ ]* ?/, "", line) }
	     index(line, ": PID 1 on ") { t0 = t }
	     index(line, "kexshim: booting entry") && t0 != "" { printf "# S-sources: /init -> booting entry %.2f s\n", t - t0; t0 = "" }' \
		"$logs/$arch-S-sources.log"
	rm -f "$img/sources-run.img"
	tail_on_failure "$f0"

	f0=$fail
	keys=("any key stops" '\x1b[Be\x1b[F kexshim_test.edited=1x\x7f\r')
	boot U-menu "$img/menu.img"
	keys=()
	if [ "$rc" = 0 ]; then ok "U-menu: QEMU exited 0 (target powered off)"
	else not_ok "U-menu: QEMU exit status $rc (124 = timeout)"; fi
	grep_ok U-menu "menu: 'kexshim-menu-2' chosen with an edited command line" \
		"KEXSHIM-CHECK plan: ok step 1 of 1: booted kexshim-menu-2.conf" \
		"KEXSHIM-CHECK cmdline: ok" "KEXSHIM-TARGET-OK"
	tail_on_failure "$f0"
}

tail_on_failure() {
	[ "$fail" = "$1" ] || { echo "# last 40 lines of $log:"; tail -40 "$log" | sed 's/^/#   /'; }
}

# check_images DIR FILE...: every FILE exists in DIR, or exit 2.
check_images() {
	local dir="$1" f
	shift
	for f in "$@"; do
		[ -f "$dir/$f" ] || { echo "chain-$arch: missing $dir/$f (make ARCH=$arch qemu-images)" >&2; exit 2; }
	done
}

# finish: the closing lines, named for the suite's script ("net-x86_64:
# N passed, N failed", which check-qemu's summary repeats); exit status 0
# only when nothing failed.
finish() {
	local t all="" suite
	suite="$(basename "$0" .sh)"
	for t in ${timings[@]+"${timings[@]}"}; do all="${all:+$all, }$t"; done
	echo "# $suite run times: $all"
	echo "$suite: $pass passed, $fail failed"
	[ "$fail" = 0 ]
}
