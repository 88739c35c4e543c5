#!/bin/bash
# test/qemu/mkimages.sh: build the images of the QEMU chain tests and of
# `make run` (called by test/qemu/qemu.mk, at build time, on the host):
#   OUT/shim-initramfs.img   kexshim as /init + the shim's modules
#   OUT/target/initrd.img    target-init as /init + efivarfs.ko + /expected/*
#   OUT/target/random.img    second initrd: /random.bin, 24 MiB + 12345 bytes
#   OUT/esp-gpt.img          good chain, GPT disk (OUT/esp-gpt.partuuid)
#   OUT/esp-whole.img        good chain, partitionless FAT
#   OUT/esp-bad.img          two broken target entries (wrong magic, truncated)
#   OUT/esp-mmio.img         x86_64 only: the good chain with the shim's last
#                            console an MMIO 8250 (see mmio_console below)
#   OUT/esp-mini.img         the good chain with the minimal shim kernel
#                            ($SHIM_KERNEL, tools/build-shim-kernel)
#   OUT/sources.img, OUT/menu.img   test/qemu/mkdisks.sh
# ARCH is x86_64 (bzImage, ttyS0, BOOTX64.EFI) or arm64 (Image, ttyAMA0,
# BOOTAA64.EFI); TARGET-INIT must be built for ARCH.
# Usage: test/qemu/mkimages.sh ARCH BUILD-DIR KERNEL-DIR TARGET-INIT OUT
set -eu -o pipefail

die() { echo "mkimages: $*" >&2; exit 1; }
[ $# = 5 ] || die "usage: mkimages.sh ARCH BUILD-DIR KERNEL-DIR TARGET-INIT OUT"
arch="$1" bdir="$2" kdir="$3" tinit="$4" out="$5"
top="$(cd "$(dirname "$0")/../.." && pwd)"
# Per arch: the serial console, and where the broken kernel's magic is
# overwritten (x86 boot.rst: "HdrS" at 0x202; arm64 booting.rst: "ARM\x64"
# at 0x38).  arm64's target also gets `earlycon` (SPCR in ACPI mode,
# stdout-path with a device tree): its first line then comes from the
# kernel's first printk, which bench/ times from the purgatory on.
case "$arch" in
x86_64) console=ttyS0,115200 tcon="console=$console" magic_off=0x202 magic=XdrS ;;
arm64) console=ttyAMA0 tcon="earlycon console=ttyAMA0" magic_off=0x38 magic=XRMd ;;
*) die "unknown ARCH '$arch' (x86_64, arm64)" ;;
esac
for f in "$bdir/kexshim.efi" "$bdir/kexshim" "$kdir/vmlinuz" "$kdir/version" "$tinit"; do
	[ -f "$f" ] || die "missing $f"
done
kver="$(cat "$kdir/version")"
mods="$kdir/lib/modules/$kver"
vmlinuz="$kdir/vmlinuz"
tdir="$out/target"
rm -rf "$tdir" && mkdir -p "$tdir/expected"

# The shim's kernel command line (read by kexshim.efi from kexshim.conf).
shim_opts="console=$console panic=-1 loglevel=4 kexshim.emergency=reboot kexshim.emergency_delay=1"
cat >"$out/kexshim.conf" <<EOF
# kexshim.conf: the shim Linux that kexshim.efi starts
kernel /shim/vmlinuz
initrd /shim/initramfs.img
options $shim_opts
EOF

# The target's options: quotes and a long value (>= 300 bytes) must survive
# BLS parsing, kexec and boot_params exactly.
long="$(printf 'kexshim-%03d.' $(seq 1 30))"
opts="$tcon panic=-1 kexshim_test.long=$long kexshim_test.q=\"a b c\" kexshim_test.last=1"
printf '%s\n' "$opts" >"$tdir/expected/cmdline"
echo 2 >"$tdir/expected/cpus"
head -c $((24 * 1048576 + 12345)) /dev/urandom >"$tdir/random.bin"
sha256sum "$tdir/random.bin" | cut -c1-64 >"$tdir/expected/random.sha256"

