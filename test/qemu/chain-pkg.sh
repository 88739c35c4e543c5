# test/qemu/chain-pkg.sh: the packaging runs of the QEMU chain tests, sourced
# by test/qemu/chain-<arch>.sh after test/qemu/chain-lib.sh (whose boot,
# run_opts, ro_disks, until, ok, not_ok, grep_ok and good_chain it uses)
# and called from a delimited block at their end.  Images:
# test/qemu/mkimages-pkg.sh.
#   pkg_bundle_run     P-bundle: the good chain from one file, the bundle
#                      with the minimal shim kernel, on an ESP without
#                      kexshim.conf or shim files
#   pkg_secure_boot_runs   x86_64, OVMF with Secure Boot and the snakeoil
#                      keys, two boots: SB-loader, a signed plain loader
#                      refuses an unpinned kexshim.conf initrd, LoadImage
#                      refuses a kernel not signed by db, then a pinned
#                      initrd is served; SB-bundle, the signed bundle starts
#                      (the firmware's refusal of unsigned loaders is
#                      secure-x86_64.sh's F run)
#   pkg_install_run    x86_64, kexshim-install in a Debian target (see below)
# shellcheck shell=bash

# pkg_lines RUN FROM STRING...: each fixed STRING appears in $log after line
# FROM (0: from the start), in this order.
pkg_lines() {
	local run="$1" pos="$2" n s
	shift 2
	for s in "$@"; do
		# grep -F, not chain-lib's first_line: awk -v would take the
		# backslashes of EFI paths ("\shim\vmlinuz") as escapes
		n=$(tail -n +"$((pos + 1))" "$log" | grep -n -m1 -F -- "$s" | cut -d: -f1 || true)
		[ -z "$n" ] || n=$((pos + n))
		if [ -n "$n" ]; then ok "$run: '$s' (line $n)"; pos=$n
		else not_ok "$run: no '$s' after line $pos"; fi
	done
}

# pkg_absent RUN FROM STRING...: no fixed STRING appears in $log after
# line FROM (0: anywhere).
pkg_absent() {
	local run="$1" from="$2" s
	shift 2
	for s in "$@"; do
		if tail -n +"$((from + 1))" "$log" | grep -q -F -- "$s"; then
			not_ok "$run: '$s' must not appear after line $from: $(tail -n +"$((from + 1))" "$log" | grep -m1 -F -- "$s")"
		else ok "$run: no '$s' after line $from"; fi
	done
}

pkg_stopped() {	# RUN UNTIL: QEMU was stopped at the UNTIL line (status 0)
	if [ "$rc" = 0 ]; then ok "$1: reached '$2'"
	else not_ok "$1: QEMU exit status $rc (124 = timeout: never '$2')"; fi
}

# pkg_count RUN N STRING: the fixed STRING appears on exactly N lines.
pkg_count() {
	local n
	n=$(grep -c -F -- "$3" "$log" || true)
	if [ "$n" = "$2" ]; then ok "$1: '$3' $2 time(s)"
	else not_ok "$1: '$3' $n times, want $2"; fi
}

pkg_bundle_run() {
	local f0=$fail acpi="" want s
	check_images "$img" esp-bundle.img pkg/bundle.cmdline
	[ "$arch" = arm64 ] && acpi="acpi: ok (DSDT|XSDT|RSDT) readable"
	boot P-bundle "$img/esp-bundle.img"
	good_chain P-bundle "$acpi"
	# the shim came from the sections: nothing else on that ESP could
	pkg_lines P-bundle 0 "kexshim.efi: embedded shim: .linux " "kexshim.efi: starting .linux ("
	# .cmdline as given, the ESP the loader came from added
	want="cmdline: $(cat "$img/pkg/bundle.cmdline") kexshim.esp=PARTUUID="
	s=$(grep -m1 -F "kexshim.efi: starting .linux (" "$log" || true)
	case "$s" in
	*"$want"*) ok "P-bundle: the shim's $want..." ;;
	*) not_ok "P-bundle: the shim did not get '$want...': '$s'" ;;
	esac
	pkg_absent P-bundle 0 "kexshim.conf: Not Found" "kexshim.efi: starting \\shim"
	# the minimal shim kernel: no modules in its initramfs
	grep_ok P-bundle "only built-in drivers"
	tail_on_failure "$f0"
}

