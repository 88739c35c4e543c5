#!/bin/bash
# test/pkg/deb.sh: the .deb files of `make deb` on the host: their contents
# and control data (dpkg-deb), lintian without errors, the manual pages as
# man renders them; then the amd64 one installed with `dpkg --root` into an
# empty root (no chroot: the package has no maintainer scripts) and its
# kernel hooks run by run-parts, as Debian's linux-image postinst and postrm
# run them, against a fake /boot, /etc and ESP: a kernel installed after
# kexshim gets its entry, a rebuilt initrd is copied again, a removed kernel
# loses it, and nothing is written while kexshim is not on the ESP.
# Usage: test/pkg/deb.sh AMD64.deb [OTHER.deb...]
set -eu -o pipefail

suite=deb
# shellcheck source=test/pkg/lib.sh
. "$(dirname "$0")/lib.sh"
[ $# -ge 1 ] || { echo "usage: deb.sh AMD64.deb [OTHER.deb...]" >&2; exit 2; }
w="$top/build/test/pkg/deb"
rm -rf "$w" && mkdir -p "$w"
for t in dpkg-deb dpkg lintian man run-parts; do
	command -v "$t" >/dev/null || { not_ok "$t is not installed (tools/install-deps)"; finish; exit 1; }
done

want_files="./etc/kernel/postinst.d/zz-kexshim ./etc/kernel/postrm.d/zz-kexshim
./etc/initramfs/post-update.d/zz-kexshim ./usr/sbin/kexshim ./usr/sbin/kexshim-install
./usr/lib/kexshim/kexshim.efi ./usr/lib/kexshim/kexshim-bls ./usr/lib/kexshim/kexshim-esp.sh
./usr/share/man/man8/kexshim.8.gz ./usr/share/man/man8/kexshim-install.8.gz
./usr/share/man/man5/kexshim.conf.5.gz ./usr/share/doc/kexshim/copyright
./usr/share/doc/kexshim/changelog.gz"
for deb in "$@"; do
	n="$(basename "$deb")"
	if [ ! -f "$deb" ]; then not_ok "$n: not built (make deb)"; continue; fi
	arch="$(dpkg-deb -f "$deb" Architecture)"
	case "$n" in *_"$arch".deb) ok "$n: Architecture $arch matches the file name" ;;
	*) not_ok "$n: Architecture $arch does not match the file name" ;; esac
	for f in Package Version Maintainer Installed-Size Depends Description; do
		v="$(dpkg-deb -f "$deb" "$f")"
		if [ -n "$v" ]; then ok "$n: $f: $(printf '%s' "$v" | head -1)"; else not_ok "$n: no $f"; fi
	done
	dpkg-deb -c "$deb" >"$w/contents"
	for f in $want_files; do
		if awk -v f="$f" '$6 == f { found = 1 } END { exit !found }' "$w/contents"; then :
		else not_ok "$n: no $f"; continue; fi
		case "$f" in
		*/zz-kexshim|*/sbin/*|*/kexshim-bls) mode=-rwxr-xr-x ;;
		*) mode=-rw-r--r-- ;;
		esac
		line="$(awk -v f="$f" '$6 == f' "$w/contents")"
		case "$line" in "$mode root/root "*) ok "$n: $f $mode root/root" ;;
		*) not_ok "$n: $f: $line (want $mode root/root)" ;; esac
	done
	dpkg-deb --ctrl-tarfile "$deb" | tar -t >"$w/ctrl"
	for c in ./control ./conffiles ./md5sums; do
		if grep -qx -F -- "$c" "$w/ctrl"; then ok "$n: control member $c"; else not_ok "$n: no control member $c"; fi
	done
	if [ "$(dpkg-deb -I "$deb" conffiles | LC_ALL=C sort | tr '\n' ' ')" = \
	     "/etc/initramfs/post-update.d/zz-kexshim /etc/kernel/postinst.d/zz-kexshim /etc/kernel/postrm.d/zz-kexshim " ]; then
		ok "$n: the three hooks are conffiles"
	else not_ok "$n: conffiles: $(dpkg-deb -I "$deb" conffiles | tr '\n' ' ')"; fi

	# lintian: no error (warnings and infos shown, not fatal)
	set +e
	lintian --fail-on error --display-info "$deb" >"$w/lintian" 2>&1
	rc=$?
	set -e
	if [ "$rc" = 0 ]; then ok "$n: lintian --fail-on error: $(grep -c '^[EWI]:' "$w/lintian") tags"
	else not_ok "$n: lintian exit $rc"; fi
	grep -E '^[EWI]:' "$w/lintian" | sed 's/^/#   /' || true

	# the manual pages render, without groff warnings
	x="$w/x-$arch"
	dpkg-deb -x "$deb" "$x"
	for m in man8/kexshim.8.gz man8/kexshim-install.8.gz man5/kexshim.conf.5.gz; do
		if MANWIDTH=80 man -l "$x/usr/share/man/$m" >"$w/man.txt" 2>"$w/man.err" &&
		   grep -q '^NAME' "$w/man.txt" && grep -q '^SYNOPSIS' "$w/man.txt" &&
		   zcat "$x/usr/share/man/$m" | groff -man -Tutf8 -ww -z 2>&1 | { ! grep -q .; }; then
			ok "$n: man -l $m renders ($(wc -l <"$w/man.txt") lines, no groff warning)"
		else not_ok "$n: man $m: $(head -3 "$w/man.err")"; fi
	done
	if "$x/usr/sbin/kexshim-install" --help 2>&1 | grep -q -- '--first'; then
		ok "$n: the installed kexshim-install runs (--help)"
	elif [ "$arch" = amd64 ]; then not_ok "$n: kexshim-install --help"; fi
	if grep -q '/usr/lib/kexshim' "$x/usr/sbin/kexshim-install"; then ok "$n: kexshim-install names /usr/lib/kexshim"
	else not_ok "$n: kexshim-install does not name /usr/lib/kexshim"; fi