"$top/tools/mkinitramfs" -o "$out/shim-initramfs.img" --init "$bdir/kexshim" \
	--modules-dir "$mods"
"$top/tools/mkinitramfs" -o "$tdir/initrd.img" --init "$tinit" \
	--modules-dir "$mods" --modules efivarfs --add "$tdir/expected:/expected"
"$top/tools/mkinitramfs" -o "$tdir/random.img" --bare --compress none \
	--add "$tdir/random.bin:/random.bin"
rm -f "$tdir/random.bin"

cat >"$tdir/loader.conf" <<EOF
default kexshim-test*
timeout 0
EOF
cat >"$tdir/kexshim-test.conf" <<EOF
title   kexshim test target
linux   /target/vmlinuz
initrd  /target/initrd.img
initrd  /target/random.img
options $opts
EOF

# Broken targets: the magic overwritten, and a kernel cut in half.
cp "$vmlinuz" "$tdir/vmlinuz-badmagic"
printf '%s' "$magic" | dd of="$tdir/vmlinuz-badmagic" bs=1 seek=$((magic_off)) conv=notrunc status=none
head -c $(( $(stat -L -c %s "$vmlinuz") / 2 )) "$vmlinuz" >"$tdir/vmlinuz-truncated"
cat >"$tdir/loader-bad.conf" <<EOF
default kexshim-bad-1-magic
timeout 0
EOF
for e in 1-magic:badmagic 2-truncated:truncated; do
	cat >"$tdir/kexshim-bad-${e%%:*}.conf" <<EOF
