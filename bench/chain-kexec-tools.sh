#!/bin/bash
# bench/chain-kexec-tools.sh: the chain with kexshim next to the same chain
# with Debian's kexec-tools doing the load, on the host (make bench).  Both
# boot the same firmware, kexshim.efi, Debian shim kernel and target (kernel +
# the test initrds, whose /init checks what it got); only the shim's /init
# differs:
#   kexshim      build/qemu/ARCH/esp-gpt.img (kexshim as /init)
#   kexec-tools  busybox-static sh script: load modules, mount the ESP,
#                `kexec -l` (one --initrd: the two test initrds concatenated,
#                the same bytes) then `kexec -e`
# Every serial line is stamped as it arrives (test/purgatory/qemu-timed.py;
# logs in build/qemu/logs/bench-ARCH-*.log).  Printed per run and as medians:
#   wall     QEMU start -> "KEXSHIM-TARGET-OK"
#   load     the shim's /init start -> its loader is done (modules, ESP,
#            reading and loading the target)
#   kexec    the shim's last line -> the target kernel's first line (rule:
#            kexec_times in test/qemu/chain-lib.sh, the same for both):
#            shim kernel shutdown + purgatory (SHA-256 of every segment) +
#            the target's first steps.  kexec-tools' purgatory prints nothing;
#            ours prints "purgatory: verifying" / "jumping to", whose span is
#            shown too.  On arm64 the target has `earlycon`, so its first
#            line is its first printk.
# Under TCG these depend on host load: run on an idle machine.  RUNS=N boots
# each chain N times, interleaved (default 1).
# Usage: bench/chain-kexec-tools.sh [x86_64|arm64]   (default x86_64)
set -eu -o pipefail

arch="${1:-x86_64}"
case "$arch" in
x86_64) deb_arch=amd64 multiarch=x86_64-linux-gnu readelf=readelf ;;
arm64) deb_arch=arm64 multiarch=aarch64-linux-gnu readelf=aarch64-linux-gnu-readelf ;;
*) echo "chain-kexec-tools: unknown arch '$arch' (x86_64, arm64)" >&2; exit 2 ;;
esac
# shellcheck source=test/qemu/chain-lib.sh
. "$(dirname "$0")/../test/qemu/chain-lib.sh"
out="$top/build/bench/$arch"
cache="$top/build/cache/kexec-tools-$arch"
img="$top/build/qemu/$arch"
runs="${RUNS:-1}"
die() { echo "chain-kexec-tools: $*" >&2; exit 1; }
p="bench($arch)"

make -C "$top" --no-print-directory ARCH="$arch" qemu-images
kdir="$("$top/tools/fetch-kernel" "$arch")"
kver="$(cat "$kdir/version")"
mkdir -p "$out"

