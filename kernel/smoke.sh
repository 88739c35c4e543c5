#!/bin/bash
# kernel/smoke.sh: boot the shim kernel for ARCH in QEMU (UEFI firmware
# loads it through its EFI stub) with the test initramfs, and check what the
# shim needs from it: /init reached, virtio disk and NIC, EFI + efivarfs,
# lockdown LSM, kexec_load/kexec_file_load, 2 CPUs, the file systems, a
# framebuffer and, when swtpm is there, a TPM (tpm-crb on x86_64,
# tpm-tis-device on arm64).  One "ok -"/"not ok -" line per check, closing
# with "shim-kernel-ARCH: N passed, N failed"; exit 0 only if all passed.
#
#   kernel/smoke.sh [x86_64|arm64]      (builds the kernel first if needed)
# Environment: TIMEOUT (QEMU seconds, default 300), SHIM_KERNEL (an image to
# test instead of building one), NO_TPM=1 (skip the TPM even with swtpm).
set -eu

arch="${1:-x86_64}"
top="$(cd "$(dirname "$0")/.." && pwd)"
cd "$top"
case "$arch" in
x86_64) console=ttyS0; tpmdev=tpm-crb; fb=() ;;
# virt has no display; ramfb gives AAVMF a GOP framebuffer for efifb
arm64) console=ttyAMA0; tpmdev=tpm-tis-device; fb=(-device ramfb) ;;
*) echo "smoke.sh: unknown ARCH '$arch' (x86_64, arm64)" >&2; exit 2 ;;
esac

work="build/qemu/shim-kernel-$arch"
log="build/qemu/logs/shim-kernel-smoke-$arch.log"
mkdir -p "$work" "$(dirname "$log")"
kernel="${SHIM_KERNEL:-$(tools/build-shim-kernel "$arch")}"
initrd="$(kernel/mk-test-initramfs "$arch" "$work")"
disk="$work/disk.img"
rm -f "$disk"
truncate -s 16M "$disk"

extra=(-drive "if=none,id=d0,format=raw,file=$disk" -device virtio-blk-pci,drive=d0
	-netdev user,id=n0,restrict=on -device virtio-net-pci,netdev=n0,romfile=
	${fb[@]+"${fb[@]}"})
append="console=$console panic=-1 testinit.smoke testinit.cpus=2"

swtpm_pid=""
cleanup() { [ -z "$swtpm_pid" ] || kill "$swtpm_pid" 2>/dev/null || true; }
trap cleanup EXIT
if [ "${NO_TPM:-0}" != 1 ] && command -v swtpm >/dev/null; then
	tpmdir="$work/tpm"
	rm -rf "$tpmdir"
	mkdir -p "$tpmdir"
	swtpm socket --tpm2 --tpmstate dir="$tpmdir" \
		--ctrl type=unixio,path="$tpmdir/sock" --terminate \
		>"$tpmdir/swtpm.log" 2>&1 &
	swtpm_pid=$!
	for _ in $(seq 50); do [ -S "$tpmdir/sock" ] && break; sleep 0.1; done
	extra+=(-chardev "socket,id=chrtpm,path=$tpmdir/sock"
		-tpmdev emulator,id=tpm0,chardev=chrtpm -device "$tpmdev,tpmdev=tpm0")
	append="$append testinit.tpm"
fi

set +e
tools/run-qemu --arch "$arch" --mem 2G --smp 2 --kernel "$kernel" \
	--initrd "$initrd" --append "$append" --log "$log" \
	--timeout "${TIMEOUT:-300}" -- "${extra[@]}"
rc=$?
set -e

# OVMF writes \r and ANSI escapes to the serial port
clean="$(sed -e 's/\r//g' -e 's/\x1b\[[0-9;=?]*[A-Za-z]//g' "$log")"
pass=0 fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
notok() { echo "not ok - $1"; fail=$((fail + 1)); }

if grep -q '^SHIM-INIT-REACHED' <<<"$clean"; then
	ok "/init reached ($(grep -o '^SHIM-INIT-REACHED.*' <<<"$clean" | head -1))"
else
	notok "/init reached (serial log: $log)"
fi
while IFS= read -r line; do
	case "$line" in
	"SMOKE ok - "*) ok "${line#SMOKE ok - }" ;;
	"SMOKE not ok - "*) notok "${line#SMOKE not ok - }" ;;
	esac
done < <(grep '^SMOKE ' <<<"$clean" || true)
if grep -q '^SHIM-INIT-DONE' <<<"$clean"; then
	ok "every check ran"
else
	notok "every check ran (serial log: $log)"
fi
if [ "$rc" = 0 ]; then
	ok "guest powered off"
else
	notok "guest powered off (run-qemu status $rc; serial log: $log)"
fi
echo "shim-kernel-$arch: $pass passed, $fail failed"
[ "$fail" = 0 ]
