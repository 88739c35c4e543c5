#!/bin/bash
# test/qemu/mkdisks.sh: the disks of the "boot what is installed" chain
# tests, made without root (mtools for FAT, mke2fs -d for ext4,
# tools/mkdisk for the GPT), after test/qemu/mkimages.sh made the shim
# and target files in OUT:
#   OUT/sources.img  ESP (a broken first Type #1 entry: its initrd is
#                    missing; a UKI made from systemd's stub), XBOOTLDR (a
#                    counted Type #1 entry, +1), a Debian root on ext4
#                    (grub.cfg as Debian's grub-mkconfig writes it), an ARM
#                    board's /boot on ext4 (extlinux.conf); the target's
#                    /expected/plan walks every source, one boot each
#                    (target-bli.c), then boots once more without asking:
#                    the broken entry again, and the counted one at +0
#                    sorts last, so the UKI boots
#   OUT/menu.img     ESP, two entries, loader.conf timeout 30: the test
#                    types on the serial console to boot the second with
#                    an edited command line
#   OUT/sources.uuids  "ESP XBOOTLDR ROOT BOOT" PARTUUIDs, then the ext4 UUIDs
# Usage: test/qemu/mkdisks.sh ARCH BUILD-DIR KERNEL-DIR OUT
set -eu -o pipefail

die() { echo "mkdisks: $*" >&2; exit 1; }
[ $# = 4 ] || die "usage: mkdisks.sh ARCH BUILD-DIR KERNEL-DIR OUT"
arch="$1" bdir="$2" kdir="$3" out="$4"
top="$(cd "$(dirname "$0")/../.." && pwd)"
tdir="$out/target"
for f in "$out/kexshim.conf" "$out/shim-initramfs.img" "$tdir/initrd.img" \
	"$tdir/random.img" "$tdir/expected/cmdline" "$kdir/vmlinuz"; do
	[ -f "$f" ] || die "missing $f (run test/qemu/mkimages.sh first)"
done
opts="$(cat "$tdir/expected/cmdline")"
vmlinuz="$kdir/vmlinuz"
case "$arch" in
x86_64) efiname=x64 objcopy=objcopy debarch=amd64 ;;
arm64) efiname=aa64 objcopy=aarch64-linux-gnu-objcopy debarch=arm64 ;;
*) die "unknown ARCH '$arch'" ;;
esac
w="$out/disks.tmp"
rm -rf "$w" && mkdir -p "$w"
trap 'rm -rf "$w"' EXIT

# Fixed UUIDs: grub.cfg's `search --fs-uuid` names the root's, and the
# test compares the partitions' with what the target reports.
esp_uuid=8e3f1a52-6c1d-4b7e-9a2f-3c4d5e6f7a81
xbl_uuid=8e3f1a52-6c1d-4b7e-9a2f-3c4d5e6f7a82
root_uuid=8e3f1a52-6c1d-4b7e-9a2f-3c4d5e6f7a83
boot_uuid=8e3f1a52-6c1d-4b7e-9a2f-3c4d5e6f7a84
root_fs=4d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0a
boot_fs=4d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0b
grub_id="gnulinux-simple-$root_fs"

# The plan: one boot per source, each asking for the next one the way
# `systemctl reboot --boot-loader-entry=` does, then one without asking.
cat >"$w/plan" <<EOF
1 xbootldr.conf oneshot=kexshim-uki.efi
2 kexshim-uki.efi oneshot=$grub_id
3 $grub_id oneshot=kexshim-extlinux cmdline=cmdline.grub
4 kexshim-extlinux reboot
5 kexshim-uki.efi poweroff
EOF
mkdir -p "$w/planroot/expected"
cp "$w/plan" "$w/planroot/expected/plan"
# grub_create_loader_cmdline() quotes a whole argument that has a space.
printf '%s\n' "$opts" | sed 's/kexshim_test.q="a b c"/"kexshim_test.q=a b c"/' \
	>"$w/planroot/expected/cmdline.grub"
grep -q '"kexshim_test.q=a b c"' "$w/planroot/expected/cmdline.grub" ||
	die "cmdline.grub: the quoted argument was not rewritten"
"$top/tools/mkinitramfs" -o "$w/plan.img" --bare --compress none \
	--add "$w/planroot/expected:/expected"

# The UKI, as the UKI spec says one can make it: systemd's stub, os-release,
# the command line, the initrds concatenated, the kernel (arm64: the Image
# the stub would start, uncompressed).
stub="$("$top/tools/fetch-deb" "systemd-boot-efi:$debarch")/usr/lib/systemd/boot/efi/linux$efiname.efi.stub"
[ -f "$stub" ] || die "no $stub"
printf 'NAME="kexshim test"\nID=ccc-kexshim\nPRETTY_NAME="kexshim test target (UKI)"\nVERSION_ID=1\n' >"$w/osrel"
printf '%s' "$opts" >"$w/cmdline"
cat "$tdir/initrd.img" "$tdir/random.img" "$w/plan.img" >"$w/uki-initrd"
if [ "$arch" = arm64 ] && [ "$(head -c 2 "$vmlinuz" | od -An -tx1 | tr -d ' ')" = 1f8b ]; then
	gzip -dc "$vmlinuz" >"$w/linux"
