#!/bin/bash
# test/qemu/chain-x86_64.sh: the x86_64 end-to-end chain tests, on the host
# (make check-qemu).  Boots the images of test/qemu/mkimages.sh in QEMU q35 +
# OVMF (TCG, -smp 2, 2 GiB) and matches the serial log:
#   A  good chain, GPT ESP: OVMF -> kexshim.efi -> shim -> kexec -> purgatory
#      -> target, whose /init checks what it got (test/qemu/target-init.c)
#   B  two broken target entries: both rejected with a bzimage: error, never
#      kexec_load, emergency reboot
#   D  good chain on a partitionless (whole-disk) FAT; skipped with QUICK=1
#   G  the entries on a second, read-only disk whose primary GPT header is
#      gone: libblkid reads the backup GPT, the shim adds the partition the
#      kernel did not make
#   M  Debian's memtest86+ (Linux boot protocol, no Linux, syssize rounded
#      up, non-relocatable at 1 MiB) through the chain: its banner shows
#   E  good chain with the purgatory's console an MMIO 8250 that kexec's
#      identity map leaves out (esp-mmio.img): the purgatory maps it itself
#      (purgatory/arch/x86_64/console_map.c); without that, a triple fault
#      after kexec_load and no target
#   K  the good chain with the minimal shim kernel (tools/build-shim-kernel)
#   S  every source of a machine with things installed (ESP: broken BLS +
#      UKI; XBOOTLDR: counted BLS; ext4 root: Debian grub.cfg; ext4 /boot:
#      extlinux.conf), one boot each through warm resets, LoaderEntryOneShot
#      set by each target; boot counting; the BLI variables
#   U  the menu, driven over the serial console: second entry, edited
# Logs and assertions: test/qemu/chain-lib.sh.
# Usage: test/qemu/chain-x86_64.sh [IMAGE-DIR] (default build/qemu/x86_64)
set -eu -o pipefail

arch=x86_64
# shellcheck source=test/qemu/chain-lib.sh
. "$(dirname "$0")/chain-lib.sh"
img="${1:-$top/build/qemu/x86_64}"
check_images "$img" esp-gpt.img esp-bad.img esp-whole.img esp-memtest.img \
	esp-boot-only.img esp-backup-gpt.img esp-mmio.img esp-mini.img sources.img menu.img

# A: the good chain from a GPT ESP.
f0=$fail
boot A-gpt "$img/esp-gpt.img"
good_chain A-gpt
uuid="$(cat "$img/esp-gpt.partuuid" 2>/dev/null || true)"
if [ -n "$uuid" ] && grep -qi -F "$uuid" "$log"; then
	ok "A-gpt: the ESP's PARTUUID $uuid appears in the log"
else
	not_ok "A-gpt: the ESP's PARTUUID ${uuid:-?} (mkesp) is not in the log"
fi
tail_on_failure "$f0"

# B: both entries broken -> bzimage errors in entry order, no kexec, emergency.
f0=$fail
boot B-bad "$img/esp-bad.img"
bad_chain B-bad "bzimage:"
tail_on_failure "$f0"

# D: the good chain from a whole-disk FAT (no partition table).
if [ "${QUICK:-0}" != 1 ]; then
	f0=$fail
	boot D-whole "$img/esp-whole.img"
	good_chain D-whole
	tail_on_failure "$f0"
fi

# G: entries on a disk with only its backup GPT intact.
f0=$fail
ro_disks=("$img/esp-backup-gpt.img")
boot G-backup-gpt "$img/esp-boot-only.img"
ro_disks=()
good_chain G-backup-gpt
uuid="$(cat "$img/esp-backup-gpt.partuuid")"
for s in "disk: /dev/vdb: added partition 1, which the kernel did not make" \
	 "ESP /dev/vdb1 (PARTUUID=$uuid)"; do
	if grep -q -F -- "$s" "$log"; then ok "G-backup-gpt: '$s'"
	else not_ok "G-backup-gpt: no '$s'"; fi
done
tail_on_failure "$f0"

# M: a payload nobody here made, booted through the whole chain.
f0=$fail
until='Memtest86\+ v6' boot M-memtest "$img/esp-memtest.img"
if [ "$rc" = 0 ]; then ok "M-memtest: stopped at memtest86+'s banner"
else not_ok "M-memtest: QEMU exit status $rc (124 = timeout: no banner)"; fi
for s in "kexshim: booting entry 'memtest'" "purgatory: jumping to 0x100200" "Memtest86+ v6"; do
	if grep -q -F -- "$s" "$log"; then ok "M-memtest: '$s'"
	else not_ok "M-memtest: no '$s'"; fi
done
if grep -q -F "bzimage:" "$log"; then not_ok "M-memtest: $(grep -m1 -F bzimage: "$log")"
else ok "M-memtest: no bzimage: error"; fi
tail_on_failure "$f0"

# E: the purgatory prints to an MMIO "UART" outside kexec's identity map.
# Its lines go there, not to ttyS0; the rest of the good chain must hold.
f0=$fail
boot E-mmio "$img/esp-mmio.img"
chain_all=("${CHAIN[@]}")
CHAIN=()
for s in "${chain_all[@]}"; do
	case "$s" in purgatory:*) ;; *) CHAIN+=("$s") ;; esac
done
good_chain E-mmio
CHAIN=("${chain_all[@]}")
if grep -q -F "purgatory:" "$log"; then
	not_ok "E-mmio: purgatory lines on ttyS0 (its console must be the MMIO one)"
else
	ok "E-mmio: no purgatory line on ttyS0 (it printed to the MMIO console)"
fi
tail_on_failure "$f0"


# K, S, U: the minimal shim kernel, and the disks of a machine with things
# installed (test/qemu/mkdisks.sh).
installed_runs "$img"

finish