title   kexshim broken target (${e#*:})
linux   /target/vmlinuz-${e#*:}
initrd  /target/initrd.img
options $opts
EOF
done

shim_files=(--add "$vmlinuz:/shim/vmlinuz"
	--add "$out/shim-initramfs.img:/shim/initramfs.img"
	--add "$tdir/initrd.img:/target/initrd.img")
common=(--arch "$arch" --efi "$bdir/kexshim.efi" --conf "$out/kexshim.conf"
	"${shim_files[@]}")
good=(--add "$vmlinuz:/target/vmlinuz"
	--add "$tdir/random.img:/target/random.img"
	--add "$tdir/loader.conf:/loader/loader.conf"
	--add "$tdir/kexshim-test.conf:/loader/entries/kexshim-test.conf")
msg="$("$top/tools/mkesp" -o "$out/esp-gpt.img" --gpt "${common[@]}" "${good[@]}")"
printf '%s\n' "$msg"
printf '%s\n' "$msg" | sed -n 's/^mkesp: PARTUUID=//p' >"$out/esp-gpt.partuuid"
"$top/tools/mkesp" -o "$out/esp-whole.img" --whole-disk "${common[@]}" "${good[@]}"
"$top/tools/mkesp" -o "$out/esp-bad.img" --gpt "${common[@]}" \
	--add "$tdir/vmlinuz-badmagic:/target/vmlinuz-badmagic" \
	--add "$tdir/vmlinuz-truncated:/target/vmlinuz-truncated" \
	--add "$tdir/loader-bad.conf:/loader/loader.conf" \
	--add "$tdir/kexshim-bad-1-magic.conf:/loader/entries/kexshim-bad-1-magic.conf" \
	--add "$tdir/kexshim-bad-2-truncated.conf:/loader/entries/kexshim-bad-2-truncated.conf" >/dev/null
rm -f "$tdir/vmlinuz-badmagic" "$tdir/vmlinuz-truncated"

# x86_64: a Linux-boot-protocol payload that is no Linux, built by others:
# Debian's memtest86+ (its syssize rounds up, non-relocatable at 1 MiB).
if [ "$arch" = x86_64 ]; then
	memtest="$("$top/tools/fetch-deb" memtest86+:amd64)/boot/memtest86+x64.bin"
	cat >"$tdir/memtest.conf" <<EOF
title   memtest86+ (Debian)
linux   /memtest86+x64.bin
options console=ttyS0,115200
EOF
	"$top/tools/mkesp" -o "$out/esp-memtest.img" --gpt "${common[@]}" \
		--add "$memtest:/memtest86+x64.bin" \
		--add "$tdir/memtest.conf:/loader/entries/memtest.conf" >/dev/null
fi
# x86_64: the entries on a second disk whose primary GPT header is gone.
# The firmware cannot use that disk (read-only: it cannot restore the
# primary), Linux makes no partitions of it (no "gpt" parameter), so the
# shim must read the backup GPT itself and add the partition.
if [ "$arch" = x86_64 ]; then
	uuid2=6b1f3c2e-5d4a-4e8b-9c7d-2a1b0c9d8e7f
	sed "s/^options .*/& kexshim.esp=PARTUUID=$uuid2/" "$out/kexshim.conf" \
		>"$out/kexshim-disk2.conf"
	"$top/tools/mkesp" -o "$out/esp-boot-only.img" --gpt --arch "$arch" \
		--efi "$bdir/kexshim.efi" --conf "$out/kexshim-disk2.conf" \
		--add "$vmlinuz:/shim/vmlinuz" \
		--add "$out/shim-initramfs.img:/shim/initramfs.img" >/dev/null
	"$top/tools/mkesp" -o "$out/esp-backup-gpt.img" --gpt --arch "$arch" \
		--efi "$bdir/kexshim.efi" --part-uuid "$uuid2" \
		--add "$tdir/initrd.img:/target/initrd.img" "${good[@]}" >/dev/null
	dd if=/dev/zero of="$out/esp-backup-gpt.img" bs=512 seek=1 count=1 \
		conv=notrunc status=none
	echo "$uuid2" >"$out/esp-backup-gpt.partuuid"
fi
# x86_64: the shim's last console= (the one kexshim hands the purgatory) an
# MMIO 8250 outside kexec's identity map, which maps RAM, the segments, EFI
# and ACPI tables only.  q35 has no MMIO UART, so the "UART" is PCI config
# space: OVMF puts q35's MMCONFIG (ECAM) at 0xb0000000, and bus 0x80 has no
# device, so every read returns all ones (LSR says THRE: neither the shim's
# earlycon nor the purgatory waits) and writes are dropped.  ttyS0 stays the
# shim's console; the purgatory prints into the void and must still reach
# the target.
if [ "$arch" = x86_64 ]; then
	mmio_console=uart8250,mmio,0xb8000000
	sed "s|^options .*|options console=$console console=$mmio_console ${shim_opts#console=$console }|" \
		"$out/kexshim.conf" >"$out/kexshim-mmio.conf"
	grep -q "console=$mmio_console panic=-1" "$out/kexshim-mmio.conf" ||
		die "kexshim-mmio.conf: options not rewritten"
	"$top/tools/mkesp" -o "$out/esp-mmio.img" --gpt --arch "$arch" \
		--efi "$bdir/kexshim.efi" --conf "$out/kexshim-mmio.conf" \
		"${shim_files[@]}" "${good[@]}" >/dev/null
fi
# The good chain with the minimal shim kernel (tools/build-shim-kernel,
# $SHIM_KERNEL): every driver built in, so its initramfs is kexshim alone.
if [ -n "${SHIM_KERNEL:-}" ]; then
	[ -f "$SHIM_KERNEL" ] || die "SHIM_KERNEL '$SHIM_KERNEL' not found"
	"$top/tools/mkinitramfs" -o "$out/mini-initramfs.img" --init "$bdir/kexshim"
	"$top/tools/mkesp" -o "$out/esp-mini.img" --gpt --arch "$arch" \
		--efi "$bdir/kexshim.efi" --conf "$out/kexshim.conf" \
		--add "$SHIM_KERNEL:/shim/vmlinuz" \
		--add "$out/mini-initramfs.img:/shim/initramfs.img" \
		--add "$tdir/initrd.img:/target/initrd.img" "${good[@]}" >/dev/null
fi

# The disks of the "boot what is installed" runs.
"$top/test/qemu/mkdisks.sh" "$arch" "$bdir" "$kdir" "$out"
echo "mkimages: images in $out"
