#!/bin/bash
# test/qemu/mksecure.sh: the images of the Secure Boot, TPM and purgatory
# tests (test/qemu/secure-ARCH.sh, tpm-x86_64.sh, corrupt-ARCH.sh), built
# at build time on the host after test/qemu/mkimages.sh, from its files in
# OUT (shim initramfs, target initrds, the good entries):
#   OUT/esp-corrupt.img    the good chain, with kexshim-test as the shim's
#                          /init and kexshim_test.corrupt_digest=1: the
#                          purgatory must find segment 1's digest wrong
#   x86_64:
#   OUT/esp-sb-uki.img     signed loader and shim kernel (snakeoil: db of
#                          OVMF_VARS_4M.snakeoil.fd); entries in fallback
#                          order: a signed UKI with one byte of its .initrd
#                          changed (the default), an unsigned kernel,
#                          Debian's kernel as Debian signed it (a key not in
#                          db), the signed UKI, which boots
#   OUT/esp-sb-type1.img   signed loader and shim; one Type #1 entry: the
#                          snakeoil-signed kernel with two initrds (booted
#                          with Secure Boot by kexec_file_load, without by
#                          kexec_load: the TPM run uses it too)
#   arm64:
#   OUT/esp-sb-locked.img  signed loader and shim (AAVMF's snakeoil store),
#                          the good entries: Debian's arm64 kernel has no
#                          kexec_file_load, so under lockdown nothing boots
#   OUT/esp-sb-mini.img    signed loader and minimal shim kernel; one Type #1
#                          entry: the minimal kernel's raw Image, signed,
#                          with a TPM-checking initrd (PCRs 9 and 12)
# Targets that check the TPM get /expected/tpm (the PCRs that must hold
# events) and, on their command line, kexshim_test.tpm_sha256=NAME=HEX,...:
# sha256sum's digests of the files and sections measured (see
# test/qemu/target-tpm.c); their command line is not in /expected (it
# names their own initrd's digest), the PCR 12 event checks it instead.
# Usage: test/qemu/mksecure.sh ARCH BUILD-DIR KERNEL-DIR TARGET-INIT OUT
set -eu -o pipefail

die() { echo "mksecure: $*" >&2; exit 1; }
[ $# = 5 ] || die "usage: mksecure.sh ARCH BUILD-DIR KERNEL-DIR TARGET-INIT OUT"
arch="$1" bdir="$2" kdir="$3" tinit="$4" out="$5"
top="$(cd "$(dirname "$0")/../.." && pwd)"
case "$arch" in
x86_64) console=ttyS0,115200 tcon="console=$console" stub=/usr/lib/systemd/boot/efi/linuxx64.efi.stub ;;
arm64) console=ttyAMA0 tcon="earlycon console=ttyAMA0" stub="" ;;
*) die "unknown ARCH '$arch'" ;;
esac
for f in "$bdir/kexshim.efi" "$bdir/kexshim-test" "$kdir/vmlinuz" "$tinit" \
	 "$out/kexshim.conf" "$out/shim-initramfs.img" "$out/target/initrd.img" \
	 "$out/target/random.img" "$out/target/loader.conf" "$out/target/kexshim-test.conf"; do
	[ -f "$f" ] || die "missing $f (mkimages.sh first)"
done
kver="$(cat "$kdir/version")"
mods="$kdir/lib/modules/$kver"
sdir="$out/secure"
rm -rf "$sdir" && mkdir -p "$sdir"
sha() { sha256sum "$1" | cut -c1-64; }

# The good chain's ESP contents, as mkimages.sh put them.
good=(--add "$out/target/initrd.img:/target/initrd.img"
	--add "$kdir/vmlinuz:/target/vmlinuz"
	--add "$out/target/random.img:/target/random.img"
	--add "$out/target/loader.conf:/loader/loader.conf"
	--add "$out/target/kexshim-test.conf:/loader/entries/kexshim-test.conf")

# Purgatory corruption: the test build of kexshim as the shim's /init.
"$top/tools/mkinitramfs" -o "$sdir/shim-initramfs-test.img" --init "$bdir/kexshim-test" \
	--modules-dir "$mods"
sed 's/^options .*/& kexshim_test.corrupt_digest=1/' "$out/kexshim.conf" >"$sdir/kexshim-corrupt.conf"
"$top/tools/mkesp" -o "$out/esp-corrupt.img" --gpt --arch "$arch" --efi "$bdir/kexshim.efi" \
	--conf "$sdir/kexshim-corrupt.conf" --add "$kdir/vmlinuz:/shim/vmlinuz" \
	--add "$sdir/shim-initramfs-test.img:/shim/initramfs.img" "${good[@]}" >/dev/null

