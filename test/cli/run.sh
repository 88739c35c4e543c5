#!/bin/bash
# test/cli/run.sh: the kexshim binary as a user runs it on a host — exit
# codes, one-line errors naming the file and the reason, the JSON plan.
# Only commands that never reach the syscalls (plan, list, usage errors).
# Usage: test/cli/run.sh KEXSHIM KERNEL_DIR [KEXSHIM_DYNAMIC]
# With KEXSHIM_DYNAMIC (the same code linked dynamically), plans that
# succeed and plans that fail half-way also run under Valgrind: no error,
# no leak, no fd left open.  (Not list: Valgrind 3.19 has no openat2.)
set -u
bin="$1" kdir="$2" dyn="${3:-}"
top="$(cd "$(dirname "$0")/../.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
iomem="$top/test/unit/fixtures/iomem/qemu-q35-ovmf-2g.iomem"
root="$top/test/unit/fixtures/x86_64/ovmf-q35-2g"
pass=0 fail=0

ok() { echo "ok - $1"; pass=$((pass + 1)); }
not_ok() { echo "not ok - $1"; fail=$((fail + 1)); }

# run NAME WANT_RC WANT_STDERR_REGEX ARGS...: the exit code and exactly one
# stderr line matching the regex (WANT_STDERR_REGEX "" = no stderr at all).
run() {
	local name="$1" want_rc="$2" want_err="$3" rc lines
	shift 3
	"$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	lines=$(wc -l <"$tmp/err")
	if [ "$rc" -ne "$want_rc" ]; then
		not_ok "$name: exit $rc, want $want_rc ($(head -1 "$tmp/err"))"
	elif [ -z "$want_err" ] && [ "$lines" -ne 0 ]; then
		not_ok "$name: unexpected stderr: $(head -1 "$tmp/err")"
	elif [ -n "$want_err" ] && { [ "$lines" -ne 1 ] || ! grep -qE "$want_err" "$tmp/err"; }; then
		not_ok "$name: want one line matching '$want_err', got $lines: $(head -3 "$tmp/err" | tr '\n' '|')"
	else
		ok "$name"
	fi
}

head -c 1000000 /dev/urandom >"$tmp/initrd1"
head -c 123457 /dev/urandom >"$tmp/initrd2"
cp "$kdir/vmlinuz" "$tmp/badmagic"
printf 'XXXX' | dd of="$tmp/badmagic" bs=1 seek=$((0x202)) conv=notrunc status=none
head -c 4000000 "$kdir/vmlinuz" >"$tmp/truncated"
sed 's/^\( *\)[0-9a-f]*-[0-9a-f]*/\100000000-00000000/' "$iomem" >"$tmp/iomem-zero"
plan=(plan --memmap="$iomem" --root="$root")

run "--version" 0 "" --version
run "no command is a usage error" 2 "." 
run "unknown command" 2 "unknown|usage|help" frobnicate
run "plan: good kernel and two initrds" 0 "" "${plan[@]}" --kernel="$kdir/vmlinuz" \
	--initrd="$tmp/initrd1" --initrd="$tmp/initrd2" --command-line='console=ttyS0 x="a b"'
python3 - "$tmp/out" "$tmp/initrd1" "$tmp/initrd2" <<'PY' && ok "plan JSON: segments, alignment, entry in purgatory, initrd digest" || not_ok "plan JSON"
import hashlib, json, sys
p = json.load(open(sys.argv[1]))
seg = {s["name"]: s for s in p["segments"]}
assert set(seg) == {"kernel", "initrd", "boot_params", "purgatory"}, seg.keys()
mems = [int(s["mem"], 16) for s in p["segments"]]
assert mems == sorted(mems) and all(m % 4096 == 0 for m in mems)
for a, b in zip(p["segments"], p["segments"][1:]):
    assert int(a["end"], 16) <= int(b["mem"], 16), "overlap"
pg = seg["purgatory"]; e = int(p["entry"], 16)
assert int(pg["mem"], 16) <= e < int(pg["end"], 16)
both = open(sys.argv[2], "rb").read() + open(sys.argv[3], "rb").read()
assert seg["initrd"]["bufsz"] == len(both)
assert seg["initrd"]["sha256"] == hashlib.sha256(both).hexdigest()
PY
run "plan: missing kernel names the file" 1 "$tmp/nope.*No such file" "${plan[@]}" --kernel="$tmp/nope"
run "plan: missing initrd names the file" 1 "$tmp/nope-initrd" "${plan[@]}" \
	--kernel="$kdir/vmlinuz" --initrd="$tmp/nope-initrd"
