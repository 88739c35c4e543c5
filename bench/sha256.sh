#!/bin/bash
# bench/sha256.sh: kexshim's SHA-256 next to OpenSSL's on the same CPU, on
# the host (make bench, make bench-sha256).  build/bench/ARCH/sha256-bench
# (bench/sha256-bench.c, built by bench/bench.mk from the sources the loader
# links) hashes a 64 MiB buffer with the portable C rounds and with what
# kexshim uses (SHA-NI on x86_64, the ARMv8 SHA-2 instructions on arm64,
# when the CPU has them); `openssl speed -evp sha256 -bytes 16384` hashes
# 16 KiB blocks.  The two alternate RUNS times (default 5) and the best of
# each counts: the machine is shared and TCG is noisy.
#   x86_64  natively, the system's openssl
#   arm64   both under qemu-aarch64 user mode (-cpu max); OpenSSL is
#           Debian's arm64 build, unpacked into build/cache/openssl-arm64
#           by tools/install-deps.  Both are emulated: only the ratio means
#           something.
# Prints one line per figure and a ratio line; MB/s are 10^6 bytes/s.
# Usage: bench/sha256.sh [x86_64|arm64]   (default x86_64)
set -eu -o pipefail

arch="${1:-x86_64}"
top="$(cd "$(dirname "$0")/.." && pwd)"
runs="${RUNS:-5}"
p="sha256($arch)"
die() { echo "bench: $p: $*" >&2; exit 1; }

bin="$top/build/bench/$arch/sha256-bench"
make -C "$top" --no-print-directory ARCH="$arch" "build/bench/$arch/sha256-bench" >/dev/null

case "$arch" in
x86_64)
	run=()
	openssl=(openssl)
	if grep -qw sha_ni /proc/cpuinfo; then accel=SHA-NI; else accel="kexshim (no SHA-NI: C)"; fi ;;
arm64)
	command -v qemu-aarch64 >/dev/null || "$top/tools/install-deps"
	ossl="$top/build/cache/openssl-arm64"
	[ -x "$ossl/usr/bin/openssl" ] || "$top/tools/install-deps"
	[ -x "$ossl/usr/bin/openssl" ] || die "$ossl/usr/bin/openssl: missing after tools/install-deps"
	# -cpu max has FEAT_SHA256 (and SVE, the same for both programs).
	run=(qemu-aarch64 -cpu max)
	openssl=(qemu-aarch64 -cpu max -L /usr/aarch64-linux-gnu
		-E "LD_LIBRARY_PATH=$ossl/usr/lib/aarch64-linux-gnu"
		"$ossl/usr/bin/openssl")
	accel="SHA-2 instructions (CE)" ;;
*) die "unknown arch (x86_64, arm64)" ;;
esac

best() { awk -v a="$1" -v b="$2" 'BEGIN { print (b > a) ? b : a }'; }
gen=0 kx=0 os=0
for _ in $(seq "$runs"); do
	out="$("${run[@]}" "$bin" 64 3)" || die "$bin failed"
	gen="$(best "$gen" "$(echo "$out" | awk '$1 == "generic" { print $2 }')")"
	kx="$(best "$kx" "$(echo "$out" | awk '$1 == "kexshim" { print $2 }')")"
	# -mr: "+F:N:sha256:BYTES_PER_SECOND".
	bps="$("${openssl[@]}" speed -mr -evp sha256 -bytes 16384 -seconds 1 2>/dev/null |
		awk -F: '$1 == "+F" { print $4 }')"
	[ -n "$bps" ] || die "openssl speed printed no result"
	os="$(best "$os" "$(awk -v b="$bps" 'BEGIN { printf "%.1f", b / 1e6 }')")"
done
ver="$("${openssl[@]}" version | awk '{ print $2 }')"

echo "$p: generic C      $gen MB/s"
echo "$p: $accel $kx MB/s"
echo "$p: OpenSSL $ver  $os MB/s"
awk -v k="$kx" -v o="$os" -v p="$p" \
	'BEGIN { printf "%s: ratio kexshim/OpenSSL %.2f (goal >= 0.80), best of '"$runs"'\n", p, k / o }'