done

# --- dpkg --root: install, the hooks, remove ------------------------------------
deb="$1"
root="$w/root"
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/triggers"
: >"$root/var/lib/dpkg/status"
: >"$root/var/lib/dpkg/available"
set +e
dpkg --root="$root" --force-depends --log=/dev/null -i "$deb" >"$w/dpkg" 2>&1
rc=$?
set -e
if [ "$rc" = 0 ]; then ok "dpkg --root -i $(basename "$deb")"
else not_ok "dpkg --root -i: exit $rc"; sed 's/^/#   /' "$w/dpkg"; fi
st="$(dpkg-query --root="$root" -W -f='${Status}' kexshim 2>/dev/null || true)"
if [ "$st" = "install ok installed" ]; then ok "dpkg-query --root: $st"; else not_ok "dpkg-query --root: '$st'"; fi
expect "installed: the bundle" test -s "$root/usr/lib/kexshim/kexshim.efi"
expect "installed: the hooks are executable" test -x "$root/etc/kernel/postinst.d/zz-kexshim"
cf="$(dpkg-query --root="$root" -W -f='${Conffiles}' kexshim | awk 'NF { print $1 }' | LC_ALL=C sort | tr '\n' ' ')"
if [ "$cf" = "/etc/initramfs/post-update.d/zz-kexshim /etc/kernel/postinst.d/zz-kexshim /etc/kernel/postrm.d/zz-kexshim " ]; then
	ok "dpkg registered the conffiles"
else not_ok "conffiles registered: '$cf'"; fi

# A fake machine: /boot, /etc and the ESP; kexshim-install has run (the
# bundle is on the ESP).  The hooks run from the installed root: through
# KEXSHIM_LIBDIR, its kexshim-bls.
f="$w/fake"
mkdir -p "$f/boot" "$f/etc/kernel" "$f/esp/EFI/kexshim"
printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n' >"$f/etc/os-release"
echo 0123456789abcdef0123456789abcdef >"$f/etc/machine-id"
echo "root=UUID=0a1b2c3d-0000-4000-8000-00000000cafe ro quiet" >"$f/etc/kernel/cmdline"
export KEXSHIM_LIBDIR="$root/usr/lib/kexshim" KEXSHIM_ESP_PATH="$f/esp" \
	KEXSHIM_BOOT="$f/boot" KEXSHIM_ETC="$f/etc"
ver=6.1.0-98-amd64
mid=0123456789abcdef0123456789abcdef
head -c 7000 /dev/urandom >"$f/boot/vmlinuz-$ver"
head -c 4000 /dev/urandom >"$f/boot/initrd.img-$ver"
entry="$f/esp/loader/entries/$mid-$ver.conf"

# Not yet installed on the ESP: the hook says so and writes nothing.
set +e
run-parts --report --exit-on-error --arg="$ver" --arg="$f/boot/vmlinuz-$ver" \
	"$root/etc/kernel/postinst.d" >"$w/hook" 2>&1
