#!/bin/bash
# test/pkg/install.sh: kexshim-install and kexshim-bls on the host, against
# a fake machine: a sysfs tree (firmware/efi, the ESP's partition), a mount
# table, and stub lsblk/efibootmgr first in PATH.  The stub efibootmgr only
# prints a canned listing and logs what it was asked; in dry runs any write
# request makes it fail.  Nothing here touches this machine's ESP or NVRAM
# (the one auto-detection run is a dry run).
# Usage: test/pkg/install.sh BUNDLE   (any PE image: build/x86_64/kexshim.efi)
set -eu -o pipefail

suite=install
# shellcheck source=test/pkg/lib.sh
. "$(dirname "$0")/lib.sh"
bundle="$(readlink -f "${1:?usage: install.sh BUNDLE}")"
w="$top/build/test/pkg-install"
rm -rf "$w" && mkdir -p "$w"
w="$(cd "$w" && pwd -P)"
inst="$top/tools/kexshim-install" bls="$top/tools/kexshim-bls"
GUID_ESP=c12a7328-f81f-11d2-ba4b-00a0c93ec93b
PARTUUID=0c6e0c4a-1b6d-4a4b-9e2d-0123456789ab
KVER=6.1.0-99-amd64

# A fresh fake machine in $m: UEFI, an ESP /dev/vdz1 (partition 1 of
# /dev/vdz) mounted at $m/esp, /boot with one kernel, /etc.
fake() {
	m="$w/m"
	rm -rf "$m"
	mkdir -p "$m/sys/firmware/efi/efivars" "$m/sys/class/block" "$m/esp" \
		"$m/boot" "$m/etc/kernel" "$m/bin" "$m/notesp"
	mkdir -p "$m/sys/devices/pci0000:00/0000:00:04.0/virtio2/block/vdz/vdz1"
	echo 1 >"$m/sys/devices/pci0000:00/0000:00:04.0/virtio2/block/vdz/vdz1/partition"
	ln -s ../../devices/pci0000:00/0000:00:04.0/virtio2/block/vdz/vdz1 "$m/sys/class/block/vdz1"
	printf '/dev/vda2 / ext4 rw 0 0\n/dev/vdz1 %s vfat rw 0 0\n/dev/vda3 %s ext4 rw 0 0\n' \
		"$m/esp" "$m/notesp" >"$m/mounts"
	cat >"$m/bin/lsblk" <<EOF
#!/bin/sh
# stub: lsblk -dno FIELD DEV
case "\$2" in
PARTTYPE) echo "\${FAKE_PARTTYPE-$GUID_ESP}" ;;
PARTUUID) echo $PARTUUID ;;
esac
EOF
	cat >"$m/bin/efibootmgr" <<'EOF'
#!/bin/sh
# stub: the listing for -v, every call logged, writes refused in dry runs
echo "$*" >>"$FAKE_LOG"
if [ "$*" = "-v" ]; then cat "$FAKE_LISTING"; exit 0; fi
if [ "${FAKE_RO:-0}" = 1 ]; then echo "efibootmgr stub: write in a dry run: $*" >&2; exit 99; fi
exit 0
EOF
	chmod +x "$m/bin/lsblk" "$m/bin/efibootmgr"
	cat >"$m/listing" <<'EOF'
