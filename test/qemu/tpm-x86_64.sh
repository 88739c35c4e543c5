#!/bin/bash
# test/qemu/tpm-x86_64.sh: TPM measurement on the kexec_load path, on the
# host (make check-qemu): OVMF without Secure Boot, a swtpm TPM 2.0 as
# tpm-crb (tools/run-qemu --tpm), esp-sb-type1.img of mksecure.sh (its
# signatures do not matter here).  The shim measures the kernel and both
# initrds into PCR 9 and the command line into PCR 12 before kexec_load,
# appends the event log to the initrd, and its purgatory checks the
# initrd with the log; the target replays the log after the firmware's
# against its PCRs and recomputes every event (test/qemu/target-tpm.c).
# (arm64: Debian's arm64 kernel has no driver for QEMU's tpm-tis-device,
# CONFIG_TCG_TIS is off, so there is no arm64 run.)
# Usage: test/qemu/tpm-x86_64.sh [IMAGE-DIR] (default build/qemu/x86_64)
set -eu -o pipefail

arch=x86_64
# shellcheck source=test/qemu/chain-lib.sh
. "$(dirname "$0")/chain-lib.sh"
img="${1:-$top/build/qemu/x86_64}"
check_images "$img" esp-sb-type1.img
tpm_state="$top/build/qemu/tpm-$arch"

f0=$fail
rm -rf "$tpm_state"
CHECKS=(initrd efi acpi cpus memtotal tpm)
run_opts=(--tpm "$tpm_state")
boot M-measured "$img/esp-sb-type1.img"
good_chain M-measured
for s in "kexshim: secure: lockdown none" \
	 "kexshim: tpm: /dev/tpmrm0: measuring into PCRs 9, 11, 12 (banks sha256)" \
	 "kexshim: tpm: /esp/target/vmlinuz-signed: 4 events measured" \
	 "KEXSHIM-CHECK tpm: ok" "PCRs 9:3 12:1 replay after the firmware log"; do
	if grep -q -F -- "$s" "$log"; then ok "M-measured: '$s'"
	else not_ok "M-measured: no '$s'"; fi
done
if grep -q -F "kexec_file_load" "$log"; then not_ok "M-measured: kexec_file_load without lockdown"
else ok "M-measured: kexec_load, not kexec_file_load"; fi
tail_on_failure "$f0"
rm -rf "$tpm_state"

finish
