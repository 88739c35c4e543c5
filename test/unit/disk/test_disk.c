/*
 * Host tests of boot/disk/: disk_probe() (libblkid) on disk images made by
 * util-linux's sfdisk, mtools' mformat and e2fsprogs' mke2fs — inputs
 * nobody here wrote — under a fake ROOT/sys/class/block + ROOT/dev tree;
 * esp_pick()'s policy; and part_openat()'s confinement to a file system.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "disk/disk.h"
#include "disk/esp.h"
#include "disk/part.h"
#include "lib/error.h"
#include "lib/kcmdline.h"
#include "lib/warn.h"

#define ESP_UUID "0c6e0c4a-1b6d-4a4b-9e2d-0123456789ab"
#define ROOT_UUID "f5d2b0a1-7c3e-4d6b-8a9f-fedcba987654"
#define XBL_UUID "1f0e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"

static char root[64];

static void sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (system(cmd))
		fail_msg("command failed: %s", cmd);
}

/* ROOT/sys/class/block/NAME/{size,queue/logical_block_size[,partition]}
 * as sysfs shows them; partitions also under their disk's directory. */
static void sys_block(const char *disk, const char *name, unsigned number,
		      unsigned long long sectors)
{
	sh("mkdir -p %s/sys/class/block/%s/queue && echo %llu >%s/sys/class/"
	   "block/%s/size && echo 512 >%s/sys/class/block/%s/queue/"
	   "logical_block_size", root, name, sectors, root, name, root, name);
	if (number)
		sh("echo %u >%s/sys/class/block/%s/partition && mkdir -p "
		   "%s/sys/class/block/%s/%s && echo %u >%s/sys/class/block/%s/"
		   "%s/partition", number, root, name, root, disk, name, number,
		   root, disk, name);
}

/* vda: GPT (sfdisk) with an ESP (FAT32, mformat), an XBOOTLDR (FAT) and a
 * Linux root (ext4, mke2fs), 128 MiB.  The fake kernel "made" vda1 and
 * vda3 only: the XBOOTLDR stands for a partition it has no device for. */
static void make_vda(void)
{
	sh("cd %s && truncate -s 128M dev/vda && printf 'label: gpt\\n"
	   "start=2048, size=65536, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, uuid=%s\\n"
	   "start=67584, size=32768, type=BC13C2FF-59E6-4262-A352-B275FD6F7172, uuid=%s\\n"
	   "start=100352, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, uuid=%s\\n' "
	   "| sfdisk -q dev/vda >/dev/null", root, ESP_UUID, XBL_UUID, ROOT_UUID);
	sh("cd %s && mformat -i dev/vda@@1M -F -v KXESP -N 12345678 :: && "
	   "mformat -i dev/vda@@%d -v XBOOT :: && "
	   "truncate -s 64M root.ext4 && mke2fs -q -t ext4 -L rootfs "
	   "-U 11111111-2222-3333-4444-555555555555 root.ext4 && "
	   "dd if=root.ext4 of=dev/vda bs=512 seek=100352 conv=notrunc "
	   "status=none && rm root.ext4", root, 67584 * 512);
	sys_block("vda", "vda", 0, 262144);
	sys_block("vda", "vda1", 1, 65536);
	sys_block("vda", "vda3", 3, 161759);
}

static int setup(void **state)
{
	strcpy(root, "/tmp/kexshim-test-disk-XXXXXX");
	assert_non_null(mkdtemp(root));
	sh("mkdir -p %s/dev %s/sys/class/block", root, root);
	return 0;
}

static int teardown(void **state)
{
	sh("rm -rf '%s'", root);
	return 0;
}

static struct part *find(struct disk_set *s, const char *disk, unsigned n)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].disk, disk) && s->v[i].number == n)
			return &s->v[i];
	return NULL;
}

