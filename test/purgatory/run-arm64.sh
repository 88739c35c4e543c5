#!/bin/sh
# test/purgatory/run-arm64.sh: run the arm64 purgatory bare-metal under QEMU
# (-M virt, no firmware, no kernel) and check what it prints.  The blob is
# filled on the host (fill-args.py) as kexshim would fill it, placed with
# QEMU's generic loader next to some data segments and a fake kernel
# (fake-kernel-arm64.S) that reports its registers and powers QEMU off.
#
#   run-arm64.sh PURGATORY_BIN GENERIC_BIN FAKE_KERNEL_BIN FP_TRAP_BIN WORKDIR
#
# GENERIC_BIN is the same purgatory built with -DPURGATORY_SHA256_GENERIC:
# every QEMU CPU model has the SHA-2 instructions, so that is how the
# portable path runs.  FP_TRAP_BIN (fp-trap-arm64.S) sets up the EL the way
# a previous kernel might (FP/SIMD trapped, or a VHE host) before entering
# the purgatory.  The purgatory hashes with the MMU and caches on over its
# own identity map (purgatory/arch/arm64/mmu.c); every run checks which
# way it went and that the fake kernel found SCTLR_ELx.M, C and I clear.
# Prints "ok - ..." / "not ok - ..." lines, timing comments ("# ..."), and
# "N passed, N failed"; exits 1 on any failure.
# REPEAT=n repeats each timed run n times; TIMEOUT=s per QEMU run.
#
# Guest physical layout (RAM starts at 0x40000000 on virt):
#   0x40000000  QEMU's own device tree (virt puts it at the RAM base when
#               it boots no kernel): the x0 we hand over
#   0x40400000  fake kernel, the entry
#   0x40600000  FP_TRAP_BIN, where QEMU starts in the FP-trap runs
#   0x41000000  34,000,000 bytes of random data (Debian's arm64 Image size)
#   0x44000001  2,000,003 bytes: odd address and length, so the byte-load
#               path and the partial last block run too
#   0x48000000  the purgatory, 4 KiB aligned as kexshim places it
#   0x4a1fff01.. the edge runs' small regions (EDGES below), up to the
#   0xbfffff00  last 256 bytes of RAM (-m 2G: RAM ends at 0xc0000000)
set -u

PG=$1
PG_GENERIC=$2
FAKE=$3
FP_TRAP=$4
W=$5
HERE=$(dirname "$0")
TIMEOUT=${TIMEOUT:-120}
REPEAT=${REPEAT:-1}

DTB=0x40000000
KERNEL=0x40400000
DATA1=0x41000000
DATA1_SIZE=34000000
DATA2=0x44000001
DATA2_SIZE=2000003
BLOB=0x48000000		# also in fp-trap-arm64.S
FP_TRAP_ADDR=0x40600000
UART=0x09000000
CPU_MAX=max,pauth-impdef=on	# FACTS.md: plain max is ~5x slower
MB=$(awk "BEGIN { print ($DATA1_SIZE + $DATA2_SIZE) / 1e6 }")

pass=0
fail=0

ok() {
	echo "ok - $1"
	pass=$((pass + 1))
}

not_ok() {
	echo "not ok - $1"
	fail=$((fail + 1))
}

# expect NAME LOG ERE: LOG has a line matching ERE.
expect() {
	if grep -Eq -- "$3" "$2"; then
		ok "$1"
	else
		not_ok "$1 (no line matching '$3' in $2)"
	fi
}

# reject NAME LOG ERE: LOG has no line matching ERE.
reject() {
	if grep -Eq -- "$3" "$2"; then
		not_ok "$1 (unexpected: $(grep -E -m1 -- "$3" "$2"))"
	else
		ok "$1"
	fi
}

