#!/bin/bash
# test/qemu/secure-arm64.sh: Secure Boot on arm64, on the host (make
# check-qemu): AAVMF with Debian's snakeoil variable store (tools/run-qemu
# --secure-boot), esp-sb-locked.img of test/qemu/mksecure.sh: kexshim.efi
# and the shim kernel signed with the snakeoil key boot, the shim kernel
# locks down, and Debian's arm64 6.1 kernel has no kexec_file_load
# (CONFIG_KEXEC_FILE is off): every entry fails with that reason, and
# instead of rebooting into the firmware (which would start kexshim again:
# a loop) the shim halts with the reason.  Booting arm64 targets under
# lockdown needs a shim kernel built with KEXEC_FILE: esp-sb-mini.img has
# the minimal one (tools/build-shim-kernel), which boots a snakeoil-signed
# target through kexec_file_load and measures it into a swtpm TPM
# (tpm-tis-device) that the target reads back.  And the unsigned
# kexshim.efi of esp-gpt.img: the firmware refuses it.
# Usage: test/qemu/secure-arm64.sh [IMAGE-DIR] (default build/qemu/arm64)
set -eu -o pipefail

arch=arm64
# shellcheck source=test/qemu/chain-lib.sh
. "$(dirname "$0")/chain-lib.sh"
img="${1:-$top/build/qemu/arm64}"
check_images "$img" esp-gpt.img esp-sb-locked.img esp-sb-mini.img
tpm_state="$top/build/qemu/tpm-$arch"

f0=$fail
run_opts=(--secure-boot)
until='Access Denied|Security Violation' boot F-unsigned "$img/esp-gpt.img"
if [ "$rc" = 0 ]; then ok "F-unsigned: stopped at the firmware's refusal"
else not_ok "F-unsigned: QEMU exit $rc (124 = timeout: no refusal)"; fi
if grep -q -F "kexshim.efi: starting" "$log"; then not_ok "F-unsigned: kexshim.efi ran"
else ok "F-unsigned: kexshim.efi never ran ($(grep -m1 -E 'Access Denied|Security Violation' "$log"))"; fi
tail_on_failure "$f0"

f0=$fail
boot L-locked "$img/esp-sb-locked.img"
if [ "$rc" = 0 ]; then ok "L-locked: QEMU exited 0 (powered off)"
else not_ok "L-locked: QEMU exit $rc (124 = timeout)"; fi
has L-locked "kexshim.efi: starting" "EFI stub: UEFI Secure Boot is enabled." \
	"kexshim: secure: lockdown integrity, SecureBoot 1, SetupMode 0" \
	"kexshim: booting entry 'kexshim-test'" \
	"this kernel has no kexec_file_load (built without CONFIG_KEXEC_FILE) (ENOSYS)" \
	"kexshim: emergency: the kernel is locked down (integrity): halting, not rebooting" \
	"halting (power off) in 1 s"
lacks L-locked "rebooting to firmware" "kexshim: kexec_load:" "purgatory:"
tail_on_failure "$f0"

# M: the minimal shim kernel under lockdown: kexec_file_load and the TPM.
f0=$fail
rm -rf "$tpm_state"
CHAIN=("kexshim.efi: starting" "kexshim: MemTotal" "kexshim: booting entry 'mini'"
	"kexshim: kexec_file_load:")
CHECKS=(efi acpi cpus memtotal tpm)
run_opts=(--secure-boot --tpm "$tpm_state")
boot M-mini "$img/esp-sb-mini.img"
good_chain M-mini
has M-mini "EFI stub: UEFI Secure Boot is enabled." \
	"kexshim: secure: lockdown integrity, SecureBoot 1, SetupMode 0" \
	"kexshim: secure: kexec_file_load: the kernel checks the kernel image's signature" \
	"kexshim: kexec_file_load: /esp/target/Image-signed again, the event log in its" \
	"PCRs 9:2 12:1 replay after the firmware log"
# kexec_load is not used under lockdown.
lacks M-mini "kexshim: kexec_load:" "purgatory:"
tail_on_failure "$f0"
rm -rf "$tpm_state"

finish
