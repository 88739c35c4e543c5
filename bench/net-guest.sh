#!/bin/bash
# bench/net-guest.sh: fetch throughput inside one QEMU x86_64 guest (TCG,
# -smp 2, user networking), `kexshim fetch` next to busybox's wget and
# tftp in the same guest, over the same paths the network-boot tests use:
#   TFTP   QEMU's own server (tftp=), tftp://10.0.2.2/
#   HTTP   python3 -m http.server on 127.0.0.1, guestfwd 10.0.2.100:80
#   HTTPS  test/net/httpd.py with the test lab's certificate, guestfwd
#          10.0.2.100:443 (kexshim only: busybox's wget does not verify)
# The guest is the minimal shim kernel (tools/build-shim-kernel) booted by
# OVMF with an initramfs whose /init is a busybox script: DHCP (udhcpc),
# then each fetch of a SIZE_MB file (default 24) timed by /proc/uptime.
# Needs make ARCH=x86_64 qemu-images (the lab certificates).  Prints one
# line per protocol and client: MiB/s; the serial log stays in
# build/bench/net-guest/serial.log.
# Usage: bench/net-guest.sh
set -eu -o pipefail

top="$(cd "$(dirname "$0")/.." && pwd)"
dir="$top/build/bench/net-guest"
certs="$top/build/qemu/x86_64/net/certs"
kexshim="$top/build/x86_64/kexshim"
size="${SIZE_MB:-24}"
for f in "$kexshim" "$certs/boot.pem" "$certs/ca.pem"; do
	[ -f "$f" ] || { echo "bench/net-guest: missing $f (make qemu-images)" >&2; exit 2; }
done
kernel="$("$top/tools/build-shim-kernel" x86_64)"
rm -rf "$dir" && mkdir -p "$dir/www" "$dir/root/bin" "$dir/root/proc" \
	"$dir/root/sys" "$dir/root/dev" "$dir/root/etc" "$dir/root/tmp"
head -c $((size << 20)) /dev/urandom >"$dir/www/file.bin"

# The guest's /init: DHCP, then "BENCH PROTO CLIENT START END" per fetch.
cat >"$dir/root/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
ip link set lo up
ip link set eth0 up
udhcpc -q -f -n -i eth0 -s /udhcpc.sh >/dev/null 2>&1 || echo "BENCH-FAIL dhcp"
echo "10.0.2.100 boot.lab.test" >/etc/hosts
t() {
	p="$1" c="$2"
	shift 2
	a=$(cut -d' ' -f1 /proc/uptime)
	"$@" >/dev/null 2>/tmp/err || echo "BENCH-FAIL $p $c: $(tail -1 /tmp/err)"
	b=$(cut -d' ' -f1 /proc/uptime)
	echo "BENCH $p $c $a $b"
}
for i in 1 2; do
	t tftp kexshim-fetch kexshim fetch -q tftp://10.0.2.2/file.bin
	t tftp busybox-tftp tftp -b 1468 -g -r file.bin -l - 10.0.2.2
	t http kexshim-fetch kexshim fetch -q http://10.0.2.100/file.bin
	t http busybox-wget wget -q -O - http://10.0.2.100/file.bin
	t https kexshim-fetch kexshim fetch -q --ca /ca.pem https://boot.lab.test/file.bin
done
echo BENCH-DONE
poweroff -f
EOF
cat >"$dir/root/udhcpc.sh" <<'EOF'
#!/bin/sh
[ "$1" = bound ] || exit 0
ip addr add "$ip/${mask:-24}" dev "$interface"
EOF
chmod +x "$dir/root/init" "$dir/root/udhcpc.sh"
cp "$(command -v busybox)" "$dir/root/bin/busybox"
cp "$kexshim" "$dir/root/bin/kexshim"
cp "$certs/ca.pem" "$dir/root/ca.pem"
(cd "$dir/root" && find . | cpio -o -H newc --quiet | gzip -1) >"$dir/initramfs.img"

pids=()
stop() {
	local p
	for p in ${pids[@]+"${pids[@]}"}; do kill "$p" 2>/dev/null || true; done
	for p in ${pids[@]+"${pids[@]}"}; do wait "$p" 2>/dev/null || true; done
}
trap stop EXIT
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
http_port=$(free_port)
python3 -m http.server --bind 127.0.0.1 --directory "$dir/www" "$http_port" >/dev/null 2>&1 &
pids+=($!)
https_port=$(free_port)
python3 "$top/test/net/httpd.py" --dir "$dir/www" --port "$https_port" \
	--cert "$certs/boot.pem" --key "$certs/boot-key.pem" &
pids+=($!)
sleep 1

# As the network tests: one busybox nc per guest connection.
"$top/tools/run-qemu" --kernel "$kernel" --initrd "$dir/initramfs.img" \
	--append "console=ttyS0,115200 panic=-1 quiet" --mem 2G --smp 2 \
	--timeout "${TIMEOUT:-400}" --log "$dir/serial.log" \
	--net "restrict=on,tftp=$dir/www,guestfwd=tcp:10.0.2.100:80-cmd:busybox nc 127.0.0.1 $http_port,guestfwd=tcp:10.0.2.100:443-cmd:busybox nc 127.0.0.1 $https_port" ||
	{ echo "bench/net-guest: QEMU failed ($dir/serial.log)" >&2; exit 1; }
tr -d '\r' <"$dir/serial.log" | grep -a "BENCH-FAIL" >&2 && exit 1
tr -d '\r' <"$dir/serial.log" | grep -aq BENCH-DONE ||
	{ echo "bench/net-guest: the guest did not finish ($dir/serial.log)" >&2; exit 1; }
echo "# bench/net-guest: QEMU TCG x86_64, -smp 2, user networking, host load $(cut -d' ' -f1-3 /proc/loadavg), $size MiB file, best of 2"
tr -d '\r' <"$dir/serial.log" | sed -n 's/.*\(BENCH [a-z]* \)/\1/p' | awk -v mb="$size" '$1 == "BENCH" {
		r = mb / ($5 - $4); k = $2 " " $3
		if (!(k in best) || r > best[k]) best[k] = r
		if (!(k in seen)) { seen[k] = 1; order[++n] = k }
	}
	END { for (i = 1; i <= n; i++) { split(order[i], f, " ")
		printf "%-5s %-15s %6.2f MiB/s\n", f[1], f[2], best[order[i]] } }'
