#!/bin/bash
# test/pkg/bundle.sh: tools/mkbundle's output on the host, for x86_64 and
# arm64, with Debian's real kernels: signed with sbsign and a key made here
# (openssl), checked by sbverify (and refused once tampered with or against
# another certificate), by objdump -h, by test/pkg/pecheck.py (alignment,
# SizeOfImage, SizeOfHeaders, CheckSum, each section's bytes in the file
# and in memory) and by the loader's own parser (PEMEM-DUMP: efi/pemem.c on
# the bundle laid out by RVA); then every refusal of mkbundle.
# Usage: test/pkg/bundle.sh PEMEM-DUMP
set -eu -o pipefail

suite=bundle
# shellcheck source=test/pkg/lib.sh
. "$(dirname "$0")/lib.sh"
dump="$(readlink -f "${1:?usage: bundle.sh PEMEM-DUMP}")"
w="$top/build/test/pkg/bundle"
rm -rf "$w" && mkdir -p "$w"
mkb="$top/tools/mkbundle" pec="$top/test/pkg/pecheck.py"
for t in sbsign sbverify openssl objdump aarch64-linux-gnu-objdump; do
	command -v "$t" >/dev/null || { not_ok "$t is not installed (tools/install-deps)"; finish; exit 1; }
done

# A test CA-less signing pair, and a second one that must not verify.
for k in db other; do
	openssl req -new -x509 -newkey rsa:2048 -nodes -sha256 -days 30 \
		-subj "/CN=kexshim test $k/" -keyout "$w/$k.key" -out "$w/$k.crt" 2>/dev/null
done

# Two initrds of odd sizes: the second must start at a multiple of 4.
head -c 1001 /dev/urandom >"$w/initrd1"
head -c 5000 /dev/urandom >"$w/initrd2"
python3 -c 'import sys; a = open(sys.argv[1], "rb").read(); b = open(sys.argv[2], "rb").read()
open(sys.argv[3], "wb").write(a + b"\0" * (-len(a) % 4) + b)' "$w/initrd1" "$w/initrd2" "$w/initrd.want"
printf 'console=ttyS0,115200 kexshim.entry="a b"' >"$w/cmdline"
printf 'ID=kexshim\nNAME=kexshim\n' >"$w/osrel"
printf 'sbat,1,SBAT Version,sbat,1,https://github.com/rhboot/shim/blob/main/SBAT.md\n' >"$w/sbat"
printf '# initrds kexshim.conf may name under Secure Boot (tools/mkbundle)\ninitrd-sha256 %s\n' \
	"$(sha256sum "$w/initrd2" | cut -c1-64)" >"$w/pins.want"

