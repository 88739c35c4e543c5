#!/bin/bash
# bench/chain-kexec-tools.sh: wall time of the x86_64 chain with kexshim next
# to the same chain with Debian's kexec-tools doing the load, on the host
# (make bench).  Both boot the same OVMF, kexshim.efi, Debian shim kernel and
# target (kernel + the test initrds, whose /init checks what it got); only the
# shim's /init differs:
#   kexshim      build/qemu/x86_64/esp-gpt.img (kexshim as /init)
#   kexec-tools  busybox-static sh script: load modules, mount the ESP,
#                `kexec -l` (one --initrd: the two test initrds concatenated)
#                then `kexec -e`
# Time = QEMU start -> "KEXSHIM-TARGET-OK" on the serial console (each line
# stamped as it arrives), and the span from the shim's /init start to "about
# to kexec" (modules, ESP mount, reading and loading the target).  Under TCG
# these depend on host load: run on an idle machine.  RUNS=N boots each chain
# N times, interleaved (default 1), and prints the medians.
set -eu -o pipefail

top="$(cd "$(dirname "$0")/.." && pwd)"
out="$top/build/bench"
logs="$top/build/qemu/logs"
cache="$top/build/cache/kexec-tools"
img="$top/build/qemu/x86_64"
runs="${RUNS:-1}"
tmo="${TIMEOUT:-300}"
die() { echo "chain-kexec-tools: $*" >&2; exit 1; }

make -C "$top" --no-print-directory ARCH=x86_64 qemu-images
kdir="$("$top/tools/fetch-kernel" x86_64)"
kver="$(cat "$kdir/version")"
mkdir -p "$out" "$logs"

