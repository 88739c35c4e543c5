#!/bin/bash
# test/qemu/chain-arm64.sh: the arm64 end-to-end chain tests, on the host
# (make check-qemu).  Boots the images of test/qemu/mkimages.sh in QEMU virt
# + AAVMF (TCG, -cpu max,pauth-impdef=on, -smp 2, 2 GiB) and matches the
# serial log:
#   A-acpi  good chain, GPT ESP, AAVMF's default ACPI mode: AAVMF ->
#           kexshim.efi -> shim -> kexec -> purgatory -> target, whose /init
#           checks what it got (test/qemu/target-init.c)
#   A-dt    the same with -machine virt,acpi=off: device-tree mode (the
#           target's acpi check then reports the machine's device tree)
#   B       two broken target entries: both rejected with an arm64-image:
#           error, never kexec_load, emergency reboot
#   K       the good chain with the minimal shim kernel
#   S, U    every installed source in turn, and the serial menu (as on
#           x86_64: chain-lib.sh's installed_runs)
# Logs and assertions: test/qemu/chain-lib.sh.
# Usage: test/qemu/chain-arm64.sh [IMAGE-DIR] (default build/qemu/arm64)
set -eu -o pipefail

arch=arm64
# shellcheck source=test/qemu/chain-lib.sh
. "$(dirname "$0")/chain-lib.sh"
img="${1:-$top/build/qemu/arm64}"
check_images "$img" esp-gpt.img esp-bad.img esp-mini.img sources.img menu.img

# A-acpi: the good chain in ACPI mode.
f0=$fail
boot A-acpi "$img/esp-gpt.img"
good_chain A-acpi "acpi: ok (DSDT|XSDT|RSDT) readable"
tail_on_failure "$f0"

# A-dt: the good chain with a device tree only.
f0=$fail
boot A-dt "$img/esp-gpt.img" -machine acpi=off
good_chain A-dt "acpi: ok none: device tree"
tail_on_failure "$f0"

# B: both entries broken -> arm64-image errors in entry order, no kexec,
# emergency.
f0=$fail
boot B-bad "$img/esp-bad.img"
bad_chain B-bad "arm64-image:"
tail_on_failure "$f0"


# K, S, U: the minimal shim kernel, and the disks of a machine with things
# installed (test/qemu/mkdisks.sh).
installed_runs "$img"

finish