static void test_probe(void **state)
{
	struct warnings w = { 0 };
	struct disk_set s;
	struct part *p;

	make_vda();
	/* vdb: a whole-disk FAT (no partition table), vdc: no medium. */
	sh("cd %s && truncate -s 32M dev/vdb && mformat -i dev/vdb -v WHOLE ::",
	   root);
	sys_block("vdb", "vdb", 0, 65536);
	sys_block("vdc", "vdc", 0, 0);
	sh("touch %s/dev/vdc", root);

	assert_int_equal(disk_probe(root, &s, &w), 0);
	assert_int_equal(w.n, 0);
	assert_int_equal(s.nr_disks, 3);
	assert_int_equal(s.n, 4);
	p = find(&s, "vda", 1);
	assert_non_null(p);
	assert_string_equal(p->name, "vda1");
	assert_string_equal(p->fstype, "vfat");
	assert_string_equal(p->label, "KXESP");
	assert_string_equal(p->uuid, "1234-5678");
	assert_string_equal(p->partuuid, ESP_UUID);
	assert_int_equal(p->role, PART_ESP);
	assert_int_equal(p->start, 2048 * 512);
	assert_int_equal(p->size, 65536 * 512);
	p = find(&s, "vda", 2);
	assert_non_null(p);
	assert_int_equal(p->role, PART_XBOOTLDR);
	assert_string_equal(p->label, "XBOOT");
	/* The kernel made no device for it: no name (part_mount adds it). */
	assert_string_equal(p->name, "");
	p = find(&s, "vda", 3);
	assert_non_null(p);
	assert_string_equal(p->fstype, "ext4");
	assert_string_equal(p->label, "rootfs");
	assert_string_equal(p->uuid, "11111111-2222-3333-4444-555555555555");
	assert_string_equal(p->parttype, "0fc63daf-8483-4772-8e79-3d69d8477de4");
	assert_int_equal(p->role, PART_OTHER);
	p = find(&s, "vdb", 0);
	assert_non_null(p);
	assert_string_equal(p->name, "vdb");
	assert_string_equal(p->fstype, "vfat");
	assert_string_equal(p->label, "WHOLE");
	assert_ptr_equal(disk_find_partuuid(&s, "0C6E0C4A-1B6D-4A4B-9E2D-0123456789AB"),
			 find(&s, "vda", 1));
	assert_ptr_equal(disk_find_uuid(&s, "11111111-2222-3333-4444-555555555555"),
			 find(&s, "vda", 3));
	assert_ptr_equal(disk_find_label(&s, "XBOOT"), find(&s, "vda", 2));
	assert_ptr_equal(disk_find_dev(&s, "/dev/vdb"), find(&s, "vdb", 0));
	assert_null(disk_find_dev(&s, "/dev/vda2"));
	disk_set_free(&s);
}

/* UEFI 2.10 5.3.2: with LBA 1 overwritten the backup GPT in the last LBA
 * still lists every partition (libblkid reads it); the kernel would not. */
static void test_probe_backup_gpt(void **state)
{
	struct disk_set s;
	struct part *p;

	make_vda();
	sh("dd if=/dev/urandom of=%s/dev/vda bs=512 seek=1 count=1 "
	   "conv=notrunc status=none", root);
	assert_int_equal(disk_probe(root, &s, NULL), 0);
	assert_int_equal(s.n, 3);
	p = find(&s, "vda", 1);
	assert_non_null(p);
	assert_string_equal(p->partuuid, ESP_UUID);
	assert_string_equal(p->fstype, "vfat");
	assert_non_null(find(&s, "vda", 3));
	disk_set_free(&s);
	/* Both copies gone: no partitions, nothing to boot from. */
	sh("dd if=/dev/zero of=%s/dev/vda bs=512 seek=262143 count=1 "
	   "conv=notrunc status=none", root);
	assert_int_equal(disk_probe(root, &s, NULL), 0);
	assert_null(find(&s, "vda", 1));
	disk_set_free(&s);
}

