#!/bin/bash
# test/qemu/corrupt.sh (as corrupt-x86_64.sh and corrupt-arm64.sh, links
# to it whose name gives the arch): the purgatory refuses a segment whose digest
# does not match, on the host (make check-qemu): esp-corrupt.img of
# test/qemu/mksecure.sh boots the good chain with kexshim-test (the test
# build: test/qemu/test_hooks.c) as the shim's /init and
# kexshim_test.corrupt_digest=1 on the shim's command line, which flips a
# bit of the SHA-256 stored for purgatory region 1.  The purgatory must
# say "purgatory: sha256 mismatch in segment 1" and halt: no "jumping to",
# no line of the target.  The halted machine never exits; QEMU is
# stopped 8 s after the line (a target would have printed by then: the
# purgatory's jump to the target's first line takes 1-4 s here).
# Usage: test/qemu/corrupt-ARCH.sh [IMAGE-DIR] (default build/qemu/ARCH)
set -eu -o pipefail

arch="$(basename "$0" .sh)"
arch="${arch#corrupt-}"
case "$arch" in x86_64|arm64) ;; *) echo "$0: run as corrupt-x86_64.sh or corrupt-arm64.sh" >&2; exit 2 ;; esac
# shellcheck source=test/qemu/chain-lib.sh
. "$(dirname "$0")/chain-lib.sh"
img="${1:-$top/build/qemu/$arch}"
check_images "$img" esp-corrupt.img

f0=$fail
grace=8 until='purgatory: sha256 mismatch in segment' boot C-corrupt "$img/esp-corrupt.img"
if [ "$rc" = 0 ]; then ok "C-corrupt: stopped after the purgatory's mismatch line"
else not_ok "C-corrupt: QEMU exit $rc (124 = timeout: no mismatch line)"; fi
for s in "kexshim: TEST BUILD: corrupted the stored SHA-256 of segment 1" \
	 "kexshim: kexec_load:" "purgatory: verifying" \
	 "purgatory: sha256 mismatch in segment 1"; do
	if grep -q -F -- "$s" "$log"; then ok "C-corrupt: '$s'"
	else not_ok "C-corrupt: no '$s'"; fi
done
# The grace after the line would show a target that ran anyway.
for s in "purgatory: jumping to" "[    0.000000]" "KEXSHIM-" "target-init"; do
	if grep -q -F -- "$s" "$log"; then not_ok "C-corrupt: '$s' after a mismatch"
	else ok "C-corrupt: no '$s'"; fi
done
tail_on_failure "$f0"

finish
