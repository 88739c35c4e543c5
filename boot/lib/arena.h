/* kexshim: memory that lives as long as one load: allocations and read-only
 * file mappings, freed together by arena_release().  Runs in the shim and
 * the CLI; a load owns a few dozen buffers at most, so a small fixed table
 * is enough. */
#ifndef KEXSHIM_LIB_ARENA_H
#define KEXSHIM_LIB_ARENA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* kernel (mapped, maybe unpacked), initrds, dtb, 8 overlays, boot data,
 * the purgatory copy, the target's dtb and the live one. */
#define ARENA_MAX 32

struct arena {
	struct {
		void *p;
		size_t len;
		bool is_mmap;
	} owned[ARENA_MAX];
	size_t n;
};

/* calloc() size bytes (at least 1) owned by a.
 * Return: the memory, or NULL (errno ENOMEM) when out of memory or slots. */
void *arena_alloc(struct arena *a, size_t size);

/* Hand p (malloc'ed, or mmap'ed with is_mmap) over to a; on failure p is
 * freed (unmapped).  Return: 0, or -ENOMEM when every slot is taken. */
int arena_own(struct arena *a, void *p, size_t len, bool is_mmap);

/* Read path whole (NUL-terminated, not counted in *len) into memory owned
 * by a.  Messages read "WHO: PATH: reason".
 * Return: 0 or -errno (kx_fail). */
int arena_read_file(struct arena *a, const char *who, const char *path,
		    char **out, size_t *len);

/* Map a regular, non-empty file read-only, owned by a (read into memory
 * when the file system cannot mmap).  Messages read "WHO: PATH: reason".
 * Return: 0 with *out and *size, or -errno (kx_fail). */
int arena_map_file(struct arena *a, const char *who, const char *path,
		   const uint8_t **out, size_t *size);

/* Open path as arena_map_file() would (regular, non-empty), for callers
 * that read it themselves.  Return: the fd with *size set, or -errno. */
int arena_open_file(const char *who, const char *path, size_t *size);

/* Free and unmap everything a owns; a is empty and reusable afterwards. */
void arena_release(struct arena *a);

#endif
