#!/bin/bash
# test/qemu/secure-x86_64.sh: Secure Boot end to end on x86_64, on the
# host (make check-qemu): OVMF_CODE_4M.secboot.fd with Debian's snakeoil
# variable store (tools/run-qemu --secure-boot), a swtpm TPM 2.0, the
# images of test/qemu/mksecure.sh:
#   F  the unsigned kexshim.efi (esp-gpt.img): the firmware refuses it
#   U  esp-sb-uki.img: the signed loader and shim kernel start, the shim is
#      locked down (kexec_load refused, kexec_file_load used); a signed
#      UKI with one byte changed is refused by kexshim's Authenticode
#      check, an unsigned kernel and Debian's (a key not in db) by the
#      kernel, each with its one line, in fallback order; the signed UKI
#      boots: the target checks what it got and its PCR 11 (replayed from
#      kexshim's event log after the firmware's, recomputed from digests)
#   T  esp-sb-type1.img: a snakeoil-signed kernel with two initrds
#      through kexec_file_load; the target checks the 24 MiB initrd and
#      PCRs 9 and 12
# Logs and assertions: test/qemu/chain-lib.sh.
# Usage: test/qemu/secure-x86_64.sh [IMAGE-DIR] (default build/qemu/x86_64)
set -eu -o pipefail

arch=x86_64
# shellcheck source=test/qemu/chain-lib.sh
. "$(dirname "$0")/chain-lib.sh"
img="${1:-$top/build/qemu/x86_64}"
check_images "$img" esp-gpt.img esp-sb-uki.img esp-sb-type1.img
tpm_state="$top/build/qemu/tpm-$arch"

# F: Secure Boot refuses what is not signed.
f0=$fail
run_opts=(--secure-boot)
# Seen once on a loaded host: OVMF's first boot of a fresh snakeoil store
# started its setup UI (Boot0000 "UiApp") before any boot option; that is
# the firmware's, not what is tested: say so and boot once more.
until='Access Denied|Security Violation|Boot0000 "UiApp"' boot F-unsigned "$img/esp-gpt.img"
if grep -q -F 'starting Boot0000 "UiApp"' "$log" &&
   ! grep -q -E 'Access Denied|Security Violation' "$log"; then
	echo "# run F-unsigned: OVMF entered its setup UI first; once more"
	until='Access Denied|Security Violation' boot F-unsigned "$img/esp-gpt.img"
fi
if [ "$rc" = 0 ]; then ok "F-unsigned: stopped at the firmware's refusal"
else not_ok "F-unsigned: QEMU exit $rc (124 = timeout: no refusal)"; fi
if grep -q -E 'BdsDxe: failed to load .*(Access Denied|Security Violation)' "$log"; then
	ok "F-unsigned: $(grep -m1 -E 'BdsDxe: failed to load' "$log")"
else not_ok "F-unsigned: no 'BdsDxe: failed to load ... Access Denied'"; fi
if grep -q -F "kexshim.efi: starting" "$log"; then not_ok "F-unsigned: kexshim.efi ran"
else ok "F-unsigned: kexshim.efi never ran"; fi
tail_on_failure "$f0"

# U: refused UKI, unsigned and Debian-signed kernels, then the signed UKI.
f0=$fail
rm -rf "$tpm_state"
CHAIN=("kexshim.efi: starting" "kexshim: MemTotal" "kexshim: booting entry"
	"kexshim: kexec_file_load:")
CHECKS=(efi acpi cpus memtotal tpm)
run_opts=(--secure-boot --tpm "$tpm_state")
boot U-uki "$img/esp-sb-uki.img"
good_chain U-uki
has U-uki "EFI stub: UEFI Secure Boot is enabled." \
	"kexshim: secure: lockdown integrity, SecureBoot 1, SetupMode 0" \
	"kexshim: secure: kexec_file_load: the kernel checks the kernel image's signature" \
	"kexshim: secure: /esp/EFI/Linux/tampered.efi: its Authenticode hash is not the one signed: the file was changed after signing" \
	"kexshim: kexec: kexec_file_load /esp/target/vmlinuz-unsigned: it is not signed (ENODATA)" \
	"kexshim: kexec: kexec_file_load /esp/target/vmlinuz: signed by a key the kernel does not trust" \
	"kexshim: secure: /esp/EFI/Linux/signed.efi: Authenticode signature by 'C=US, ST=Colorado, L=Fort Collins, O=SnakeOil' verified against db/MokListRT" \
	"KEXSHIM-CHECK tpm: ok" "PCRs 11:10 replay after the firmware log"
in_order U-uki "booting entry 'tampered'" "booting entry 'a-1-unsigned'" \
	"booting entry 'a-2-debian'" "booting entry 'signed'" "KEXSHIM-TARGET-OK"
for s in "kexshim: kexec_load:" "purgatory:"; do
	if grep -q -F -- "$s" "$log"; then not_ok "U-uki: '$s' under lockdown"
	else ok "U-uki: no '$s' (kexec_load is not used under lockdown)"; fi
done
tail_on_failure "$f0"

# T: a signed Type #1 kernel and its initrds through kexec_file_load.
f0=$fail
rm -rf "$tpm_state"
CHECKS=(initrd efi acpi cpus memtotal tpm)
boot T-type1 "$img/esp-sb-type1.img"
good_chain T-type1
has T-type1 "kexshim: kexec_file_load: /esp/target/vmlinuz-signed again, the event log in its" \
	"KEXSHIM-CHECK tpm: ok" "PCRs 9:3 12:1 replay after the firmware log"
tail_on_failure "$f0"
rm -rf "$tpm_state"

finish
