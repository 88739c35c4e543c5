#!/bin/bash
# test/qemu/mkimages-pkg.sh: the images of the bundle, Secure Boot and
# kexshim-install runs at the end of test/qemu/chain-<arch>.sh (called by
# test/pkg/pkg.mk, at build time, on the host, after test/qemu/mkimages.sh,
# whose shim initramfs, target initrds and entries it reuses):
#   OUT/pkg/bundle.efi       kexshim.efi + the shim kernel, its initramfs and
#                            kexshim.conf's options as .linux/.initrd/.cmdline
#   OUT/esp-bundle.img       the good chain's ESP with the bundle as the
#                            removable-media loader and NO kexshim.conf and
#                            no /shim files: only the sections can boot it
# x86_64, for Secure Boot with Debian's snakeoil keys (tools/run-qemu
# --secure-boot); the shim kernel is re-signed with the snakeoil db key
# and the loaders signed with it (tools/sign-efi):
#   OUT/esp-sb-bundle.img    the bundle, signed
#   OUT/esp-sb-pinned.img    a signed plain loader whose .pins holds the SHA-256
#                            of the shim initramfs kexshim.conf names
#   OUT/esp-sb-unpinned.img  the same, .pins holding another digest: the
#                            loader refuses the initrd (OUT/pkg/shim-initramfs.sha256)
#   OUT/esp-sb-badkernel.img signed loader, initrd pinned, kernel signed by
#                            Debian only (not in db): LoadImage refuses it
# x86_64, the kexshim-install test (with DEB, the package `make deb` made):
#   OUT/esp-install.img      GPT by tools/mkdisk: the ESP (partition 1: the
#                            test bundle as BOOTX64.EFI, one entry whose
#                            target initrd runs test/qemu/install-init.sh)
#                            and a Debian root
#                            (partition 2, ext4 by mke2fs -d: busybox,
#                            efibootmgr and util-linux with their libraries
#                            from Debian's packages, DEB installed with
#                            dpkg --root, a kernel waiting in /boot-pending
#                            whose initrd is target-init with
#                            /expected/boot-entry)
# ARCH is x86_64 or arm64; $SHIM_KERNEL is the minimal shim kernel
# (tools/build-shim-kernel), KERNEL-DIR's vmlinuz Debian's: the targets, and
# the kernel outside db of esp-sb-badkernel.img.
# Usage: SHIM_KERNEL=FILE test/qemu/mkimages-pkg.sh ARCH BUILD-DIR KERNEL-DIR OUT [DEB]
set -eu -o pipefail

