#!/bin/bash
# bench/shim-kernel-compression.sh: which kernel compression boots the shim
# kernel fastest under QEMU TCG.  Builds the shim kernel once per variant
# (each in its own cached build/cache/shim-kernel-ARCH-HASH/, the later ones
# seeded from the first so only the compression-dependent objects rebuild)
# and boots each RUNS times (default 3, round-robin) straight from the firmware
# (tools/run-qemu --kernel: OVMF/AAVMF load it through the EFI stub) with the
# test initramfs (kernel/test-init.c).  Prints per variant: image size, the
# median wall and QEMU CPU seconds from QEMU start to "SHIM-INIT-REACHED",
# and the median kernel uptime at /init (/proc/uptime: excludes firmware and
# the decompressor, which runs before the kernel's clock starts).
#
#   bench/shim-kernel-compression.sh x86_64|arm64 [VARIANT...]
# Variants: x86_64 gzip lz4 zstd (a bzImage is always compressed); arm64
# image (plain Image, no compression) zboot-gzip zboot-lz4 zboot-zstd.
# Output: the table on stdout and in build/bench/shim-kernel-compression-ARCH.txt,
# serial logs in build/qemu/logs/.
set -eu

arch="${1:?usage: bench/shim-kernel-compression.sh x86_64|arm64 [VARIANT...]}"
shift
top="$(cd "$(dirname "$0")/.." && pwd)"
cd "$top"
runs="${RUNS:-3}"
timed=test/purgatory/qemu-timed.py
comps="GZIP BZIP2 LZMA XZ LZO LZ4 ZSTD"
case "$arch" in
x86_64) console=ttyS0; all="gzip lz4 zstd" ;;
arm64) console=ttyAMA0; all="image zboot-gzip zboot-lz4 zboot-zstd" ;;
*) echo "unknown ARCH '$arch'" >&2; exit 2 ;;
esac
variants="${*:-$all}"

# The variant the fragments already select builds without an extra fragment,
# so it shares its cache with `make shim-kernel`.
default_variant() {
	local frag="kernel/$arch.config" c
	c="$(sed -n 's/^CONFIG_KERNEL_\([A-Z0-9]*\)=y$/\1/p' "$frag" | tr A-Z a-z)"
	if [ "$arch" = x86_64 ]; then
		echo "$c"
	elif grep -qx 'CONFIG_EFI_ZBOOT=y' "$frag"; then
		echo "zboot-$c"
	else
		echo image
	fi
}

# Write the fragment that switches the compression to variant $1.
variant_fragment() {
	local v="$1" out="$2" want c
	case "$v" in
	image) want="" ;;
	zboot-*) want="${v#zboot-}" ;;
	*) want="$v" ;;
	esac
	want="$(tr a-z A-Z <<<"$want")"
	{
		echo "# $v: written by bench/shim-kernel-compression.sh"
		case "$v" in
		image) echo "# CONFIG_EFI_ZBOOT is not set" ;;
		zboot-*) echo "CONFIG_EFI_ZBOOT=y" ;;
		esac
		for c in $comps; do
			if [ "$c" = "$want" ]; then
				echo "CONFIG_KERNEL_$c=y"
			else
				echo "# CONFIG_KERNEL_$c is not set"
			fi
		done
	} >"$out"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR ? v[int((NR + 1) / 2)] : "-") }'; }

work="build/bench/shim-kernel-compression/$arch"
mkdir -p "$work" build/qemu/logs
initrd="$(kernel/mk-test-initramfs "$arch" "build/qemu/shim-kernel-$arch")"
def="$(default_variant)"
echo "building the $arch shim kernel ($def, as the fragments say)" >&2
seed_img="$(tools/build-shim-kernel "$arch")"
seed="$(dirname "$seed_img")"

# Build every variant first, then boot them round-robin, so that load from
# other work on the machine spreads over all variants alike.
declare -A img
for v in $variants; do
	if [ "$v" = "$def" ]; then
		img[$v]="$seed_img"
	else
		variant_fragment "$v" "$work/$v.config"
		echo "building variant $v" >&2
		img[$v]="$(SHIM_KERNEL_FRAGMENTS="$work/$v.config" SHIM_KERNEL_SEED="$seed" \
			tools/build-shim-kernel "$arch")"
	fi
	: >"$work/$v.times"
done
for r in $(seq "$runs"); do
	for v in $variants; do
		log="build/qemu/logs/shim-kernel-compression-$arch-$v-$r.log"
		python3 "$timed" --until '^SHIM-INIT-DONE' --timeout 150 -- \
			tools/run-qemu --arch "$arch" --mem 2G --smp 2 --kernel "${img[$v]}" \
			--initrd "$initrd" --append "console=$console panic=-1" \
			--timeout 140 >"$log" 2>&1 || true
		# "WALL CPU SHIM-INIT-REACHED uptime=U" (the line may follow escapes)
		line="$(grep -a 'SHIM-INIT-REACHED' "$log" | head -1)" || {
			echo "$v run $r: /init not reached (log: $log)" >&2
			continue
		}
		read -r wall cpu _ <<<"$line"
		up="$(sed -n 's/.*uptime=\([0-9.]*\).*/\1/p' <<<"$line")"
		echo "$wall $cpu $up" >>"$work/$v.times"
		echo "$v run $r: wall $wall s, cpu $cpu s, uptime $up s" >&2
	done
done

table="build/bench/shim-kernel-compression-$arch.txt"
{
	echo "# $arch, QEMU TCG, 2 GiB, -smp 2, median of $runs boots (round-robin); $(date -u +%F)"
	printf '%-12s %10s %10s %10s %10s\n' variant bytes wall_s cpu_s uptime_s
	for v in $variants; do
		printf '%-12s %10s %10s %10s %10s\n' "$v" "$(stat -c %s "${img[$v]}")" \
			"$(cut -d' ' -f1 "$work/$v.times" | median)" \
			"$(cut -d' ' -f2 "$work/$v.times" | median)" \
			"$(cut -d' ' -f3 "$work/$v.times" | median)"
	done
} >"$table"
cat "$table"
