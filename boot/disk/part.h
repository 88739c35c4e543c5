/* kexshim: using a file system found by disk_probe(): mount it read-only,
 * and open files inside it so that no path (a "..", an absolute symlink
 * on ext4) leaves it: openat2(RESOLVE_IN_ROOT) from its mount point.
 * Runs in PID 1, and in the CLI and host tests on plain directories
 * (part_open_dir()). */
#ifndef KEXSHIM_DISK_PART_H
#define KEXSHIM_DISK_PART_H

#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>

#include "disk/disk.h"

/* Mount p read-only (nosuid, nodev, noexec; without journal replay, which
 * would write) on dir, creating dir; a partition the kernel made no
 * device for is added first (BLKPG, from the table libblkid read).
 * Return: 0 with p->mnt and p->dirfd set, or -errno (kx_fail "disk:
 * /dev/X: ..."). */
int part_mount(struct part *p, const char *dir);

/* Make p writable for a moment (boot counting renames), and read-only
 * again; nothing for a plain directory.  Return: 0 or -errno (kx_fail). */
int part_remount(struct part *p, bool writable);

/* Use the directory dir as a file system (the CLI's --esp=DIR, tests).
 * Return: 0 or -errno (kx_fail). */
int part_open_dir(struct part *p, const char *dir, enum part_role role);

/* A disk_set of one file system: the directory dir (the CLI's --esp=DIR).
 * Return: 0 with set->v[0], or -errno (kx_fail). */
int disk_set_from_dir(struct disk_set *set, const char *dir,
		      enum part_role role);

/* Add the directory dir to set as one more file system.
 * Return: 0, or -errno (kx_fail; set unchanged). */
int disk_set_add_dir(struct disk_set *set, const char *dir,
		     enum part_role role);

/* Open path (relative to p's root, leading '/' or not) with flags
 * (O_RDONLY, O_DIRECTORY, ...), resolving "..", and absolute and relative
 * symlinks, inside p.  Return: an fd, or -errno (no message). */
int part_openat(const struct part *p, const char *path, int flags);

/* Return: true when path exists inside p. */
bool part_exists(const struct part *p, const char *path);

/* Read a regular file inside p whole (at most max bytes, 0 = no limit),
 * NUL-terminated.  Messages read "WHO: MNT/PATH: reason".
 * Return: 0 with *out (malloc'ed) and *len, or -errno (kx_fail). */
int part_read(const struct part *p, const char *who, const char *path,
	      size_t max, char **out, size_t *len);

/* The directory path inside p for readdir.  Return: a DIR, or NULL with
 * errno set. */
DIR *part_opendir(const struct part *p, const char *path);

/* Where path inside p really is, as an absolute path under p->mnt (every
 * symlink resolved inside p): what the load flow then opens.
 * Return: 0, or -errno (kx_fail "WHO: MNT/PATH: reason"). */
int part_realpath(const struct part *p, const char *who, const char *path,
		  char *out, size_t size);

#endif
