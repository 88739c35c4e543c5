/* kexshim: find and mount the ESP (see esp.h).  Runs in PID 1, polled
 * while block devices appear; reads at most a few KiB per disk. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/blkpg.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/console.h"
#include "lib/error.h"
#include "lib/warn.h"
#include "disk/esp.h"

#define MAX_DISKS 64

/* What one disk offers. */
struct disk_scan {
	char name[64];
	uint32_t block_size;
	struct gpt_table gpt;
	struct warnings w;      /* the GPT reader's (backup in use) */
	bool has_gpt;
	bool whole_fat;
};

/* Read a small sysfs file.  Return: 0 with buf NUL-terminated and
 * stripped of the newline, or -errno. */
static int read_sys(const char *root, const char *path, char *buf, size_t sz)
{
	char full[PATH_MAX];
	ssize_t n;
	int fd;

	snprintf(full, sizeof(full), "%s%s", root, path);
	fd = open(full, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sz - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}

static bool sys_exists(const char *root, const char *path)
{
	char full[PATH_MAX];

	snprintf(full, sizeof(full), "%s%s", root, path);
	return !access(full, F_OK);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Whole disks worth reading, sorted by name.  Return: count. */
static size_t list_disks(const char *root, char names[][64], size_t max)
{
	char path[PATH_MAX], buf[32];
	struct dirent *d;
	size_t n = 0;
	DIR *dir;

	snprintf(path, sizeof(path), "%s/sys/class/block", root);
	dir = opendir(path);
	if (!dir)
		return 0;
	while ((d = readdir(dir)) && n < max) {
		if (d->d_name[0] == '.' || strlen(d->d_name) >= 64)
			continue;
		snprintf(path, sizeof(path), "/sys/class/block/%s/partition",
			 d->d_name);
		if (sys_exists(root, path))
			continue;
		/* Empty loop/ram devices and drives without media. */
		snprintf(path, sizeof(path), "/sys/class/block/%s/size",
			 d->d_name);
		if (read_sys(root, path, buf, sizeof(buf)) || !strcmp(buf, "0"))
			continue;
		strcpy(names[n++], d->d_name);
	}
	closedir(dir);
	qsort(names, n, sizeof(names[0]), cmp_names);
	return n;
}

static int pread_all(int fd, void *buf, size_t len, off_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t r = pread(fd, (char *)buf + done, len - done,
				  off + (off_t)done);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return -EIO;
		done += (size_t)r;
	}
	return 0;
}

/* Say a per-disk problem: a warning on the last try, else debug only. */
static void note(bool last_try, const char *msg)
{
	if (last_try)
		con_warn("%s", msg);
	else
		con_debug("%s", msg);
}

static int read_fd(void *ctx, uint64_t off, void *buf, size_t len)
{
	return pread_all(*(const int *)ctx, buf, len, (off_t)off);
}

static void scan_disk(const char *root, struct disk_scan *ds, bool last_try)
{
	char path[PATH_MAX], dev[80], buf[32];
	uint64_t sectors = 0;
	uint32_t bs = 512;
	uint8_t sector0[512];
	int fd, rc;

	snprintf(path, sizeof(path), "/sys/class/block/%s/queue/logical_block_size",
		 ds->name);
	if (!read_sys(root, path, buf, sizeof(buf)))
		bs = (uint32_t)strtoul(buf, NULL, 10);
	if (bs < 512 || bs > 65536)
		bs = 512;
	/* sysfs "size" counts 512-byte sectors whatever the block size. */
	snprintf(path, sizeof(path), "/sys/class/block/%s/size", ds->name);
	if (!read_sys(root, path, buf, sizeof(buf)))
		sectors = strtoull(buf, NULL, 10);
	ds->block_size = bs;
	snprintf(dev, sizeof(dev), "/dev/%s", ds->name);
	snprintf(path, sizeof(path), "%s%s", root, dev);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		kx_fail(errno, "esp: %s: %s", dev, strerror(errno));
		note(last_try, kx_last_error());
		return;
	}
	memset(&ds->w, 0, sizeof(ds->w));
	rc = gpt_read(dev, bs, sectors * 512 / bs, read_fd, &fd, &ds->gpt,
		      &ds->w);
	if (!rc) {
		ds->has_gpt = true;
	} else if (rc == -ENOENT) {
		rc = pread_all(fd, sector0, sizeof(sector0), 0);
		ds->whole_fat = !rc && esp_is_fat(sector0, sizeof(sector0));
	} else {
		note(last_try, kx_last_error());
	}
	close(fd);
}