run "plan: wrong magic" 1 "bzimage: $tmp/badmagic: bad magic" "${plan[@]}" --kernel="$tmp/badmagic"
run "plan: truncated kernel" 1 "bzimage: $tmp/truncated: truncated" "${plan[@]}" --kernel="$tmp/truncated"
run "plan: not a kernel at all" 1 "bzimage: $tmp/initrd2:" "${plan[@]}" --kernel="$tmp/initrd2"
run "plan: /proc/iomem read as non-root" 1 "iomem-zero.*as root" \
	plan --memmap="$tmp/iomem-zero" --root="$root" --kernel="$kdir/vmlinuz"
run "plan: command line longer than cmdline_size" 1 "cmdline_size|command line" "${plan[@]}" \
	--kernel="$kdir/vmlinuz" --command-line="$(head -c 3000 /dev/zero | tr '\0' x)"
# kexec_load refuses segments over half of RAM with a bare EINVAL: plan says why.
printf '00001000-0009ffff : System RAM\n00100000-0fffffff : System RAM\n' >"$tmp/iomem-256m"
# (The kernel's init_size is kept free, not loaded: it does not count.)
truncate -s 124M "$tmp/initrd-124m"
run "plan: segments over half of RAM" 1 "plan: the segments take 13[0-9].* MiB, more than half of the 255.* MiB of RAM" \
	plan --memmap="$tmp/iomem-256m" --root="$root" --kernel="$kdir/vmlinuz" --initrd="$tmp/initrd-124m"
truncate -s 20M "$tmp/initrd-20m"
run "plan: the same kernel with a small initrd fits" 0 "" \
	plan --memmap="$tmp/iomem-256m" --root="$root" --kernel="$kdir/vmlinuz" --initrd="$tmp/initrd-20m"
# A UKI (test/unit/mkuki around systemd's stub): the kernel is its .linux,
# the initrd its .ucode + .initrd (+ --initrd files), the command line its
# .cmdline unless one is given; a profile overrides the base's sections.
printf 'console=ttyS0 base\n' >"$tmp/c0"
printf 'ID=main\n' >"$tmp/p0"
printf 'ID=rescue\n' >"$tmp/p1"
printf 'console=ttyS0 profile-one' >"$tmp/c1"
head -c 3000 /dev/urandom >"$tmp/ucode"
"$top/test/unit/mkuki" objcopy /usr/lib/systemd/boot/efi/linuxx64.efi.stub "$tmp/uki.efi" \
	.cmdline="$tmp/c0" .ucode="$tmp/ucode" .initrd="$tmp/initrd2" .linux="$kdir/vmlinuz" \
	.profile="$tmp/p0" .profile="$tmp/p1" .cmdline="$tmp/c1"
uki_plan() { # NAME WANT_INITRD_FILES... -- plan args
	local name="$1" files=()
	shift
	while [ "$1" != -- ]; do files+=("$1"); shift; done
	shift
	run "$name" 0 "" "${plan[@]}" "$@"
	python3 - "$tmp/out" "${files[@]}" <<'PY' && ok "$name: initrd = ${files[*]##*/}" || not_ok "$name: initrd"
import hashlib, json, sys
p = json.load(open(sys.argv[1]))
seg = {s["name"]: s for s in p["segments"]}
want = b"".join(open(f, "rb").read() for f in sys.argv[2:])
assert seg["initrd"]["sha256"] == hashlib.sha256(want).hexdigest()
PY
}
uki_plan "plan: UKI" "$tmp/ucode" "$tmp/initrd2" -- "$tmp/uki.efi"
uki_plan "plan: UKI + --initrd after its own" "$tmp/ucode" "$tmp/initrd2" "$tmp/initrd1" -- \
	"$tmp/uki.efi" --initrd="$tmp/initrd1" --uki-profile=@1
run "plan: UKI profile that is not there" 1 "image: $tmp/uki.efi: no profile @2 \(the UKI has 2\)" \
	"${plan[@]}" "$tmp/uki.efi" --uki-profile=2
