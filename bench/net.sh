#!/bin/bash
# bench/net.sh: how many machines one lab server feeds, the fetch part
# alone (make bench-net).  N = 1, 2, 4 parallel clients on loopback, each
# fetching the same file from one server, the way N machines would fetch a
# kernel: `kexshim fetch` next to the stock clients of the same protocol
# (busybox wget and tftp, curl for HTTPS).  Servers, all on 127.0.0.1:
#   HTTP   python3 -m http.server (threaded), as README's lab section
#   TFTP   dnsmasq's TFTP server (it has no port option: port 69)
#   HTTPS  test/net/httpd.py with a certificate of a CA made here
# Prints one line per protocol, client and N: aggregate MiB/s (N x size /
# wall time until the last client is done), and the slowest client's
# seconds.  SIZE_MB sets the file (default 128), TFTP_SIZE_MB TFTP's
# (default 32: TFTP is lock-step without windowsize, which dnsmasq lacks).
# Needs the host build: make build/x86_64/kexshim.
# Usage: bench/net.sh
set -eu -o pipefail

top="$(cd "$(dirname "$0")/.." && pwd)"
kexshim="$top/build/x86_64/kexshim"
[ -x "$kexshim" ] || { echo "bench/net: build $kexshim first (make)" >&2; exit 2; }
for t in dnsmasq busybox curl openssl python3; do
	command -v "$t" >/dev/null || { echo "bench/net: needs $t (tools/install-deps)" >&2; exit 2; }
done
dir="$top/build/bench/net"
size="${SIZE_MB:-128}" tsize="${TFTP_SIZE_MB:-32}"
rm -rf "$dir" && mkdir -p "$dir/www" "$dir/certs"
head -c $((size << 20)) /dev/urandom >"$dir/www/file.bin"
head -c $((tsize << 20)) /dev/urandom >"$dir/www/tftp.bin"

pids=()
stop() {
	local p
	for p in ${pids[@]+"${pids[@]}"}; do kill "$p" 2>/dev/null || true; done
	for p in ${pids[@]+"${pids[@]}"}; do wait "$p" 2>/dev/null || true; done
}
trap stop EXIT

# A free TCP port on loopback (the kernel picks it).
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
# wait_port PORT: until something listens on 127.0.0.1:PORT (TCP).
wait_port() {
	local i
	for i in $(seq 100); do
		python3 -c "import socket; socket.create_connection(('127.0.0.1', $1), 0.2)" \
			2>/dev/null && return 0
		sleep 0.1
	done
	echo "bench/net: nothing listens on port $1" >&2
	exit 2
}

c="$dir/certs"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$c/ca-key.pem" -out "$c/ca.pem" \
	-days 30 -subj "/CN=kexshim bench CA" -addext "basicConstraints=critical,CA:TRUE" \
	-addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout "$c/key.pem" -out "$c/srv.csr" \
	-subj "/CN=localhost" 2>/dev/null
printf 'subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n' >"$c/srv.ext"
openssl x509 -req -in "$c/srv.csr" -CA "$c/ca.pem" -CAkey "$c/ca-key.pem" \
	-CAcreateserial -out "$c/srv.pem" -days 30 -extfile "$c/srv.ext" 2>/dev/null

http_port=$(free_port)
python3 -m http.server --bind 127.0.0.1 --directory "$dir/www" "$http_port" \
	>/dev/null 2>&1 &
pids+=($!)
https_port=$(free_port)
python3 "$top/test/net/httpd.py" --dir "$dir/www" --port "$https_port" \
	--cert "$c/srv.pem" --key "$c/key.pem" &
pids+=($!)
# --port=0: no DNS; TFTP only, on loopback only.
dnsmasq --keep-in-foreground --port=0 --enable-tftp --tftp-root="$dir/www" \
	--listen-address=127.0.0.1 --bind-interfaces --quiet-tftp \
	--pid-file="$dir/dnsmasq.pid" --log-facility="$dir/dnsmasq.log" &
pids+=($!)
wait_port "$http_port"
wait_port "$https_port"
sleep 0.5 # dnsmasq's UDP socket: nothing to connect to

# run PROTO CLIENT MB N CMD...: N copies of CMD at once (stdout to
# /dev/null); prints the aggregate rate.  A failed client fails the bench.
run() {
	local proto="$1" client="$2" mb="$3" n="$4" i t0 t1 st=0 cp=()
	shift 4
	t0=$(date +%s.%N)
	for ((i = 0; i < n; i++)); do
		"$@" >/dev/null 2>>"$dir/clients.err" &
		cp+=($!)
	done
	for i in "${cp[@]}"; do wait "$i" || st=1; done
	t1=$(date +%s.%N)
	[ "$st" = 0 ] || { echo "bench/net: a $client client failed ($dir/clients.err)" >&2; exit 1; }
	awk -v p="$proto" -v c="$client" -v n="$n" -v mb="$mb" -v a="$t0" -v b="$t1" 'BEGIN {
		printf "%-5s %-15s N=%d  %4d MiB each  %7.1f MiB/s aggregate  %6.2f s\n",
		       p, c, n, mb, n * mb / (b - a), b - a }'
}

echo "# bench/net: loopback, $(nproc) CPUs, load $(cut -d" " -f1-3 /proc/loadavg); HTTP/HTTPS file $size MiB, TFTP $tsize MiB"
for n in 1 2 4; do
	run http "kexshim fetch" "$size" "$n" "$kexshim" fetch -q "http://127.0.0.1:$http_port/file.bin"
	run http "busybox wget" "$size" "$n" busybox wget -q -O - "http://127.0.0.1:$http_port/file.bin"
	run tftp "kexshim fetch" "$tsize" "$n" "$kexshim" fetch -q "tftp://127.0.0.1/tftp.bin"
	run tftp "busybox tftp" "$tsize" "$n" busybox tftp -b 1468 -g -r tftp.bin -l - 127.0.0.1
	run https "kexshim fetch" "$size" "$n" "$kexshim" fetch -q --ca "$c/ca.pem" \
		"https://localhost:$https_port/file.bin"
	run https "curl" "$size" "$n" curl -sS --cacert "$c/ca.pem" "https://localhost:$https_port/file.bin"
done