mkdir -p "$W"
# Random data, made once: what is hashed does not matter, its size does.
for f in "data1:$DATA1_SIZE" "data2:$DATA2_SIZE"; do
	name=${f%%:*}
	size=${f#*:}
	if [ "$(stat -c %s "$W/$name.bin" 2>/dev/null)" != "$size" ]; then
		head -c "$size" /dev/urandom >"$W/$name.bin.tmp" &&
			mv "$W/$name.bin.tmp" "$W/$name.bin"
	fi
done

# run NAME BLOB MACHINE CPU UNTIL [fill-args options...]: fill BLOB, boot
# it with the fake kernel and both data files loaded, log to $W/NAME.log
# (each line prefixed with wall and CPU seconds, see qemu-timed.py).
# UNTIL ends a run that halts instead of powering off.  With START set,
# QEMU starts in FP_TRAP_BIN at FP_TRAP_ADDR + START instead of the blob.
# RUN_TIMEOUT overrides TIMEOUT for one run; QEMU_EXTRA adds QEMU options
# (loaders for more data, -d); RAM is the guest's memory (default 2G).
START=
QEMU_EXTRA=
RAM=2G
run() {
	name=$1 blob=$2 machine=$3 cpu=$4 until=$5
	shift 5
	off=$("$HERE/fill-args.py" "$blob" "$W/$name.bin" --entry $KERNEL \
		--regs $DTB,0,0,0 --console pl011:$UART \
		--region "$FAKE@$KERNEL" \
		--region "$W/data1.bin@$DATA1" \
		--region "$W/data2.bin@$DATA2" "$@") || {
		echo "# fill-args failed for $name" >"$W/$name.log"
		return
	}
	pc=$((BLOB + off))
	stub=
	if [ -n "$START" ]; then
		pc=$((FP_TRAP_ADDR + START))
		stub="-device loader,file=$FP_TRAP,addr=$FP_TRAP_ADDR,force-raw=on"
	fi
	# shellcheck disable=SC2086 # $stub and $QEMU_EXTRA: words on purpose
	"$HERE/qemu-timed.py" --until "$until" --grace 2 \
		--timeout "${RUN_TIMEOUT:-$TIMEOUT}" -- \
		qemu-system-aarch64 -M "$machine" -cpu "$cpu" -m "$RAM" $QEMU_EXTRA \
		-display none -monitor none -serial stdio -no-reboot \
		-device loader,file="$W/$name.bin",addr=$BLOB,force-raw=on \
		-device loader,file="$FAKE",addr=$KERNEL,force-raw=on \
		-device loader,file="$W/data1.bin",addr=$DATA1,force-raw=on \
		-device loader,file="$W/data2.bin",addr=$DATA2,force-raw=on \
		$stub -device loader,addr=$pc,cpu-num=0 \
		>"$W/$name.log" 2>&1
	echo "# $name: exit $?, log $W/$name.log"
}

# timing NAME LOG: "verifying" to "jumping", host-side timestamps, and
# "jumping" to the fake kernel's line (the clean to the PoC, MMU off).
timing() {
	awk -v name="$1" -v mb="$MB" '
		/purgatory: verifying/ { w0 = $1; c0 = $2 }
		/purgatory: jumping/   { w1 = $1; c1 = $2 }
		/FAKE-KERNEL/          { w2 = $1; c2 = $2 }
		END {
			if (w1 == "" || w1 == w0 || c1 == c0) {
				printf "# %s: no timing\n", name
				exit
			}
			printf "# %s: %.1f MB verified in %.3f s wall (%.1f MB/s), " \
			       "%.2f s QEMU CPU (%.1f MB/s); jumping -> kernel " \
			       "%.3f s wall, %.2f s CPU\n",
			       name, mb, w1 - w0, mb / (w1 - w0), c1 - c0,
			       mb / (c1 - c0), w2 - w1, c2 - c1
		}' "$2"
}

# check_boot NAME LOG EL [SEGMENTS]: the purgatory verified everything
# (3 segments unless told) and entered the fake kernel as booting.rst wants
# it: x0 = dtb, x1..x3 = 0, at the EL it was entered at, DAIF masked, and
# SCTLR_ELx.M, C and I clear, whatever the purgatory did in between.
check_boot() {
	expect "$1: verifying ${4:-3} segments" "$2" \
		"^[0-9.]+ [0-9.]+ purgatory: verifying ${4:-3} segments\$"
	expect "$1: jumping to the kernel" "$2" "purgatory: jumping to $KERNEL\$"
	expect "$1: FAKE-KERNEL x0=dtb, x1..x3=0" "$2" \
		'FAKE-KERNEL x0=0x0000000040000000 x1=0x0+ x2=0x0+ x3=0x0+ '
	expect "$1: entered at EL$3" "$2" "FAKE-KERNEL .* el=$3 "
	expect "$1: SCTLR_EL$3.M, C and I clear at entry (MMU, D-cache, I-cache off)" \
		"$2" 'FAKE-KERNEL .* m=0 c=0 i=0 '
	expect "$1: DAIF all masked at entry" "$2" 'daif=0x0+3c0$'
	reject "$1: no exception" "$2" 'purgatory: exception'
}

# mmu_on NAME LOG ERE: the hashing ran with the MMU and caches on, the
# purgatory's line about it (before "verifying") matching ERE after
# "MMU and caches on at ".
mmu_on() {
	expect "$1: MMU and caches on for the hashing" "$2" \
		"^[0-9.]+ [0-9.]+ purgatory: MMU and caches on at $3"
	reject "$1: no fallback to the MMU off" "$2" 'hashing with the MMU off'
}

# 1. SHA-2 instructions, entered at EL1 (QEMU's PSCI on hvc).
i=1
while [ $i -le "$REPEAT" ]; do
	run sha2-el1 "$PG" virt "$CPU_MAX" 'FAKE-KERNEL'
	timing "SHA-2 instructions, EL1, -cpu max" "$W/sha2-el1.log"
	i=$((i + 1))
done
check_boot "sha2 el1" "$W/sha2-el1.log" 1
mmu_on "sha2 el1" "$W/sha2-el1.log" 'EL1: 5 ranges in 9 page tables, 48-bit PA$'

# 2. The same at EL2 (virtualization=on; PSCI on smc).
run sha2-el2 "$PG" virt,virtualization=on "$CPU_MAX" 'FAKE-KERNEL'
timing "SHA-2 instructions, EL2, -cpu max" "$W/sha2-el2.log"
check_boot "sha2 el2" "$W/sha2-el2.log" 2
mmu_on "sha2 el2" "$W/sha2-el2.log" 'EL2: 5 ranges'

# 3. An older core (ID_AA64ISAR0_EL1.SHA2 = 1, no SHA-512, no pauth; its
# ID_AA64MMFR0_EL1.PARange says 40 bits, which TCR_EL1.IPS gets).
run sha2-a53 "$PG" virt cortex-a53 'FAKE-KERNEL'
timing "SHA-2 instructions, EL1, -cpu cortex-a53" "$W/sha2-a53.log"
check_boot "sha2 cortex-a53" "$W/sha2-a53.log" 1
mmu_on "sha2 cortex-a53" "$W/sha2-a53.log" 'EL1: .*, 40-bit PA$'

# 4. The portable C path.
i=1
while [ $i -le "$REPEAT" ]; do
	run generic-el1 "$PG_GENERIC" virt "$CPU_MAX" 'FAKE-KERNEL'
	timing "portable C, EL1, -cpu max" "$W/generic-el1.log"
	i=$((i + 1))
done
check_boot "generic el1" "$W/generic-el1.log" 1
mmu_on "generic el1" "$W/generic-el1.log" 'EL1: '

# 5. FP/SIMD left trapped by the previous kernel: the purgatory untraps it
# at its own EL (CPACR_EL1; CPTR_EL2.TFP; CPTR_EL2.FPEN under E2H) and
# still uses the SHA-2 instructions.  Under E2H the MMU is set up through
# the _EL2 registers in their EL1 layouts.
for t in "el1 virt 0" "el2 virt,virtualization=on 0" \
	 "el2-e2h virt,virtualization=on 0x80"; do
	# shellcheck disable=SC2086 # split "name machine start" on purpose
	set -- $t
	START=$3 run "fptrap-$1" "$PG" "$2" "$CPU_MAX" 'FAKE-KERNEL'
	START=
	el=${1%-e2h}
	el=${el#el}
	check_boot "fp trapped $1" "$W/fptrap-$1.log" "$el"
	case $1 in
	*-e2h) mmu_on "fp trapped $1" "$W/fptrap-$1.log" 'EL2 \(E2H\): ' ;;
	*) mmu_on "fp trapped $1" "$W/fptrap-$1.log" "EL$el: " ;;
	esac
