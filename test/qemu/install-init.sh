#!/bin/busybox sh
# shellcheck shell=dash
# test/qemu/install-init.sh: /init of the target's initramfs in the first
# boot of the kexshim-install QEMU test (test/qemu/chain-pkg.sh), after
# kexshim's kexec.  Mounts the Debian root (/dev/vda2, ext4) and its ESP
# (/dev/vda1) at /boot/efi in it, as an installed system has them, and runs
# test/qemu/install-in-target.sh there (chroot), then reboots: with QEMU's
# -no-reboot that ends the run; the test boots the same disk and variable
# store again.  Busybox only (static); modules from the initramfs.
/bin/busybox mkdir -p /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
echo "install-init: loading modules"
for m in virtio_pci virtio_blk crc32c_generic ext4 vfat nls_cp437 nls_ascii nls_iso8859_1 efivarfs; do
	modprobe "$m" 2>/dev/null || echo "install-init: modprobe $m failed"
done
i=0
while [ ! -b /dev/vda2 ] && [ "$i" -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
fail() { echo "KEXSHIM-INSTALL-FAIL $*"; sync; reboot -f; }
mkdir -p /root
mount -t ext4 /dev/vda2 /root || fail "mount /dev/vda2"
mount -t vfat /dev/vda1 /root/boot/efi || fail "mount /dev/vda1"
mount -t proc proc /root/proc
mount -t sysfs sysfs /root/sys
mount -o bind /dev /root/dev
mount -t efivarfs efivarfs /root/sys/firmware/efi/efivars || fail "mount efivarfs"
chroot /root /bin/sh /sbin/kexshim-install-test
echo "KEXSHIM-INSTALL-STATUS $?"
umount /root/sys/firmware/efi/efivars /root/dev /root/sys /root/proc
umount /root/boot/efi
umount /root
sync
reboot -f