# What the firmware starts under Secure Boot: kexshim.efi and the shim
# kernel, signed with the snakeoil key; the shim initramfs is served from
# the ESP by kexshim.efi, which under Secure Boot serves only an initrd
# whose SHA-256 its signed .pins holds (tools/mkbundle --pin-initrd; the
# one-file bundle's own runs are test/qemu/chain-pkg.sh's).
# No menu between refused entries: the runs stay short (the fallback is
# the same with it).
signed_loader() {
	local pins=(--pin-initrd "$out/shim-initramfs.img")
	[ ! -f "$out/mini-initramfs.img" ] || pins+=(--pin-initrd "$out/mini-initramfs.img")
	"$top/tools/mkbundle" -o "$sdir/kexshim-pinned.efi" --efi "$bdir/kexshim.efi" \
		"${pins[@]}" >/dev/null
	"$top/tools/sign-efi" -o "$sdir/kexshim.efi" "$sdir/kexshim-pinned.efi"
	"$top/tools/sign-efi" -o "$sdir/vmlinuz-shim" "$kdir/vmlinuz"
	sed 's/^options .*/& kexshim.menu=never/' "$out/kexshim.conf" >"$sdir/kexshim-sb.conf"
	loader=(--arch "$arch" --efi "$sdir/kexshim.efi" --conf "$sdir/kexshim-sb.conf"
		--add "$sdir/vmlinuz-shim:/shim/vmlinuz"
		--add "$out/shim-initramfs.img:/shim/initramfs.img")
}
signed_loader

# arm64 under lockdown with the minimal shim kernel ($SHIM_KERNEL: built
# with KEXEC_FILE and the MMIO TPM driver): the signed shim boots a
# snakeoil-signed target through kexec_file_load and measures it.  The
# target is the minimal kernel too (Debian's arm64 kernel has no tpm_tis
# for tpm-tis-device, so it could not read the PCRs back).  Both are its
# raw Image, signed: arm64's kexec_file_load takes no zboot, and the zboot
# vmlinuz.efi, signed outside, still fails under Secure Boot ("EFI
# decompressor: Failed to load image", Access Denied): its decompressor
# LoadImage()s the inner Image, which only a kernel built with
# CONFIG_EFI_ZBOOT_SIGNED has signed.
mini_locked() {
	local image e
	[ -f "${SHIM_KERNEL:-}" ] || die "SHIM_KERNEL '${SHIM_KERNEL:-}' not found"
	image="$(dirname "$SHIM_KERNEL")/arch/arm64/boot/Image"
	[ -f "$image" ] || die "no raw Image beside $SHIM_KERNEL"
	"$top/tools/sign-efi" -o "$sdir/Image-signed" "$image"
	[ -f "$out/mini-initramfs.img" ] || die "missing $out/mini-initramfs.img (mkimages.sh with SHIM_KERNEL)"
	e="$sdir/expected-mini"
	rm -rf "$e" && mkdir -p "$e"
	echo 2 >"$e/cpus"
	echo "9 12" >"$e/tpm"
	"$top/tools/mkinitramfs" -o "$sdir/initrd-mini.img" --init "$tinit" --add "$e:/expected"
	cat >"$sdir/mini.conf" <<EOF2
title   kexshim test target (the minimal kernel, snakeoil-signed)
linux   /target/Image-signed
initrd  /target/initrd-mini.img
options $tcon panic=-1 kexshim_test.tpm_sha256=Image-signed=$(sha "$sdir/Image-signed"),initrd-mini.img=$(sha "$sdir/initrd-mini.img")
EOF2
	printf 'default mini\ntimeout 0\n' >"$sdir/loader-mini.conf"
	"$top/tools/mkesp" -o "$out/esp-sb-mini.img" --gpt --arch "$arch" \
		--efi "$sdir/kexshim.efi" --conf "$sdir/kexshim-sb.conf" \
		--add "$sdir/Image-signed:/shim/vmlinuz" \
		--add "$out/mini-initramfs.img:/shim/initramfs.img" \
		--add "$sdir/Image-signed:/target/Image-signed" \
		--add "$sdir/initrd-mini.img:/target/initrd-mini.img" \
		--add "$sdir/loader-mini.conf:/loader/loader.conf" \
		--add "$sdir/mini.conf:/loader/entries/mini.conf" >/dev/null
}

if [ "$arch" = arm64 ]; then
	"$top/tools/mkesp" -o "$out/esp-sb-locked.img" --gpt "${loader[@]}" "${good[@]}" >/dev/null
	mini_locked
	echo "mksecure: images in $out"
	exit 0
fi

# Target kernels: signed by the snakeoil key (in db, so in the shim
# kernel's platform keyring), without any signature, and Debian's.
"$top/tools/sign-efi" -o "$sdir/vmlinuz-signed" "$kdir/vmlinuz"
"$top/tools/sign-efi" --unsign -o "$sdir/vmlinuz-unsigned" "$kdir/vmlinuz"

# A TPM-checking target initrd: /expected without the command line.
tpm_initrd() { # OUT PCRS
	local e="$sdir/expected-${1##*/}"
	rm -rf "$e" && mkdir -p "$e"
	echo 2 >"$e/cpus"
	echo "$2" >"$e/tpm"
	[ "$3" = random ] && cp "$out/target/expected/random.sha256" "$e/"
	"$top/tools/mkinitramfs" -o "$1" --init "$tinit" --modules-dir "$mods" \
		--modules efivarfs --add "$e:/expected"
}