run "plan: --uki-profile not a number" 2 "uki-profile=x is not" "${plan[@]}" "$tmp/uki.efi" --uki-profile=x
head -c 100000 "$tmp/uki.efi" >"$tmp/uki-cut.efi"
run "plan: truncated UKI" 1 "image: $tmp/uki-cut.efi: truncated: PE section" "${plan[@]}" "$tmp/uki-cut.efi"
run "list: fixture ESP" 0 "" list --esp="$top/test/unit/fixtures/esp"
grep -q '^\* debian-6.1.0-56' "$tmp/out" && ok "list marks loader.conf's default" || not_ok "list default marker"
grep -q "^! broken.*no 'linux' line" "$tmp/out" && ok "list flags the broken entry with its reason" || not_ok "list broken entry"
run "list: no ESP" 1 "empty: No such file or directory" list --esp="$tmp/empty"
mkdir -p "$tmp/no-entries"
run "list: an ESP without entries" 1 "entries: no boot entries" list --esp="$tmp/no-entries"
# A Debian root next to the ESP: grub.cfg as Debian 12's grub-mkconfig
# wrote it; --json lists every entry with its source.
mkdir -p "$tmp/root/boot/grub"
cp "$top/test/unit/fixtures/grub/debian12.cfg" "$tmp/root/boot/grub/grub.cfg"
run "list: ESP and a grub root, JSON" 0 "" list --esp="$top/test/unit/fixtures/esp" --fs="$tmp/root" --json
if python3 - "$tmp/out" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
src = [e["source"] for e in v]
assert src.count("bls") == 8 and src.count("grub") == 5, src
assert src.index("grub") > max(i for i, s in enumerate(src) if s == "bls" and v[i]["state"] != "broken")
g = [e for e in v if e["id"] == "gnulinux-simple-6f1c2d4e-8a2b-4c3d-9e5f-0a1b2c3d4e5f"][0]
assert g["title"] == "Debian GNU/Linux" and g["kernel"] == "/boot/vmlinuz-6.1.0-57-amd64", g
assert [e["state"] for e in v].count("default") == 1
assert all(set(e) >= {"id", "source", "partition", "title", "version", "state", "error"} for e in v)
PY
then ok "list --json: 8 BLS then 5 grub entries with their fields"
else not_ok "list --json: $(head -c 300 "$tmp/out")"; fi
run "list: --fs without a value" 2 "option needs a value" list --esp="$tmp" --fs
run "boot: extra argument" 2 "unexpected argument" boot --esp="$tmp" a b
# kexec_file_load switches: usage errors only (load would make the syscall).
run "plan: -s is for load" 2 "unknown option '-s'" "${plan[@]}" -s "$kdir/vmlinuz"
run "plan: --no-file-load is for load" 2 "no-file-load is for .kexshim load. only" "${plan[@]}" --no-file-load "$kdir/vmlinuz"
run "load: -s and --no-file-load" 2 "exclude each other" load -s --no-file-load "$kdir/vmlinuz"

# vg NAME ARGS...: KEXSHIM_DYNAMIC ARGS under Valgrind: memcheck errors
# and leaks of any kind fail it (--error-exitcode), and so does any fd
# kexshim opened and left open at exit (--track-fds lists every one; those
# inherited from the parent, Valgrind's log among them, do not count).
vg() {
	local name="$1" rc
	shift
	valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=all \
		--errors-for-leak-kinds=all --track-fds=yes --log-file="$tmp/vg" \
		"$dyn" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq 99 ]; then
		not_ok "valgrind: $name: $(grep -m3 -E '^==[0-9]+== [A-Z]' "$tmp/vg" | tr '\n' '|')"
	elif leaked=$(awk '/Open (file|AF_UNIX socket) descriptor/ { d = $0; next }
		d && !/inherited from parent/ { print d } { d = "" }' "$tmp/vg") &&
	     [ -n "$leaked" ]; then
		not_ok "valgrind: $name: fd left open: $(echo "$leaked" | head -2 | tr '\n' ' ')"
	else
		ok "valgrind: $name (exit $rc)"
	fi
}
if [ -n "$dyn" ]; then
	vg "plan: good kernel and two initrds" "${plan[@]}" --kernel="$kdir/vmlinuz" \
		--initrd="$tmp/initrd1" --initrd="$tmp/initrd2" --command-line='console=ttyS0'
	vg "plan: UKI" "${plan[@]}" "$tmp/uki.efi"
	vg "plan: truncated kernel fails cleanly" "${plan[@]}" --kernel="$tmp/truncated"
	vg "plan: kernel read, then the initrd missing" "${plan[@]}" \
		--kernel="$kdir/vmlinuz" --initrd="$tmp/initrd1" --initrd="$tmp/nope"
	vg "plan: command line too long" "${plan[@]}" --kernel="$kdir/vmlinuz" \
		--command-line="$(head -c 3000 /dev/zero | tr '\0' a)"
fi

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
