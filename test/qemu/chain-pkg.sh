# test/qemu/chain-pkg.sh: the packaging runs of the QEMU chain tests, sourced
# by test/qemu/chain-<arch>.sh after test/qemu/chain-lib.sh (whose ok,
# not_ok, good_chain, first_line, strip_stamps and qemu_timed it uses) and
# called from a delimited block at their end.  Images:
# test/qemu/mkimages-pkg.sh.
#   pkg_bundle_run     P-bundle: the good chain from one file, the bundle,
#                      on an ESP without kexshim.conf or shim files
#   pkg_secure_boot_runs   x86_64, OVMF with Secure Boot and the snakeoil
#                      keys, two boots: SB-loader, a signed plain loader
#                      refuses an unpinned kexshim.conf initrd, LoadImage
#                      refuses a kernel not signed by db, then a pinned
#                      initrd is served; SB-bundle, the firmware refuses
#                      the unsigned bundle, then the signed one starts
#   pkg_install_run    x86_64, kexshim-install in a Debian target (see below)
# shellcheck shell=bash

# pkg_boot RUN DISK [RUN-QEMU-OPTIONS...] [-- QEMU-ARGS...]: chain-lib's
# boot() with run-qemu options (--secure-boot, --vars FILE --keep-vars).
pkg_boot() {
	local run="$1" disk="$2" raw secs
	shift 2
	raw="$logs/$arch-$run.log"
	log="$logs/$arch-$run.txt"
	echo "# run $run: $(basename "$disk")${*:+ ($*)}, timeout $tmo s"
	set +e
	qemu_timed "$raw" --arch "$arch" --disk "$disk" --mem 2G --smp 2 "$@"
	rc=$?
	set -e
	strip_stamps "$raw" >"$log"
	secs=$(tail -1 "$raw" | awk '{ print $1 }')
	timings+=("$run ${secs:-?} s")
	echo "# run $run: QEMU exit $rc, last line at ${secs:-?} s, log $log"
}

# pkg_lines RUN STRING...: each fixed STRING appears in $log, in this order.
pkg_lines() {
	local run="$1" pos=0 n s
	shift
	for s in "$@"; do
		# grep -F, not chain-lib's first_line: awk -v would take the
		# backslashes of EFI paths ("\shim\vmlinuz") as escapes
		n=$(tail -n +"$((pos + 1))" "$log" | grep -n -m1 -F -- "$s" | cut -d: -f1 || true)
		[ -z "$n" ] || n=$((pos + n))
		if [ -n "$n" ]; then ok "$run: '$s' (line $n)"; pos=$n
		else not_ok "$run: no '$s' after line $pos"; fi
	done
}

# pkg_absent RUN STRING...: no fixed STRING appears in $log.
pkg_absent() {
	local run="$1" s
	shift
	for s in "$@"; do
		if grep -q -F -- "$s" "$log"; then not_ok "$run: '$s' must not appear: $(grep -m1 -F -- "$s" "$log")"
		else ok "$run: no '$s'"; fi
	done
}

pkg_stopped() {	# RUN UNTIL: QEMU was stopped at the UNTIL line (status 0)
	if [ "$rc" = 0 ]; then ok "$1: reached '$2'"
	else not_ok "$1: QEMU exit status $rc (124 = timeout: never '$2')"; fi
}

pkg_bundle_run() {
	local f0=$fail acpi="" want s
	check_images "$img" esp-bundle.img pkg/bundle.cmdline
	[ "$arch" = arm64 ] && acpi="acpi: ok (DSDT|XSDT|RSDT) readable"
	boot P-bundle "$img/esp-bundle.img"
	good_chain P-bundle "$acpi"
	# the shim came from the sections: nothing else on that ESP could
	pkg_lines P-bundle "kexshim.efi: embedded shim: .linux " "kexshim.efi: starting .linux ("
	# .cmdline as given, the ESP the loader came from added
	want="cmdline: $(cat "$img/pkg/bundle.cmdline") kexshim.esp=PARTUUID="
	s=$(grep -m1 -F "kexshim.efi: starting .linux (" "$log" || true)
	case "$s" in
	*"$want"*) ok "P-bundle: the shim's $want..." ;;
	*) not_ok "P-bundle: the shim did not get '$want...': '$s'" ;;
	esac
	pkg_absent P-bundle "kexshim.conf: Not Found" "kexshim.efi: starting \\shim"
	tail_on_failure "$f0"
}

# pkg_count RUN N STRING: the fixed STRING appears on exactly N lines.
pkg_count() {
	local n
	n=$(grep -c -F -- "$3" "$log" || true)
	if [ "$n" = "$2" ]; then ok "$1: '$3' $2 time(s)"
	else not_ok "$1: '$3' $n times, want $2"; fi
}