# Type #1: kernel and initrds in PCR 9, the command line in PCR 12.
tpm_initrd "$sdir/initrd-tpm.img" "9 12" random
t1_opts="$tcon panic=-1 kexshim_test.tpm_sha256=vmlinuz-signed=$(sha "$sdir/vmlinuz-signed"),initrd-tpm.img=$(sha "$sdir/initrd-tpm.img"),random.img=$(sha "$out/target/random.img")"
cat >"$sdir/type1.conf" <<EOF2
title   kexshim test target (snakeoil-signed kernel)
linux   /target/vmlinuz-signed
initrd  /target/initrd-tpm.img
initrd  /target/random.img
options $t1_opts
EOF2
printf 'default type1\ntimeout 0\n' >"$sdir/loader-type1.conf"
"$top/tools/mkesp" -o "$out/esp-sb-type1.img" --gpt "${loader[@]}" \
	--add "$sdir/vmlinuz-signed:/target/vmlinuz-signed" \
	--add "$sdir/initrd-tpm.img:/target/initrd-tpm.img" \
	--add "$out/target/random.img:/target/random.img" \
	--add "$sdir/loader-type1.conf:/loader/loader.conf" \
	--add "$sdir/type1.conf:/loader/entries/type1.conf" >/dev/null

# The UKI: its sections in PCR 11.  The stub's own .sbat is measured too:
# its digest from the section's VirtualSize bytes, read by python.
tpm_initrd "$sdir/initrd-uki.img" "11" none
cat >"$sdir/osrel" <<EOF2
NAME="kexshim test UKI"
ID=zz-kexshim-uki
VERSION_ID=1
PRETTY_NAME="kexshim test UKI"
EOF2
sbat="$(python3 - "$stub" <<'PY'
import hashlib, struct, sys
b = open(sys.argv[1], "rb").read()
pe = struct.unpack_from("<I", b, 0x3c)[0]
n = struct.unpack_from("<H", b, pe + 6)[0]
opt = struct.unpack_from("<H", b, pe + 20)[0]
t = pe + 24 + opt
for i in range(n):
    h = t + 40 * i
    name = b[h:h + 8].rstrip(b"\0")
    vsize, _, rsize, roff = struct.unpack_from("<IIII", b, h + 8)
    if name == b".sbat":
        print(hashlib.sha256(b[roff:roff + min(vsize or rsize, rsize)]).hexdigest())
PY
)"
[ -n "$sbat" ] || die "$stub: no .sbat section"
printf '%s' "$tcon panic=-1 kexshim_test.tpm_sha256=.linux=$(sha "$sdir/vmlinuz-signed"),.osrel=$(sha "$sdir/osrel"),.initrd=$(sha "$sdir/initrd-uki.img"),.sbat=$sbat" >"$sdir/cmdline"
"$top/test/unit/mkuki" objcopy "$stub" "$sdir/uki.efi" .osrel="$sdir/osrel" \
	.cmdline="$sdir/cmdline" .initrd="$sdir/initrd-uki.img" .linux="$sdir/vmlinuz-signed"
"$top/tools/sign-efi" -o "$sdir/signed.efi" "$sdir/uki.efi"
cp "$sdir/signed.efi" "$sdir/tampered.efi"
off=$(objdump -h "$sdir/tampered.efi" | awk '$2 == ".initrd" { print $6 }')
[ -n "$off" ] || die "no .initrd in the UKI"
# A byte in the middle of the gzip'ed initrd, not the headers.
printf '\x5a' | dd of="$sdir/tampered.efi" bs=1 seek=$((0x$off + 2000)) conv=notrunc status=none
cmp -s "$sdir/tampered.efi" "$sdir/signed.efi" && die "tampering changed nothing"
# Type #1 entries the kernel refuses: sort-key a-* sorts them before the
# UKIs (zz-kexshim-uki), after the default.
for e in a-1-unsigned:vmlinuz-unsigned a-2-debian:vmlinuz; do
	cat >"$sdir/${e%%:*}.conf" <<EOF2
title   kexshim refused target (${e#*:})
sort-key ${e%%:*}
linux   /target/${e#*:}
initrd  /target/initrd-tpm.img
options $tcon panic=-1
EOF2
done
printf 'default tampered*\ntimeout 0\n' >"$sdir/loader-uki.conf"
"$top/tools/mkesp" -o "$out/esp-sb-uki.img" --gpt "${loader[@]}" \
	--add "$sdir/tampered.efi:/EFI/Linux/tampered.efi" \
	--add "$sdir/signed.efi:/EFI/Linux/signed.efi" \
	--add "$sdir/vmlinuz-unsigned:/target/vmlinuz-unsigned" \
	--add "$kdir/vmlinuz:/target/vmlinuz" \
	--add "$sdir/initrd-tpm.img:/target/initrd-tpm.img" \
	--add "$sdir/loader-uki.conf:/loader/loader.conf" \
	--add "$sdir/a-1-unsigned.conf:/loader/entries/a-1-unsigned.conf" \
	--add "$sdir/a-2-debian.conf:/loader/entries/a-2-debian.conf" >/dev/null
rm -f "$sdir/vmlinuz-unsigned" "$sdir/uki.efi"
echo "mksecure: images in $out"