else
	cp "$vmlinuz" "$w/linux"
fi
"$top/test/unit/mkuki" "$objcopy" "$stub" "$w/kexshim-uki.efi" \
	.osrel="$w/osrel" .cmdline="$w/cmdline" .initrd="$w/uki-initrd" .linux="$w/linux"

# p1, the ESP: the shim, a broken entry first (sort-key aaa), the UKI.
cat >"$w/loader.conf" <<EOF
timeout 0
EOF
cat >"$w/a-broken.conf" <<EOF
title    kexshim broken entry (its initrd is missing)
sort-key aaa
linux    /target/vmlinuz
initrd   /target/missing.img
options  $opts
EOF
"$top/tools/mkesp" -o "$w/esp.fat" --whole-disk --arch "$arch" \
	--efi "$bdir/kexshim.efi" --conf "$out/kexshim.conf" --label ESP \
	--add "$vmlinuz:/shim/vmlinuz" --add "$out/shim-initramfs.img:/shim/initramfs.img" \
	--add "$vmlinuz:/target/vmlinuz" \
	--add "$w/loader.conf:/loader/loader.conf" \
	--add "$w/a-broken.conf:/loader/entries/a-broken.conf" \
	--add "$w/kexshim-uki.efi:/EFI/Linux/kexshim-uki.efi" >/dev/null

# p2, XBOOTLDR: a counted entry (boot counting: +1 try left).
cat >"$w/xbootldr.conf" <<EOF
title    kexshim test target (XBOOTLDR, counted)
sort-key bbb
linux    /x/vmlinuz
initrd   /x/initrd.img
initrd   /x/random.img
initrd   /x/plan.img
options  $opts
EOF
fat="$w/xbootldr.fat"
bytes=$(du -sbcL "$vmlinuz" "$tdir/initrd.img" "$tdir/random.img" | tail -1 | cut -f1)
truncate -s $(( (bytes * 5 / 4 + 8 * 1048576) / 1048576 + 40 ))M "$fat"
export MTOOLS_SKIP_CHECK=1
mformat -i "$fat" -F -v XBOOTLDR ::
mmd -i "$fat" ::/loader ::/loader/entries ::/x
mcopy -i "$fat" "$w/xbootldr.conf" "::/loader/entries/xbootldr+1.conf"
mcopy -i "$fat" "$vmlinuz" ::/x/vmlinuz
mcopy -i "$fat" "$tdir/initrd.img" ::/x/initrd.img
mcopy -i "$fat" "$tdir/random.img" ::/x/random.img
mcopy -i "$fat" "$w/plan.img" ::/x/plan.img

# p3, a Debian root: grub.cfg shaped as Debian 12's grub-mkconfig writes it
# (10_linux's simple entry and the advanced submenu, search by the root's
# file system UUID, load_env, the feature tests), /vmlinuz symlinks too
# (ignored: a grub.cfg is there).
r="$w/root"
mkdir -p "$r/boot/grub" "$r/etc"
cp "$vmlinuz" "$r/boot/vmlinuz-6.1.0-test"
cp "$tdir/initrd.img" "$r/boot/initrd.img-6.1.0-test"
cp "$tdir/random.img" "$r/boot/random.img"
cp "$w/plan.img" "$r/boot/plan.img"
ln -s boot/vmlinuz-6.1.0-test "$r/vmlinuz"
ln -s boot/initrd.img-6.1.0-test "$r/initrd.img"
printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n' >"$r/etc/os-release"
cat >"$r/boot/grub/grub.cfg" <<EOF
#
# DO NOT EDIT THIS FILE
#
# It is automatically generated by grub-mkconfig using templates
# from /etc/grub.d and settings from /etc/default/grub
#

### BEGIN /etc/grub.d/00_header ###
if [ -s \$prefix/grubenv ]; then
  set have_grubenv=true
  load_env
fi
if [ "\${next_entry}" ] ; then
   set default="\${next_entry}"
   set next_entry=
   save_env next_entry
   set boot_once=true
else
   set default="0"
fi

if [ x"\${feature_menuentry_id}" = xy ]; then
  menuentry_id_option="--id"
else
  menuentry_id_option=""
fi

export menuentry_id_option

function load_video {
  if [ x\$feature_all_video_module = xy ]; then
    insmod all_video
  else
    insmod efi_gop
    insmod efi_uga
  fi
}

if [ x\$feature_default_font_path = xy ] ; then
   font=unicode
else
insmod part_gpt
insmod ext2
search --no-floppy --fs-uuid --set=root $root_fs
    font="/usr/share/grub/unicode.pf2"
fi

terminal_output gfxterm
set timeout_style=menu
if [ "\${timeout}" = 0 ]; then
  set timeout=5
fi
### END /etc/grub.d/00_header ###

