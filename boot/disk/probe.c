/* kexshim: block devices and their file systems (see disk.h).  Runs in
 * PID 1, polled while disks appear, and in host tests on image files.
 * libblkid reads the partition tables (it takes a GPT's backup copy when
 * the primary is damaged, as UEFI 2.10 5.3.2 asks) and the superblocks;
 * every file system is probed inside the whole disk at its offset, so a
 * partition the kernel has no device for is still seen. */
#include <blkid/blkid.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "disk/disk.h"
#include "lib/warn.h"

#define MAX_DISKS 64

static const char esp_type[] = "c12a7328-f81f-11d2-ba4b-00a0c93ec93b";
static const char xbootldr_type[] = "bc13c2ff-59e6-4262-a352-b275fd6f7172";

/* Read a small sysfs file, newline stripped.  Return: 0 or -errno; no
 * message: absent files are normal while devices come and go. */
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

static int cmp_names(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Whole disks with media, sorted by name.  Return: the count. */
static size_t list_disks(const char *root, char names[][32], size_t max,
			 unsigned *seen)
{
	char path[PATH_MAX], buf[32];
	struct dirent *d;
	size_t n = 0;
	DIR *dir;

	*seen = 0;
	snprintf(path, sizeof(path), "%s/sys/class/block", root);
	dir = opendir(path);
	if (!dir)
		return 0;
	while ((d = readdir(dir)) && n < max) {
		if (d->d_name[0] == '.' || strlen(d->d_name) >= 32)
			continue;
		snprintf(path, sizeof(path), "/sys/class/block/%s/partition",
			 d->d_name);
		if (!read_sys(root, path, buf, sizeof(buf)))
			continue;
		(*seen)++;
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

/* The kernel's name of partition `number` of disk: the child directory of
 * /sys/class/block/<disk> whose "partition" file holds that number ("vda1",
 * "nvme0n1p1", "mmcblk0p1").  "" when the kernel has none. */
static void part_name(const char *root, const char *disk, unsigned number,
		      char *out, size_t outsz)
{
	char path[PATH_MAX], buf[32];
	size_t dlen = strlen(disk);
	struct dirent *d;
	DIR *dir;

	out[0] = '\0';
	snprintf(path, sizeof(path), "%s/sys/class/block/%s", root, disk);
	dir = opendir(path);
	if (!dir)
		return;
	while ((d = readdir(dir))) {
		if (strncmp(d->d_name, disk, dlen) || strlen(d->d_name) >= outsz)
			continue;
		snprintf(path, sizeof(path), "/sys/class/block/%s/%s/partition",
			 disk, d->d_name);
		if (read_sys(root, path, buf, sizeof(buf)) ||
		    strtoul(buf, NULL, 10) != number)
			continue;
		strcpy(out, d->d_name);
		break;
	}
	closedir(dir);
}

static struct part *add(struct disk_set *set)
{
	struct part *p;

	if (set->n == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 16;
		struct part *v = realloc(set->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		set->v = v;
		set->cap = cap;
	}
	p = &set->v[set->n++];
	memset(p, 0, sizeof(*p));
	p->dirfd = -1;
	return p;
}

static void copy_value(blkid_probe pr, const char *key, char *out, size_t sz)
{
	const char *v = NULL;

	out[0] = '\0';
	if (!blkid_probe_lookup_value(pr, key, &v, NULL) && v)
		snprintf(out, sz, "%s", v);
}

/* The file system in [start, start + size) of the disk open on fd.
 * Return: true when one was recognised (p->fstype set). */
static bool probe_fs(int fd, struct part *p)
{
	blkid_probe pr = blkid_new_probe();
	bool found = false;

	if (!pr)
		return false;
	if (!blkid_probe_set_device(pr, fd, (blkid_loff_t)p->start,
				    (blkid_loff_t)p->size)) {
		blkid_probe_enable_superblocks(pr, 1);
		blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_LABEL |
						  BLKID_SUBLKS_UUID |
						  BLKID_SUBLKS_TYPE);
		blkid_probe_enable_partitions(pr, 0);
		if (!blkid_do_safeprobe(pr)) {
			copy_value(pr, "TYPE", p->fstype, sizeof(p->fstype));
			copy_value(pr, "UUID", p->uuid, sizeof(p->uuid));
			copy_value(pr, "LABEL", p->label, sizeof(p->label));
			found = p->fstype[0] != '\0';
		}
	}
	blkid_free_probe(pr);
	return found;
}

static void lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s += 'a' - 'A';
}

static enum part_role role_of(const char *type)
{
	if (!strcmp(type, esp_type) || !strcmp(type, "0xef"))
		return PART_ESP;
	if (!strcmp(type, xbootldr_type) || !strcmp(type, "0xea"))
		return PART_XBOOTLDR;
	return PART_OTHER;
}

/* One disk: its partitions, or the file system on the whole of it.
 * Return: 0, or -errno with a warning added (the disk is skipped). */
static int probe_disk(const char *root, const char *disk, struct disk_set *set,
		      struct warnings *w)
{
	char path[PATH_MAX], buf[32];
	uint64_t sectors = 0;
	uint32_t bs = 512;
	blkid_partlist ls;
	blkid_probe pr;
	struct part *p;
	int fd, i, n, rc = 0;

	snprintf(path, sizeof(path), "/sys/class/block/%s/size", disk);
	if (!read_sys(root, path, buf, sizeof(buf)))
		sectors = strtoull(buf, NULL, 10);
	snprintf(path, sizeof(path), "/sys/class/block/%s/queue/logical_block_size",
		 disk);
	if (!read_sys(root, path, buf, sizeof(buf)))
		bs = (uint32_t)strtoul(buf, NULL, 10);
	if (bs < 512 || bs > 65536 || (bs & (bs - 1)))
		bs = 512;
	snprintf(path, sizeof(path), "%s/dev/%s", root, disk);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		warn_add(w, "disk: /dev/%s: %s", disk, strerror(errno));
		return -errno;
	}
	pr = blkid_new_probe();
	if (!pr || blkid_probe_set_device(pr, fd, 0, 0)) {
		warn_add(w, "disk: /dev/%s: libblkid cannot probe it", disk);
		rc = -EIO;
		goto out;
	}
	blkid_probe_enable_partitions(pr, 1);
	blkid_probe_set_partitions_flags(pr, BLKID_PARTS_ENTRY_DETAILS);
	ls = blkid_probe_get_partitions(pr);
	n = ls ? blkid_partlist_numof_partitions(ls) : 0;
	if (n <= 0) {
		/* A partitionless disk: maybe a file system on all of it. */
		p = add(set);
		if (!p) {
			rc = -ENOMEM;
			goto out;
		}
		snprintf(p->disk, sizeof(p->disk), "%s", disk);
		snprintf(p->name, sizeof(p->name), "%s", disk);
		p->size = sectors * 512;
		p->block_size = bs;
		if (!probe_fs(fd, p))
			set->n--;
		goto out;
	}
	for (i = 0; i < n; i++) {
		blkid_partition par = blkid_partlist_get_partition(ls, i);
		const char *s;

		if (!par)
			continue;
		p = add(set);
		if (!p) {
			rc = -ENOMEM;
			goto out;
		}
		snprintf(p->disk, sizeof(p->disk), "%s", disk);
		p->number = (unsigned)blkid_partition_get_partno(par);
		/* libblkid counts 512-byte sectors whatever the block size. */
		p->start = (uint64_t)blkid_partition_get_start(par) * 512;
		p->size = (uint64_t)blkid_partition_get_size(par) * 512;
		p->block_size = bs;
		s = blkid_partition_get_type_string(par);
		if (s)
			snprintf(p->parttype, sizeof(p->parttype), "%s", s);
		else
			snprintf(p->parttype, sizeof(p->parttype), "0x%02x",
				 blkid_partition_get_type(par));
		s = blkid_partition_get_uuid(par);
		if (s)
			snprintf(p->partuuid, sizeof(p->partuuid), "%s", s);
		lower(p->parttype);
		lower(p->partuuid);
		p->role = role_of(p->parttype);
		part_name(root, disk, p->number, p->name, sizeof(p->name));
		/* Partitions without a file system we know (swap is one,
		 * LUKS another) are of no use to a boot loader. */
		if (!probe_fs(fd, p))
			set->n--;
	}
out:
	blkid_free_probe(pr);
	close(fd);
	return rc;
}

int disk_probe(const char *root, struct disk_set *set, struct warnings *w)
{
	char (*names)[32];
	size_t n, i;
	int rc = 0;

	memset(set, 0, sizeof(*set));
	names = calloc(MAX_DISKS, sizeof(*names));
	if (!names)
		return -ENOMEM;
	n = list_disks(root, names, MAX_DISKS, &set->nr_disks);
	for (i = 0; i < n && rc != -ENOMEM; i++)
		rc = probe_disk(root, names[i], set, w);
	free(names);
	return rc == -ENOMEM ? rc : 0;
}

void disk_set_free(struct disk_set *set)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (set->v[i].dirfd >= 0)
			close(set->v[i].dirfd);
	free(set->v);
	memset(set, 0, sizeof(*set));
}

struct part *disk_find_partuuid(struct disk_set *set, const char *uuid)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (set->v[i].partuuid[0] &&
		    !strcasecmp(set->v[i].partuuid, uuid))
			return &set->v[i];
	return NULL;
}

struct part *disk_find_uuid(struct disk_set *set, const char *uuid)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (set->v[i].uuid[0] && !strcasecmp(set->v[i].uuid, uuid))
			return &set->v[i];
	return NULL;
}

struct part *disk_find_label(struct disk_set *set, const char *label)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (set->v[i].label[0] && !strcmp(set->v[i].label, label))
			return &set->v[i];
	return NULL;
}

struct part *disk_find_dev(struct disk_set *set, const char *dev)
{
	size_t i;

	if (strncmp(dev, "/dev/", 5))
		return NULL;
	for (i = 0; i < set->n; i++)
		if (set->v[i].name[0] && !strcmp(set->v[i].name, dev + 5))
			return &set->v[i];
	return NULL;
}

const char *part_role_name(enum part_role role)
{
	return role == PART_ESP ? "ESP" : role == PART_XBOOTLDR ? "XBOOTLDR" :
	       "other";
}
