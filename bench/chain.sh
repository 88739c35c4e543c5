#!/bin/bash
# bench/chain.sh: the boot chain next to a direct boot and to the peers, on
# the host (make bench).  Every variant boots the same firmware and target
# (kernel + the test initrds, whose /init checks what it got and greets):
#   direct        the firmware starts the target's EFI stub itself
#                 (tools/run-qemu --kernel; the initrds concatenated)
#   kexshim-mini  kexshim.efi -> the minimal shim kernel (tools/build-shim-
#                 kernel; every driver built in) + kexshim alone as initramfs
#                 -> kexshim -> purgatory -> target (build/qemu/ARCH/esp-mini.img)
#   kexshim       the same with Debian's kernel + modules (esp-gpt.img)
#   kexec-tools   Debian's kernel, a busybox-static sh /init: load modules,
#                 mount the ESP, `kexec -l` (one --initrd: the two test
#                 initrds concatenated, the same bytes) then `kexec -e`
# Every serial line is stamped as it arrives (test/purgatory/qemu-timed.py;
# logs in build/qemu/logs/bench-ARCH-*.log).  Per variant, medians of RUNS
# interleaved boots (default 1):
#   total     QEMU start -> the target's "Hello from the target kernel" (its
#             /init has run every check: the same work for all)
#   firmware  QEMU start -> the EFI loader's first line
#   kernel    the loader's first line -> the shim's /init runs
#   load      /init -> its loader is done (modules, disks, read, hash, kexec_load)
#   kexec     the shim's last line -> the target kernel's first line (rule:
#             kexec_times in test/qemu/chain-lib.sh, the same for all):
#             shim shutdown + purgatory (SHA-256 of every segment) + the
#             target's first steps; kexec-tools' purgatory prints nothing,
#             ours prints "verifying"/"jumping", whose span is shown too.
#             On arm64 the target has `earlycon`: its first line is its
#             first printk.
# and the ratio of each total to the direct boot's.  Under TCG these depend
# on host load: run on an idle machine.
# Usage: bench/chain.sh [x86_64|arm64]   (default x86_64)
set -eu -o pipefail

arch="${1:-x86_64}"
case "$arch" in
x86_64) deb_arch=amd64 multiarch=x86_64-linux-gnu readelf=readelf ;;
arm64) deb_arch=arm64 multiarch=aarch64-linux-gnu readelf=aarch64-linux-gnu-readelf ;;
*) echo "bench/chain: unknown arch '$arch' (x86_64, arm64)" >&2; exit 2 ;;
esac
# shellcheck source=test/qemu/chain-lib.sh
. "$(dirname "$0")/../test/qemu/chain-lib.sh"
out="$top/build/bench/$arch"
cache="$top/build/cache/kexec-tools-$arch"
img="$top/build/qemu/$arch"
runs="${RUNS:-1}"
die() { echo "bench/chain: $*" >&2; exit 1; }
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
	echo "bench/chain: fetching $pkgs ($deb_arch)"
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
echo "bench/chain: kexec + libraries:$done_libs($(du -sh "$stage" | cut -f1))"

cat >"$out/kt-init" <<'EOF'
#!/bin/busybox sh
# /init of the kexec-tools shim (bench/chain.sh)
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

# chain NAME RUN-QEMU-ARGS...: boot once; print, in seconds from QEMU start:
# the EFI loader's first line, the shim's /init, its loader done, the
# target's greeting; then the kexec span (shim's last line -> target's
# first line) and the purgatory's verifying -> jumping span; "-" for a mark
# a variant does not have, "fail" for one it should have and did not show.
chain() {
	local name="$1" raw="$logs/bench-$arch-$1.log" i s v j f m1 m2
	shift
	case "$name" in
	direct) m1="" m2="" ;;
	kexec-tools) m1="bench-init: loading modules" m2="bench-init: kexec -e" ;;
	*) m1=": PID 1 on " m2="kexshim: kexec_load:" ;;
	esac
	local marks=("kexshim.efi: starting" "$m1" "$m2" "Hello from the target kernel") t=()
	qemu_timed "$raw" --arch "$arch" --mem 2G --smp 2 "$@" || true
	for i in 0 1 2 3; do
		if [ -z "${marks[$i]}" ] || { [ "$name" = direct ] && [ "$i" = 0 ]; }; then
			t[i]=-
			continue
		fi
		t[i]=$(stamp "$raw" "${marks[$i]}")
		[ -n "${t[$i]}" ] || t[i]=fail
	done
	t[4]=- t[5]=-
	if [ -n "$m2" ]; then
		read -r s v j f <<<"$(kexec_times "$raw" "$m2")"
		if [ "$s" = - ] || [ "$f" = - ]; then t[4]=fail
		else t[4]=$(awk -v a="$s" -v b="$f" 'BEGIN { printf "%.3f", b - a }'); fi
		[ "$v" = - ] || [ "$j" = - ] ||
			t[5]=$(awk -v a="$v" -v b="$j" 'BEGIN { printf "%.3f", b - a }')
	fi
	echo "${t[*]}"
}

median() {
	grep -v '^-$' | sort -n | awk '{ v[NR] = $1 }
		END { if (!NR) print "-"; else print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
span() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-") print "-"; else printf "%.2f", b - a }'; }

mini="$img/esp-mini.img"
[ -f "$mini" ] || die "no $mini (make ARCH=$arch qemu-images builds the minimal shim kernel)"
variants=(direct kexshim-mini kexshim kexec-tools)
for c in "${variants[@]}"; do : >"$out/times-$c"; done
# Interleaved, so a change in host load hits every variant alike.
for i in $(seq "$runs"); do
	for c in "${variants[@]}"; do
		case "$c" in
		direct) args=(--kernel "$kdir/vmlinuz" --initrd "$out/all.img"
			--append "$(cat "$out/cmdline")") ;;
		kexshim-mini) args=(--disk "$mini") ;;
		kexshim) args=(--disk "$img/esp-gpt.img") ;;
		kexec-tools) args=(--disk "$out/esp-kexec-tools.img") ;;
		esac
		read -r te ti tx tok tk tv <<<"$(chain "$c" "${args[@]}")"
		case " $te $ti $tx $tok $tk " in *" fail "*)
			die "$c did not reach the target's greeting (log $logs/bench-$arch-$c.log)" ;;
		esac
		echo "$p: $c run $i: loader $te s, /init $ti s, loaded $tx s, target greets at $tok s;" \
			"kexec $tk s$([ "$tv" = - ] || echo " (purgatory: verifying -> jumping $tv s)")"
		echo "$tok $te $(span "$te" "$ti") $(span "$ti" "$tx") $tk $tv" >>"$out/times-$c"
	done
done
col() { cut -d' ' -f"$2" "$out/times-$1" | median; }
direct=$(col direct 1)
echo "$p: median of $runs, seconds; ratio = total / direct boot's"
printf '%s: %-13s %7s %6s %9s %7s %7s %7s %9s\n' "$p" variant total ratio firmware kernel load kexec purgatory
for c in "${variants[@]}"; do
	printf '%s: %-13s %7s %6s %9s %7s %7s %7s %9s\n' "$p" "$c" "$(col "$c" 1)" \
		"$(awk -v a="$(col "$c" 1)" -v b="$direct" 'BEGIN { printf "%.2f", a / b }')" \
		"$(col "$c" 2)" "$(col "$c" 3)" "$(col "$c" 4)" "$(col "$c" 5)" "$(col "$c" 6)"
done