# SB-loader boots over three disks: a boot option that fails sends the
# firmware to the next one (BdsDxe tries BootOrder in turn: Boot0002 is
# the first virtio disk, at PCI slot 4, Boot0003 the next), so one boot
# sees each refusal and then the start that ends it.
pkg_secure_boot_runs() {
	local f0 pin run_opts=(--secure-boot) ro_disks
	check_images "$img" esp-sb-bundle.img esp-sb-pinned.img esp-sb-unpinned.img \
		esp-sb-badkernel.img pkg/shim-initramfs.sha256
	pin="$(cat "$img/pkg/shim-initramfs.sha256")"

	# SB-loader: a signed plain loader reading kexshim.conf, three times:
	# its .pins holding another digest (one line naming the initrd and its
	# digest, Security Violation); the initrd pinned but the kernel signed
	# by Debian only, not db (LoadImage refuses it); all pinned and
	# signed: the shim starts
	f0=$fail
	ro_disks=("$img/esp-sb-badkernel.img" "$img/esp-sb-pinned.img")
	until='kexshim: MemTotal' boot SB-loader "$img/esp-sb-unpinned.img"
	pkg_stopped SB-loader 'kexshim: MemTotal'
	pkg_lines SB-loader 0 "kexshim.efi: Secure Boot is on" \
		"kexshim.efi: Secure Boot: refusing initrd \\shim\\initramfs.img from \\EFI\\kexshim\\kexshim.conf: its SHA-256 $pin is not pinned in this signed image (not in .pins)" \
		'Boot0002 "UEFI Misc Device" from PciRoot(0x0)/Pci(0x4,0x0): Security Violation' \
		"kexshim.efi: Secure Boot is on" \
		"kexshim.efi: \\shim\\vmlinuz: LoadImage: Access Denied (Secure Boot: not signed by a key in db, or revoked)" \
		'Boot0003 "UEFI Misc Device 2" from PciRoot(0x0)/Pci(0x5,0x0): Access Denied' \
		"kexshim.efi: Secure Boot is on" "kexshim.efi: starting \\shim\\vmlinuz (" \
		"EFI stub: UEFI Secure Boot is enabled." "kexshim: MemTotal"
	# only the third loader started a kernel
	pkg_count SB-loader 1 "kexshim.efi: starting"
	pkg_count SB-loader 1 "refusing initrd"
	tail_on_failure "$f0"

	# SB-bundle: the signed bundle, a snakeoil-signed kernel inside: the
	# shim starts (what it does under lockdown is boot/secure's to test)
	f0=$fail
	ro_disks=()
	until='kexshim: MemTotal' boot SB-bundle "$img/esp-sb-bundle.img"
	pkg_stopped SB-bundle 'kexshim: MemTotal'
	pkg_lines SB-bundle 0 "kexshim.efi: Secure Boot is on" \
		"kexshim.efi: embedded shim: .linux " "kexshim.efi: starting .linux (" \
		"EFI stub: UEFI Secure Boot is enabled." "kexshim: MemTotal"
	tail_on_failure "$f0"
}