# Two boots, each over several disks: a boot option that fails sends the
# firmware to the next one (BdsDxe tries BootOrder in turn: Boot0002 is
# the first virtio disk, at PCI slot 4, Boot0003 the next), so one boot
# sees each refusal and then the start that ends it.
pkg_secure_boot_runs() {
	local f0 pin
	check_images "$img" esp-sb-bundle.img esp-sb-unsigned.img esp-sb-pinned.img \
		esp-sb-unpinned.img esp-sb-badkernel.img pkg/shim-initramfs.sha256
	pin="$(cat "$img/pkg/shim-initramfs.sha256")"

	# SB-loader: a signed plain loader reading kexshim.conf, three times:
	# its .pins holding another digest (one line naming the initrd and its
	# digest, Security Violation); the initrd pinned but the kernel signed
	# by Debian only, not db (LoadImage refuses it); all pinned and
	# signed: the shim starts
	f0=$fail
	until='kexshim: MemTotal' pkg_boot SB-loader "$img/esp-sb-unpinned.img" --secure-boot \
		--ro-disk "$img/esp-sb-badkernel.img" --ro-disk "$img/esp-sb-pinned.img"
	pkg_stopped SB-loader 'kexshim: MemTotal'
	pkg_lines SB-loader "kexshim.efi: Secure Boot is on" \
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

	# SB-bundle: the unsigned bundle (the firmware refuses it), then the
	# signed one, a snakeoil-signed kernel inside: the shim starts (what
	# it does under lockdown is boot/secure's to test)
	f0=$fail
	until='kexshim: MemTotal' pkg_boot SB-bundle "$img/esp-sb-unsigned.img" --secure-boot \
		--ro-disk "$img/esp-sb-bundle.img"
	pkg_stopped SB-bundle 'kexshim: MemTotal'
	pkg_lines SB-bundle 'failed to load Boot0002 "UEFI Misc Device" from PciRoot(0x0)/Pci(0x4,0x0): Access Denied' \
		"kexshim.efi: Secure Boot is on" \
		"kexshim.efi: embedded shim: .linux " "kexshim.efi: starting .linux (" \
		"EFI stub: UEFI Secure Boot is enabled." "kexshim: MemTotal"
	pkg_count SB-bundle 1 "kexshim.efi: Secure Boot is on"
	tail_on_failure "$f0"
}

# pkg_install_run: kexshim-install on a Debian target disk (ESP + ext4 root,
# test/qemu/mkimages-pkg.sh).  Boot 1, fresh variable store: firmware ->
# removable-media bundle -> shim -> the install entry's target, which
# mounts the root and its ESP and runs in it `kexshim-install --first`
# (efibootmgr writes a Boot#### entry into the variable store), then
# installs a kernel as Debian does (run-parts /etc/kernel/postinst.d: the
# package's hook copies it onto the ESP with its BLS entry), points
# loader.conf at that entry and reboots.  Boot 2, the same variable store
# (run-qemu --keep-vars): the firmware must start the new Boot#### (not the
# removable-media path), whose bundle is the package's, and its shim must
# boot the hook's entry; target-init checks BootCurrent is that entry,
# labelled kexshim, starting \EFI\kexshim\kexshim.efi, first in BootOrder.
pkg_install_run() {
	local f0=$fail vars="$img/install/vars.fd" mid ver num
	check_images "$img" esp-install.img install/machine-id install/version
	mid="$(cat "$img/install/machine-id")" ver="$(cat "$img/install/version")"
	# boot 2 starts from what boot 1 left on the disk: a copy per run
	cp "$img/esp-install.img" "$img/install/disk.img"
	rm -f "$vars"
	pkg_boot I1-install "$img/install/disk.img" --vars "$vars"
	if [ "$rc" = 0 ]; then ok "I1-install: QEMU exited 0 (the target rebooted)"
	else not_ok "I1-install: QEMU exit status $rc (124 = timeout)"; fi
	pkg_lines I1-install "kexshim.efi: embedded shim" "kexshim: booting entry 'kexshim-install-test'" \
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
		ok "I1-install: efibootmgr -v shows Boot$num kexshim HD(1,GPT,...)/File(\EFI\kexshim\kexshim.efi) first in BootOrder"
	else not_ok "I1-install: efibootmgr -v does not show Boot${num:-?} as made"; fi
	tail_on_failure "$f0"
	[ -s "$vars" ] || { not_ok "I1-install: no variable store $vars"; return; }

	f0=$fail
	pkg_boot I2-boot-entry "$img/install/disk.img" --vars "$vars" --keep-vars
	if [ "$rc" = 0 ]; then ok "I2-boot-entry: QEMU exited 0 (target powered off)"
	else not_ok "I2-boot-entry: QEMU exit status $rc (124 = timeout)"; fi
	pkg_lines I2-boot-entry "BdsDxe: starting Boot${num:-????} \"kexshim\"" \
		"kexshim.efi: embedded shim" "kexshim: booting entry '$mid-$ver'" \
		"purgatory: jumping to" "KEXSHIM-CHECK cmdline: ok" "KEXSHIM-CHECK initrd: ok" \
		"KEXSHIM-CHECK bootvars: ok BootCurrent Boot${num:-????} 'kexshim' \\EFI\\kexshim\\kexshim.efi, first in BootOrder ${num:-????}," \
		"KEXSHIM-TARGET-OK"
	pkg_absent I2-boot-entry "KEXSHIM-CHECK bootvars: FAIL" "booting entry 'kexshim-install-test'" \
		"install-test: kexshim-install"
	tail_on_failure "$f0"
	rm -f "$img/install/disk.img"
}
