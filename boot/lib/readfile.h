/* kexshim: whole-file reads into malloc'ed memory, for configuration files,
 * module indexes and sysfs/proc files.  Runs in the shim and on any host. */
#ifndef KEXSHIM_READFILE_H
#define KEXSHIM_READFILE_H

#include <stddef.h>

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

#endif
