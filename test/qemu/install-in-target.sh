#!/bin/sh
# test/qemu/install-in-target.sh: /sbin/kexshim-install-test in the Debian
# root of the kexshim-install QEMU test, run (chrooted) by install-init.sh
# with /proc, /sys, efivarfs, /dev and the ESP at /boot/efi mounted.  Does
# what a user does after `apt install ./kexshim_*.deb`: kexshim-install
# --first; then a kernel is installed the way Debian's linux-image postinst
# does it (files into /boot, run-parts /etc/kernel/postinst.d), which must
# write its entry onto the ESP; loader.conf then picks that entry.
set -eu
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
ver="$(cat /boot-pending/version)"
echo "install-test: kexshim-install --first"
kexshim-install --first
echo "install-test: installing kernel $ver"
cp /boot-pending/vmlinuz-"$ver" /boot-pending/initrd.img-"$ver" /boot/
# as linux-image postinst (its --report is not in busybox run-parts)
run-parts --exit-on-error -a "$ver" -a "/boot/vmlinuz-$ver" /etc/kernel/postinst.d
printf 'default %s-*\ntimeout 0\n' "$(cat /etc/machine-id)" >/boot/efi/loader/loader.conf
efibootmgr -v | sed 's/^/install-test: /'
sync
echo KEXSHIM-INSTALL-DONE