done

# 5b. A VHE host, as Linux runs one at EL2 and kexecs from: HCR_EL2.E2H and
# TGE set (fp-trap-arm64.S +0x100), FP/SIMD not trapped.
START=0x100 run vhe "$PG" virt,virtualization=on "$CPU_MAX" 'FAKE-KERNEL'
START=
check_boot "vhe host" "$W/vhe.log" 2
mmu_on "vhe host" "$W/vhe.log" 'EL2 \(E2H\): '

# 6. Segment 2's digest corrupted: report it, halt, never enter the kernel.
run corrupt "$PG" virt "$CPU_MAX" 'sha256 mismatch' --bad-digest 2
expect "corrupt: mismatch reported" "$W/corrupt.log" \
	'purgatory: sha256 mismatch in segment 2$'
reject "corrupt: no jump" "$W/corrupt.log" 'purgatory: jumping'
reject "corrupt: kernel not entered" "$W/corrupt.log" 'FAKE-KERNEL'

# 7. Same with the portable path, which must agree on what is corrupt.
run corrupt-generic "$PG_GENERIC" virt "$CPU_MAX" 'sha256 mismatch' --bad-digest 1
expect "corrupt generic: mismatch reported" "$W/corrupt-generic.log" \
	'purgatory: sha256 mismatch in segment 1$'
