# test/qemu/net-lib.sh: what the network-boot chains (net-<arch>.sh) add to
# chain-lib.sh: the test servers on 127.0.0.1 (test/net/httpd.py plain and
# TLS, a second TLS one with an untrusted certificate, test/net/dnsd.py)
# with the guestfwd rules that reach them, a boot with a NIC, and log
# assertions.  Sourced after chain-lib.sh with $net (the images of
# mknetimages.sh) set.  The servers' ports and request logs are
# build/qemu/logs/<arch>-net-<server>.{port,log}: make check-qemu runs the
# arches side by side.
# shellcheck shell=bash

# A network boot fetches ~33 MB at TCG speed, sometimes twice: more time
# than a disk chain (chain-lib's 150 s), unless TIMEOUT says otherwise.
tmo="${TIMEOUT:-300}"
server_pids=()
stop_servers() {
	local p
	for p in ${server_pids[@]+"${server_pids[@]}"}; do
		kill "$p" 2>/dev/null || true
	done
	for p in ${server_pids[@]+"${server_pids[@]}"}; do
		wait "$p" 2>/dev/null || true
	done
}
trap stop_servers EXIT

# start NAME CMD...: run a server whose --port-file says its port; sets
# port_NAME.
start() {
	local name="$1" pf="$logs/$arch-net-$1.port" i
	shift
	rm -f "$pf"
	"$@" --port-file "$pf" --log "$logs/$arch-net-$name.log" &
	server_pids+=($!)
	for i in $(seq 100); do
		[ -s "$pf" ] && break
		sleep 0.1
	done
	[ -s "$pf" ] || { echo "net: server $name did not start" >&2; exit 2; }
	printf -v "port_$name" '%s' "$(cat "$pf")"
}

start_servers() {
	local srv="$top/test/net"
	: >"$logs/$arch-net-httpd.log"
	start httpd python3 "$srv/httpd.py" --dir "$net/http"
	start httpsd python3 "$srv/httpd.py" --dir "$net/http" \
		--cert "$net/certs/boot.pem" --key "$net/certs/boot-key.pem"
	start evild python3 "$srv/httpd.py" --dir "$net/http" \
		--cert "$net/certs/evil.pem" --key "$net/certs/evil-key.pem"
	start dnsd python3 "$srv/dnsd.py" --map boot.lab.test=10.0.2.100 \
		--map evil.lab.test=10.0.2.101
	# QEMU's user networking forwards these guest TCP connections only.
	# "-tcp:HOST:PORT" is one chardev, connected once: the second
	# connection of the guest would hang.  "-cmd:" runs a connector per
	# connection (busybox's nc, from busybox-static).
	fwd_http="guestfwd=tcp:10.0.2.100:80-cmd:busybox nc 127.0.0.1 $port_httpd"
	fwd_https="guestfwd=tcp:10.0.2.100:443-cmd:busybox nc 127.0.0.1 $port_httpsd"
	fwd_evil="guestfwd=tcp:10.0.2.101:443-cmd:busybox nc 127.0.0.1 $port_evild"
	fwd_dns="guestfwd=tcp:10.0.2.53:53-cmd:busybox nc 127.0.0.1 $port_dnsd"
}

# netboot RUN IMAGE NETDEV-OPTS: boot IMAGE (2 GiB, 2 CPUs) with a
# virtio-net NIC on -netdev user,NETDEV-OPTS (tools/run-qemu --net); the
# cleaned log in $log, the exit status in $rc.
netboot() {
	local run="$1" disk="$2" opts="$3" raw secs
	raw="$logs/$arch-$run.log"
	log="$logs/$arch-$run.txt"
	echo "# run $run: $(basename "$disk"), -netdev user,$opts, timeout $tmo s"
	set +e
	qemu_timed "$raw" --arch "$arch" --disk "$disk" --mem 2G --smp 2 \
		--net "$opts"
	rc=$?
	set -e
	strip_stamps "$raw" >"$log"
	secs=$(tail -1 "$raw" | awk '{ print $1 }')
	timings+=("$run ${secs:-?} s")
	echo "# run $run: QEMU exit $rc, last line at ${secs:-?} s, log $log"
}

# once RUN STRING: exactly one line has STRING.
once() {
	local n
	n=$(grep -c -F -- "$2" "$log" || true)
	if [ "$n" = 1 ]; then ok "$1: one '$2'"
	else not_ok "$1: $n lines with '$2', want 1"; fi
}

# server_has RUN SERVER STRING / server_lacks: the server's request log.
server_has() {
	if grep -q -F -- "$3" "$logs/$arch-net-$2.log"; then ok "$1: $2 logged '$3'"
	else not_ok "$1: $2 did not log '$3'"; fi
}

server_lacks() {
	if grep -q -F -- "$3" "$logs/$arch-net-$2.log"; then not_ok "$1: $2 logged '$3'"
	else ok "$1: $2 did not log '$3'"; fi
}

# wanted RUN: true unless NET_ONLY (e.g. "A C") names other runs only: a
# developer's shortcut; by default every run runs.
wanted() {
	[ -z "${NET_ONLY:-}" ] && return 0
	case " $NET_ONLY " in *" ${1%%-*} "*) return 0 ;; esac
	return 1
}
