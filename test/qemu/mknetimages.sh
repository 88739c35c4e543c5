#!/bin/bash
# test/qemu/mknetimages.sh: the images and server trees of the network-boot
# chains (test/qemu/net-<arch>.sh), on the host, after mkimages.sh (whose
# shim initramfs modules, target initrds and target command line it
# reuses: the target's /init wants /expected/cmdline exactly, so every
# network entry boots with mkimages' options).  In OUT:
#   shim-initramfs.img   kexshim as /init and /etc/ssl/certs/ca-certificates.crt
#                        = Debian's bundle + the lab's test CA; with
#                        $SHIM_KERNEL (the minimal shim kernel of
#                        tools/build-shim-kernel: NIC drivers, packet
#                        sockets and IPv6 built in) nothing else, without
#                        it (Debian's kernel) the default modules too
#   certs/               made here with openssl: ca.pem (the lab CA),
#                        boot.pem/-key (boot.lab.test, signed by it),
#                        evil.pem/-key (evil.lab.test, self-signed)
#   tftp/                QEMU's tftp= root: pxelinux.0 (a stand-in boot
#                        program), pxelinux.cfg/01-52-54-00-12-34-56 (label
#                        'good', every file pinned), a decoy default, the
#                        target's files
#   http/                the test web server's root: b/menu.cfg (pxelinux
#                        style, in fallback order: 'pinned-wrong' whose
#                        kernel pin does not match, 'closes' whose kernel
#                        is always cut off, then 'resume' cut off once),
#                        c/entry.conf (BLS, every file pinned), the
#                        target's files; arm64: e/target.efi, a UKI of the
#                        target
#   esp-net.img          ESP: shim with kexshim.netboot=first and the local
#                        good entry (the fallback; loader.conf's default)
#   esp-url-b.img        ... kexshim.url=http://10.0.2.100/b/menu.cfg
#   esp-url-c.img        ... kexshim.ip=10.0.2.15/24,,10.0.2.53
#                        kexshim.url=https://boot.lab.test/c/entry.conf
#   esp-url-d.img        ... kexshim.url=https://evil.lab.test/c/entry.conf
#                        kexshim.ca=/esp/lab-ca.pem (evil's cert is not
#                        the lab CA's: refused, the local entry boots)
#   esp-url-e.img        arm64: kexshim.url=http://10.0.2.100/e/target.efi
# Usage: test/qemu/mknetimages.sh ARCH BUILD-DIR KERNEL-DIR IMG-DIR OUT
set -eu -o pipefail