reject "corrupt generic: kernel not entered" "$W/corrupt-generic.log" 'FAKE-KERNEL'

# 8. A segment in unbacked memory, mapped Normal like any other: the
# purgatory's own vectors report the external abort (current EL, SPx,
# synchronous: offset 0x200) and halt.
for el in 1 2; do
	machine=virt
	[ $el = 2 ] && machine=virt,virtualization=on
	run "fault-el$el" "$PG" "$machine" "$CPU_MAX" 'purgatory: exception' \
		--region @0x800000000+4096
	expect "fault el$el: exception reported" "$W/fault-el$el.log" \
		'purgatory: exception at vector 0x200 esr=0x9[67]'
	reject "fault el$el: kernel not entered" "$W/fault-el$el.log" 'FAKE-KERNEL'
done

# 9. No console: nothing printed (nothing mapped for it either), still
# verified and entered.
run headless "$PG" virt "$CPU_MAX" 'FAKE-KERNEL' --console none
reject "headless: purgatory silent" "$W/headless.log" 'purgatory:'
expect "headless: kernel entered, MMU and caches off" "$W/headless.log" \
	'FAKE-KERNEL x0=0x0000000040000000 .* m=0 c=0 i=0 '

# 10. The console itself faults (its base is unbacked): the report of the
# first fault faults too.  The purgatory must stop there, not take the same
# abort forever.  Nothing can be printed, so QEMU's own exception log
# (-d int) counts what was taken in 10 s: the console access, the report's
# first console access, then the halt.  Without the guard it is thousands.
rm -f "$W/reenter.int"
QEMU_EXTRA="-d int -D $W/reenter.int" RUN_TIMEOUT=10 \
	run reenter "$PG" virt "$CPU_MAX" 'never printed' --console pl011:0x800000000
QEMU_EXTRA= RUN_TIMEOUT=
n=$(grep -c 'Taking exception' "$W/reenter.int" 2>/dev/null)
if [ "${n:-0}" -eq 2 ]; then
	ok "reenter: halted after 2 exceptions (console fault, report's fault)"
else
	not_ok "reenter: ${n:-no} exceptions taken in 10 s (want 2; log $W/reenter.int)"
fi
reject "reenter: kernel not entered" "$W/reenter.log" 'FAKE-KERNEL'

