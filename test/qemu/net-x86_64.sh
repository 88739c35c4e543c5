#!/bin/bash
# test/qemu/net-x86_64.sh: the x86_64 network-boot chains, on the host (make
# check-qemu).  QEMU q35 + OVMF (TCG, -smp 2, 2 GiB) with a virtio-net NIC
# on user-mode networking; the servers are started here on 127.0.0.1 and
# reached through guestfwd (10.0.2.100: HTTP/HTTPS, 10.0.2.101: the
# untrusted HTTPS server, 10.0.2.53: DNS over TCP) or QEMU's own TFTP.
# Images: test/qemu/mknetimages.sh.  Every run has the local good entry
# as loader.conf's default and kexshim.netboot=first:
#   A-tftp    DHCP's boot file pxelinux.0 -> pxelinux.cfg/01-<mac> over TFTP
#             (not default: the lookup stops at the MAC's file), its label
#             boots with every file pinned; SLAAC and the DHCPv6 boot file
#             URL.  restrict=off: QEMU 7.2's
#             user networking drops all guest IPv6 UDP (DHCPv6) under
#             restrict=on; nothing in the shim talks beyond QEMU's services.
#   B-http    kexshim.url= a pxelinux-style menu over HTTP whose labels
#             fail in turn: the default's kernel pin does not match (no
#             kexec), the next one's server cuts every transfer halfway
#             (retries, then the next entry), the last is cut once and
#             resumed (Range), with a chunked initrd
#   C-https   kexshim.ip= (static, DNS 10.0.2.53 over TCP) and kexshim.url=
#             a BLS entry at https://boot.lab.test/ (the lab CA in the
#             shim's bundle, SNI, pinned files)
#   D-untrusted  kexshim.url= https://evil.lab.test/ whose certificate the
#             CA of kexshim.ca= did not sign: refused, the local entry boots
# Each success ends with the target's KEXSHIM-TARGET-OK.  Logs (serial and
# servers) in build/qemu/logs/.
# Usage: test/qemu/net-x86_64.sh [IMAGE-DIR] (default build/qemu/x86_64);
# NET_ONLY="A B" runs only those
set -eu -o pipefail

arch=x86_64
# shellcheck source=test/qemu/chain-lib.sh
. "$(dirname "$0")/chain-lib.sh"
img="${1:-$top/build/qemu/x86_64}"
net="$img/net"
check_images "$net" esp-net.img esp-url-b.img esp-url-c.img esp-url-d.img
# shellcheck source=test/qemu/net-lib.sh
. "$(dirname "$0")/net-lib.sh"

start_servers

# A: TFTP from DHCP, per-MAC pxelinux.cfg, pins that hold.
if wanted A-tftp; then
f0=$fail
netboot A-tftp "$net/esp-net.img" "tftp=$net/tftp,bootfile=pxelinux.0"
good_chain A-tftp
in_order A-tftp \
	"net: eth0: 10.0.2.15/24 via 10.0.2.2 (DHCP from 10.0.2.2" \
	"net: eth0: DHCP boot file 'pxelinux.0' next server 10.0.2.2" \
	"net: eth0: IPv6 fec0::" \
	"net: eth0: DHCPv6 boot file URL tftp://[fec0:" \
	"net: pxelinux: using tftp://10.0.2.2/pxelinux.cfg/01-52-54-00-12-34-56" \
	"booting entry 'net:good'" \
	"net: tftp://10.0.2.2/vmlinuz: 7.87 MiB in" \
	"tftp://10.0.2.2/random.img: 24.0 MiB in" \
	"kexshim: kexec_load:"
has A-tftp "(pinned: ok)"
has A-tftp "net: random.img: "   # a progress line
lacks A-tftp "booting entry 'kexshim-test'"
lacks A-tftp "pxelinux.cfg/default"
once A-tftp "kexshim: kexec_load:"
tail_on_failure "$f0"
fi

# B: kexshim.url= over HTTP: a pin that does not match, a server that
# closes mid-transfer, a resume.
if wanted B-http; then
f0=$fail
: >"$logs/$arch-net-httpd.log"
netboot B-http "$net/esp-url-b.img" "restrict=on,$fwd_http"
good_chain B-http
in_order B-http \
	"net: reading http://10.0.2.100/b/menu.cfg" \
	"booting entry 'net:pinned-wrong'" \
	"net: http://10.0.2.100/vmlinuz: sha256 85667e6c" \
	"booting entry 'net:closes'" \
	"closes-always/vmlinuz: connection closed after" \
	"closes-always/vmlinuz: connection closed after" \
	"booting entry 'net:resume'" \
	"closes-once/vmlinuz: connection closed after" \
	"closes-once/vmlinuz: " \
	"kexshim: kexec_load:"
has B-http ", resumed, sha256"
has B-http "net: http://10.0.2.100/chunked/initrd.img: "
lacks B-http "booting entry 'kexshim-test'"
once B-http "kexshim: kexec_load:"
server_has B-http httpd "GET /closes-once/vmlinuz range=bytes="
server_has B-http httpd "GET /chunked/initrd.img range=-"
tail_on_failure "$f0"
fi

# C: HTTPS with the lab CA, static address, DNS over TCP, pins.
if wanted C-https; then
f0=$fail
: >"$logs/$arch-net-httpsd.log"
: >"$logs/$arch-net-dnsd.log"
netboot C-https "$net/esp-url-c.img" "restrict=on,$fwd_https,$fwd_dns"
good_chain C-https
in_order C-https \
	"net: eth0: 10.0.2.15/24 (kexshim.ip)" \
	"net: reading https://boot.lab.test/c/entry.conf" \
	"booting entry 'net:entry'" \
	"net: https://boot.lab.test/vmlinuz: " \
	"net: https://boot.lab.test/c/initrd.img: " \
	"net: https://boot.lab.test/random.img: " \
	"kexshim: kexec_load:"
has C-https "(pinned: ok)"
lacks C-https "TLS:"
server_has C-https httpsd "GET /c/entry.conf range=- if-range=- sni=boot.lab.test"
server_has C-https dnsd "tcp boot.lab.test 1"
tail_on_failure "$f0"
fi

# D: a certificate the configured CA did not sign: refused, local boot.
if wanted D-untrusted; then
f0=$fail
: >"$logs/$arch-net-evild.log"
netboot D-untrusted "$net/esp-url-d.img" "restrict=on,$fwd_evil,$fwd_dns"
good_chain D-untrusted
in_order D-untrusted \
	"net: https://evil.lab.test/c/entry.conf: TLS: certificate not trusted (no CA of the bundle signed it); no network entries" \
	"booting entry 'kexshim-test'" \
	"kexshim: kexec_load:"
lacks D-untrusted "booting entry 'net:"
server_lacks D-untrusted evild "GET "
tail_on_failure "$f0"
fi

finish
