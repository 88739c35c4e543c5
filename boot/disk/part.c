/* kexshim: mounting file systems and reading inside them (see part.h).
 * Runs in PID 1 after disk_probe(), and in the CLI and host tests. */
#include <errno.h>
#include <fcntl.h>
#include <linux/blkpg.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "disk/part.h"
#include "lib/console.h"
#include "lib/error.h"
#include "lib/readfile.h"

/* Options that keep a read-only mount from writing: ext4 and xfs replay a
 * dirty journal even read-only, btrfs its log tree.  A boot loader reads
 * (as GRUB does) and never repairs. */
static const char *no_replay(const char *fstype)
{
	if (!strcmp(fstype, "ext4") || !strcmp(fstype, "ext3") ||
	    !strcmp(fstype, "xfs"))
		return "norecovery";
	if (!strcmp(fstype, "btrfs"))
		return "nologreplay";
	return NULL;
}

/* The kernel made no device for p (block/partitions/efi.c reads a GPT's
 * backup copy only with the "gpt" parameter): add it as partx does, from
 * the table libblkid read.  Return: 0 or -errno (kx_fail). */
static int add_partition(struct part *p)
{
	struct blkpg_partition part = {
		.start = (long long)p->start,
		.length = (long long)p->size,
		.pno = (int)p->number,
	};
	struct blkpg_ioctl_arg arg = {
		.op = BLKPG_ADD_PARTITION,
		.datalen = sizeof(part),
		.data = &part,
	};
	char dev[48];
	int fd, err = 0;

	snprintf(dev, sizeof(dev), "/dev/%s", p->disk);
	fd = open(dev, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return kx_fail(errno, "disk: %s: %s", dev, strerror(errno));
	if (ioctl(fd, BLKPG, &arg) && errno != EBUSY)
		err = errno;
	close(fd);
	if (err)
		return kx_fail(err, "disk: %s: adding partition %u (BLKPG): %s",
			       dev, p->number, strerror(err));
	con_info("disk: %s: added partition %u, which the kernel did not make",
		 dev, p->number);
	return 0;
}

/* After add_partition(): the kernel's name for it, from sysfs. */
static int find_name(struct part *p)
{
	char path[128], buf[16];
	int i;

	for (i = 1; i <= 2; i++) {
		/* vda1, nvme0n1p1 */
		snprintf(p->name, sizeof(p->name), "%s%s%u", p->disk,
			 i == 1 ? "" : "p", p->number);
		snprintf(path, sizeof(path), "/sys/class/block/%s/partition",
			 p->name);
		if (read_file_into("disk", path, buf, sizeof(buf)) > 0 &&
		    strtoul(buf, NULL, 10) == p->number)
			return 0;
	}
	p->name[0] = '\0';
	return kx_fail(ENOENT, "disk: /dev/%s: partition %u did not appear",
		       p->disk, p->number);
}

/* mkdir -p: the initramfs may have no /mnt (ours did not). */
static int make_dirs(const char *dir)
{
	char path[sizeof(((struct part *)0)->mnt)];
	size_t i;

	if (snprintf(path, sizeof(path), "%s", dir) >= (int)sizeof(path))
		return kx_fail(ENAMETOOLONG, "disk: mkdir %s: too long", dir);
	for (i = 1; path[i]; i++) {
		if (path[i] != '/')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0755) && errno != EEXIST)
			return kx_fail(errno, "disk: mkdir %s: %s", path,
				       strerror(errno));
		path[i] = '/';
	}
	if (mkdir(path, 0755) && errno != EEXIST)
		return kx_fail(errno, "disk: mkdir %s: %s", path, strerror(errno));
	return 0;
}

int part_mount(struct part *p, const char *dir)
{
	unsigned long flags = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC;
	const char *opts = no_replay(p->fstype);
	char dev[64];
	int err;

	if (!p->name[0]) {
		err = add_partition(p);
		if (!err)
			err = find_name(p);
		if (err)
			return err;
	}
	snprintf(dev, sizeof(dev), "/dev/%s", p->name);
	err = make_dirs(dir);
	if (err)
		return err;
	err = mount(dev, dir, p->fstype, flags, opts) ? errno : 0;
	if (err == EINVAL && opts)
		err = mount(dev, dir, p->fstype, flags, NULL) ? errno : 0;
	if (err)
		return kx_fail(err, "disk: mount %s (%s) on %s read-only: %s",
			       dev, p->fstype, dir,
			       err == ENODEV ? "no driver for it in this kernel"
					     : strerror(err));
	err = part_open_dir(p, dir, p->role);
	p->mounted = !err;
	return err;
}

