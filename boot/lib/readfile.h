/* kexshim: whole-file reads into malloc'ed memory, for configuration files,
 * module indexes and sysfs/proc files, and the root-prefixed readers: the
 * loader reads the running system's /sys and /proc under a root that is ""
 * on the live system and a fake tree in tests (`kexshim plan --root`).
 * Runs in the shim and on any host. */
#ifndef KEXSHIM_READFILE_H
#define KEXSHIM_READFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Read fd to EOF into a malloc'ed buffer, NUL-terminated (not counted in
 * *len).  sysfs files report st_size 4096 or 0 whatever they hold, so the
 * size is only a hint.  max > 0 bounds the file.  Messages read
 * "WHO: PATH: reason".  Return: 0 with *out (the caller frees) and *len,
 * or -errno (kx_fail). */
int read_fd_whole(int fd, const char *who, const char *path, size_t max,
		  char **out, size_t *len);

/* Open path and read_fd_whole() it.  Return: as read_fd_whole. */
int read_file_whole(const char *who, const char *path, size_t max,
		    char **out, size_t *len);

/* Read path into buf (NUL-terminated; binary files too) without
 * allocating, for small sysfs/proc attributes.  Messages read
 * "WHO: PATH: reason".  Return: bytes read, or -errno (kx_fail; -EFBIG
 * when the file does not fit in size - 1 bytes). */
long read_file_into(const char *who, const char *path, char *buf, size_t size);

/* root + path (root NULL or "" = the live system) into buf.
 * Return: 0, or -ENAMETOOLONG (kx_fail "WHO: ROOTPATH: path too long"). */
int root_path(const char *who, const char *root, const char *path, char *buf,
	      size_t size);

/* Return: true when root + path exists. */
bool root_exists(const char *root, const char *path);

/* read_file_into() of root + path.  Return: as read_file_into. */
long root_read_into(const char *who, const char *root, const char *path,
		    char *buf, size_t size);

/* A one-number attribute of root + path ("0x7f9ee018\n", "12\n"; base 0,
 * as sysfs prints addresses with 0x%lx and counts with %u).
 * Return: 0 or -errno (kx_fail names the file). */
int root_read_u64(const char *who, const char *root, const char *path,
		  uint64_t *out);

/* Read "KEY:  N kB" from a /proc file such as /proc/meminfo.
 * Return: 0 with *kb set, or -errno (-ENOENT when the key is absent); no
 * message. */
int read_kb_field(const char *path, const char *key, unsigned long *kb);

#endif