/* The kernel made no partition devices from a GPT whose primary copy is
 * damaged: block/partitions/efi.c reads the backup only with the "gpt"
 * parameter.  Tell it about the one we need ourselves (BLKPG, as partx
 * does), from the backup table we read.  Return: 0 or -errno. */
static int add_partition(const struct disk_scan *ds, const struct gpt_part *p)
{
	struct blkpg_partition part = {
		.start = (long long)(p->first_lba * ds->block_size),
		.length = (long long)((p->last_lba - p->first_lba + 1) *
				      ds->block_size),
		.pno = (int)p->number,
	};
	struct blkpg_ioctl_arg arg = {
		.op = BLKPG_ADD_PARTITION,
		.datalen = sizeof(part),
		.data = &part,
	};
	char dev[80];
	int fd, rc = 0;

	snprintf(dev, sizeof(dev), "/dev/%s", ds->name);
	fd = open(dev, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return kx_fail(errno, "esp: %s: %s", dev, strerror(errno));
	if (ioctl(fd, BLKPG, &arg) && errno != EBUSY)
		rc = kx_fail(errno, "esp: %s: adding partition %u from the "
			     "backup GPT (BLKPG): %s", dev, p->number,
			     strerror(errno));
	else
		con_info("esp: %s: added partition %u from the backup GPT", dev,
			 p->number);
	close(fd);
	return rc;
}

/* The name of partition `number` of disk: the child directory of
 * /sys/class/block/<disk> whose "partition" file holds that number
 * ("vda1", "nvme0n1p1", "mmcblk0p1").  Return: 0 or -ENOENT. */
static int part_name(const char *root, const char *disk, uint32_t number,
		     char *out, size_t outsz)
{
	char path[PATH_MAX], buf[32];
	size_t dlen = strlen(disk);
	struct dirent *d;
	int rc = -ENOENT;
	DIR *dir;

	snprintf(path, sizeof(path), "%s/sys/class/block/%s", root, disk);
	dir = opendir(path);
	if (!dir)
		return -ENOENT;
	while ((d = readdir(dir))) {
		if (strncmp(d->d_name, disk, dlen) || strlen(d->d_name) >= outsz)
			continue;
		snprintf(path, sizeof(path), "/sys/class/block/%s/%s/partition",
			 disk, d->d_name);
		if (read_sys(root, path, buf, sizeof(buf)) ||
		    strtoul(buf, NULL, 10) != number)
			continue;
		strcpy(out, d->d_name);
		rc = 0;
		break;
	}
	closedir(dir);
	return rc;
}

static int take_part(const char *root, const struct disk_scan *ds,
		     const struct gpt_part *p, const char *how,
		     struct esp_found *f)
{
	char name[64];

	if (part_name(root, ds->name, p->number, name, sizeof(name))) {
		/* Not yet added by the kernel, or never will be. */
		if (ds->gpt.from_backup && !*root)
			add_partition(ds, p);
		return -EAGAIN;
	}
	snprintf(f->dev, sizeof(f->dev), "/dev/%s", name);
	guid_to_text(p->uuid, f->partuuid);
	f->how = how;
	con_warnings_print(&ds->w);
	return 0;
}

int esp_find(const char *root, const struct kcmdline *kc, bool last_try,
	     struct esp_found *f)
{
	const char *want = kcmdline_esp_partuuid(kc);
	struct disk_scan *ds;
	char (*names)[64];
	size_t n, i;
	int rc = -ENOENT;

	memset(f, 0, sizeof(*f));
	if (!strncmp(kc->esp, "/dev/", 5)) {
		char path[PATH_MAX];

		snprintf(path, sizeof(path), "%s%s", root, kc->esp);
		if (access(path, F_OK))
			return last_try ? kx_fail(ENOENT, "esp: %s (kexshim.esp) "
						  "does not exist", kc->esp)
					: -EAGAIN;
		snprintf(f->dev, sizeof(f->dev), "%s", kc->esp);
		f->how = "kexshim.esp";
		return 0;
	}

	names = calloc(MAX_DISKS, sizeof(*names));
	ds = calloc(MAX_DISKS, sizeof(*ds));
	if (!names || !ds) {
		free(names);
		free(ds);
		return kx_fail(ENOMEM, "esp: out of memory");
	}
	n = list_disks(root, names, MAX_DISKS);
	for (i = 0; i < n; i++) {
		strcpy(ds[i].name, names[i]);
		scan_disk(root, &ds[i], last_try);
	}

	if (want) {
		for (i = 0; i < n; i++) {
			const struct gpt_part *p;

			if (!ds[i].has_gpt)
				continue;
			p = gpt_find_uuid(&ds[i].gpt, want);
			if (p) {
				rc = take_part(root, &ds[i], p, "PARTUUID", f);
				goto out;
			}
		}
		if (!last_try) {
			rc = -EAGAIN;
			goto out;
		}
		con_warn("esp: no partition has PARTUUID=%s; falling back to the "
			 "ESP type GUID", want);
	}
	for (i = 0; i < n; i++) {
		const struct gpt_part *p;

		if (!ds[i].has_gpt || !(p = gpt_find_esp(&ds[i].gpt)))
			continue;
		rc = take_part(root, &ds[i], p, "ESP type", f);
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (!ds[i].whole_fat)
			continue;
		snprintf(f->dev, sizeof(f->dev), "/dev/%s", ds[i].name);
		f->how = "whole-disk FAT";
		rc = 0;
		goto out;
	}
	if (want)
		rc = kx_fail(ENOENT, "esp: no ESP: no PARTUUID=%s, no partition "
			     "with the ESP type GUID and no whole-disk FAT on "
			     "%zu disk%s", want, n, n == 1 ? "" : "s");
	else
		rc = kx_fail(ENOENT, "esp: no ESP: no partition with the ESP type "
			     "GUID and no whole-disk FAT on %zu disk%s", n,
			     n == 1 ? "" : "s");
out:
	if (rc == -EAGAIN && last_try)
		rc = kx_fail(ENOENT, "esp: partition device for the ESP did not "
			     "appear in /sys/class/block");
	free(names);
	free(ds);
	return rc;
}

bool esp_is_fat(const uint8_t *s, size_t len)
{
	unsigned bps;

	if (len < 512 || s[510] != 0x55 || s[511] != 0xaa)
		return false;
	/* BS_jmpBoot: EB xx 90 or E9 xx xx. */
	if (!(s[0] == 0xeb && s[2] == 0x90) && s[0] != 0xe9)
		return false;
	/* BPB_BytsPerSec at 11. */
	bps = s[11] | s[12] << 8;
	if (bps < 512 || bps > 4096 || (bps & (bps - 1)))
		return false;
	/* BS_FilSysType: offset 54 (FAT12/16) or 82 (FAT32). */
	return !memcmp(s + 54, "FAT", 3) || !memcmp(s + 82, "FAT", 3);
}

int esp_mount(const char *dev, const char *dir)
{
	if (mkdir(dir, 0755) && errno != EEXIST)
		return kx_fail(errno, "esp: mkdir %s: %s", dir, strerror(errno));
	if (mount(dev, dir, "vfat", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  NULL))
		return kx_fail(errno, "esp: mount %s on %s (vfat, read-only): %s",
			       dev, dir, strerror(errno));
	return 0;
}