BootCurrent: 0001
Timeout: 0 seconds
BootOrder: 0001,0000,0002
Boot0000* UiApp	FvVol(7cb8bdc9-f8eb-4f34-aaea-3ee4af6516a1)/FvFile(462caa21-7614-4503-836e-8ab6f4662331)
Boot0001* UEFI Misc Device	PciRoot(0x0)/Pci(0x3,0x0){auto_created_boot_option}
Boot0002* EFI Internal Shell	FvVol(7cb8bdc9-f8eb-4f34-aaea-3ee4af6516a1)/FvFile(7c04a583-9e3e-4f1c-ad65-e05268d0b4d1)
EOF
	printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nID=debian\n' \
		>"$m/etc/os-release"
	echo 0123456789abcdef0123456789abcdef >"$m/etc/machine-id"
	echo "root=PARTUUID=11111111-2222-3333-4444-555555555555 ro quiet" >"$m/etc/kernel/cmdline"
	head -c 5000 /dev/urandom >"$m/boot/vmlinuz-$KVER"
	head -c 3000 /dev/urandom >"$m/boot/initrd.img-$KVER"
	: >"$m/log"
	export KEXSHIM_SYSFS="$m/sys" KEXSHIM_MOUNTS="$m/mounts" KEXSHIM_BOOT="$m/boot" \
		KEXSHIM_ETC="$m/etc" FAKE_LOG="$m/log" FAKE_LISTING="$m/listing" FAKE_RO=0
	export PATH="$m/bin:$ORIG_PATH"
	unset FAKE_PARTTYPE KEXSHIM_ESP_PATH
}
ORIG_PATH="$PATH"
out="$w/out" err="$w/err"
# go ARGS...: run kexshim-install, stdout in $out, stderr in $err, status in $rc
go() { set +e; "$inst" "$@" >"$out" 2>"$err"; rc=$?; set -e; }
gobls() { set +e; "$bls" "$@" >"$out" 2>"$err"; rc=$?; set -e; }
status() { if [ "$rc" = "$2" ]; then ok "$1: exit $rc"; else not_ok "$1: exit $rc, want $2"; sed 's/^/#   /' "$err"; fi; }

# --- refusals ---------------------------------------------------------------
fake
rm -rf "$m/sys/firmware/efi"
go --dry-run --bundle "$bundle"
status "not UEFI" 1
has "not UEFI: says why" "$err" "was not booted with UEFI (no $m/sys/firmware/efi)"

fake
go --dry-run --bundle "$bundle" --esp "$m/boot"
status "--esp on a plain directory" 1
has "--esp on a plain directory: not a mount point" "$err" "$m/boot: not a mount point"
go --dry-run --bundle "$bundle" --esp "$m/notesp"
status "--esp on ext4" 1
has "--esp on ext4: not vfat" "$err" "$m/notesp: ext4, not vfat"
FAKE_PARTTYPE=0fc63daf-8483-4772-8e79-3d69d8477de4 go --dry-run --bundle "$bundle" --esp "$m/esp"
status "--esp on a Linux partition" 1
has "--esp on a Linux partition: the type" "$err" "has partition type 0fc63daf-8483-4772-8e79-3d69d8477de4, not the ESP's"
go --dry-run --bundle "$bundle"
status "no ESP at /efi, /boot, /boot/efi" 1
has "no ESP: names the places" "$err" "no ESP found ("
has "no ESP: says what to do" "$err" "or pass --esp DIR"
go --dry-run --bundle "$m/nothing.efi" --esp "$m/esp"
status "missing bundle" 1
has "missing bundle: names it" "$err" "$m/nothing.efi: no such bundle"
go --dry-run --bundle "$m/etc/os-release" --esp "$m/esp"
status "bundle that is no PE image" 1
has "no PE image: says so" "$err" "not a PE/COFF image (no MZ header)"

# --- a dry run: the commands, nothing changed --------------------------------
fake
FAKE_RO=1 go --dry-run --bundle "$bundle" --esp "$m/esp"
status "dry run" 0
has "dry run: the ESP's disk and partition" "$err" "ESP $m/esp: /dev/vdz1, partition 1 of /dev/vdz, PARTUUID $PARTUUID"
has "dry run: copies the bundle" "$out" "'cp' '$bundle' '$m/esp/EFI/kexshim/kexshim.efi.new'"
has "dry run: the lowest free Boot number, disk and partition" "$out" \
	"'efibootmgr' '--quiet' '--create-only' '--bootnum' '0003' '--disk' '/dev/vdz' '--part' '1' '--label' 'kexshim' '--loader' '\\EFI\\kexshim\\kexshim.efi'"