die() { echo "mknetimages: $*" >&2; exit 1; }
[ $# = 5 ] || die "usage: mknetimages.sh ARCH BUILD-DIR KERNEL-DIR IMG-DIR OUT"
arch="$1" bdir="$2" kdir="$3" img="$4" out="$5"
top="$(cd "$(dirname "$0")/../.." && pwd)"
for f in "$bdir/kexshim.efi" "$bdir/kexshim" "$kdir/vmlinuz" "$img/kexshim.conf" \
	"$img/target/initrd.img" "$img/target/random.img" "$img/target/expected/cmdline"; do
	[ -f "$f" ] || die "missing $f (make ARCH=$arch qemu-images)"
done
kver="$(cat "$kdir/version")"
opts="$(cat "$img/target/expected/cmdline")"
rm -rf "$out" && mkdir -p "$out/certs" "$out/tftp/pxelinux.cfg" "$out/http/b" \
	"$out/http/c" "$out/http/e"

# The lab's private CA and two server certificates.
c="$out/certs"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$c/ca-key.pem" -out "$c/ca.pem" \
	-days 3650 -subj "/CN=kexshim test lab CA" \
	-addext "basicConstraints=critical,CA:TRUE" \
	-addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout "$c/boot-key.pem" -out "$c/boot.csr" \
	-subj "/CN=boot.lab.test" 2>/dev/null
printf 'subjectAltName=DNS:boot.lab.test\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' \
	>"$c/boot.ext"
openssl x509 -req -in "$c/boot.csr" -CA "$c/ca.pem" -CAkey "$c/ca-key.pem" \
	-CAcreateserial -out "$c/boot.pem" -days 3650 -extfile "$c/boot.ext" 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$c/evil-key.pem" -out "$c/evil.pem" \
	-days 3650 -subj "/CN=evil.lab.test" \
	-addext "subjectAltName=DNS:evil.lab.test" 2>/dev/null
cat /etc/ssl/certs/ca-certificates.crt "$c/ca.pem" >"$c/bundle.pem"

shim_kernel="${SHIM_KERNEL:-$kdir/vmlinuz}" mods=()
[ -n "${SHIM_KERNEL:-}" ] || mods=(--modules-dir "$kdir/lib/modules/$kver")
"$top/tools/mkinitramfs" -o "$out/shim-initramfs.img" --init "$bdir/kexshim" \
	${mods[@]+"${mods[@]}"} --add "$c/bundle.pem:/etc/ssl/certs/ca-certificates.crt"

# The target's files, on both servers.
sha() { sha256sum "$1" | cut -c1-64; }
for d in "$out/tftp" "$out/http"; do
	cp "$kdir/vmlinuz" "$d/vmlinuz"
	cp "$img/target/initrd.img" "$img/target/random.img" "$d/"
done
k_sha="$(sha "$kdir/vmlinuz")" i_sha="$(sha "$img/target/initrd.img")"
r_sha="$(sha "$img/target/random.img")"
wrong="$(printf 'not the kernel' | sha256sum | cut -c1-64)"

# (a) TFTP: DHCP's boot file, the per-MAC config (QEMU's default MAC).
head -c 4096 /dev/zero | tr '\0' '\377' >"$out/tftp/pxelinux.0"
cat >"$out/tftp/pxelinux.cfg/01-52-54-00-12-34-56" <<EOF
# kexshim network boot test: per-MAC config (52:54:00:12:34:56)
default good
timeout 0
label good
  menu label target over TFTP, every file pinned
  kernel vmlinuz
  sha256 $k_sha
  initrd initrd.img,random.img
  sha256 $i_sha,$r_sha
  append $opts
EOF
# Decoys the lookup must not reach: it stops at the MAC's file.
printf 'default x\nlabel x\n  kernel nothing-here\n' >"$out/tftp/pxelinux.cfg/default"

# (b) HTTP, pxelinux style through kexshim.url=: paths from b/; (d) in
# one boot: each failure falls back to the next label.
cat >"$out/http/b/menu.cfg" <<EOF
default pinned-wrong
label pinned-wrong
  menu label target, kernel pinned to another digest
  kernel /vmlinuz
  sha256 $wrong
  initrd /initrd.img,/random.img
  append $opts
label closes
  menu label target, server closes every transfer halfway
  kernel /closes-always/vmlinuz
  initrd /initrd.img,/random.img
  append $opts
label resume
  menu label target, server closes once, resumed
  kernel /closes-once/vmlinuz
  initrd /chunked/initrd.img,/closes-once/random.img
  append $opts
EOF

# (c) HTTPS, a BLS entry; its paths resolve against its own URL.
cat >"$out/http/c/entry.conf" <<EOF
title   kexshim test target over HTTPS
linux   /vmlinuz
sha256  $k_sha
initrd  initrd.img
sha256  $i_sha
initrd  /random.img
sha256  $r_sha
options $opts
EOF
cp "$img/target/initrd.img" "$out/http/c/initrd.img"  # "initrd.img": c/'s

# (e) arm64: a UKI of the target (two initrds as one .initrd: cpio
# archives concatenate).
if [ "$arch" = arm64 ]; then
	stub="$("$top/tools/fetch-deb" systemd-boot-efi:arm64)/usr/lib/systemd/boot/efi/linuxaa64.efi.stub"
	cat "$img/target/initrd.img" "$img/target/random.img" >"$out/e-initrd"
	printf '%s' "$opts" >"$out/e-cmdline"
	"$top/test/unit/mkuki" aarch64-linux-gnu-objcopy "$stub" "$out/http/e/target.efi" \
		.osrel=/usr/lib/os-release .cmdline="$out/e-cmdline" \
		.initrd="$out/e-initrd" .linux="$kdir/vmlinuz"
	rm -f "$out/e-initrd" "$out/e-cmdline"
fi

# ESPs: the shim (kexshim.conf's options plus the run's), and the good
# local entry as loader.conf's default, for the fallback.
esp() {
	local name="$1" extra="$2"

	sed "s|^options .*|& kexshim.netboot=first $extra|" "$img/kexshim.conf" \
		>"$out/kexshim-$name.conf"
	cat >"$out/local.conf" <<EOF
title   kexshim test target (local)
linux   /target/vmlinuz
initrd  /target/initrd.img
initrd  /target/random.img
options $opts
EOF
	printf 'default kexshim-test*\ntimeout 0\n' >"$out/loader.conf"
	"$top/tools/mkesp" -o "$out/$name.img" --gpt --arch "$arch" \
		--efi "$bdir/kexshim.efi" --conf "$out/kexshim-$name.conf" \
		--add "$shim_kernel:/shim/vmlinuz" \
		--add "$out/shim-initramfs.img:/shim/initramfs.img" \
		--add "$kdir/vmlinuz:/target/vmlinuz" \
		--add "$img/target/initrd.img:/target/initrd.img" \
		--add "$img/target/random.img:/target/random.img" \
		--add "$out/loader.conf:/loader/loader.conf" \
		--add "$out/local.conf:/loader/entries/kexshim-test.conf" \
		--add "$c/ca.pem:/lab-ca.pem" >/dev/null
}
if [ "$arch" = x86_64 ]; then
	esp esp-net ""
	esp esp-url-b "kexshim.url=http://10.0.2.100/b/menu.cfg"
	esp esp-url-c "kexshim.ip=10.0.2.15/24,,10.0.2.53 kexshim.url=https://boot.lab.test/c/entry.conf"
	esp esp-url-d "kexshim.ip=10.0.2.15/24,,10.0.2.53 kexshim.url=https://evil.lab.test/c/entry.conf kexshim.ca=/esp/lab-ca.pem"
else
	esp esp-url-e "kexshim.url=http://10.0.2.100/e/target.efi"
fi
echo "mknetimages: images in $out"