static void test_esp_pick(void **state)
{
	struct kcmdline kc;
	struct disk_set s;
	const char *how;
	struct part *p;
	int err;

	make_vda();
	sh("cd %s && truncate -s 32M dev/vdb && mformat -i dev/vdb :: ", root);
	sys_block("vdb", "vdb", 0, 65536);
	assert_int_equal(disk_probe(root, &s, NULL), 0);

	kcmdline_defaults(&kc);
	p = esp_pick(&s, &kc, false, &how, &err);
	assert_ptr_equal(p, find(&s, "vda", 1));
	assert_string_equal(how, "ESP type");
	/* kexshim.efi's own partition, whatever its type. */
	kcmdline_parse("kexshim.esp=PARTUUID=" ROOT_UUID, &kc, NULL);
	p = esp_pick(&s, &kc, false, &how, &err);
	assert_ptr_equal(p, find(&s, "vda", 3));
	assert_string_equal(how, "PARTUUID");
	/* Not there yet: wait; at the last try, fall back to the type. */
	kcmdline_parse("kexshim.esp=PARTUUID=00000000-0000-0000-0000-000000000001",
		       &kc, NULL);
	assert_null(esp_pick(&s, &kc, false, &how, &err));
	assert_int_equal(err, -EAGAIN);
	assert_ptr_equal(esp_pick(&s, &kc, true, &how, &err), find(&s, "vda", 1));
	/* kexshim.esp=/dev/NAME. */
	kcmdline_parse("kexshim.esp=/dev/vdb", &kc, NULL);
	assert_ptr_equal(esp_pick(&s, &kc, false, &how, &err), find(&s, "vdb", 0));
	kcmdline_parse("kexshim.esp=/dev/sda9", &kc, NULL);
	assert_null(esp_pick(&s, &kc, true, &how, &err));
	assert_int_equal(err, -ENOENT);
	assert_non_null(strstr(kx_last_error(), "/dev/sda9"));
	disk_set_free(&s);

	/* Without the GPT disk: the whole-disk FAT; without it too: why not. */
	sh("rm -rf %s/dev/vda %s/sys/class/block/vda*", root, root);
	assert_int_equal(disk_probe(root, &s, NULL), 0);
	kcmdline_defaults(&kc);
	p = esp_pick(&s, &kc, false, &how, &err);
	assert_ptr_equal(p, find(&s, "vdb", 0));
	assert_string_equal(how, "whole-disk FAT");
	disk_set_free(&s);
	sh("dd if=/dev/zero of=%s/dev/vdb bs=1M count=1 conv=notrunc status=none",
	   root);
	assert_int_equal(disk_probe(root, &s, NULL), 0);
	assert_null(esp_pick(&s, &kc, true, &how, &err));
	assert_string_equal(kx_last_error(), "esp: no ESP: no partition with the "
			    "ESP type GUID and no whole-disk FAT on 1 disk");
	disk_set_free(&s);
}

/* Paths from configs never leave the file system: "..", absolute and
 * relative symlinks resolve inside it (Debian's /vmlinuz ->
 * boot/vmlinuz-6.1 works; a link to a file outside does not). */
static void test_confinement(void **state)
{
	struct part p = { .dirfd = -1 };
	char real[512], want[512], *buf;
	size_t len;

	sh("mkdir -p %s/fs/boot %s/outside && echo kernel >%s/fs/boot/vmlinuz-6.1 "
	   "&& echo secret >%s/outside/secret && ln -s boot/vmlinuz-6.1 "
	   "%s/fs/vmlinuz && ln -s /boot/vmlinuz-6.1 %s/fs/abs && "
	   "ln -s ../../outside/secret %s/fs/boot/up && ln -s %s/outside/secret "
	   "%s/fs/host && mkfifo %s/fs/fifo", root, root, root, root, root,
	   root, root, root, root, root);
	snprintf(want, sizeof(want), "%s/fs", root);
	assert_int_equal(part_open_dir(&p, want, PART_OTHER), 0);
	assert_int_equal(part_realpath(&p, "t", "/vmlinuz", real, sizeof(real)), 0);
	snprintf(want, sizeof(want), "%s/fs/boot/vmlinuz-6.1", root);
	assert_string_equal(real, want);
	assert_int_equal(part_realpath(&p, "t", "abs", real, sizeof(real)), 0);
	assert_string_equal(real, want);
	assert_int_equal(part_read(&p, "t", "/vmlinuz", 0, &buf, &len), 0);
	assert_string_equal(buf, "kernel\n");
	free(buf);
	/* ".." stops at the root; the file outside is not reachable. */
	assert_int_equal(part_read(&p, "t", "/../outside/secret", 0, &buf, &len),
			 -ENOENT);
	assert_int_equal(part_read(&p, "t", "/boot/up", 0, &buf, &len), -ENOENT);
	assert_int_equal(part_read(&p, "t", "/host", 0, &buf, &len), -ENOENT);
	assert_false(part_exists(&p, "/host"));
	assert_true(part_exists(&p, "/boot"));
	/* A FIFO where a config should be: refused, not waited on. */
	assert_int_equal(part_read(&p, "t", "/fifo", 0, &buf, &len), -EINVAL);
	assert_non_null(strstr(kx_last_error(), "fifo: not a regular file"));
	close(p.dirfd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_probe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_probe_backup_gpt, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_esp_pick, setup, teardown),
		cmocka_unit_test_setup_teardown(test_confinement, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