has "dry run: without --first the entry goes last" "$out" "'--bootorder' '0001,0000,0002,0003'"
has "dry run: the installed kernel's entry" "$out" "cat >'$m/esp/loader/entries/0123456789abcdef0123456789abcdef-$KVER.conf' <<EOF"
has "dry run: says nothing changed" "$err" "dry run: nothing was changed"
expect "dry run: no file on the ESP" test -z "$(ls -A "$m/esp")"
expect "dry run: efibootmgr only listed" test "$(cat "$m/log")" = "-v"

FAKE_RO=1 go --dry-run --first --label "kexshim test" --no-entries --bundle "$bundle" --esp "$m/esp"
status "dry run --first" 0
has "dry run --first: first in BootOrder" "$out" "'--bootorder' '0003,0001,0000,0002'"
has "dry run --label: the label" "$out" "'--label' 'kexshim test'"
lacks "dry run --no-entries: no entry" "$out" "loader/entries"

# Auto-detection by bootctl's rules: /boot is the first that is a vfat
# mount (the fake table says so); a dry run, so this machine's /boot is
# only read.
if [ -d /boot ] && [ ! -e /efi ]; then
	printf '/dev/vdz1 /boot vfat rw 0 0\n' >"$m/mounts"
	FAKE_RO=1 go --dry-run --no-entries --bundle "$bundle"
	status "auto-detection" 0
	has "auto-detection: /boot, a vfat mount of the ESP type" "$err" "ESP /boot: /dev/vdz1, partition 1 of /dev/vdz"
	has "auto-detection: copies to /boot/EFI/kexshim" "$out" "'/boot/EFI/kexshim/kexshim.efi.new'"
	fake
fi

# --- the real thing, against the fake machine --------------------------------
fake
go --first --bundle "$bundle" --esp "$m/esp"
status "install --first" 0
expect "install: the bundle is on the ESP" cmp -s "$bundle" "$m/esp/EFI/kexshim/kexshim.efi"
expect "install: no .new left" test ! -e "$m/esp/EFI/kexshim/kexshim.efi.new"
has "install: created the entry" "$m/log" "--quiet --create-only --bootnum 0003 --disk /dev/vdz --part 1 --label kexshim --loader \\EFI\\kexshim\\kexshim.efi"
has "install: first in BootOrder" "$m/log" "--quiet --bootorder 0003,0001,0000,0002"
has "install: says so" "$err" "created Boot0003 'kexshim' -> /dev/vdz partition 1"
e="$m/esp/loader/entries/0123456789abcdef0123456789abcdef-$KVER.conf"
expect "install: the kernel's entry" test -f "$e"
expect "install: kernel copied" cmp -s "$m/boot/vmlinuz-$KVER" "$m/esp/0123456789abcdef0123456789abcdef/$KVER/linux"
expect "install: initrd copied" cmp -s "$m/boot/initrd.img-$KVER" "$m/esp/0123456789abcdef0123456789abcdef/$KVER/initrd"
cat >"$w/want.conf" <<EOF
title      Debian GNU/Linux 12 (bookworm)
version    $KVER
machine-id 0123456789abcdef0123456789abcdef
sort-key   debian
options    root=PARTUUID=11111111-2222-3333-4444-555555555555 ro quiet
linux      /0123456789abcdef0123456789abcdef/$KVER/linux
initrd     /0123456789abcdef0123456789abcdef/$KVER/initrd
EOF
if cmp -s "$w/want.conf" "$e"; then ok "install: the entry's text"
else not_ok "install: the entry's text"; diff "$w/want.conf" "$e" | sed 's/^/#   /'; fi

# Again, with the entry now in the listing: nothing to write.
printf 'BootCurrent: 0003\nBootOrder: 0003,0001,0000,0002\n' >"$m/listing.new"
sed -n '/^Boot0/p' "$m/listing" >>"$m/listing.new"
printf 'Boot0003* kexshim\tHD(1,GPT,%s,0x800,0x1f800)/File(\\EFI\\KEXSHIM\\KEXSHIM.EFI)\n' \
	"$(echo $PARTUUID | tr a-f A-F)" >>"$m/listing.new"