for arch in x86_64 arm64; do
	efi="$top/build/$arch/kexshim.efi"
	kernel="$("$top/tools/fetch-kernel" "$arch")/vmlinuz"
	case $arch in x86_64) od=objdump ;; arm64) od=aarch64-linux-gnu-objdump ;; esac
	out="$w/$arch.efi" signed="$w/$arch-signed.efi"
	set +e
	"$mkb" -o "$out" --efi "$efi" --linux "$kernel" --initrd "$w/initrd1" \
		--initrd "$w/initrd2" --cmdline "$(cat "$w/cmdline")" --osrel "$w/osrel" \
		--sbat "$w/sbat" --pin-initrd "$w/initrd2" >"$w/log" 2>&1
	rc=$?
	set -e
	if [ "$rc" = 0 ]; then ok "$arch: mkbundle: $(cat "$w/log")"
	else not_ok "$arch: mkbundle failed: $(cat "$w/log")"; continue; fi

	# the PE check, independent of mkbundle
	if python3 "$pec" "$out" --expect .linux="$kernel" --expect .initrd="$w/initrd.want" \
		--expect .cmdline="$w/cmdline" --expect .osrel="$w/osrel" --expect .sbat="$w/sbat" \
		--expect .pins="$w/pins.want" --order .osrel,.sbat,.cmdline,.pins,.initrd,.linux \
		>"$w/pecheck" 2>&1; then
		ok "$arch: pecheck.py: $(grep -c '^ok' "$w/pecheck") checks"
	else
		not_ok "$arch: pecheck.py"; grep -v '^ok' "$w/pecheck" | sed 's/^/#   /'
	fi

	# objdump -h: the sections as binutils reads them, RVAs on 4 KiB
	"$od" -h "$out" >"$w/objdump" 2>&1 || true
	for s in .cmdline .initrd .linux .osrel .sbat .pins; do
		line="$(awk -v s="$s" '$2 == s { print; exit }' "$w/objdump")"
		if [ -z "$line" ]; then not_ok "$arch: objdump -h lists no $s"; continue; fi
		read -r _ _ size vma _ <<<"$line"
		if [ $((0x$vma % 4096)) = 0 ]; then ok "$arch: objdump -h: $s at 0x$vma, size 0x$size"
		else not_ok "$arch: objdump -h: $s at 0x$vma is not on a 4 KiB boundary"; fi
	done
	ksize="$(stat -L -c %s "$kernel")"
	line="$(awk '$2 == ".linux" { print $3; exit }' "$w/objdump")"
	if [ -n "$line" ] && [ $((0x$line)) = "$ksize" ]; then ok "$arch: objdump -h: .linux is $ksize bytes"
	else not_ok "$arch: objdump -h: .linux is 0x${line:-?}, want $ksize bytes"; fi

	# the loader's own parser, on the bundle as firmware lays it out
	"$dump" "$out" .linux .initrd .cmdline .pins .text >"$w/dump" 2>&1 || true
	for pair in ".linux:$kernel" ".initrd:$w/initrd.want" ".cmdline:$w/cmdline" ".pins:$w/pins.want"; do
		s="${pair%%:*}" f="${pair#*:}"
		want="$s $(stat -L -c %s "$f") $(sha256sum <"$f" | cut -c1-64)"
		if grep -qx -F -- "$want" "$w/dump"; then ok "$arch: efi/pemem.c finds $s: size and SHA-256 right"
		else not_ok "$arch: efi/pemem.c: want '$want', got '$(grep "^$s " "$w/dump")'"; fi
	done
	if grep -q '^.text ' "$w/dump"; then ok "$arch: efi/pemem.c finds the loader's .text too"
	else not_ok "$arch: efi/pemem.c: no .text ($(cat "$w/dump"))"; fi

	# signing: one file, verified; another certificate and one changed
	# byte are refused
	set +e
	"$mkb" -o "$signed" --efi "$efi" --linux "$kernel" --initrd "$w/initrd1" \
		--cmdline x --key "$w/db.key" --cert "$w/db.crt" >"$w/log" 2>&1
	rc=$?
	set -e
	if [ "$rc" = 0 ]; then ok "$arch: mkbundle --key/--cert signs"; else not_ok "$arch: signing: $(cat "$w/log")"; fi
	if sbverify --cert "$w/db.crt" "$signed" >"$w/v" 2>&1 && grep -q "Signature verification OK" "$w/v"; then
		ok "$arch: sbverify --cert db.crt: $(grep -v warning "$w/v" | tail -1)"
	else not_ok "$arch: sbverify: $(cat "$w/v")"; fi
	if grep -q "gaps between PE/COFF sections" "$w/v"; then not_ok "$arch: sbverify warns: $(grep gaps "$w/v")"
	else ok "$arch: sbverify sees no gaps between sections"; fi
	refuse "$arch: sbverify --cert other.crt refuses it" sbverify --cert "$w/other.crt" "$signed" >/dev/null 2>&1
	cp "$signed" "$w/tampered.efi"
	off="$(python3 -c 'import struct, sys
