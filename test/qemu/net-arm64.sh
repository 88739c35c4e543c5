#!/bin/bash
# test/qemu/net-arm64.sh: the arm64 network-boot chain, on the host (make
# check-qemu).  QEMU virt + AAVMF (TCG, -cpu max,pauth-impdef=on, -smp 2,
# 2 GiB) with a virtio-net NIC on user-mode networking, the test web server
# on 127.0.0.1 reached through guestfwd (10.0.2.100).  Images:
# test/qemu/mknetimages.sh.  One run, as x86_64's covers the protocols:
#   E-http    DHCP (restrict=on: no router), then kexshim.url= a UKI of
#             the target over HTTP: the network entries go first, the UKI
#             is fetched once (read for its entries, then booted from
#             memory) and kexec'd
# It ends with the target's KEXSHIM-TARGET-OK.  Logs (serial and server)
# in build/qemu/logs/.
# Usage: test/qemu/net-arm64.sh [IMAGE-DIR] (default build/qemu/arm64)
set -eu -o pipefail

arch=arm64
# shellcheck source=test/qemu/chain-lib.sh
. "$(dirname "$0")/chain-lib.sh"
img="${1:-$top/build/qemu/arm64}"
net="$img/net"
check_images "$net" esp-url-e.img
# shellcheck source=test/qemu/net-lib.sh
. "$(dirname "$0")/net-lib.sh"

start_servers

f0=$fail
: >"$logs/$arch-net-httpd.log"
netboot E-http "$net/esp-url-e.img" "restrict=on,$fwd_http"
good_chain E-http "acpi: ok (DSDT|XSDT|RSDT) readable"
in_order E-http \
	"net: eth0: 10.0.2.15/24 (DHCP from 10.0.2.2" \
	"net: reading http://10.0.2.100/e/target.efi" \
	"net: http://10.0.2.100/e/target.efi: " \
	"booting entry 'net:target'" \
	"kexshim: kexec_load:"
lacks E-http "booting entry 'kexshim-test'"
once E-http "net: reading http://10.0.2.100/e/target.efi"
server_has E-http httpd "GET /e/target.efi range=-"
tail_on_failure "$f0"

finish