# pkg_install_run: I-install, kexshim-install on a Debian target disk (ESP +
# ext4 root, test/qemu/mkimages-pkg.sh), two boots in one QEMU (run-qemu
# --reboot: the warm reset keeps the variable store).  Boot 1: firmware ->
# removable-media bundle -> shim -> the install entry's target, which
# mounts the root and its ESP and runs in it `kexshim-install --first`
# (efibootmgr writes a Boot#### entry into the variable store), then
# installs a kernel as Debian does (run-parts /etc/kernel/postinst.d: the
# package's hook copies it onto the ESP with its BLS entry), points
# loader.conf at that entry and reboots.  Boot 2: the firmware must start
# the new Boot#### (not the removable-media path), whose bundle is the
# package's, and its shim must boot the hook's entry; target-init checks
# BootCurrent is that entry, labelled kexshim, starting
# \EFI\kexshim\kexshim.efi, first in BootOrder, and powers off.
pkg_install_run() {
	local f0=$fail mid ver num n2 run_opts=(--reboot) ro_disks=()
	check_images "$img" esp-install.img install/machine-id install/version
	mid="$(cat "$img/install/machine-id")" ver="$(cat "$img/install/version")"
	# boot 1 writes the disk: a copy per run
	cp --sparse=always "$img/esp-install.img" "$img/install/disk.img"
	tmo=$((tmo * 2)) boot I-install "$img/install/disk.img"
	if [ "$rc" = 0 ]; then ok "I-install: QEMU exited 0 (the second target powered off)"
	else not_ok "I-install: QEMU exit status $rc (124 = timeout)"; fi
	pkg_lines I-install 0 "kexshim.efi: embedded shim" "kexshim: booting entry 'kexshim-install-test'" \
		"purgatory: jumping to" "install-test: kexshim-install --first" \
		"kexshim-install: ESP /boot/efi: /dev/vda1, partition 1 of /dev/vda" \
		"kexshim-install: copied /usr/lib/kexshim/kexshim.efi" \
		"kexshim-install: created Boot" "kexshim-install: set BootOrder " \
		"install-test: installing kernel $ver" \
		"kexshim-bls: wrote /loader/entries/$mid-$ver.conf on /boot/efi" \
		"KEXSHIM-INSTALL-DONE" "KEXSHIM-INSTALL-STATUS 0"
	num="$(sed -n "s/.*kexshim-install: created Boot\([0-9A-F]\{4\}\) 'kexshim'.*/\1/p" "$log" | head -1)"
	if [ -n "$num" ] && grep -q -F "install-test: BootOrder: $num," "$log" &&
	   grep -q -F "install-test: Boot$num* kexshim	HD(1,GPT," "$log" &&
	   grep -q -F "/File(\EFI\kexshim\kexshim.efi)" "$log"; then
		ok "I-install: efibootmgr -v shows Boot$num kexshim HD(1,GPT,...)/File(\EFI\kexshim\kexshim.efi) first in BootOrder"
	else not_ok "I-install: efibootmgr -v does not show Boot${num:-?} as made"; fi

	# boot 2, from the firmware's start of the new entry on
	n2=$(grep -n -m1 -F "BdsDxe: starting Boot${num:-????} \"kexshim\"" "$log" | cut -d: -f1 || true)
	if [ -n "$n2" ]; then ok "I-install: after the reset: $(sed -n "${n2}p" "$log")"
	else not_ok "I-install: the firmware never started Boot${num:-????} \"kexshim\""; n2=0; fi
	pkg_lines I-install "$n2" "kexshim.efi: embedded shim" "kexshim: booting entry '$mid-$ver'" \
		"purgatory: jumping to" "KEXSHIM-CHECK cmdline: ok" "KEXSHIM-CHECK initrd: ok" \
		"KEXSHIM-CHECK bootvars: ok BootCurrent Boot${num:-????} 'kexshim' \\EFI\\kexshim\\kexshim.efi, first in BootOrder ${num:-????}," \
		"KEXSHIM-TARGET-OK"
	pkg_absent I-install "$n2" "KEXSHIM-CHECK bootvars: FAIL" "booting entry 'kexshim-install-test'" \
		"install-test: kexshim-install"
	tail_on_failure "$f0"
	rm -f "$img/install/disk.img"
}