# kexec-tools and the libraries it needs that the host lacks (libxen*): the
# Debian packages, unpacked, never installed.
if [ ! -f "$cache/.done" ]; then
	rm -rf "$cache" && mkdir -p "$cache/deb"
	# kexec-tools plus, through library packages only, every library
	# dependency the host has not installed (apt's data, no hand-kept list).
	pkgs=kexec-tools queue=kexec-tools seen=" kexec-tools "
	while [ -n "$queue" ]; do
		set -- $queue
		p="$1"; shift; queue="$*"
		for d in $(apt-cache depends --no-recommends --no-suggests --no-conflicts \
				--no-breaks --no-replaces --no-enhances "$p" |
				awk '$1 ~ /Depends:$/ && $2 ~ /^lib/ && $2 !~ /:/ { print $2 }'); do
			case "$seen" in *" $d "*) continue ;; esac
			seen="$seen$d "
			dpkg-query -W -f='${Status}' "$d" 2>/dev/null | grep -q 'ok installed' && continue
			pkgs="$pkgs $d"
			queue="$queue $d"
		done
	done
	echo "chain-kexec-tools: fetching $pkgs"
	# shellcheck disable=SC2086
	(cd "$cache/deb" && apt-get download -q $pkgs >/dev/null 2>&1) ||
		die "apt-get download $pkgs failed"
	for d in "$cache"/deb/*.deb; do dpkg-deb -x "$d" "$cache/root"; done
	rm -rf "$cache/deb"
	touch "$cache/.done"
fi
kexec="$cache/root/sbin/kexec"
[ -x "$kexec" ] || die "no sbin/kexec in $cache"
[ -x /bin/busybox ] || die "/bin/busybox missing (package busybox-static; tools/install-deps)"

# The kexec-tools shim initramfs: busybox, kexec and its shared libraries.
stage="$out/kt-root"
rm -rf "$stage" && mkdir -p "$stage/bin" "$stage/sbin"
cp /bin/busybox "$stage/bin/busybox"
cp "$kexec" "$stage/sbin/kexec"
libpath="$(find "$cache/root" -name '*.so*' -printf '%h\n' | sort -u | paste -sd:)"
LD_LIBRARY_PATH="$libpath" ldd "$kexec" | awk '/=> \// { print $3 } /^\t\/.*ld-linux/ { print $1 }' |
while IFS= read -r lib; do
	case "$lib" in "$cache"/root/*) dest="${lib#"$cache"/root}" ;; *) dest="$lib" ;; esac
	mkdir -p "$stage$(dirname "$dest")"
	cp -L "$lib" "$stage$dest"
done
if LD_LIBRARY_PATH="$libpath" ldd "$kexec" | grep -q 'not found'; then
	die "kexec needs a library the cache lacks: $(LD_LIBRARY_PATH="$libpath" ldd "$kexec" | grep 'not found')"
fi
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
"$top/tools/mkesp" -o "$out/esp-kexec-tools.img" --gpt \
	--efi "$top/build/x86_64/kexshim.efi" --conf "$img/kexshim.conf" \
	--add "$kdir/vmlinuz:/shim/vmlinuz" \
	--add "$out/kt-initramfs.img:/shim/initramfs.img" \
	--add "$kdir/vmlinuz:/target/vmlinuz" \
	--add "$out/all.img:/target/all.img" \
	--add "$out/cmdline:/bench/cmdline" >/dev/null

# chain NAME IMAGE INIT-MARK EXEC-MARK: boot once; print four times in seconds
# from QEMU start: the EFI loader's first line, INIT-MARK (the shim's /init
# runs), EXEC-MARK (it is about to kexec), KEXSHIM-TARGET-OK; "fail" for a
# mark never seen.  Every serial line
# is stamped when it arrives (the log keeps the stamps).
chain() {
	local disk="$2" log="$logs/bench-$1.log" t0 i
	local marks=("kexshim.efi: starting" "$3" "$4" "KEXSHIM-TARGET-OK") t=(fail fail fail fail)
	t0=$EPOCHREALTIME
	"$top/tools/run-qemu" --arch x86_64 --disk "$disk" --mem 2G --smp 2 \
		--timeout "$tmo" </dev/null 2>/dev/null |
		while IFS= read -r line || [ -n "$line" ]; do
			printf '%s %s\n' "$EPOCHREALTIME" "$line"
		done >"$log" || true
	for i in 0 1 2 3; do
		t[$i]=$(grep -a -F -m1 -- "${marks[$i]}" "$log" |
			awk -v t0="$t0" '{ printf "%.2f", $1 - t0 }') || true
		[ -n "${t[$i]}" ] || t[$i]=fail
	done
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
		read -r te ti tx tok <<<"$(chain "$c" "$disk" "$m1" "$m2")"
		case " $te $ti $tx $tok " in *" fail "*)
			die "$c chain did not reach KEXSHIM-TARGET-OK (log $logs/bench-$c.log)" ;;
		esac
		span=$(awk -v a="$ti" -v b="$tx" 'BEGIN { printf "%.2f", b - a }')
		echo "bench: $c run $i: loader $te s, /init $ti s, about to kexec $tx s, target OK $tok s" \
			"(/init -> kexec $span s)"
		echo "$tok $span" >>"$out/times-$c"
	done
done
a=$(cut -d' ' -f1 "$out/times-kexshim" | median)
b=$(cut -d' ' -f1 "$out/times-kexec-tools" | median)
la=$(cut -d' ' -f2 "$out/times-kexshim" | median)
lb=$(cut -d' ' -f2 "$out/times-kexec-tools" | median)
echo "bench: OVMF start -> KEXSHIM-TARGET-OK, median of $runs: kexshim $a s, kexec-tools $b s"
echo "bench: shim /init start -> ready to kexec (modules, ESP, load), median: kexshim $la s, kexec-tools $lb s"
awk -v a="$a" -v b="$b" 'BEGIN { printf "bench: ratio kexshim/kexec-tools = %.2f (wall)\n", a / b }'
awk -v a="$la" -v b="$lb" 'BEGIN { printf "bench: ratio kexshim/kexec-tools = %.2f (/init -> kexec)\n", a / b }'