d = open(sys.argv[1], "rb").read(); pe = struct.unpack_from("<I", d, 0x3c)[0]
n = struct.unpack_from("<H", d, pe + 6)[0]; t = pe + 24 + struct.unpack_from("<H", d, pe + 20)[0]
for i in range(n):
    name, vs, va, rs, ro = struct.unpack_from("<8sIIII", d, t + 40 * i)
    if name.rstrip(b"\0") == b".initrd": print(ro + 100)' "$w/tampered.efi")"
	printf 'X' | dd of="$w/tampered.efi" bs=1 seek="$off" conv=notrunc status=none
	refuse "$arch: sbverify refuses the bundle with one .initrd byte changed" \
		sbverify --cert "$w/db.crt" "$w/tampered.efi" >/dev/null 2>&1
	if python3 "$pec" "$signed" >"$w/pecheck" 2>&1; then ok "$arch: pecheck.py on the signed bundle (certificate table last)"
	else not_ok "$arch: pecheck.py signed"; grep -v '^ok' "$w/pecheck" | sed 's/^/#   /'; fi

	# a plain loader with pins only (kexshim.conf mode under Secure Boot)
	if "$mkb" -o "$w/$arch-pins.efi" --efi "$efi" --pin-initrd "$w/initrd2" >/dev/null 2>&1 &&
	   python3 "$pec" "$w/$arch-pins.efi" --expect .pins="$w/pins.want" >/dev/null 2>&1 &&
	   "$dump" "$w/$arch-pins.efi" .linux | grep -qx '.linux absent'; then
		ok "$arch: --pin-initrd alone: a loader with .pins and no .linux"
	else not_ok "$arch: --pin-initrd alone"; fi
done

# --- refusals, each one line naming the file and the reason -------------------
efi="$top/build/x86_64/kexshim.efi" k64="$("$top/tools/fetch-kernel" x86_64)/vmlinuz"
ka="$("$top/tools/fetch-kernel" arm64)/vmlinuz"
# nope WHAT WANT-STDERR ARGS...: mkbundle must fail with one line matching
nope() {
	local what="$1" want="$2" n
	shift 2
	set +e
	"$mkb" -o "$w/bad.efi" "$@" >"$w/out" 2>"$w/err"
	rc=$?
	set -e
	n="$(wc -l <"$w/err")"
	if [ "$rc" != 0 ] && [ "$n" = 1 ] && grep -q -E -- "$want" "$w/err" && [ ! -e "$w/bad.efi" ]; then
		ok "refuses $what: $(cat "$w/err")"
	else
		not_ok "refuses $what: exit $rc, $n lines: $(cat "$w/err")"
	fi
	rm -f "$w/bad.efi"
}
nope "a kernel of the other arch" "the kernel is arm64, the loader x86_64" --efi "$efi" --linux "$ka"
nope "a signed loader" "already signed" --efi "$w/x86_64-signed.efi" --linux "$k64"
nope "a bundle as the loader" "already has a \.[a-z]+ section" --efi "$w/x86_64.efi" --linux "$k64" --cmdline x
nope "a kernel that is no PE image" "no MZ header" --efi "$efi" --linux "$w/initrd1"
nope "a missing initrd" "nothing: cannot read the initrd" --efi "$efi" --linux "$k64" --initrd "$w/nothing"
nope "--initrd without --linux" "need --linux" --efi "$efi" --initrd "$w/initrd1"
nope "nothing to add" "nothing to add" --efi "$efi"
nope "a line break in the command line" "line break inside the command line" --efi "$efi" --linux "$k64" --cmdline "$(printf 'a\nb')"
nope "a command line too long" "2000 bytes; the loader takes at most 1983" --efi "$efi" --linux "$k64" --cmdline "$(head -c 2000 /dev/zero | tr '\0' x)"
nope "--key without --cert" "go together" --efi "$efi" --linux "$k64" --key "$w/db.key"

finish