# 11. Regions at the edges of what the identity map is made of, 16 in all
# (run()'s 3 + 13), at each regime (descriptor bits differ: AP[1] RES1 and
# one XN bit at EL2 without E2H).  A page missing at an edge would be a
# translation fault, reported as an exception; every region must hash
# right through the map.  ADDR:LEN, random bytes loaded at ADDR:
#   straddling a 2 MiB boundary, unaligned at both ends; exactly one 2 MiB
#   block; a block and one byte more; exactly one page; a page and, in the
#   same level-3 table, a lone 16 bytes after a gap page; the last byte of
#   a page and the rest of that page as two regions; a page, a block and a
#   page; across the 1 GiB boundary at 0x80000000; the last 256 bytes of
#   RAM; the 256 bytes just below the purgatory; 0x123 bytes just past its
#   memory (mem_size, page-rounded), in its level-3 table
# and a 0-byte region at the top of the address space, beyond any PA range:
# nothing of it may be mapped (it would make the map fail).
mem_size=$(od -An -tu4 -j12 -N4 "$PG" | tr -d ' ')
after_blob=$(printf '%#x' $(((BLOB + mem_size + 4095) / 4096 * 4096)))
EDGES="0x4a1fff01:0x200 0x4a400000:0x200000 0x4a800000:0x200001
0x4ac00000:0x1000 0x4ac02000:0x10 0x4ae00fff:1 0x4ae00000:0xfff
0x4b0ff001:0x400000 0x7fffff00:0x200 0xbfffff00:0x100 0x47ffff00:0x100
$after_blob:0x123"
edge_loads=
edge_regions=
n=0
for e in $EDGES; do
	addr=${e%%:*}
	len=$((${e#*:}))
	f="$W/edge$n.bin"
	if [ "$(stat -c %s "$f" 2>/dev/null)" != "$len" ]; then
		head -c "$len" /dev/urandom >"$f"
	fi
	edge_loads="$edge_loads -device loader,file=$f,addr=$addr,force-raw=on"
	edge_regions="$edge_regions --region $f@$addr"
	n=$((n + 1))
done
edge_regions="$edge_regions --region zero@0xfffffffffffff000+0"
for t in "el1 virt 0 1" "el2 virt,virtualization=on 0 2" \
	 "vhe virt,virtualization=on 0x100 2"; do
	# shellcheck disable=SC2086 # split on purpose
	set -- $t
	# shellcheck disable=SC2086 # words on purpose
	QEMU_EXTRA=$edge_loads START=$3 \
		run "edges-$1" "$PG" "$2" "$CPU_MAX" 'FAKE-KERNEL' $edge_regions
	QEMU_EXTRA= START=
	check_boot "edges $1" "$W/edges-$1.log" "$4" 16
	mmu_on "edges $1" "$W/edges-$1.log" "EL$4.*: 17 ranges"
done

# 12. One region of 1 GiB + 4 KiB of untouched (zero) RAM with -m 3G: the
# last page below 0xc0000000, then the GiB up to the end of RAM at 4 GiB,
# which is one level-1 block: 9 tables as in run 1, plus a level-2 and a
# level-3 table for that first page, and none for the GiB (512 2 MiB
# blocks would need a table more).
RAM=3G run gib-el1 "$PG" virt "$CPU_MAX" 'FAKE-KERNEL' \
	--region zero@0xbffff000+0x40001000
RAM=2G
check_boot "1 GiB block to the end of RAM" "$W/gib-el1.log" 1 4
mmu_on "1 GiB block to the end of RAM" "$W/gib-el1.log" \
	'EL1: 6 ranges in 11 page tables, 48-bit PA$'

# 13. Fallbacks: what cannot be mapped is hashed with the MMU off, as
# before, after one line saying why.  A segment on the purgatory's own
# code page (one page cannot be both our executable code and an
# execute-never segment): still verified and entered.
dd if="$PG" of="$W/blob-page1.bin" bs=4096 skip=1 count=1 2>/dev/null
run overlap "$PG" virt "$CPU_MAX" 'FAKE-KERNEL' \
	--region "$W/blob-page1.bin@$((BLOB + 4096))"
expect "overlap: one line, MMU off" "$W/overlap.log" \
	'purgatory: hashing with the MMU off: segment 3 overlaps a mapping with other attributes$'
reject "overlap: MMU not turned on" "$W/overlap.log" 'MMU and caches on'
check_boot "overlap" "$W/overlap.log" 1 4

# A segment beyond the 40-bit PA range of a Cortex-A53: said so, and the
# MMU-off hash then faults (address size) and is reported as ever.
run beyond-pa "$PG" virt cortex-a53 'purgatory: exception' \
	--region @0x10000000000+4096
expect "beyond pa: one line, MMU off" "$W/beyond-pa.log" \
	'purgatory: hashing with the MMU off: segment 3 is beyond the 40-bit physical address range$'
expect "beyond pa: exception reported" "$W/beyond-pa.log" \
	'purgatory: exception at vector 0x200 esr=0x96'
reject "beyond pa: kernel not entered" "$W/beyond-pa.log" 'FAKE-KERNEL'

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