die() { echo "mkimages-pkg: $*" >&2; exit 1; }
[ $# = 4 ] || [ $# = 5 ] || die "usage: mkimages-pkg.sh ARCH BUILD-DIR KERNEL-DIR OUT [DEB]"
arch="$1" bdir="$2" kdir="$3" out="$4" deb="${5:-}"
top="$(cd "$(dirname "$0")/../.." && pwd)"
tdir="$out/target"
[ -n "${SHIM_KERNEL:-}" ] || die "SHIM_KERNEL (the minimal shim kernel, tools/build-shim-kernel) is not set"
for f in "$bdir/kexshim.efi" "$kdir/vmlinuz" "$SHIM_KERNEL" "$out/kexshim.conf" \
	 "$out/mini-initramfs.img" "$tdir/initrd.img" "$tdir/random.img" \
	 "$tdir/loader.conf" "$tdir/kexshim-test.conf"; do
	[ -f "$f" ] || die "missing $f (test/qemu/mkimages.sh first)"
done
vmlinuz="$kdir/vmlinuz" shim="$SHIM_KERNEL" shim_initrd="$out/mini-initramfs.img"
pkg="$out/pkg"
rm -rf "$pkg" && mkdir -p "$pkg"

# The bundle: the minimal shim kernel, kexshim alone as its initramfs (as
# esp-mini.img's) and kexshim.conf's options, in one file.
shim_opts="$(sed -n 's/^options //p' "$out/kexshim.conf")"
[ -n "$shim_opts" ] || die "$out/kexshim.conf: no options line"
"$top/tools/mkbundle" -o "$pkg/bundle.efi" --efi "$bdir/kexshim.efi" \
	--linux "$shim" --initrd "$shim_initrd" --cmdline "$shim_opts"
printf '%s' "$shim_opts" >"$pkg/bundle.cmdline"

good=(--add "$vmlinuz:/target/vmlinuz"
	--add "$tdir/initrd.img:/target/initrd.img"
	--add "$tdir/random.img:/target/random.img"
	--add "$tdir/loader.conf:/loader/loader.conf"
	--add "$tdir/kexshim-test.conf:/loader/entries/kexshim-test.conf")
"$top/tools/mkesp" -o "$out/esp-bundle.img" --gpt --arch "$arch" \
	--efi "$pkg/bundle.efi" "${good[@]}" >/dev/null

if [ "$arch" = x86_64 ]; then
	# tools/sign-efi: the snakeoil db key, Debian's signature replaced
	sign() { "$top/tools/sign-efi" -o "$1" "$2" >/dev/null; }
	sign "$pkg/shim.snakeoil" "$shim"
	"$top/tools/mkbundle" -o "$pkg/sb-bundle.efi" --efi "$bdir/kexshim.efi" \
		--linux "$pkg/shim.snakeoil" --initrd "$shim_initrd" \
		--cmdline "$shim_opts" >/dev/null
	"$top/tools/mkbundle" -o "$pkg/sb-pinned.efi" --efi "$bdir/kexshim.efi" \
		--pin-initrd "$shim_initrd" >/dev/null
	"$top/tools/mkbundle" -o "$pkg/sb-unpinned.efi" --efi "$bdir/kexshim.efi" \
		--pin-initrd "$out/kexshim.conf" >/dev/null
	for f in sb-bundle sb-pinned sb-unpinned; do sign "$pkg/$f.efi" "$pkg/$f.efi"; done
	sha256sum "$shim_initrd" | cut -c1-64 >"$pkg/shim-initramfs.sha256"
	sbesp() {	# IMG LOADER KERNEL: a GPT ESP with kexshim.conf's shim
		"$top/tools/mkesp" -o "$out/$1" --gpt --arch "$arch" --efi "$2" \
			--conf "$out/kexshim.conf" --add "$3:/shim/vmlinuz" \
			--add "$shim_initrd:/shim/initramfs.img" "${good[@]}" >/dev/null
	}
	"$top/tools/mkesp" -o "$out/esp-sb-bundle.img" --gpt --arch "$arch" \
		--efi "$pkg/sb-bundle.efi" "${good[@]}" >/dev/null
	sbesp esp-sb-pinned.img "$pkg/sb-pinned.efi" "$pkg/shim.snakeoil"
	sbesp esp-sb-unpinned.img "$pkg/sb-unpinned.efi" "$pkg/shim.snakeoil"
	sbesp esp-sb-badkernel.img "$pkg/sb-pinned.efi" "$vmlinuz"
	rm -f "$pkg/sb-unpinned.efi"
fi
# The kexshim-install test's disk.
if [ "$arch" = x86_64 ] && [ -n "$deb" ]; then
	[ -f "$deb" ] || die "missing $deb (make deb)"
	[ -x "$out/target-init" ] || die "missing $out/target-init"
	inst="$out/install"
	rm -rf "$inst" && mkdir -p "$inst"
	kver="$(cat "$kdir/version")"
	mods="$kdir/lib/modules/$kver"
	mid=6b8f0c2e4d1a4f3b9e7c5a1d2f3e4b5c
	root_uuid=5b1f3c2e-7d4a-4e8b-9c7d-2a1b0c9d8e7f
	root="$inst/root"
	mkdir -p "$root"
	# A Debian userland from Debian's own packages (never installed here):
	# a shell and tools, efibootmgr, lsblk/blkid, and their libraries.
	for p in busybox-static efibootmgr libefiboot1 libefivar1 libc6 util-linux \
		 libblkid1 libmount1 libsmartcols1 libudev1 libselinux1 libpcre2-8-0; do
		d="$("$top/tools/fetch-deb" "$p:amd64")" || die "fetch-deb $p failed"
		cp -a "$d/." "$root/"
	done
	rm -f "$root/.done"
	rm -rf "$root/usr/share/doc" "$root/usr/share/man" "$root/usr/share/locale" \
		"$root/usr/lib/x86_64-linux-gnu/gconv" "$root/usr/share/i18n"
	# busybox for what no package here gives (sh, cp, run-parts, ...)
	for a in $("$root/bin/busybox" --list-full); do
		[ -e "$root/$a" ] || [ -L "$root/$a" ] ||
			{ mkdir -p "$root/$(dirname "$a")"; ln -s /bin/busybox "$root/$a"; }
	done
	# every library what the test runs needs is here (ld.so's closure of
	# efibootmgr, lsblk and blkid; util-linux's other programs need more)
	need() { readelf -d "$1" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
	missing="" seen=" "
	todo=("$root/bin/efibootmgr" "$root/bin/lsblk" "$root/sbin/blkid")
	while [ ${#todo[@]} -gt 0 ]; do
		f="${todo[0]}"
		todo=("${todo[@]:1}")
		for lib in $(need "$f"); do
			case "$seen" in *" $lib "*) continue ;; esac
			seen="$seen$lib "
			l="$(find "$root/lib" "$root/usr/lib" -name "$lib" -print -quit 2>/dev/null)"
			if [ -n "$l" ]; then todo+=("$(readlink -f "$l")"); else missing="$missing $lib"; fi
		done
	done
	[ -z "$missing" ] || die "the target root lacks libraries: $missing"
	mkdir -p "$root/proc" "$root/sys" "$root/dev" "$root/tmp" "$root/boot/efi" \
		"$root/etc/kernel" "$root/boot-pending" "$root/var/lib/dpkg/info" \
		"$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/triggers" "$root/root"
	: >"$root/var/lib/dpkg/status"
	: >"$root/var/lib/dpkg/available"
	cp "$top/test/unit/fixtures/osrel/debian-12" "$root/etc/os-release"
	echo "$mid" >"$root/etc/machine-id"
	check_opts="console=ttyS0,115200 panic=-1 root=PARTUUID=$root_uuid kexshim_test.stage=check"
	echo "$check_opts" >"$root/etc/kernel/cmdline"
	# the package, installed as a user would (it has no maintainer scripts)
	dpkg --root="$root" --force-depends --log=/dev/null -i "$deb" >"$inst/dpkg.log" 2>&1 ||
		die "dpkg --root -i $deb failed: $(tail -3 "$inst/dpkg.log")"
	install -m 0755 "$top/test/qemu/install-in-target.sh" "$root/sbin/kexshim-install-test"

	# The kernel "installed after kexshim": Debian's vmlinuz, and an initrd
	# that checks the second boot: target-init, /expected/*, /random.bin
	# (the random initrd's cpio appended: one concatenated initramfs).
	exp="$inst/expected"
	mkdir -p "$exp"
	printf '%s\n' "$check_opts" >"$exp/cmdline"
	cp "$tdir/expected/random.sha256" "$tdir/expected/cpus" "$exp/"
	printf 'kexshim\n\\EFI\\kexshim\\kexshim.efi\n' >"$exp/boot-entry"
	"$top/tools/mkinitramfs" -o "$inst/check.img" --init "$out/target-init" \
		--modules-dir "$mods" --modules efivarfs --add "$exp:/expected" >/dev/null
	cat "$inst/check.img" "$tdir/random.img" >"$root/boot-pending/initrd.img-$kver"
	cp "$vmlinuz" "$root/boot-pending/vmlinuz-$kver"
	echo "$kver" >"$root/boot-pending/version"
	echo "$mid" >"$inst/machine-id"
	echo "$kver" >"$inst/version"

	size=$(( $(du -sm "$root" | cut -f1) * 3 / 2 + 32 ))
	mke2fs -q -t ext4 -d "$root" -L debian-root -U "$root_uuid" "$inst/root.img" "${size}M" \
		>/dev/null 2>&1 || die "mke2fs -d failed"
	rm -rf "$root"

	# The first boot's target: busybox, the modules, install-init.sh.
	busybox="$("$top/tools/fetch-deb" busybox-static:amd64)/bin/busybox"
	"$top/tools/mkinitramfs" -o "$inst/install-initrd.img" --init "$top/test/qemu/install-init.sh" \
		--modules-dir "$mods" \
		--modules "virtio_pci virtio_blk crc32c_generic ext4 vfat nls_cp437 nls_ascii nls_iso8859_1 efivarfs" \
		--add "$busybox:/bin/busybox" >/dev/null
	printf 'default kexshim-install-test\ntimeout 0\n' >"$inst/loader.conf"
	cat >"$inst/install.conf" <<EOF
title   kexshim-install test: install kexshim from the Debian root
linux   /install/vmlinuz
initrd  /install/initrd.img
options console=ttyS0,115200 panic=-1 kexshim_test.stage=install
EOF
	# The ESP holds the bundle, and the new entry's copies of the kernel
	# and its initrd (~35 MB): 128 MiB.
	"$top/tools/mkesp" -o "$inst/esp.fat" --whole-disk --arch "$arch" --size 128 \
		--efi "$pkg/bundle.efi" --add "$vmlinuz:/install/vmlinuz" \
		--add "$inst/install-initrd.img:/install/initrd.img" \
		--add "$inst/loader.conf:/loader/loader.conf" \
		--add "$inst/install.conf:/loader/entries/kexshim-install-test.conf" >/dev/null
	"$top/tools/mkdisk" -o "$out/esp-install.img" --part "esp:$inst/esp.fat" \
		--part "linux:$inst/root.img:$root_uuid" >/dev/null
	rm -f "$inst/esp.fat" "$inst/root.img" "$inst/check.img"
fi
echo "mkimages-pkg: images in $out"