int part_remount(struct part *p, bool writable)
{
	unsigned long flags = MS_REMOUNT | MS_NOSUID | MS_NODEV | MS_NOEXEC |
			      (writable ? 0 : MS_RDONLY);

	/* A plain directory (the CLI's --esp=DIR, tests) is as writable as
	 * it is. */
	if (!p->mounted)
		return 0;
	if (mount(NULL, p->mnt, NULL, flags, NULL))
		return kx_fail(errno, "disk: remount %s %s: %s", p->mnt,
			       writable ? "read-write" : "read-only",
			       strerror(errno));
	return 0;
}

int part_open_dir(struct part *p, const char *dir, enum part_role role)
{
	if (p->dirfd >= 0)
		close(p->dirfd);
	p->dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (p->dirfd < 0)
		return kx_fail(errno, "disk: %s: %s", dir, strerror(errno));
	snprintf(p->mnt, sizeof(p->mnt), "%s", dir);
	p->role = role;
	return 0;
}

int disk_set_add_dir(struct disk_set *set, const char *dir,
		     enum part_role role)
{
	struct part *v;
	int rc;

	if (set->n == set->cap) {
		v = realloc(set->v, (set->cap + 4) * sizeof(*v));
		if (!v)
			return kx_fail(ENOMEM, "disk: out of memory");
		set->v = v;
		set->cap += 4;
	}
	memset(&set->v[set->n], 0, sizeof(set->v[0]));
	set->v[set->n].dirfd = -1;
	rc = part_open_dir(&set->v[set->n], dir, role);
	if (!rc)
		set->n++;
	return rc;
}

int disk_set_from_dir(struct disk_set *set, const char *dir,
		      enum part_role role)
{
	int rc;

	memset(set, 0, sizeof(*set));
	rc = disk_set_add_dir(set, dir, role);
	if (rc)
		disk_set_free(set);
	return rc;
}

int part_openat(const struct part *p, const char *path, int flags)
{
	/* RESOLVE_IN_ROOT: "..", and absolute symlinks (Debian's /vmlinuz ->
	 * boot/vmlinuz-6.1...), resolve as if p's root were "/". */
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS |
			   RESOLVE_NO_XDEV,
	};
	long fd;

	while (*path == '/')
		path++;
	if (!*path)
		path = ".";
	fd = syscall(SYS_openat2, p->dirfd, path, &how, sizeof(how));
	return fd < 0 ? -errno : (int)fd;
}

bool part_exists(const struct part *p, const char *path)
{
	int fd = part_openat(p, path, O_PATH);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

int part_read(const struct part *p, const char *who, const char *path,
	      size_t max, char **out, size_t *len)
{
	char name[512];
	struct stat st;
	int fd, rc;

	snprintf(name, sizeof(name), "%s%s%s", p->mnt, *path == '/' ? "" : "/",
		 path);
	/* O_NONBLOCK: opening a FIFO would wait for a writer. */
	fd = part_openat(p, path, O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return kx_fail(-fd, "%s: %s: %s", who, name, strerror(-fd));
	/* A FIFO or device would block or never end. */
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return kx_fail(EINVAL, "%s: %s: not a regular file", who, name);
	}
	fcntl(fd, F_SETFL, 0);
	rc = read_fd_whole(fd, who, name, max, out, len);
	close(fd);
	return rc;
}

DIR *part_opendir(const struct part *p, const char *path)
{
	int fd = part_openat(p, path, O_RDONLY | O_DIRECTORY);
	DIR *d;

	if (fd < 0) {
		errno = -fd;
		return NULL;
	}
	d = fdopendir(fd);
	if (!d)
		close(fd);
	return d;
}

int part_realpath(const struct part *p, const char *who, const char *path,
		  char *out, size_t size)
{
	char link[64];
	ssize_t n;
	int fd;

	fd = part_openat(p, path, O_PATH);
	if (fd < 0)
		return kx_fail(-fd, "%s: %s%s%s: %s", who, p->mnt,
			       *path == '/' ? "" : "/", path, strerror(-fd));
	/* The kernel's own answer for where the fd points. */
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, out, size - 1);
	close(fd);
	if (n < 0 || (size_t)n >= size - 1)
		return kx_fail(n < 0 ? errno : ENAMETOOLONG, "%s: %s%s%s: cannot "
			       "name the file", who, p->mnt,
			       *path == '/' ? "" : "/", path);
	out[n] = '\0';
	return 0;
}