rc=$?
set -e
if [ "$rc" = 0 ] && [ ! -e "$entry" ]; then ok "postinst.d without kexshim on the ESP: exit 0, no entry"
else not_ok "postinst.d without kexshim on the ESP: exit $rc"; fi
has "postinst.d without kexshim on the ESP: says why" "$w/hook" "kexshim is not installed on the ESP"

cp "$root/usr/lib/kexshim/kexshim.efi" "$f/esp/EFI/kexshim/kexshim.efi"
# A kernel installed after kexshim: Debian's postinst runs the hooks so.
set +e
run-parts --report --exit-on-error --arg="$ver" --arg="$f/boot/vmlinuz-$ver" \
	"$root/etc/kernel/postinst.d" >"$w/hook" 2>&1
rc=$?
set -e
if [ "$rc" = 0 ]; then ok "postinst.d: exit 0: $(tail -1 "$w/hook")"; else not_ok "postinst.d: exit $rc: $(cat "$w/hook")"; fi
expect "postinst.d: wrote the entry" test -f "$entry"
has "postinst.d: entry title" "$entry" "title      Debian GNU/Linux 12 (bookworm)"
has "postinst.d: entry options from /etc/kernel/cmdline" "$entry" "options    root=UUID=0a1b2c3d-0000-4000-8000-00000000cafe ro quiet"
has "postinst.d: entry linux" "$entry" "linux      /$mid/$ver/linux"
has "postinst.d: entry initrd" "$entry" "initrd     /$mid/$ver/initrd"
expect "postinst.d: kernel copied to the ESP" cmp -s "$f/boot/vmlinuz-$ver" "$f/esp/$mid/$ver/linux"
expect "postinst.d: initrd copied to the ESP" cmp -s "$f/boot/initrd.img-$ver" "$f/esp/$mid/$ver/initrd"

# update-initramfs rewrote the initrd: post-update.d copies it again.
head -c 4500 /dev/urandom >"$f/boot/initrd.img-$ver"
run-parts --report --exit-on-error --arg="$ver" --arg="$f/boot/initrd.img-$ver" \
	"$root/etc/initramfs/post-update.d" >"$w/hook" 2>&1 || true
expect "post-update.d: the new initrd is on the ESP" cmp -s "$f/boot/initrd.img-$ver" "$f/esp/$mid/$ver/initrd"
# ... but gives no entry to a kernel that has none
head -c 10 /dev/urandom >"$f/boot/vmlinuz-7.0.0-1-amd64"
head -c 10 /dev/urandom >"$f/boot/initrd.img-7.0.0-1-amd64"
run-parts --report --exit-on-error --arg=7.0.0-1-amd64 --arg="$f/boot/initrd.img-7.0.0-1-amd64" \
	"$root/etc/initramfs/post-update.d" >"$w/hook" 2>&1 || true
expect "post-update.d: no entry for a kernel without one" test ! -e "$f/esp/loader/entries/$mid-7.0.0-1-amd64.conf"

# The kernel is removed: postrm.d takes its entry and files away.
set +e
run-parts --report --exit-on-error --arg="$ver" --arg="$f/boot/vmlinuz-$ver" \
	"$root/etc/kernel/postrm.d" >"$w/hook" 2>&1
rc=$?
set -e
if [ "$rc" = 0 ] && [ ! -e "$entry" ] && [ ! -e "$f/esp/$mid/$ver" ]; then
	ok "postrm.d: entry and files removed"
else not_ok "postrm.d: exit $rc, entry $( [ -e "$entry" ] && echo kept || echo gone)"; fi
unset KEXSHIM_LIBDIR KEXSHIM_ESP_PATH KEXSHIM_BOOT KEXSHIM_ETC

# dpkg -r keeps the conffiles, whose hooks then do nothing; --purge removes them.
dpkg --root="$root" --log=/dev/null -r kexshim >"$w/dpkg" 2>&1 || true
expect "dpkg -r: the program is gone" test ! -e "$root/usr/sbin/kexshim"
expect "dpkg -r: the hooks stay (conffiles)" test -f "$root/etc/kernel/postinst.d/zz-kexshim"
KEXSHIM_LIBDIR="$root/usr/lib/kexshim" sh "$root/etc/kernel/postinst.d/zz-kexshim" "$ver" >"$w/hook" 2>&1
expect "dpkg -r: a kept hook exits 0 silently" test ! -s "$w/hook"
dpkg --root="$root" --log=/dev/null --purge kexshim >"$w/dpkg" 2>&1 || true
expect "dpkg --purge: the hooks are gone" test ! -e "$root/etc/kernel/postinst.d/zz-kexshim"

finish