# kexec-tools (and, for arm64, busybox-static) for $deb_arch plus, through
# library packages only, every library dependency not installed for that
# arch (apt's data, no hand-kept list): Debian packages, unpacked, never
# installed.
if [ ! -f "$cache/.done" ]; then
	rm -rf "$cache" && mkdir -p "$cache/deb"
	want="kexec-tools"
	[ "$arch" = x86_64 ] || want="$want busybox-static"
	pkgs="$want" queue="$want" seen=" $want "
	while [ -n "$queue" ]; do
		# shellcheck disable=SC2086 # a list of package names
		set -- $queue
		q="$1"; shift; queue="$*"
		for d in $(apt-cache depends --no-recommends --no-suggests --no-conflicts \
				--no-breaks --no-replaces --no-enhances "$q:$deb_arch" |
				awk '$1 ~ /Depends:$/ && $2 ~ /^lib/ { sub(/:.*/, "", $2); print $2 }'); do
			case "$seen" in *" $d "*) continue ;; esac
			seen="$seen$d "
			dpkg-query -W -f='${Status}' "$d:$deb_arch" 2>/dev/null | grep -q 'ok installed' && continue
			pkgs="$pkgs $d"
			queue="$queue $d"
		done
	done
	echo "chain-kexec-tools: fetching $pkgs ($deb_arch)"
	# shellcheck disable=SC2046,SC2086 # lists of package names
	(cd "$cache/deb" && apt-get download -q $(printf '%s:'"$deb_arch"' ' $pkgs) >/dev/null 2>&1) ||
		die "apt-get download $pkgs ($deb_arch) failed"
	for d in "$cache"/deb/*.deb; do dpkg-deb -x "$d" "$cache/root"; done
	rm -rf "$cache/deb"
	touch "$cache/.done"
fi
kexec="$cache/root/sbin/kexec"
[ -x "$kexec" ] || die "no sbin/kexec in $cache"
if [ "$arch" = x86_64 ]; then busybox=/bin/busybox; else busybox="$cache/root/bin/busybox"; fi
[ -x "$busybox" ] || die "$busybox missing (x86_64: package busybox-static; tools/install-deps)"

# The kexec-tools shim initramfs: busybox, kexec and its shared libraries,
# found by following DT_NEEDED (readelf, works for a foreign arch too) in the
# unpacked packages, then in the host's multiarch directories.
stage="$out/kt-root"
rm -rf "$stage" && mkdir -p "$stage/bin" "$stage/sbin"
cp "$busybox" "$stage/bin/busybox"
cp "$kexec" "$stage/sbin/kexec"
find_lib() {
	local d
	for d in "$cache/root/lib/$multiarch" "$cache/root/usr/lib/$multiarch" \
		 "/lib/$multiarch" "/usr/lib/$multiarch"; do
		[ -e "$d/$1" ] && { echo "$d/$1"; return 0; }
	done
	return 1
}
interp="$("$readelf" -l "$kexec" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')"
[ -n "$interp" ] || die "$kexec: no program interpreter"
mkdir -p "$stage$(dirname "$interp")"
cp -L "$(find_lib "$(basename "$interp")")" "$stage$interp" || die "no $interp for $arch"
queue="$kexec" done_libs=" "
while [ -n "$queue" ]; do
	# shellcheck disable=SC2086 # a list of paths without blanks
	set -- $queue
	f="$1"; shift; queue="$*"
	for so in $("$readelf" -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
		case "$done_libs" in *" $so "*) continue ;; esac
		done_libs="$done_libs$so "
		lib="$(find_lib "$so")" || die "kexec needs $so: not in $cache nor /usr/lib/$multiarch"
		mkdir -p "$stage/lib/$multiarch"
		cp -L "$lib" "$stage/lib/$multiarch/$so"
		queue="$queue $lib"
	done
done
echo "chain-kexec-tools: kexec + libraries:$done_libs($(du -sh "$stage" | cut -f1))"

cat >"$out/kt-init" <<'EOF'
#!/bin/busybox sh
# /init of the kexec-tools shim (bench/chain-kexec-tools.sh)
/bin/busybox --install -s /bin
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
echo "bench-init: loading modules"
modprobe -a virtio_pci virtio_blk vfat nls_cp437 nls_ascii
for i in $(seq 50); do [ -b /dev/vda1 ] && break; sleep 0.1; done
mount -t vfat -o ro /dev/vda1 /esp || { echo "bench-init: cannot mount the ESP"; poweroff -f; }
echo "bench-init: kexec -l"
kexec -l /esp/target/vmlinuz --initrd=/esp/target/all.img \
	--command-line="$(cat /esp/bench/cmdline)" || { echo "bench-init: kexec -l failed"; poweroff -f; }
echo "bench-init: kexec -e"
umount /esp
kexec -e
echo "bench-init: kexec -e failed"
poweroff -f
EOF
libs=()
for d in lib lib64 usr; do [ ! -d "$stage/$d" ] || libs+=(--add "$stage/$d:/$d"); done
"$top/tools/mkinitramfs" -o "$out/kt-initramfs.img" --init "$out/kt-init" \
	--modules-dir "$kdir/lib/modules/$kver" \
	--modules "virtio_pci virtio_blk vfat nls_cp437 nls_ascii" \
	--add "$stage/bin:/bin" --add "$stage/sbin:/sbin" "${libs[@]}"

cat "$img/target/initrd.img" "$img/target/random.img" >"$out/all.img"
cp "$img/target/expected/cmdline" "$out/cmdline"
"$top/tools/mkesp" -o "$out/esp-kexec-tools.img" --gpt --arch "$arch" \
	--efi "$top/build/$arch/kexshim.efi" --conf "$img/kexshim.conf" \
	--add "$kdir/vmlinuz:/shim/vmlinuz" \
	--add "$out/kt-initramfs.img:/shim/initramfs.img" \
	--add "$kdir/vmlinuz:/target/vmlinuz" \
	--add "$out/all.img:/target/all.img" \
	--add "$out/cmdline:/bench/cmdline" >/dev/null

# chain NAME IMAGE INIT-MARK LOADED-MARK: boot once; print, in seconds from
# QEMU start, the EFI loader's first line, INIT-MARK (the shim's /init runs),
# LOADED-MARK (its loader is done), KEXSHIM-TARGET-OK; then the kexec span
# (shim's last line -> target's first line) and the purgatory's verifying ->
# jumping span ("-" for kexec-tools); "fail" for a mark never seen.
chain() {
	local raw="$logs/bench-$arch-$1.log" i s v j f
	local marks=("kexshim.efi: starting" "$3" "$4" "KEXSHIM-TARGET-OK") t=()
	qemu_timed "$raw" --arch "$arch" --disk "$2" --mem 2G --smp 2 || true
	for i in 0 1 2 3; do
		t[i]=$(stamp "$raw" "${marks[$i]}")
		[ -n "${t[$i]}" ] || t[i]=fail
	done
	read -r s v j f <<<"$(kexec_times "$raw" "$4")"
	if [ "$s" = - ] || [ "$f" = - ]; then t[4]=fail
	else t[4]=$(awk -v a="$s" -v b="$f" 'BEGIN { printf "%.3f", b - a }'); fi
	if [ "$v" = - ] || [ "$j" = - ]; then t[5]=-
	else t[5]=$(awk -v a="$v" -v b="$j" 'BEGIN { printf "%.3f", b - a }'); fi
	echo "${t[*]}"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Interleaved, so a change in host load hits both chains alike.
: >"$out/times-kexshim"
: >"$out/times-kexec-tools"
for i in $(seq "$runs"); do
	for c in kexshim kexec-tools; do
		if [ "$c" = kexshim ]; then
			disk="$img/esp-gpt.img" m1="kexshim: MemTotal" m2="kexshim: kexec_load:"
		else
			disk="$out/esp-kexec-tools.img" m1="bench-init: loading modules" m2="bench-init: kexec -e"
		fi
		read -r te ti tx tok tk tv <<<"$(chain "$c" "$disk" "$m1" "$m2")"
		case " $te $ti $tx $tok $tk " in *" fail "*)
			die "$c chain did not reach KEXSHIM-TARGET-OK (log $logs/bench-$arch-$c.log)" ;;
		esac
		span=$(awk -v a="$ti" -v b="$tx" 'BEGIN { printf "%.2f", b - a }')
		echo "$p: $c run $i: loader $te s, /init $ti s, loaded $tx s, target OK $tok s;" \
			"/init -> loaded $span s; shim's last line -> target's first line $tk s" \
			"$([ "$tv" = - ] || echo "(purgatory: verifying -> jumping $tv s)")"
		echo "$tok $span $tk $tv" >>"$out/times-$c"
	done
done
# arm64's target prints from its first printk on (earlycon), so there the
# span is mostly the purgatory: issue 3 wants ours at most 1/10 of theirs.
goal=""
[ "$arch" != arm64 ] || goal=" (issue 3 goal: <= 0.1)"
col() { cut -d' ' -f"$2" "$out/times-$1" | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
echo "$p: firmware start -> KEXSHIM-TARGET-OK, median of $runs: kexshim $(col kexshim 1) s, kexec-tools $(col kexec-tools 1) s, ratio $(ratio "$(col kexshim 1)" "$(col kexec-tools 1)")"
echo "$p: shim /init -> loaded (modules, ESP, load), median: kexshim $(col kexshim 2) s, kexec-tools $(col kexec-tools 2) s, ratio $(ratio "$(col kexshim 2)" "$(col kexec-tools 2)")"
echo "$p: shim's last line -> target's first line (kexec + purgatory verification), median: kexshim $(col kexshim 3) s (of it verifying -> jumping $(col kexshim 4) s), kexec-tools $(col kexec-tools 3) s, ratio $(ratio "$(col kexshim 3)" "$(col kexec-tools 3)")$goal"