mv "$m/listing.new" "$m/listing"
: >"$m/log"
FAKE_RO=1 go --first --no-entries --bundle "$bundle" --esp "$m/esp"
status "install again" 0
has "install again: the bundle is unchanged" "$err" "is already this bundle"
has "install again: the entry is unchanged" "$err" "Boot0003 'kexshim' already starts"
expect "install again: no efibootmgr write" test "$(cat "$m/log")" = "-v"

# The entry exists but points elsewhere: the same number, made anew.
sed -i 's|^Boot0003\* kexshim.*|Boot0003* kexshim\tHD(1,GPT,deadbeef-0000-0000-0000-000000000000,0x800,0x1f800)/File(\\EFI\\old\\kexshim.efi)|' "$m/listing"
: >"$m/log"
go --no-entries --bundle "$bundle" --esp "$m/esp"
status "update an old entry" 0
has "update: deletes Boot0003" "$m/log" "--quiet --bootnum 0003 --delete-bootnum"
has "update: makes it again" "$m/log" "--create-only --bootnum 0003 --disk /dev/vdz"
has "update: keeps its place in BootOrder" "$m/log" "--quiet --bootorder 0003,0001,0000,0002"

# Secure Boot on (SecureBoot = 1 in efivarfs: attributes, then the byte).
printf '\006\000\000\000\001' >"$m/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c"
FAKE_RO=1 go --dry-run --no-entries --bundle "$bundle" --esp "$m/esp"
has "Secure Boot and an unsigned bundle: a warning" "$err" "carries no signature"
if [ -n "${SIGNED_BUNDLE:-}" ]; then
	FAKE_RO=1 go --dry-run --no-entries --bundle "$SIGNED_BUNDLE" --esp "$m/esp"
	lacks "Secure Boot and a signed bundle: no warning" "$err" "carries no signature"
fi

# --- kexshim-bls: the entries of one kernel -----------------------------------
fake
gobls --hook add "$KVER"
status "bls --hook, kexshim not installed on the ESP... auto-detect" 0
has "bls --hook without an ESP says why" "$err" "no boot entry written"
gobls add "$KVER"
status "bls without --hook and no ESP" 1
rm -rf "$m/sys/firmware/efi"
gobls --hook add "$KVER"
status "bls --hook, not UEFI" 0
has "bls --hook, not UEFI: says so" "$err" "not booted with UEFI"
fake
gobls --hook --esp "$m/esp" add "$KVER"
status "bls --hook, kexshim not on the ESP" 0
has "bls --hook, kexshim not on the ESP: says so" "$err" "kexshim is not installed on the ESP $m/esp (run kexshim-install)"
mkdir -p "$m/esp/EFI/kexshim" && cp "$bundle" "$m/esp/EFI/kexshim/kexshim.efi"
rm -f "$m/etc/kernel/cmdline" "$m/etc/machine-id"
echo mytoken >"$m/etc/kernel/entry-token"
rm -f "$m/boot/initrd.img-$KVER"
KEXSHIM_ESP_PATH="$m/esp" gobls --hook add "$KVER"
status "bls through KEXSHIM_ESP_PATH" 0
e="$m/esp/loader/entries/mytoken-$KVER.conf"
expect "bls: /etc/kernel/entry-token names the entry" test -f "$e"
lacks "bls: no initrd line without an initrd" "$e" "initrd"
lacks "bls: no machine-id line without a machine ID" "$e" "machine-id"
opts="$(tr ' ' '\n' </proc/cmdline | grep -v -e '^BOOT_IMAGE=' -e '^initrd=' -e '^$' | tr '\n' ' ' | sed 's/ *$//')"
has "bls: this boot's options without /etc/kernel/cmdline" "$e" "options    $opts"
KEXSHIM_ESP_PATH="$m/esp" gobls remove "$KVER"
status "bls remove" 0
expect "bls remove: entry gone" test ! -e "$e"
expect "bls remove: files gone" test ! -e "$m/esp/mytoken"
KEXSHIM_ESP_PATH="$m/esp" gobls remove "$KVER"
status "bls remove of what is not there" 0
gobls --esp "$m/esp" add "../x"
status "bls: a version that is a path" 1

finish