### BEGIN /etc/grub.d/10_linux ###
function gfxmode {
	set gfxpayload="\${1}"
}
set linux_gfx_mode=
export linux_gfx_mode
menuentry 'Debian GNU/Linux' --class debian --class gnu-linux --class gnu --class os \$menuentry_id_option '$grub_id' {
	load_video
	insmod gzio
	if [ x\$grub_platform = xxen ]; then insmod xzio; insmod lzopio; fi
	insmod part_gpt
	insmod ext2
	search --no-floppy --fs-uuid --set=root $root_fs
	echo	'Loading Linux 6.1.0-test ...'
	linux	/boot/vmlinuz-6.1.0-test $opts
	echo	'Loading initial ramdisk ...'
	initrd	/boot/initrd.img-6.1.0-test /boot/random.img /boot/plan.img
}
submenu 'Advanced options for Debian GNU/Linux' \$menuentry_id_option 'gnulinux-advanced-$root_fs' {
	menuentry 'Debian GNU/Linux, with Linux 6.1.0-test (recovery mode)' --class debian --class gnu-linux --class gnu --class os \$menuentry_id_option 'gnulinux-6.1.0-test-recovery-$root_fs' {
		load_video
		insmod gzio
		search --no-floppy --fs-uuid --set=root $root_fs
		linux	/boot/vmlinuz-6.1.0-test $opts single
		initrd	/boot/initrd.img-6.1.0-test
	}
}
### END /etc/grub.d/10_linux ###

### BEGIN /etc/grub.d/30_uefi-firmware ###
if [ "\$grub_platform" = "efi" ]; then
	fwsetup --is-supported
	if [ "\$?" = 0 ]; then
		menuentry 'UEFI Firmware Settings' \$menuentry_id_option 'uefi-firmware' {
			fwsetup
		}
	fi
fi
### END /etc/grub.d/30_uefi-firmware ###
EOF
bytes=$(du -sbcL "$r" | tail -1 | cut -f1)
mke2fs -q -t ext4 -F -U "$root_fs" -L debian-root -d "$r" "$w/root.ext4" \
	$(( (bytes * 5 / 4) / 1048576 + 16 ))M >/dev/null

# p4, an ARM board's /boot: extlinux.conf as U-Boot's distro boot reads it.
b="$w/boot"
mkdir -p "$b/extlinux"
cp "$vmlinuz" "$b/vmlinuz"
cp "$tdir/initrd.img" "$b/initrd.img"
cp "$tdir/random.img" "$b/random.img"
cp "$w/plan.img" "$b/plan.img"
cat >"$b/extlinux/extlinux.conf" <<EOF
## /boot/extlinux/extlinux.conf
menu title kexshim test board
timeout 50
default kexshim-extlinux

label kexshim-extlinux
	menu label kexshim test target (extlinux)
	linux /vmlinuz
	initrd /initrd.img,/random.img,/plan.img
	append $opts
EOF
bytes=$(du -sbcL "$b" | tail -1 | cut -f1)
mke2fs -q -t ext4 -F -U "$boot_fs" -L board-boot -d "$b" "$w/boot.ext4" \
	$(( (bytes * 5 / 4) / 1048576 + 16 ))M >/dev/null

"$top/tools/mkdisk" -o "$out/sources.img" \
	--part "esp:$w/esp.fat:$esp_uuid" --part "xbootldr:$w/xbootldr.fat:$xbl_uuid" \
	--part "linux:$w/root.ext4:$root_uuid" --part "linux:$w/boot.ext4:$boot_uuid" >/dev/null
echo "$esp_uuid $xbl_uuid $root_uuid $boot_uuid $root_fs $boot_fs" >"$out/sources.uuids"

# The menu disk: two entries; the second gets an edited command line.
mkdir -p "$w/menuroot/expected"
echo "1 kexshim-menu-2.conf poweroff kexshim_test.edited=1" >"$w/menuroot/expected/plan"
"$top/tools/mkinitramfs" -o "$w/menu-plan.img" --bare --compress none \
	--add "$w/menuroot/expected:/expected"
printf 'timeout 30\n' >"$w/menu-loader.conf"
for n in 1 2; do
	cat >"$w/menu-$n.conf" <<EOF
title    kexshim menu entry $n
sort-key m$n
linux    /target/vmlinuz
initrd   /target/initrd.img
initrd   /target/random.img
initrd   /target/plan.img
options  $opts
EOF
done
"$top/tools/mkesp" -o "$out/menu.img" --gpt --arch "$arch" \
	--efi "$bdir/kexshim.efi" --conf "$out/kexshim.conf" \
	--add "$vmlinuz:/shim/vmlinuz" --add "$out/shim-initramfs.img:/shim/initramfs.img" \
	--add "$vmlinuz:/target/vmlinuz" --add "$tdir/initrd.img:/target/initrd.img" \
	--add "$tdir/random.img:/target/random.img" --add "$w/menu-plan.img:/target/plan.img" \
	--add "$w/menu-loader.conf:/loader/loader.conf" \
	--add "$w/menu-1.conf:/loader/entries/kexshim-menu-1.conf" \
	--add "$w/menu-2.conf:/loader/entries/kexshim-menu-2.conf" >/dev/null
echo "mkdisks: sources.img, menu.img in $out"
